"""The register's filters in the termly CME return's groups (issue 15): the same filters the
figures count with (casework.census), so a count on the return opens as its list."""

from __future__ import annotations

from datetime import date

import django_filters
from django.db.models import QuerySet
from django.utils import timezone

from casework.census import CHECKS, DURATION_BANDS, SEXES, UNKNOWN, counted_at, duration_groups
from casework.models import Case, CmeReason
from cme.filters import DATE_WIDGET, StrictFilterSet, any_of

SEX_CHOICES = [(label, label) for label in SEXES]
DURATION_CHOICES = [(label, label) for label, _, _ in DURATION_BANDS] + [(UNKNOWN, UNKNOWN)]
CHECK_CHOICES = [(key, label) for key, (label, _) in CHECKS.items()]


def _reason_choices() -> list[tuple[str, str]]:
    return list(CmeReason.objects.values_list("code", "label"))


class CmeReturnFilters(StrictFilterSet):
    census = django_filters.DateFilter(
        label="Counted in the CME return on",
        method="filter_census",
        widget=DATE_WIDGET,
    )
    check = any_of(CHECK_CHOICES, "CME return check", method="filter_check")
    cme_reason = any_of(_reason_choices, "Primary reason", method="filter_cme_reason")
    sex = any_of(SEX_CHOICES, "Sex", method="filter_sex")
    duration = any_of(DURATION_CHOICES, "Missing education for", method="filter_duration")

    def _on(self) -> date:
        """The day the groups are worked out at: the census date when one is chosen."""
        census: date | None = self.form.cleaned_data.get("census")
        return census or timezone.localdate()

    def filter_census(self, qs: QuerySet[Case], name: str, value: date) -> QuerySet[Case]:
        # The register's own rows are today's open cases; with a census date the view starts
        # from every case (casework.views.register._filtered) and this keeps those counted.
        return counted_at(value, qs)

    def filter_check(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return qs.filter(CHECKS[value][1])

    def filter_cme_reason(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return qs.filter(primary_reason_id=value)

    def filter_sex(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return qs.filter(SEXES[value])

    def filter_duration(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return qs.filter(duration_groups(self._on())[value])
