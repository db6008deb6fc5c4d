"""The case page, its action forms (one page each) and the child's chronology."""

from __future__ import annotations

from collections.abc import Callable
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
from casework.models import STANDARD_CHECKS, Case, CaseStatus, Enquiry, EventKind
from casework.presenters import nc_year_label, referral_summary
from casework.restricted import restricted_gate
from casework.selectors import cases as sel
from casework.selectors import children as child_sel
from casework.services import cases as svc
from casework.services.allocation import AllocationError, case_allocate, case_pick_up
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
    elif section == "returns":
        context["returns"] = list(sel.returns_for_case(case))
    return render(request, "casework/case_detail.html", context)


@caseworkers
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _case_page(request, reference, "summary")


@caseworkers
def case_enquiries(request: HttpRequest, reference: str) -> HttpResponse:
    return _case_page(request, reference, "enquiries")


@caseworkers
def case_notes(request: HttpRequest, reference: str) -> HttpResponse:
    return _case_page(request, reference, "notes")


@caseworkers
def case_referral(request: HttpRequest, reference: str) -> HttpResponse:
    return _case_page(request, reference, "referral")


@caseworkers
def case_returns(request: HttpRequest, reference: str) -> HttpResponse:
    return _case_page(request, reference, "returns")


Run = Callable[[Case, User, dict[str, Any]], object]


def _action(
    request: HttpRequest,
    reference: str,
    form_class: type[CaseActionForm],
    *,
    title: str | Callable[[Case], str],
    button: str,
    run: Run,
    done: str,
    lede: str = "",
    initial: dict[str, Any] | None = None,
) -> HttpResponse:
    """One action page: GET shows the form with the case's version, POST calls one service."""
    user = acting_user(request)
    case = sel.case_for_view(user, reference)
    gate = restricted_gate(request, case.child_id, case.child.restricted)
    if gate is not None:
        return gate
    if callable(title):  # a title that depends on the case ("Allocate" or "Reallocate")
        title = title(case)
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                run(case, user, data)
            except svc.CaseError as exc:
                form.add_service_error(str(exc))
            else:
                messages.success(request, done)
                return redirect("cases:detail", reference=case.reference)
    else:
        form = form_class(initial={"version": case.version, **(initial or {})})
    # The page names the child: showing it (the form, or the form again with its errors) is
    # a view of the case. The action's title says which page; it holds nothing personal.
    log_access(request, AccessAction.VIEW_CASE, child_id=case.child_id, obj=case, detail=title)
    return render(
        request,
        "casework/case_action.html",
        {
            "case": case,
            "child": case.child,
            "form": form,
            "title": title,
            "button": button,
            "lede": lede,
            **identity(case),
        },
    )


@caseworkers
def enquiry_new(request: HttpRequest, reference: str) -> HttpResponse:
    def run(case: Case, user: User, d: dict[str, Any]) -> object:
        return svc.enquiry_record(
            case=case,
            by=user,
            enquiry_type=d["enquiry_type"],
            made_on=d["made_on"],
            result=d["result"],
            contact=d["contact"],
            notes=d["notes"],
            version=d["version"],
        )

    return _action(
        request,
        reference,
        EnquiryForm,
        title="Record an enquiry",
        button="Save enquiry",
        run=run,
        done="Enquiry recorded",
        initial={"made_on": timezone.localdate()},
    )


@caseworkers
def note_new(request: HttpRequest, reference: str) -> HttpResponse:
    def run(case: Case, user: User, d: dict[str, Any]) -> object:
        return svc.case_note_add(case=case, by=user, text=d["text"], version=d["version"])

    return _action(
        request,
        reference,
        NoteForm,
        title="Add a note",
        button="Save note",
        run=run,
        done="Note added",
    )


@caseworkers
def investigation_complete(request: HttpRequest, reference: str) -> HttpResponse:
    def run(case: Case, user: User, d: dict[str, Any]) -> object:
        return svc.investigation_complete(case=case, by=user, version=d["version"])

    return _action(
        request,
        reference,
        ConfirmForm,
        title="Complete the initial investigation",
        button="Complete initial investigation",
        run=run,
        done="Initial investigation completed",
        lede="This stops the 10-working-day clock. Check the enquiries recorded are complete.",
    )


@caseworkers
def category_change(request: HttpRequest, reference: str) -> HttpResponse:
    def run(case: Case, user: User, d: dict[str, Any]) -> object:
        return svc.case_category_change(
            case=case, by=user, category=d["category"], reason=d["reason"], version=d["version"]
        )

    return _action(
        request,
        reference,
        CategoryForm,
        title="Change the category",
        button="Change category",
        run=run,
        done="Category changed",
    )


@caseworkers
def escalate(request: HttpRequest, reference: str) -> HttpResponse:
    def run(case: Case, user: User, d: dict[str, Any]) -> object:
        return svc.case_escalate(
            case=case,
            by=user,
            reason=d["reason"],
            social_care_referred=d["social_care_referred"],
            version=d["version"],
        )

    return _action(
        request,
        reference,
        EscalateForm,
        title="Escalate the case",
        button="Escalate",
        run=run,
        done="Case escalated: the managers have been told",
    )


@caseworkers
def close(request: HttpRequest, reference: str) -> HttpResponse:
    def run(case: Case, user: User, d: dict[str, Any]) -> object:
        return svc.case_close(
            case=case,
            by=user,
            outcome=d["outcome"],
            outcome_notes=d["outcome_notes"],
            version=d["version"],
            **d["close"],
        )

    return _action(
        request,
        reference,
        CloseForm,
        title="Record the outcome",
        button="Record outcome",
        run=run,
        done="Outcome recorded",
    )


def allocate_title(case: Case) -> str:
    """An unallocated case is allocated, an allocated one reallocated."""
    return "Reallocate the case" if case.allocated_to_id else "Allocate the case"


@managers_only
def allocate(request: HttpRequest, reference: str) -> HttpResponse:
    def run(case: Case, user: User, d: dict[str, Any]) -> object:
        try:
            return case_allocate(case=case, officer=d["officer"], by=user, version=d["version"])
        except AllocationError as exc:
            raise svc.CaseError(str(exc)) from exc

    return _action(request, reference, AllocateForm, title=allocate_title,
                   button="Allocate", run=run, done="Case allocated")


@caseworkers
def pick_up(request: HttpRequest, reference: str) -> HttpResponse:
    """An officer takes an open, unallocated case (issue 12, A14)."""

    def run(case: Case, user: User, d: dict[str, Any]) -> object:
        try:
            return case_pick_up(case=case, by=user, version=d["version"])
        except AllocationError as exc:
            raise svc.CaseError(str(exc)) from exc

    return _action(request, reference, ConfirmForm, title="Pick up the case",
                   button="Pick up case", run=run, done="Case picked up: it is allocated to you",
                   lede="The case will be allocated to you and appear in your cases.")


@caseworkers
def reopen(request: HttpRequest, reference: str) -> HttpResponse:
    def run(case: Case, user: User, d: dict[str, Any]) -> object:
        return svc.case_reopen(case=case, by=user, reason=d["reason"], version=d["version"])

    return _action(
        request,
        reference,
        ReopenForm,
        title="Reopen the case",
        button="Reopen case",
        run=run,
        done="Case reopened",
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
            "merges": list(child_sel.merges_of(child)) if getattr(child, "has_merges", True) else [],
            "case": latest_case,
            "open_status": CaseStatus.OPEN,
            "back_url": reverse("cases:detail", args=[latest_case.reference])
            if latest_case
            else "",
        },
    )
