"""The children-not-in-school register (ss436B-436G): the list, its CSV export, registering
a child, a child's entry and the actions on it. Caseworkers only; CME_CNIS_ENABLED only."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from casework.restricted import restricted_gate
from casework.services.children import child_record
from casework.views.register import neutralise
from cme.access import acting_user, caseworkers
from cme.audit import log_access
from cme.models import AccessAction, User
from cnis import services as svc
from cnis.forms import (
    ChangeForm,
    InformationReceivedForm,
    InformationRequestForm,
    ParentForm,
    ProviderForm,
    RegisterForm,
    VisitOutcomeForm,
    VisitRequestForm,
)
from cnis.models import Eligibility, Provider, RegisterEntry, Source, VisitOutcome
from cnis.rules import home_visit_request_due
from cnis.selectors import (
    entry_for_view,
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


class _Echo:
    def write(self, value: str) -> str:
        return value


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
    writer = csv.writer(_Echo())
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
        initial = {
            f: getattr(source_return, f)
            for f in (
                "first_name",
                "middle_names",
                "last_name",
                "date_of_birth",
                "address_line_1",
                "address_line_2",
                "town",
                "postcode",
            )
        }
        initial |= {"eligibility": Eligibility.PART_TIME, "source": Source.SCHOOL_RETURN}
    form = RegisterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            child = child_record(
                first_name=data["first_name"],
                middle_names=data["middle_names"],
                last_name=data["last_name"],
                date_of_birth=data["date_of_birth"],
                address_line_1=data["address_line_1"],
                address_line_2=data["address_line_2"],
                town=data["town"],
                postcode=data["postcode"],
                by=user,
            )
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


def _gated_entry(request: HttpRequest, entry_id: int) -> tuple[RegisterEntry, HttpResponse | None]:
    require_enabled()
    entry = entry_for_view(acting_user(request), entry_id)
    return entry, restricted_gate(request, entry.child_id, entry.child.restricted)


@caseworkers
def entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry, gate = _gated_entry(request, entry_id)
    if gate is not None:
        return gate
    log_access(request, AccessAction.VIEW_CHILD, child_id=entry.child_id, obj=entry)
    return render(
        request,
        "cnis/entry.html",
        {
            "entry": entry,
            "child": entry.child,
            "address": _full(entry),
            "prescribed": prescribed_information(entry),
            "visit_due": home_visit_request_due(entry.registered_on),
            "actions": ACTIONS,
        },
    )


def _full(entry: RegisterEntry) -> str:
    # The restricted record was opened with a reason (restricted_gate): show the address.
    c = entry.child
    return ", ".join(p for p in (c.address_line_1, c.address_line_2, c.town, c.postcode) if p)


@dataclass(frozen=True)
class Action:
    title: str
    button: str
    form: type[forms.Form]
    run: Callable[[RegisterEntry, dict[str, Any], User], object]
    done: str


ACTIONS: dict[str, Action] = {
    "parent": Action(
        "Add a parent",
        "Add the parent",
        ParentForm,
        lambda e, d, by: svc.parent_add(
            entry=e,
            name=d["name"],
            address=d["address"],
            provides_education=d["provides_education"],
            hours_per_week=d["hours_per_week"],
            source=Source(d["source"]),
            by=by,
        ),
        "Parent added",
    ),
    "provider": Action(
        "Add another provider of education",
        "Add the provider",
        ProviderForm,
        lambda e, d, by: svc.provider_add(
            entry=e,
            by=by,
            name=d["name"],
            address=d["address"],
            provider_type=d["provider_type"],
            location=d["location"],
            online_contact=d["online_contact"],
            hours_per_week=d["hours_per_week"],
            hours_without_parent=d["hours_without_parent"],
            email=d["email"],
            source=Source(d["source"]),
        ),
        "Provider added",
    ),
    "change": Action(
        "Record a change the parent told us about",
        "Record the change",
        ChangeForm,
        lambda e, d, by: svc.change_record(
            entry=e, notified_on=d["notified_on"], details=d["details"], by=by
        ),
        "Change recorded",
    ),
    "visit-request": Action(
        "Record the request for a home visit",
        "Record the request",
        VisitRequestForm,
        lambda e, d, by: svc.visit_request_record(entry=e, requested_on=d["requested_on"], by=by),
        "Request for a home visit recorded",
    ),
    "visit-outcome": Action(
        "Record the home visit's outcome",
        "Record the outcome",
        VisitOutcomeForm,
        lambda e, d, by: svc.visit_outcome_record(
            entry=e, outcome=VisitOutcome(d["outcome"]), on=d["on"], by=by
        ),
        "Outcome recorded",
    ),
    "information-request": Action(
        "Record a request to the parent for information",
        "Record the request",
        InformationRequestForm,
        lambda e, d, by: svc.information_request_record(
            entry=e, requested_on=d["requested_on"], by=by
        ),
        "Request for information recorded",
    ),
    "information-received": Action(
        "Record the parent's information as received",
        "Record it",
        InformationReceivedForm,
        lambda e, d, by: svc.information_received_record(
            entry=e, received_on=d["received_on"], by=by
        ),
        "Information recorded as received",
    ),
}


@caseworkers
def entry_action(request: HttpRequest, entry_id: int, what: str) -> HttpResponse:
    action = ACTIONS.get(what)
    if action is None:
        raise Http404
    entry, gate = _gated_entry(request, entry_id)
    if gate is not None:
        return gate
    form = action.form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action.run(entry, form.cleaned_data, acting_user(request))
        except svc.RegisterError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, action.done)
            return redirect("cnis:entry", entry_id=entry.pk)
    return render(
        request,
        "cnis/form.html",
        {
            "form": form,
            "title": action.title,
            "button": action.button,
            "entry": entry,
            "child": entry.child,
        },
    )


@caseworkers
@require_POST
def provider_request(request: HttpRequest, entry_id: int, provider_id: int) -> HttpResponse:
    """s436E: send the provider a request for information (through the outbox)."""
    entry, gate = _gated_entry(request, entry_id)
    if gate is not None:
        return gate
    provider = get_object_or_404(Provider, pk=provider_id, entry=entry)
    try:
        sent = svc.provider_request_send(provider=provider, by=acting_user(request))
    except svc.RegisterError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Request sent: reply due by {sent.due_on:%-d %B %Y}")
    return redirect("cnis:entry", entry_id=entry.pk)


@caseworkers
@require_POST
def provider_answered(request: HttpRequest, entry_id: int, provider_id: int) -> HttpResponse:
    """The provider has answered its latest open s436E request (today): it is not chased."""
    entry, gate = _gated_entry(request, entry_id)
    if gate is not None:
        return gate
    provider = get_object_or_404(Provider, pk=provider_id, entry=entry)
    open_request = provider.requests.filter(answered_on__isnull=True).order_by("-sent_on").first()
    if open_request is None:
        messages.error(request, "There is no open request to this provider")
    else:
        svc.provider_request_answered(
            request=open_request, on=timezone.localdate(), by=acting_user(request)
        )
        messages.success(request, "Answer recorded")
    return redirect("cnis:entry", entry_id=entry.pk)
