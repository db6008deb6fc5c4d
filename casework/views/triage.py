"""Triage: the queue of new referrals and the three decisions on each one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from casework.forms_triage import AcceptForm, DuplicateForm, NotCmeForm
from casework.matching import Match, possible_matches
from casework.models import Case, Category
from casework.presenters import reason_labels, referral_summary, source_of
from casework.restricted import restricted_gate
from casework.selectors.address import children_at_address
from casework.selectors.triage import RISK_HIGH, triage_queue
from casework.selectors.workload import officer_loads
from casework.services.triage import (
    ERROR_NOT_NEW,
    TriageError,
    referral_accept,
    referral_mark_duplicate,
    referral_reject_not_cme,
)
from cme.access import acting_user, caseworkers
from cme.audit import log_access
from cme.models import AccessAction, User
from cme.statutory import age_on, compulsory_school_age_note
from referrals.models import NotCmeReason, Referral, ReferralStatus
from referrals.vocabulary import flag_labels

PAGE_SIZE = 50
#: ?sort= values: the queue's own order (risk) or by date received.
SORTS = {
    "risk": None,
    "oldest": ("received_at", "pk"),
    "newest": ("-received_at", "-pk"),
}


@caseworkers
@require_GET
def triage_list(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", "risk")
    if sort not in SORTS:
        sort = "risk"
    queue = triage_queue()
    order = SORTS[sort]
    if order is not None:
        queue = queue.order_by(*order)
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [
        {
            "referral": r,
            "age": age_on(r.date_of_birth, today),
            "reasons": reason_labels(r),
            "flags": flag_labels(r)
            + [n for n in [compulsory_school_age_note(r.date_of_birth, today)] if n],
            "high_risk": getattr(r, "risk", None) == RISK_HIGH,
            "source": source_of(r),
        }
        for r in page.object_list
    ]
    return render(request, "casework/triage_list.html", {"page": page, "rows": rows, "sort": sort})


def _get_referral(reference: str) -> Referral:
    return get_object_or_404(
        Referral.objects.select_related(
            "referring_school", "last_school", "decided_by"
        ).prefetch_related("people"),
        reference=reference,
    )


def _forms(
    request: HttpRequest, matches: list[Match], kind: type[Form] | None = None
) -> dict[str, Form]:
    """The three decision forms; the one of type ``kind`` bound to the POST."""
    user = acting_user(request)
    officers = list(officer_loads()) if user.is_manager else None
    open_cases = [c for m in matches for c in m.open_cases]

    def data(form_kind: type[Form]) -> Any:
        return request.POST if form_kind is kind else None

    return {
        "accept_form": AcceptForm(data(AcceptForm), matches=matches, officers=officers),
        "not_cme_form": NotCmeForm(data(NotCmeForm)),
        "duplicate_form": DuplicateForm(data(DuplicateForm), cases=open_cases),
    }


def _render_detail(
    request: HttpRequest,
    referral: Referral,
    matches: list[Match],
    forms: dict[str, Form] | None = None,
    bound: Form | None = None,
) -> HttpResponse:
    is_new = referral.status == ReferralStatus.NEW
    context: dict[str, Any] = {
        "referral": referral,
        "csa_note": compulsory_school_age_note(referral.date_of_birth, timezone.localdate()),
        "sections": referral_summary(referral),
        "matches": matches,
        "is_new": is_new,
        "high_risk": referral.is_high_risk,
        "form": bound,  # the error summary and the "Error:" title read `form`
    }
    if is_new:
        context.update(forms or _forms(request, matches))
        context["at_address"] = children_at_address(acting_user(request), referral)
    return render(request, "casework/triage_detail.html", context)


@caseworkers
@require_GET
def referral_detail(request: HttpRequest, reference: str) -> HttpResponse:
    referral = _get_referral(reference)
    # A referral already on a case is part of that child's record: a restricted child's
    # referral (which holds the address) opens only with a reason, like the case page.
    # So is a further referral recorded as a duplicate of an open case.
    child = (
        Case.objects.filter(Q(referral=referral) | Q(further_referrals=referral))
        .values("child_id", "child__restricted")
        .first()
    )
    child_id = child["child_id"] if child else None
    if child is not None:
        gate = restricted_gate(request, child["child_id"], child["child__restricted"])
        if gate is not None:
            return gate
    log_access(request, AccessAction.VIEW_REFERRAL, child_id=child_id, obj=referral)
    matches = possible_matches(referral) if referral.status == ReferralStatus.NEW else []
    return _render_detail(request, referral, matches)


def _decide(request: HttpRequest, reference: str, kind: type[Form]) -> HttpResponse:
    """Validate the posted decision and call its service; errors re-render the page."""
    user = acting_user(request)
    referral = _get_referral(reference)
    if referral.status != ReferralStatus.NEW:
        messages.error(request, ERROR_NOT_NEW)
        return redirect("triage:detail", reference=referral.reference)
    matches = possible_matches(referral)
    forms = _forms(request, matches, kind)
    form = next(f for f in forms.values() if type(f) is kind)
    if form.is_valid():
        try:
            success = _call_service(form, referral, user)
        except TriageError as exc:
            if isinstance(form, AcceptForm):
                form.add_service_error(str(exc))
            else:
                form.add_error(None, str(exc))
        else:
            messages.success(request, success)
            return redirect("triage:list")
    # The referral is shown again, with the errors: a view like any other.
    log_access(request, AccessAction.VIEW_REFERRAL, obj=referral)
    return _render_detail(request, referral, matches, forms=forms, bound=form)


def _call_service(form: Form, referral: Referral, user: User) -> str:
    if isinstance(form, AcceptForm):
        case: Case = referral_accept(
            referral=referral,
            by=user,
            child=form.chosen_child(),
            category=Category(form.cleaned_data["category"]),
            officer=form.chosen_officer(),
            twin_or_sibling_reason=form.twin_or_sibling_reason(),
            primary_reason=form.cleaned_data["primary_reason"],
        )
        return f"Referral {referral.reference} accepted: case {case.reference} opened"
    if isinstance(form, DuplicateForm):
        case = form.chosen_case()
        referral_mark_duplicate(referral=referral, by=user, case=case)
        return f"Referral {referral.reference} added to case {case.reference} as a duplicate"
    assert isinstance(form, NotCmeForm)  # noqa: S101 - the three forms are the only kinds
    referral_reject_not_cme(
        referral=referral,
        by=user,
        reason=NotCmeReason(form.cleaned_data["reason"]),
        notes=form.cleaned_data["notes"],
    )
    return f"Referral {referral.reference} closed as not CME"


@caseworkers
@require_POST
def referral_accept_view(request: HttpRequest, reference: str) -> HttpResponse:
    return _decide(request, reference, AcceptForm)


@caseworkers
@require_POST
def referral_not_cme_view(request: HttpRequest, reference: str) -> HttpResponse:
    return _decide(request, reference, NotCmeForm)


@caseworkers
@require_POST
def referral_duplicate_view(request: HttpRequest, reference: str) -> HttpResponse:
    return _decide(request, reference, DuplicateForm)
