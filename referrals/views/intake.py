"""Making a referral: the public door and the signed-in door (form, check, confirmation),
and a school's own list of the referrals it has made.

Both doors save a draft of the answers in the session (as school returns do), so "Change"
on the check page returns to the form with the answers as typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cme import limits
from cme.access import acting_user, public, school_staff_only, signed_in
from cme.formats import govuk_time
from cme.models import User
from cme.net import client_ip
from cme.references import new_reference
from referrals.forms import PublicReferralForm, RecordedReferralForm, ReferralForm
from referrals.models import Channel, Referral, ReferrerType
from referrals.selectors import referrals_made_by
from referrals.services import REFERENCE_PREFIX, referral_submit
from schools.presenters import (
    current_school,
    forget_token,
    load_draft,
    save_draft,
    submission_token,
)

PUBLIC_DRAFT = "referral-draft:public"
SIGNED_IN_DRAFT = "referral-draft:signed-in"
# The reference of the last referral this session sent: the confirmation page shows only that.
SESSION_SENT = "referral-sent"


#: cme.limits scope: referrals sent through the public door, per client address.
PUBLIC_SENT = "public-referral"


def public_rate() -> tuple[int, timedelta]:
    """CME_PUBLIC_REFERRAL_RATE ("10/h", "20/2h"): how many sends in what window."""
    return limits.rate("CME_PUBLIC_REFERRAL_RATE")


def _public_limit_reached(request: HttpRequest) -> bool:
    count, window = public_rate()
    return limits.hits(PUBLIC_SENT, client_ip(request), window) >= count


def _count_public_send(request: HttpRequest) -> None:
    limits.hit(PUBLIC_SENT, client_ip(request), public_rate()[1])


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


def _too_many(request: HttpRequest, door: Door) -> HttpResponse:
    """Over the public door's limit: nothing is sent, and the answers stay in the session."""
    _, window = public_rate()
    free_at = limits.free_at(PUBLIC_SENT, client_ip(request), window)
    when = ""
    if free_at is not None:
        when = govuk_time(free_at + timedelta(minutes=1))
    context = {"door": door, "check_url": reverse(door.check), "when": when}
    return render(request, "referrals/rate_limited.html", context, status=429)


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


def _already_sent(request: HttpRequest, door: Door, token: Any) -> str | None:
    """The reference of the referral this token already sent through this door, if any."""
    sent = Referral.objects.filter(submission_token=token)
    if door.is_public:
        sent = sent.filter(channel=Channel.PUBLIC)
    else:
        sent = sent.filter(created_by=acting_user(request))
    reference: str | None = sent.values_list("reference", flat=True).first()
    return reference


def _check(request: HttpRequest, door: Door) -> HttpResponse:
    token = submission_token(request, door.draft)
    if request.method == "POST":
        # Sent already (a double click, or a retry after a lost answer): its confirmation.
        reference = _already_sent(request, door, token)
        if reference is not None:
            return _show_sent(request, door, reference)
    draft = load_draft(request, door.draft)
    if draft is None:
        return redirect(door.start)
    form = door.form_class(draft)
    if not form.is_valid():
        return redirect(door.start)
    if request.method == "POST":
        # Only sending counts (not Continue, nor a form shown again with its errors); over
        # the limit the draft is kept, so nothing typed is lost.
        if door.is_public and _public_limit_reached(request):
            return _too_many(request, door)
        reference = _send(request, door, form, token)
        if door.is_public:
            _count_public_send(request)
        return _show_sent(request, door, reference)
    return render(
        request,
        "referrals/check.html",
        {
            "form": form,
            "door": door,
            "change_url": reverse(door.start),
            "submission_token": token,
        },
    )


def _send(request: HttpRequest, door: Door, form: ReferralForm, token: Any) -> str:
    """Send the referral these answers describe, through this door: its reference."""
    if isinstance(form, PublicReferralForm) and form.is_spam():
        # A robot filled in the honeypot: it sees what a person would, and nothing is kept.
        return new_reference(REFERENCE_PREFIX)
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
    return referral_submit(
        referral=referral, people=form.people(), by=by, submission_token=token
    ).reference


def _show_sent(request: HttpRequest, door: Door, reference: str) -> HttpResponse:
    """Forget the draft and its token, and show the confirmation of `reference`."""
    request.session.pop(door.draft, None)
    forget_token(request, door.draft)
    request.session[SESSION_SENT] = reference
    return redirect(door.sent, reference=reference)


def _sent(request: HttpRequest, door: Door, reference: str) -> HttpResponse:
    # Only the session that sent it sees the confirmation: a reference alone shows nothing.
    if request.session.get(SESSION_SENT) != reference:
        raise Http404("Not sent from here")
    return render(request, "referrals/submitted.html", {"reference": reference, "door": door})


# -- the public door ----------------------------------------------------------------------
@public
@require_http_methods(["GET", "POST"])
def public_start(request: HttpRequest) -> HttpResponse:
    return _start(request, PUBLIC)


@public
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
