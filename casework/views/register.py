"""The central CME register (filters, sorting, paging, CSV and Excel), my cases, the team.

No list or export here carries a child's address, so a restricted record's address cannot
leak from them; a test holds that (tests/casework/test_restricted.py).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from io import BytesIO
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from openpyxl import Workbook

from casework.census import UNKNOWN, duration_label, year_group_label
from casework.filters import RegisterFilter, selected_filter_tags, sorted_cases
from casework.models import Case
from casework.selectors import cases as sel
from casework.selectors import workload
from casework.workload import not_of_compulsory_school_age_q
from cme.access import acting_user, caseworkers, managers_only
from cme.audit import log_access
from cme.models import AccessAction
from cme.spreadsheet import EchoBuffer, neutralise
from cme.statutory import age_on
from referrals.vocabulary import flag_labels

PAGE_SIZE = 50
#: Sex as the CME return has it (casework.census.SEXES): anything else is Unknown.
SEX_LABELS = {"F": "Female", "M": "Male"}

EXPORT_HEADERS = [
    "Reference",
    "First name",
    "Last name",
    "Date of birth",
    "Age",
    # The return's year group (casework.census.year_group_label), at the census date when
    # one is chosen, as the table and the year group filter have it.
    "Year group",
    "UPN",
    "Category",
    "Officer",
    "Received",
    "Due",
    "Overdue",
    "Last school",
    "Vulnerability",
    # The termly CME return's groups (issue 15), at the census date when one is chosen.
    "Sex",
    "Primary reason",
    "Became missing education",
    "Missing education for",
]

#: What the register table shows: only these columns are loaded for its page of cases.
TABLE_FIELDS = (
    "reference",
    "category",
    "outcome",
    "received_on",
    "due_date",
    "child__first_name",
    "child__middle_names",
    "child__last_name",
    "child__date_of_birth",
    "child__child_protection_plan",
    "child__looked_after",
    "child__ehcp_sen",
    "child__restricted",
    "allocated_to__full_name",
    # The CME return's groups (issue 15).
    "child__gender",
    "became_cme_on",
    "primary_reason__label",
)


def _filtered(
    request: HttpRequest, *, table: bool = False
) -> tuple[RegisterFilter, QuerySet[Case], str]:
    user = acting_user(request)
    # "Counted in the CME return on" a census date (issue 15) lists the cases counted then,
    # closed since or not; the register itself is today's open cases.
    qs = sel.cases_visible_to(user) if request.GET.get("census") else sel.register_cases(user)
    if table:
        # The page shows neither the referral nor the last school: join and load only what it shows.
        qs = (
            qs.select_related(None)
            .select_related("child", "allocated_to", "primary_reason")
            .only(*TABLE_FIELDS)
        )
    else:
        qs = qs.select_related("child__last_school", "primary_reason")
    filterset = RegisterFilter(request.GET, queryset=qs)
    ordered, sort = sorted_cases(filterset.qs, request.GET.get("sort"))
    return filterset, ordered, sort


def _census(filterset: RegisterFilter) -> date | None:
    """The census date the list is of, if one was chosen (and valid)."""
    census: date | None = getattr(filterset.form, "cleaned_data", {}).get("census")
    return census


def export_rows(cases: QuerySet[Case], on: date | None = None) -> Iterator[list[Any]]:
    today = timezone.localdate()
    on = on or today
    for case in cases.iterator(chunk_size=500):
        child = case.child
        yield [
            neutralise(v)
            for v in (
                case.reference,
                child.first_name,
                child.last_name,
                child.date_of_birth,
                age_on(child.date_of_birth, today),
                year_group_label(child.date_of_birth, on),
                child.upn,
                case.get_category_display(),
                case.allocated_to.full_name if case.allocated_to else "",
                case.received_on,
                case.due_date,
                "Yes" if case.is_overdue else "No",  # type: ignore[attr-defined]
                child.last_school.name if child.last_school else "",
                "; ".join(flag_labels(child)),
                SEX_LABELS.get(child.gender, UNKNOWN),
                case.primary_reason.label,
                case.became_cme_on,
                duration_label(case.became_cme_on, on),
            )
        ]


def _log_export(request: HttpRequest, action: AccessAction, cases: QuerySet[Case]) -> None:
    """An export is a view of every child in it: one access-log row per child (so each
    child's audit page shows it), written in one INSERT, each saying how many it held."""
    child_ids = set(cases.order_by().values_list("child_id", flat=True).distinct())
    n = len(child_ids)
    log_access(request, action, child_ids=child_ids, detail=f"{n} child{'ren' if n != 1 else ''}")


def _filename(ext: str) -> str:
    return f"cme-register-{timezone.localdate():%Y-%m-%d}.{ext}"


@caseworkers
def register(request: HttpRequest) -> HttpResponse:
    filterset, cases, sort = _filtered(request, table=True)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    # One row per page seen, not per child on it.
    log_access(request, AccessAction.VIEW_REGISTER, detail=f"page {page.number}")
    today = timezone.localdate()
    # The return's groups at the census date when one is chosen (as the filters have them).
    on = _census(filterset) or today
    for case in page.object_list:
        # Shown in the table; computed here because they depend on the day, not the database.
        child = case.child
        case.age = age_on(child.date_of_birth, today)
        case.sex = SEX_LABELS.get(child.gender, UNKNOWN)
        case.year_group = year_group_label(child.date_of_birth, on)
        case.duration = duration_label(case.became_cme_on, on)
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("sort", None)
    columns = [
        ("child", "Child"),
        ("dob", "Date of birth"),
        ("category", "Category"),
        ("officer", "Officer"),
        ("received", "Received"),
        ("due", "Due"),
    ]
    headers = []
    for key, label in columns:
        current = sort.lstrip("-") == key
        desc = sort.startswith("-")
        aria = ("descending" if desc else "ascending") if current else "none"
        headers.append(
            {
                "key": key,
                "label": label,
                "aria_sort": aria,
                "next": f"-{key}" if current and not desc else key,
            }
        )
    return render(
        request,
        "casework/register.html",
        {
            "filter": filterset,
            "form": filterset.form,  # the error summary and the "Error:" title
            "page": page,
            "sort": sort,
            "headers": headers,
            "tags": selected_filter_tags(filterset, request.GET),
            "query": params.urlencode(),
            "export_query": request.GET.urlencode(),
            "today": timezone.localdate(),
            "census": _census(filterset),
            # Issue 12, A16: the register's columns need more than GOV.UK's 960px column.
            "wide_layout": True,
            # Issue 12, A8: on the register, but not counted as CME today.
            "not_csa_count": cases.filter(not_of_compulsory_school_age_q(today)).count()
            if page.paginator.count
            else 0,
        },
    )


@caseworkers
def register_csv(request: HttpRequest) -> StreamingHttpResponse:
    filterset, cases, _ = _filtered(request)
    on = _census(filterset)
    _log_export(request, AccessAction.EXPORT_REGISTER_CSV, cases)
    writer = csv.writer(EchoBuffer())

    def lines() -> Iterator[str]:
        yield writer.writerow(EXPORT_HEADERS)
        for row in export_rows(cases, on):
            yield writer.writerow([v.isoformat() if isinstance(v, date) else v for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


@caseworkers
def register_xlsx(request: HttpRequest) -> HttpResponse:
    filterset, cases, _ = _filtered(request)
    on = _census(filterset)
    _log_export(request, AccessAction.EXPORT_REGISTER_XLSX, cases)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("CME register")
    sheet.append(EXPORT_HEADERS)
    for row in export_rows(cases, on):
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response


@caseworkers
def my_cases(request: HttpRequest) -> HttpResponse:
    sections = sel.my_cases(acting_user(request))
    return render(
        request,
        "casework/case_my_cases.html",
        {
            "sections": [
                ("Overdue", list(sections["overdue"])),
                ("Due today", list(sections["due_today"])),
                ("Due this week", list(sections["due_this_week"])),
                ("Newly allocated", list(sections["newly_allocated"])),
                ("Due later", list(sections["due_later"])),
                ("Investigation complete", list(sections["investigation_complete"])),
                ("Untraceable: under review", list(sections["untraceable"])),
            ],
            "open_count": sections["all"].count(),
            "today": timezone.localdate(),
        },
    )


@managers_only
def team(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "casework/case_team.html",
        {"officers": list(workload.team_workload(acting_user(request)))},
    )
