"""Triage: the queue of new referrals and the three decisions on each one."""

from __future__ import annotations

from datetime import date
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
from casework.restricted import restricted_gate
from casework.selectors import RISK_HIGH, officer_loads, triage_queue
from casework.services.triage import (
    ERROR_NOT_NEW,
    TriageError,
    referral_accept,
    referral_mark_duplicate,
    referral_reject_not_cme,
)
from cme.access import acting_user, caseworkers
from cme.audit import log_access
from cme.formats import govuk_datetime
from cme.models import AccessAction, User
from cme.statutory import compulsory_school_age_note
from referrals.models import NotCmeReason, Reason, Referral, ReferralStatus

PAGE_SIZE = 50
#: ?sort= values: the queue's own order (risk) or by date received.
SORTS = {
    "risk": None,
    "oldest": ("received_at", "pk"),
    "newest": ("-received_at", "-pk"),
}
FLAGS = (
    ("child_protection_plan", "Child protection plan"),
    ("looked_after", "Looked after"),
    ("child_in_need", "Child in need"),
    ("ehcp_sen", "EHCP or SEN"),
    ("gypsy_roma_traveller", "Gypsy, Roma or Traveller"),
    ("young_carer", "Young carer"),
    ("new_arrival_eal", "New arrival or EAL"),
    ("youth_justice", "Youth justice"),
)
_REASON_LABELS = dict(Reason.choices)


def age_on(dob: date | None, today: date) -> int | None:
    if dob is None:
        return None
    return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))


def reason_labels(referral: Referral) -> list[str]:
    return [_REASON_LABELS.get(code, code) for code in referral.reasons or []]


def flag_labels(obj: object) -> list[str]:
    return [label for name, label in FLAGS if getattr(obj, name, False)]


def source_of(referral: Referral) -> str:
    if referral.trigger:
        return f"School return: {referral.get_trigger_display()}"
    who = referral.get_referrer_type_display()
    org = (
        referral.referring_school.name
        if referral.referring_school
        else referral.referrer_organisation
    )
    return f"{who} ({org})" if org and not referral.anonymous else who


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


def referral_summary(referral: Referral) -> list[tuple[str, list[tuple[str, str, str]]]]:
    def d(value: date | None) -> str:
        return f"{value:%-d %B %Y}" if value else "Not given"

    def txt(value: str) -> str:
        return value or "Not given"

    address = ", ".join(
        p
        for p in (
            referral.address_line_1,
            referral.address_line_2,
            referral.town,
            referral.postcode,
        )
        if p
    )
    if referral.anonymous:
        referrer_rows = [("anonymous", "Referrer", "Anonymous")]
    else:
        referrer_rows = [
            ("referrer_type", "Type", referral.get_referrer_type_display()),
            ("referrer_name", "Name", txt(referral.referrer_name)),
            ("referrer_organisation", "Organisation", txt(referral.referrer_organisation)),
            (
                "referrer_relationship",
                "Relationship to the child",
                txt(referral.referrer_relationship),
            ),
            ("referrer_email", "Email", txt(referral.referrer_email)),
            ("referrer_phone", "Phone", txt(referral.referrer_phone)),
            (
                "referring_school",
                "School",
                referral.referring_school.name if referral.referring_school else "Not given",
            ),
        ]
    people = [
        (
            f"person_{p.pk}",
            p.get_kind_display(),
            "\n".join(
                x
                for x in (
                    p.name,
                    p.relationship,
                    p.phone,
                    p.email,
                    f"Born {p.date_of_birth:%-d %B %Y}" if p.date_of_birth else "",
                    p.school_name,
                )
                if x
            ),
        )
        for p in referral.people.all()
    ]
    return [
        (
            "Referral",
            [
                ("reference", "Reference", referral.reference),
                ("received_at", "Received", govuk_datetime(referral.received_at)),
                ("channel", "How", referral.get_channel_display()),
                *(
                    [
                        ("date_received", "Date received", d(referral.date_received)),
                        ("received_via", "Received by", referral.get_received_via_display()),
                    ]
                    if referral.date_received
                    else []
                ),
                ("source", "Source", source_of(referral)),
                ("status", "Status", referral.get_status_display()),
            ],
        ),
        ("Referrer", referrer_rows),
        (
            "Child",
            [
                ("first_name", "First name", txt(referral.first_name)),
                ("last_name", "Last name", txt(referral.last_name)),
                ("other_names", "Other names or spellings", txt(referral.other_names)),
                ("date_of_birth", "Date of birth", d(referral.date_of_birth)),
                *(
                    [("compulsory_school_age", "Compulsory school age", csa_note)]
                    if (
                        csa_note := compulsory_school_age_note(
                            referral.date_of_birth, timezone.localdate()
                        )
                    )
                    else []
                ),
                ("gender", "Gender", referral.get_gender_display() or "Not given"),
                ("upn", "UPN", txt(referral.upn)),
                ("nhs_number", "NHS number", txt(referral.nhs_number)),
                ("address", "Address", address or "Not given"),
                ("previous_address", "Previous address", txt(referral.previous_address)),
                (
                    "last_school",
                    "Last school",
                    referral.last_school.name
                    if referral.last_school
                    else txt(referral.last_school_name),
                ),
                ("date_last_attended", "Last attended", d(referral.date_last_attended)),
            ],
        ),
        (
            "Why",
            [
                ("reasons", "Reasons", "\n".join(reason_labels(referral)) or "Not given"),
                ("flags", "Vulnerability", "\n".join(flag_labels(referral)) or "None given"),
                ("enquiries_made", "Enquiries the referrer has made", txt(referral.enquiries_made)),
                (
                    "parent_knows",
                    "Parent knows of the referral",
                    referral.get_parent_knows_display() or "Not given",
                ),
                ("details", "Details", txt(referral.details)),
            ],
        ),
        *([("Parents, carers and siblings", people)] if people else []),
    ]


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
