"""The case page, its action forms (one page each) and the child's chronology."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from casework.forms import (
    AllocateForm,
    CaseActionForm,
    CategoryForm,
    CloseForm,
    ConfirmForm,
    EnquiryForm,
    EscalateForm,
    NoteForm,
    ReopenForm,
)
from casework.forms_cme import CmeDetailsForm
from casework.models import STANDARD_CHECKS, Case, CaseStatus, Enquiry, EventKind
from casework.presenters import nc_year_label, referral_summary
from casework.restricted import restricted_gate
from casework.selectors import cases as sel
from casework.selectors import children as child_sel
from casework.services import cases as svc
from casework.services import closing
from casework.services.allocation import AllocationError, case_allocate, case_pick_up
from casework.services.cme_details import case_cme_details_change
from cme.access import acting_user, caseworkers, managers_only
from cme.audit import log_access
from cme.models import AccessAction, User
from cme.statutory import age_on

SECTIONS = ("summary", "enquiries", "notes", "referral", "returns")


def identity(case: Case) -> dict[str, Any]:
    """What the identity bar shows about the child and the case."""
    today = timezone.localdate()
    dob = case.child.date_of_birth
    return {"age": age_on(dob, today), "nc_year": nc_year_label(dob, today), "today": today}


def checklist(enquiries: list[Enquiry]) -> list[dict[str, Any]]:
    """Each standard check, done or not, with its latest result (enquiries come newest first)."""
    latest: dict[str, Enquiry] = {}
    for enquiry in enquiries:
        latest.setdefault(enquiry.enquiry_type, enquiry)
    return [{"type": check, "enquiry": latest.get(check.value)} for check in STANDARD_CHECKS]


def _case_page(request: HttpRequest, reference: str, section: str) -> HttpResponse:
    case = sel.case_for_view(acting_user(request), reference)
    gate = restricted_gate(request, case.child_id, case.child.restricted)
    if gate is not None:
        return gate
    log_access(request, AccessAction.VIEW_CASE, child_id=case.child_id, obj=case)
    enquiries = list(case.enquiries.select_related("made_by"))
    context: dict[str, Any] = {
        "case": case,
        "child": case.child,
        "section": section,
        "checklist": checklist(enquiries),
        "enquiries": enquiries,
        **identity(case),
    }
    if section == "notes":
        context["notes"] = list(case.notes.select_related("created_by"))
    elif section == "referral":
        referral = case.referral
        context["sections"] = referral_summary(referral)
        context["source_return"] = referral.source_return
        context["referrer_messages"] = list(sel.referrer_messages(case))
    elif section == "returns":
        context["returns"] = list(sel.returns_for_case(case))
    return render(request, "casework/case_detail.html", context)


def _section_view(section: str) -> Callable[[HttpRequest, str], HttpResponse]:
    def view(request: HttpRequest, reference: str) -> HttpResponse:
        return _case_page(request, reference, section)

    return caseworkers(view)


case_detail = _section_view("summary")
case_enquiries = _section_view("enquiries")
case_notes = _section_view("notes")
case_referral = _section_view("referral")
case_returns = _section_view("returns")


Run = Callable[[Case, User, dict[str, Any]], object]
CaseView = Callable[[HttpRequest, str], HttpResponse]


@dataclass(frozen=True)
class Action:
    """One action page: its form, title (fixed, or from the case), button and done message."""

    form: type[CaseActionForm]
    title: str | Callable[[Case], str]
    button: str
    done: str
    lede: str = ""
    #: The form's first answers from the case itself (the details it corrects).
    from_case: Callable[[Case], dict[str, Any]] | None = None


def _calls(service: Callable[..., object], *fields: str, spread: str = "") -> Run:
    """Call ``service(case=, by=, version=, **the named form fields)`` (and the dict in
    ``spread``); an AllocationError is shown like a CaseError."""

    def run(case: Case, user: User, d: dict[str, Any]) -> object:
        kwargs = {name: d[name] for name in fields} | (d[spread] if spread else {})
        try:
            return service(case=case, by=user, version=d["version"], **kwargs)
        except AllocationError as exc:
            raise svc.CaseError(str(exc)) from exc

    return run


def _action(
    request: HttpRequest,
    reference: str,
    action: Action,
    run: Run,
    initial: dict[str, Any],
) -> HttpResponse:
    """One action page: GET shows the form with the case's version, POST calls one service."""
    user = acting_user(request)
    case = sel.case_for_view(user, reference)
    gate = restricted_gate(request, case.child_id, case.child.restricted)
    if gate is not None:
        return gate
    title = action.title(case) if callable(action.title) else action.title
    if request.method == "POST":
        form = action.form(request.POST)
        if form.is_valid():
            try:
                run(case, user, form.cleaned_data)
            except svc.CaseError as exc:
                form.add_service_error(str(exc))
            else:
                messages.success(request, action.done)
                return redirect("cases:detail", reference=case.reference)
    else:
        initial = initial | (action.from_case(case) if action.from_case else {})
        form = action.form(initial={"version": case.version, **initial})
    # The page names the child: showing it (the form, or the form again with its errors) is
    # a view of the case. The action's title says which page; it holds nothing personal.
    log_access(request, AccessAction.VIEW_CASE, child_id=case.child_id, obj=case, detail=title)
    context = {"case": case, "child": case.child, "form": form, "title": title}
    context |= {"button": action.button, "lede": action.lede, **identity(case)}
    return render(request, "casework/case_action.html", context)


