"""A child's entry on the children-not-in-school register and the actions on it (the s436C
information, s436D changes, s436E requests, the home visit). Caseworkers only; a restricted
record opens only with a reason; CME_CNIS_ENABLED only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from casework.restricted import restricted_gate
from cme.access import acting_user, caseworkers
from cme.audit import log_access
from cme.models import AccessAction
from cnis import services as svc
from cnis.forms import (
    ChangeForm,
    InformationReceivedForm,
    InformationRequestForm,
    ParentForm,
    ProviderForm,
    VisitOutcomeForm,
    VisitRequestForm,
)
from cnis.models import Provider, RegisterEntry, Source, VisitOutcome
from cnis.rules import home_visit_request_due
from cnis.selectors import entry_for_view, prescribed_information
from cnis.views.consent import require_enabled


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


#: The choice fields whose answer a service takes as its enum.
_CHOICES: dict[str, Callable[[str], object]] = {"source": Source, "outcome": VisitOutcome}


def _answers(data: dict[str, Any]) -> dict[str, Any]:
    """A form's answers as its service's keyword arguments: the forms name their fields
    after the arguments; a choice is passed as its enum."""
    return {k: _CHOICES[k](v) if k in _CHOICES else v for k, v in data.items()}


@dataclass(frozen=True)
class Action:
    title: str
    button: str
    form: type[forms.Form]
    service: Callable[..., object]  # service(entry=, by=, **the form's answers)
    done: str


ACTIONS: dict[str, Action] = {
    "parent": Action("Add a parent", "Add the parent", ParentForm, svc.parent_add, "Parent added"),
    "provider": Action(
        "Add another provider of education",
        "Add the provider",
        ProviderForm,
        svc.provider_add,
        "Provider added",
    ),
    "change": Action(
        "Record a change the parent told us about",
        "Record the change",
        ChangeForm,
        svc.change_record,
        "Change recorded",
    ),
    "visit-request": Action(
        "Record the request for a home visit",
        "Record the request",
        VisitRequestForm,
        svc.visit_request_record,
        "Request for a home visit recorded",
    ),
    "visit-outcome": Action(
        "Record the home visit's outcome",
        "Record the outcome",
        VisitOutcomeForm,
        svc.visit_outcome_record,
        "Outcome recorded",
    ),
    "information-request": Action(
        "Record a request to the parent for information",
        "Record the request",
        InformationRequestForm,
        svc.information_request_record,
        "Request for information recorded",
    ),
    "information-received": Action(
        "Record the parent's information as received",
        "Record it",
        InformationReceivedForm,
        svc.information_received_record,
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
            action.service(entry=entry, by=acting_user(request), **_answers(form.cleaned_data))
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


def _provider_action(
    act: Callable[[HttpRequest, Provider], None],
) -> Callable[[HttpRequest, int, int], HttpResponse]:
    """A button on one of the entry's providers: the entry opened (a restricted one with a
    reason), then ``act`` on the provider, then back to the entry."""

    @caseworkers
    @require_POST
    @wraps(act)
    def view(request: HttpRequest, entry_id: int, provider_id: int) -> HttpResponse:
        entry, gate = _gated_entry(request, entry_id)
        if gate is not None:
            return gate
        act(request, get_object_or_404(Provider, pk=provider_id, entry=entry))
        return redirect("cnis:entry", entry_id=entry.pk)

    return view


@_provider_action
def provider_request(request: HttpRequest, provider: Provider) -> None:
    """s436E: send the provider a request for information (through the outbox)."""
    try:
        sent = svc.provider_request_send(provider=provider, by=acting_user(request))
    except svc.RegisterError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Request sent: reply due by {sent.due_on:%-d %B %Y}")


@_provider_action
def provider_answered(request: HttpRequest, provider: Provider) -> None:
    """The provider has answered its latest open s436E request (today): it is not chased."""
    open_request = provider.requests.filter(answered_on__isnull=True).order_by("-sent_on").first()
    if open_request is None:
        messages.error(request, "There is no open request to this provider")
    else:
        svc.provider_request_answered(
            request=open_request, on=timezone.localdate(), by=acting_user(request)
        )
        messages.success(request, "Answer recorded")
