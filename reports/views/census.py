"""The managers' termly CME return (issue 15): choose a term, check every breakdown, download
the CSV in the published columns, mark the return as submitted and look back at what was."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from casework.census import SEXES
from casework.filters import NC_YEARS
from casework.filters_cme import DURATION_CHOICES
from casework.models import Case, CmeReason
from cme.access import acting_user, managers_only
from cme.audit import log_access
from cme.models import AccessAction
from ehe.selectors import CensusCounts, census_counts
from reports.census_csv import census_csv
from reports.census_services import census_submit
from reports.figures.census import (
    DURATION,
    PARTS,
    REASON,
    SEX,
    TOPICS,
    TOTAL,
    YEAR_GROUP,
    CensusFigures,
    census_figures,
    figures_from_rows,
)
from reports.models import CensusDate, CensusSubmission


def _chosen(request: HttpRequest) -> CensusDate | None:
    """The census day asked for (?census=<id>), else the latest one on or before today, else
    the first one entered. None when the administrator has entered none."""
    days = CensusDate.objects.all()
    wanted = request.GET.get("census", "")
    if wanted:
        if not wanted.isdigit():
            raise Http404
        return get_object_or_404(days, pk=int(wanted))
    today = timezone.localdate()
    return days.filter(census_date__lte=today).order_by("-census_date").first() or days.first()


def _register_url(census: CensusDate, **params: str) -> str:
    query = {"census": census.census_date.isoformat(), **params}
    return f"{reverse('cases:register')}?{urlencode(query)}"


def _links(census: CensusDate) -> dict[tuple[str, str], str]:
    """Each census-date breakdown's link to the register's list of exactly those children
    (the register's filters are the groups the figures count: casework.census)."""
    links = {(TOTAL, TOTAL): _register_url(census)}
    for label in SEXES:
        links[(SEX, label)] = _register_url(census, sex=label)
    for value, label in NC_YEARS:
        links[(YEAR_GROUP, label)] = _register_url(census, nc_year=value)
    for label, _ in DURATION_CHOICES:
        links[(DURATION, label)] = _register_url(census, duration=label)
    for code, label in CmeReason.objects.values_list("code", "label"):
        links[(REASON, label)] = _register_url(census, cme_reason=code)
    return links


def _tables(figures: CensusFigures, census: CensusDate | None) -> list[dict[str, object]]:
    """One table a topic with its total; on the live return each count links to its list
    (the year figure is not a list at one date, and a submission's rows are frozen)."""
    links = _links(census) if census is not None else {}
    tables: list[dict[str, object]] = []
    for topic in TOPICS:
        rows = [
            {"breakdown": b, "count": n, "url": links.get((topic, b), "") if n else ""}
            for b, n in figures.topic(topic)
        ]
        counts = [n for _, n in figures.topic(topic)]
        tables.append(
            {"topic": topic, "rows": rows, "total": sum(counts) if topic in PARTS else None}
        )
    return tables


@managers_only
def cme_return(request: HttpRequest) -> HttpResponse:
    census = _chosen(request)
    context: dict[str, object] = {"census": census, "days": list(CensusDate.objects.all())}
    if census is not None:
        figures = census_figures(census.census_date)
        checks = [
            {"label": c.label, "count": c.count, "url": _register_url(census, check=c.key)}
            for c in figures.checks
        ]
        context |= {
            "figures": figures,
            "tables": _tables(figures, census),
            "checks": checks,
            "problems": sum(c.count for c in figures.checks) + len(figures.unbalanced),
            "submissions": list(census.submissions.select_related("submitted_by")),
            # Issue 17 item 5: the EHE part, from the EHE register, beside the CME return.
            "ehe": census_counts(census.census_date),
        }
    return render(request, "reports/cme_return.html", context)


@managers_only
def cme_return_csv(request: HttpRequest) -> HttpResponse:
    """The return as a CSV: the live figures, or a submission's with ?submission=<id>."""
    wanted = request.GET.get("submission", "")
    if wanted:
        if not wanted.isdigit():
            raise Http404
        submission = get_object_or_404(
            CensusSubmission.objects.select_related("census"), pk=int(wanted)
        )
        census = submission.census
        rows = figures_from_rows(census.census_date, submission.figures).rows
        what = f"submitted {submission.submitted_at:%Y-%m-%d %H:%M}"
    else:
        chosen = _chosen(request)
        if chosen is None:
            raise Http404
        census = chosen
        rows = census_figures(census.census_date).rows
        what = "live figures"
    # Every download is in the access log (aggregate counts: no child is named).
    log_access(
        request,
        AccessAction.EXPORT_FIGURES_CSV,
        detail=f"CME return, census {census.census_date:%Y-%m-%d}, {what}",
    )
    response = HttpResponse(census_csv(census, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="cme-return-{census.census_date:%Y-%m-%d}.csv"'
    )
    return response


@managers_only
@require_POST
def cme_return_submit(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("census", "")
    if not wanted.isdigit():
        raise Http404
    census = get_object_or_404(CensusDate, pk=int(wanted))
    submission = census_submit(census=census, by=acting_user(request))
    messages.success(request, f"Return for the {census} marked as submitted")
    return redirect("dashboard:cme_submission", submission_id=submission.pk)


@managers_only
def cme_submission(request: HttpRequest, submission_id: int) -> HttpResponse:
    """A submitted return: its frozen figures and the children it counted (a view of each)."""
    submission = get_object_or_404(
        CensusSubmission.objects.select_related("census", "submitted_by"), pk=submission_id
    )
    census = submission.census
    figures = figures_from_rows(census.census_date, submission.figures)
    references = dict(
        Case.objects.filter(pk__in=[r[0] for r in submission.children]).values_list(
            "pk", "reference"
        )
    )
    children = [
        {
            "reference": references.get(r[0], ""),
            "sex": r[2],
            "year_group": r[3],
            "duration": r[4],
            "reason": r[5],
        }
        for r in submission.children
    ]
    log_access(
        request,
        AccessAction.VIEW_REGISTER,
        child_ids=[r[1] for r in submission.children],
        detail=f"CME return submitted for census {census.census_date:%Y-%m-%d}",
    )
    return render(
        request,
        "reports/cme_submission.html",
        {
            "submission": submission,
            "census": census,
            "tables": _tables(figures, None),
            "children": children,
            "ehe": CensusCounts.thawed(census.census_date, submission.ehe)
            if submission.ehe
            else None,
        },
    )