def _action_view(
    action: Action,
    run: Run,
    *,
    guard: Callable[[CaseView], CaseView] = caseworkers,
    initial: Callable[[], dict[str, Any]] = dict,
) -> CaseView:
    def view(request: HttpRequest, reference: str) -> HttpResponse:
        return _action(request, reference, action, run, initial())

    return guard(view)


enquiry_new = _action_view(
    Action(EnquiryForm, "Record an enquiry", "Save enquiry", "Enquiry recorded"),
    _calls(svc.enquiry_record, "enquiry_type", "made_on", "result", "contact", "notes"),
    initial=lambda: {"made_on": timezone.localdate()},
)
note_new = _action_view(
    Action(NoteForm, "Add a note", "Save note", "Note added"),
    _calls(svc.case_note_add, "text"),
)
investigation_complete = _action_view(
    Action(
        ConfirmForm,
        "Complete the initial investigation",
        "Complete initial investigation",
        "Initial investigation completed",
        lede="This stops the 10-working-day clock. Check the enquiries recorded are complete.",
    ),
    _calls(svc.investigation_complete),
)
category_change = _action_view(
    Action(CategoryForm, "Change the category", "Change category", "Category changed"),
    _calls(svc.case_category_change, "category", "primary_reason", "reason"),
)
#: Issue 15: the day the child became missing education and the primary reason, corrected.
cme_details = _action_view(
    Action(
        CmeDetailsForm,
        "Change the CME return details",
        "Save details",
        "CME return details changed",
        lede="These are counted in the DfE's termly children missing education return.",
        from_case=lambda case: {
            "became_cme_on": case.became_cme_on,
            "primary_reason": case.primary_reason_id,
        },
    ),
    _calls(case_cme_details_change, "became_cme_on", "primary_reason", "reason"),
)
escalate = _action_view(
    Action(
        EscalateForm, "Escalate the case", "Escalate", "Case escalated: the managers have been told"
    ),
    _calls(svc.case_escalate, "reason", "social_care_referred"),
)
close = _action_view(
    Action(CloseForm, "Record the outcome", "Record outcome", "Outcome recorded"),
    _calls(closing.case_close, "outcome", "outcome_notes", spread="close"),
)


def allocate_title(case: Case) -> str:
    """An unallocated case is allocated, an allocated one reallocated."""
    return "Reallocate the case" if case.allocated_to_id else "Allocate the case"


allocate = _action_view(
    Action(AllocateForm, allocate_title, "Allocate", "Case allocated"),
    _calls(case_allocate, "officer"),
    guard=managers_only,
)
#: An officer takes an open, unallocated case (issue 12, A14).
pick_up = _action_view(
    Action(
        ConfirmForm,
        "Pick up the case",
        "Pick up case",
        "Case picked up: it is allocated to you",
        lede="The case will be allocated to you and appear in your cases.",
    ),
    _calls(case_pick_up),
)
reopen = _action_view(
    Action(ReopenForm, "Reopen the case", "Reopen case", "Case reopened"),
    _calls(closing.case_reopen, "reason"),
)


@caseworkers
def chronology(request: HttpRequest, child_id: int) -> HttpResponse:
    child = child_sel.child_for_view(acting_user(request), child_id)
    gate = restricted_gate(request, child.pk, child.restricted)
    if gate is not None:
        return gate
    log_access(request, AccessAction.VIEW_CHRONOLOGY, child_id=child.pk, obj=child)
    events = child_sel.chronology(child)
    kind = request.GET.get("kind", "")
    if kind in EventKind.values:
        events = events.filter(kind=kind)
    else:
        kind = ""
    latest_case = child.cases.order_by("-received_on", "-pk").first()
    return render(
        request,
        "casework/chronology.html",
        {
            "child": child,
            "events": events[:500],
            "kind": kind,
            "kinds": EventKind.choices,
            "merges": list(child_sel.merges_of(child))
            if getattr(child, "has_merges", True)
            else [],
            "case": latest_case,
            "open_status": CaseStatus.OPEN,
            "back_url": reverse("cases:detail", args=[latest_case.reference])
            if latest_case
            else "",
        },
    )
