"""Writes for the termly CME return (issue 15): marking a return as submitted."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from casework.census import counted_in_year, previous_academic_year
from cme.models import User
from ehe.selectors import census_counts
from reports.figures.census import counted_children, figures_from_children
from reports.models import CensusDate, CensusSubmission


@transaction.atomic
def census_submit(*, census: CensusDate, by: User) -> CensusSubmission:
    """Freeze the return at ``census``: the children counted, each with the group it is in
    for every breakdown, and the figures, who and when. The census-date figures are counted
    from that one list, so the two agree even while officers work; later changes to the
    cases leave the snapshot as it was."""
    children = counted_children(census.census_date)
    first, last = previous_academic_year(census.census_date)
    any_time: int = counted_in_year(first, last).aggregate(n=Count("child_id", distinct=True))["n"]
    figures = figures_from_children(census.census_date, children, any_time)
    return CensusSubmission.objects.create(
        census=census,
        submitted_at=timezone.now(),
        submitted_by=by,
        figures=[list(r) for r in figures.rows],
        children=children,
        ehe=census_counts(census.census_date).frozen(),
    )
