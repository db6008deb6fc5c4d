"""The children-not-in-school register (ss436B-436G): the list, its CSV export, registering
a child, a child's entry and the actions on it. Caseworkers only; CME_CNIS_ENABLED only."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from casework.services.children import CHILD_DETAILS, child_record
from cme.access import acting_user, caseworkers
from cme.audit import log_access
from cme.models import AccessAction
from cme.spreadsheet import EchoBuffer, neutralise
from cnis import services as svc
from cnis.forms import (
    RegisterForm,
)
from cnis.models import Eligibility, RegisterEntry, Source
from cnis.rules import home_visit_request_due
from cnis.selectors import (
    home_address,
    part_time_candidates,
    prescribed_information,
    register_entries,
)
from cnis.views.consent import require_enabled
from schools.models import PartTimeTimetable, ReturnKind

PAGE_SIZE = 200

EXPORT_HEADERS = [
    "Entry",
    "First name",
    "Middle names",
    "Last name",
    "Date of birth",
    "Home address",
    "Registered on",
    "Parents (name; address; provides education; hours a week)",
    "Other providers (name; address; type; where or online; hours a week; hours without a parent)",
    "Special educational needs",
    "Child protection plan",
    "Child in need",
    "Looked after",
    "Source of the above",
    "Reason for eligibility",
    "Source of the reason",
]


@caseworkers
def register(request: HttpRequest) -> HttpResponse:
    require_enabled()
    user = acting_user(request)
    entries = list(register_entries(user).order_by("-registered_on", "-id")[:PAGE_SIZE])
    today = timezone.localdate()
    log_access(
        request,
        AccessAction.VIEW_REGISTER,
        child_ids=[e.child_id for e in entries],
        detail="Children not in school",
    )
    return render(
        request,
        "cnis/register.html",
        {
            "rows": [
                {"entry": e, "visit_due": home_visit_request_due(e.registered_on)} for e in entries
            ],
            "candidates": part_time_candidates(user, today),
            "today": today,
        },
    )


def _hours(value: Any) -> str:
    return "" if value is None else f"{value:g}"


def export_rows(entries: list[RegisterEntry]) -> Iterator[list[Any]]:
    for entry in entries:
        child = entry.child
        parents = " | ".join(
            f"{p.name}; {p.address}; {'yes' if p.provides_education else 'no'}; "
            f"{_hours(p.hours_per_week)}"
            for p in entry.parents.all()
        )
        providers = " | ".join(
            f"{p.name}; {p.address}; {p.get_provider_type_display()}; "
            f"{p.location or p.online_contact}; {_hours(p.hours_per_week)}; "
            f"{_hours(p.hours_without_parent)}"
            for p in entry.providers.all()
        )
        prescribed = prescribed_information(entry)
        yield [
            neutralise(v)
            for v in (
                f"CNIS-{entry.pk}",
                child.first_name,
                child.middle_names,
                child.last_name,
                child.date_of_birth,
                home_address(entry),
                entry.registered_on,
                parents,
                providers,
                *(item.value for item in prescribed[:4]),
                prescribed[0].source,
                prescribed[4].value,
                prescribed[4].source,
            )
        ]


@caseworkers
def register_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The register's s436C fields as CSV, formulas neutralised, addresses of restricted
    records withheld."""
    require_enabled()
    entries = list(register_entries(acting_user(request)).order_by("pk"))
    log_access(
        request,
        AccessAction.EXPORT_REGISTER_CSV,
        child_ids=[e.child_id for e in entries],
        detail="Children not in school",
    )
    writer = csv.writer(EchoBuffer())
    lines = (writer.writerow(row) for row in [EXPORT_HEADERS, *export_rows(entries)])
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="children-not-in-school.csv"'
    return response


@caseworkers
def register_new(request: HttpRequest) -> HttpResponse:
    """Register a child: the officer's answers, or a part-time timetable's pupil
    (``?from=<return reference>``) with its details filled in."""
    require_enabled()
    user = acting_user(request)
    source_return = _source_return(request)
    initial: dict[str, Any] = {}
    if source_return is not None:
        initial = {f: getattr(source_return, f) for f in CHILD_DETAILS}
        initial |= {"eligibility": Eligibility.PART_TIME, "source": Source.SCHOOL_RETURN}
    form = RegisterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            child = child_record(**{f: data[f] for f in CHILD_DETAILS}, by=user)
            entry = svc.register_child(
                child=child,
                eligibility=Eligibility(data["eligibility"]),
                source=Source(data["source"]),
                lives_in_area=data["lives_in_area"],
                source_return=source_return,
                by=user,
            )
        except svc.RegisterError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Registered: entry CNIS-{entry.pk}")
            return redirect("cnis:entry", entry_id=entry.pk)
    return render(
        request,
        "cnis/form.html",
        {
            "form": form,
            "title": "Register a child not in school",
            "button": "Register the child",
            "back": "cnis:register",
        },
    )


def _source_return(request: HttpRequest) -> PartTimeTimetable | None:
    reference = request.GET.get("from") or request.POST.get("from")
    if not reference:
        return None
    return get_object_or_404(
        PartTimeTimetable, reference=reference, kind=ReturnKind.PART_TIME, ended_on__isnull=True
    )
