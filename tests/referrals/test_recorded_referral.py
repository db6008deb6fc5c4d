"""An officer recording a referral (a phone call): the date received, which starts the
enquiry clock and cannot be in the future, the channel, and who referred (issue 12, A15)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from casework.models import Category
from casework.services.triage import referral_accept
from cme.models import User
from cme.statutory import enquiry_due_date
from referrals.forms import ERROR_DATE_RECEIVED_FUTURE, ERROR_RECEIVED_VIA
from referrals.models import Channel, ReceivedVia, Referral, ReferrerType
from tests.referrals.helpers import referral_post

pytestmark = pytest.mark.usefixtures("frozen")

NEW = reverse("referrals:new")
CHECK = reverse("referrals:new_check")


def phone_referral(**overrides: Any) -> dict[str, Any]:
    answers = {
        "referrer_type": "public",
        "referrer_name": "Pat Neighbour",
        "referrer_organisation": "",
        "referrer_relationship": "Neighbour",
        "referrer_email": "",
        "referrer_phone": "01632 960999",
        "received_via": "phone",
        "date_received": date(2026, 11, 16),
    }
    return referral_post(**{**answers, **overrides})


def test_an_officer_records_a_phone_referral_with_who_referred(
    officer_client: Client, officer: User
) -> None:
    page = officer_client.get(NEW).content.decode()
    assert "Date the referral was received" in page
    assert "Phone call" in page
    assert 'value="Olive Officer"' not in page

    response = officer_client.post(NEW, phone_referral())
    assert response.status_code == 302, response.context["form"].errors
    check = officer_client.get(CHECK).content.decode()
    assert "How the referral was received" in check
    assert "16 November 2026" in check
    assert "Pat Neighbour" in check
    assert officer_client.post(CHECK).status_code == 302

    referral = Referral.objects.get()
    assert referral.channel == Channel.SIGNED_IN
    assert referral.received_via == ReceivedVia.PHONE
    assert referral.date_received == date(2026, 11, 16)
    assert referral.referrer_type == ReferrerType.PUBLIC
    assert referral.referrer_name == "Pat Neighbour"
    assert referral.referrer_phone == "01632 960999"
    assert referral.referrer_user is None
    assert referral.created_by == officer


def test_the_date_received_starts_the_enquiry_clock(
    officer_client: Client, officer: User, manager: User
) -> None:
    officer_client.post(NEW, phone_referral())
    officer_client.post(CHECK)
    case = referral_accept(referral=Referral.objects.get(), by=officer, category=Category.WASP)
    assert case.received_on == date(2026, 11, 16)
    assert case.due_date == enquiry_due_date(date(2026, 11, 16)) == date(2026, 11, 30)


def test_the_date_received_cannot_be_in_the_future_and_the_answers_are_kept(
    officer_client: Client,
) -> None:
    response = officer_client.post(NEW, phone_referral(date_received=date(2026, 11, 24)))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["date_received"] == [ERROR_DATE_RECEIVED_FUTURE]
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert ERROR_DATE_RECEIVED_FUTURE in html
    assert 'value="Pat Neighbour"' in html


def test_the_date_received_and_the_channel_are_required(officer_client: Client) -> None:
    data = phone_referral()
    for key in ("received_via", "date_received_0", "date_received_1", "date_received_2"):
        data.pop(key)
    form = officer_client.post(NEW, data).context["form"]
    assert form.errors["received_via"] == [ERROR_RECEIVED_VIA]
    assert "date_received" in form.errors


def test_who_referred_needs_a_name(officer_client: Client) -> None:
    form = officer_client.post(NEW, phone_referral(referrer_name="")).context["form"]
    assert "referrer_name" in form.errors


def test_school_staff_still_refer_as_themselves(client_a: Client) -> None:
    form = client_a.get(NEW).context["form"]
    assert "date_received" not in form.fields
    assert form.initial["referrer_name"] == "Alice Alder"


def test_triage_shows_when_and_how_it_was_received(officer_client: Client) -> None:
    officer_client.post(NEW, phone_referral())
    officer_client.post(CHECK)
    referral = Referral.objects.get()
    html = officer_client.get(reverse("triage:detail", args=[referral.reference])).content
    assert "Date received" in html.decode()
    assert "Phone call" in html.decode()
