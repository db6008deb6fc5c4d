"""Making a referral: the public door and the signed-in door (form, check, confirmation),
and a school's own list of the referrals it has made.

Both doors save a draft of the answers in the session (as school returns do), so "Change"
on the check page returns to the form with the answers as typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from cme.access import public, school_staff_only, signed_in
from cme.models import User
from referrals.forms import PublicReferralForm, RecordedReferralForm, ReferralForm
from referrals.models import Channel, ReferrerType
from referrals.selectors import referrals_made_by
from referrals.services import REFERENCE_PREFIX, referral_submit
from schools.services import new_reference
from schools.views.common import acting_user, current_school, load_draft, save_draft

PUBLIC_DRAFT = "referral-draft:public"
SIGNED_IN_DRAFT = "referral-draft:signed-in"
# The reference of the last referral this session sent: the confirmation page shows only that.
SESSION_SENT = "referral-sent"


def public_rate(group: str, request: HttpRequest) -> str:
    """Posts per IP address to the public door (a setting so that tests can lower it)."""
    return str(getattr(settings, "CME_PUBLIC_REFERRAL_RATE", "10/h"))


def limited(view: Any) -> Any:
    """Count the public door's POSTs per IP address; over the limit, `request.limited` is set."""
    return ratelimit(
        group="referrals:public", key="ip", rate=public_rate, method="POST", block=False
    )(view)


@dataclass(frozen=True)
class Door:
    start: str
    check: str
    sent: str
    draft: str
    form_class: type[ReferralForm]
    is_public: bool


PUBLIC = Door(
    "referrals:public_start",
    "referrals:public_check",
    "referrals:public_sent",
    PUBLIC_DRAFT,
    PublicReferralForm,
    True,
)
SIGNED_IN = Door(
    "referrals:new",
    "referrals:new_check",
    "referrals:new_sent",
    SIGNED_IN_DRAFT,
    ReferralForm,
    False,
)

# LA users at the signed-in door record a referral someone else made (issue 12, A15).
SIGNED_IN_LA = Door(
    "referrals:new",
    "referrals:new_check",
    "referrals:new_sent",
    SIGNED_IN_DRAFT,
    RecordedReferralForm,
    False,
)


def _signed_in_door(request: HttpRequest) -> Door:
    return SIGNED_IN_LA if acting_user(request).is_la_user else SIGNED_IN


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "referrals/rate_limited.html", status=429)


def _prefill(request: HttpRequest) -> dict[str, Any]:
    """The signed-in referrer's details, from their account (they may change them)."""
    user = acting_user(request)
    if user.is_la_user:
        # An officer records who referred: their own details are not the referrer's.
        return {}
    initial: dict[str, Any] = {
        "referrer_name": user.full_name,
        "referrer_email": user.email,
        "referrer_phone": user.phone,
        "referrer_relationship": user.job_title,
    }
    if user.is_school_staff:
        school = current_school(request)
        initial["referrer_type"] = ReferrerType.SCHOOL
        initial["referrer_organisation"] = school.name
        initial["last_school"] = school.pk
    else:
        initial["referrer_type"] = ReferrerType.LA_SERVICE
        initial["referrer_organisation"] = settings.CME_LA_NAME
    return initial


def _start(request: HttpRequest, door: Door) -> HttpResponse:
    if request.method == "POST":
        if getattr(request, "limited", False):
            return _too_many(request)
        form = door.form_class(request.POST)
        if form.is_valid():
            save_draft(request, door.draft, request.POST)
            return redirect(door.check)
    else:
        draft = load_draft(request, door.draft)
        if draft is not None:
            form = door.form_class(draft)
        else:
            form = door.form_class(initial=None if door.is_public else _prefill(request))
    return render(request, "referrals/form.html", {"form": form, "door": door})


def _check(request: HttpRequest, door: Door) -> HttpResponse:
    draft = load_draft(request, door.draft)
    if draft is None:
        return redirect(door.start)
    form = door.form_class(draft)
    if not form.is_valid():
        return redirect(door.start)
    if request.method == "POST":
        if getattr(request, "limited", False):
            return _too_many(request)
        if isinstance(form, PublicReferralForm) and form.is_spam():
            # A robot filled in the honeypot: it sees what a person would, and nothing is kept.
            reference = new_reference(REFERENCE_PREFIX)
        else:
            referral = form.referral()
            if door.is_public:
                referral.channel = Channel.PUBLIC
                by: User | None = None
            else:
                by = acting_user(request)
                referral.channel = Channel.SIGNED_IN
                if not isinstance(form, RecordedReferralForm):
                    referral.referrer_user = by  # else by is who recorded it (created_by)
                if by.is_school_staff:
                    referral.referring_school = current_school(request)
            reference = referral_submit(referral=referral, people=form.people(), by=by).reference
        del request.session[door.draft]
        request.session[SESSION_SENT] = reference
        return redirect(door.sent, reference=reference)
    return render(
        request,
        "referrals/check.html",
        {"form": form, "door": door, "change_url": reverse(door.start)},
    )


def _sent(request: HttpRequest, door: Door, reference: str) -> HttpResponse:
    # Only the session that sent it sees the confirmation: a reference alone shows nothing.
    if request.session.get(SESSION_SENT) != reference:
        raise Http404("Not sent from here")
    return render(request, "referrals/submitted.html", {"reference": reference, "door": door})


# -- the public door ----------------------------------------------------------------------
@public
@limited
@require_http_methods(["GET", "POST"])
def public_start(request: HttpRequest) -> HttpResponse:
    return _start(request, PUBLIC)


@public
@limited
@require_http_methods(["GET", "POST"])
def public_check(request: HttpRequest) -> HttpResponse:
    return _check(request, PUBLIC)


@public
def public_sent(request: HttpRequest, reference: str) -> HttpResponse:
    return _sent(request, PUBLIC, reference)


# -- the signed-in door -------------------------------------------------------------------
@signed_in
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    return _start(request, _signed_in_door(request))


@signed_in
@require_http_methods(["GET", "POST"])
def new_check(request: HttpRequest) -> HttpResponse:
    return _check(request, _signed_in_door(request))


@signed_in
def new_sent(request: HttpRequest, reference: str) -> HttpResponse:
    return _sent(request, SIGNED_IN, reference)


@school_staff_only
def mine(request: HttpRequest) -> HttpResponse:
    referrals = referrals_made_by(acting_user(request))
    page = Paginator(referrals, 25).get_page(request.GET.get("page"))
    return render(request, "referrals/mine.html", {"page": page})
