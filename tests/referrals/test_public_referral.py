"""The public door: anyone, no sign-in, may be anonymous, rate limited, with a honeypot."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from cme.access import PUBLIC
from referrals.forms import NhsNumberField, PublicReferralForm, ReferralForm, nhs_number_valid
from referrals.models import Channel, Referral, ReferralPerson, ReferralStatus, address_lines
from tests.conftest import NOW
from tests.forms import errors, shows
from tests.referrals.helpers import INVALID_NHS, VALID_NHS, public_post, referral_post

START = reverse("referrals:public_start")
CHECK = reverse("referrals:public_check")


@pytest.fixture(autouse=True)
def _clear_rate_limit_counts() -> None:
    cache.clear()


def send(client: Client, data: dict[str, Any]) -> str:
    """Fill in the form, check the answers, send: the confirmation page's URL."""
    response = client.post(START, data)
    assert response.status_code == 302, errors(response)
    assert response["Location"] == CHECK
    sent = client.post(CHECK)
    assert sent.status_code == 302
    return sent["Location"]


def test_the_public_door_needs_no_sign_in(db: None) -> None:
    from django.urls import resolve

    for url in (START, CHECK, reverse("referrals:public_sent", args=["RF-AAAA-BBBB"])):
        # cme.access.public sets allowed_roles on the view function.
        assert resolve(url).func.allowed_roles == PUBLIC  # type: ignore[attr-defined]
    response = Client().get(START)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tell us about a child who may be missing education \u2013 CME casework" in html
    assert "Do you want to stay anonymous?" in html


@time_machine.travel(NOW, tick=False)
def test_a_member_of_the_public_makes_a_referral_and_gets_a_reference(db: None) -> None:
    client = Client()
    response = client.post(START, public_post())
    assert response.status_code == 302, errors(response)
    check = client.get(CHECK)
    html = check.content.decode()
    shows(
        html,
        "Check your answers before sending",
        "Leo",
        "Hana Visitor",
        "943",
        "Stopped attending school",
    )
    assert "Leave this blank" not in html  # the honeypot is not one of the answers

    sent = client.post(CHECK)
    referral = Referral.objects.get()
    assert sent["Location"] == reverse("referrals:public_sent", args=[referral.reference])
    assert referral.reference.startswith("RF-")
    assert referral.channel == Channel.PUBLIC
    assert referral.status == ReferralStatus.NEW
    assert referral.received_at.isoformat() == "2026-11-23T10:00:00+00:00"
    assert referral.referrer_name == "Hana Visitor"
    assert referral.anonymous is False
    assert referral.nhs_number == VALID_NHS
    assert referral.postcode == "EX3 4DD"
    assert referral.reasons == ["stopped_attending", "temporary_accommodation"]
    assert referral.child_in_need is True
    assert referral.looked_after is False
    assert referral.referrer_user is None
    assert referral.created_by is None
    people = {(p.kind, p.name) for p in ReferralPerson.objects.filter(referral=referral)}
    assert people == {("parent", "Jo Fenwick"), ("sibling", "Amy Fenwick")}

    confirmation = client.get(sent["Location"])
    page = confirmation.content.decode()
    assert confirmation.status_code == 200
    assert referral.reference in page
    assert "What happens next" in page
    assert "Leo" not in page
    assert "Fenwick" not in page


@time_machine.travel(NOW, tick=False)
def test_the_confirmation_is_shown_only_to_the_session_that_sent_it(db: None) -> None:
    url = send(Client(), public_post())
    assert Client().get(url).status_code == 404
    assert Client().get(reverse("referrals:public_sent", args=["RF-AAAA-BBBB"])).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_an_anonymous_referral_keeps_no_referrer_details(db: None) -> None:
    client = Client()
    data = public_post(
        anonymous="yes",
        referrer_type="public",
        referrer_name="Nosy Neighbour",
        referrer_email="",
        referrer_phone="07700 900999",
        referrer_relationship="Neighbour",
        referrer_address="2 Next Door\nExampleton\nEX3 4DD",
    )
    send(client, data)
    referral = Referral.objects.get()
    assert referral.anonymous is True
    assert referral.referrer_address == ""
    assert referral.referrer_name == ""
    assert referral.referrer_email == ""
    assert referral.referrer_phone == ""
    assert referral.referrer_organisation == ""
    assert referral.referrer_relationship == "Neighbour"


@time_machine.travel(NOW, tick=False)
def test_an_anonymous_referrer_need_not_give_a_name_or_contact(db: None) -> None:
    data = public_post(anonymous="yes", referrer_name="", referrer_email="", referrer_phone="")
    response = Client().post(START, data)
    assert response.status_code == 302, errors(response)


@time_machine.travel(NOW, tick=False)
def test_a_named_referrer_must_give_a_name_and_a_way_to_contact_them(db: None) -> None:
    data = public_post(referrer_name="", referrer_email="", referrer_phone="")
    found = errors(Client().post(START, data))
    assert found["referrer_name"] == ["Enter your full name"]
    assert found["referrer_email"] == [
        "Enter an email address or a phone number so that we can contact you"
    ]


@time_machine.travel(NOW, tick=False)
def test_the_honeypot_pretends_success_and_saves_nothing(db: None) -> None:
    client = Client()
    url = send(client, public_post(website="http://spam.example"))
    assert Referral.objects.count() == 0
    assert ReferralPerson.objects.count() == 0
    page = client.get(url)
    assert page.status_code == 200
    assert "Referral sent" in page.content.decode()


def test_the_honeypot_is_hidden_from_people(db: None) -> None:
    html = Client().get(START).content.decode()
    assert 'name="website"' in html
    assert 'class="govuk-visually-hidden"' in html
    assert 'tabindex="-1"' in html
    assert "Leave this blank" in html


@time_machine.travel(NOW, tick=False)
@override_settings(CME_PUBLIC_REFERRAL_RATE="3/h")
def test_only_referrals_sent_count_and_over_the_limit_the_answers_are_kept(db: None) -> None:
    client = Client()
    # Continue, and the form shown again with its errors, are not counted.
    for _ in range(5):
        assert client.post(START, public_post(reasons=[])).status_code == 200
        assert client.post(START, public_post()).status_code == 302
    for _ in range(3):
        send(client, public_post())
    assert Referral.objects.count() == 3
    # The fourth send is held back: nothing is sent, the answers stay in the session.
    assert client.post(START, public_post(first_name="Amy")).status_code == 302
    refused = client.post(CHECK)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Your referral has not been sent yet" in page
    assert "We have kept your answers" in page
    assert "after 11:01am" in page
    assert f'href="{CHECK}"' in page
    assert Referral.objects.count() == 3
    kept = client.get(CHECK)
    assert kept.status_code == 200
    assert "Amy" in kept.content.decode()
    # Counted in the database, not the (per-process) cache: clearing it frees nothing.
    cache.clear()
    assert client.post(CHECK).status_code == 429
    # Another address is not held back.
    other = Client(REMOTE_ADDR="192.0.2.99")
    assert other.post(START, public_post()).status_code == 302
    assert other.post(CHECK).status_code == 302
    # An hour after the first, one more may be sent, with the answers as they were typed.
    with time_machine.travel("2026-11-23 11:00:01+00:00", tick=False):
        assert client.post(CHECK).status_code == 302
    assert Referral.objects.filter(first_name="Amy").count() == 1


@time_machine.travel(NOW, tick=False)
@override_settings(CME_PUBLIC_REFERRAL_RATE="1/h", CME_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_the_limit_is_per_client_address_behind_the_trusted_proxy(db: None) -> None:
    def via_proxy(client_address: str) -> Client:
        return Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=client_address)

    send(via_proxy("198.51.100.7"), public_post())
    # Another client behind the same proxy is not held back by the first one's referral.
    send(via_proxy("203.0.113.5, 198.51.100.8"), public_post())
    again = via_proxy("198.51.100.7")
    again.post(START, public_post())
    assert again.post(CHECK).status_code == 429
    # From an address that is not a trusted proxy, the header is not believed.
    spoofer = Client(REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR="198.51.100.99")
    send(spoofer, public_post())
    spoofer.post(START, public_post())
    assert spoofer.post(CHECK).status_code == 429
    assert Referral.objects.count() == 3


@time_machine.travel(NOW, tick=False)
def test_reading_the_form_is_not_rate_limited(db: None) -> None:
    client = Client()
    for _ in range(15):
        assert client.get(START).status_code == 200


# -- validation ---------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_at_least_one_reason_is_needed(db: None) -> None:
    found = errors(Client().post(START, public_post(reasons=[])))
    assert found["reasons"] == ["Select at least one reason for the referral"]


@time_machine.travel(NOW, tick=False)
def test_the_child_must_be_identifiable_somehow(db: None) -> None:
    unknown = public_post(
        first_name="", last_name="", address_line_1="", town="", postcode="", last_school_name=""
    )
    found = errors(Client().post(START, unknown))
    assert found["first_name"] == [
        "Enter the child's name, their address or the last school they went to, "
        "so that we can find them"
    ]


@pytest.mark.parametrize(
    "known",
    [
        {"first_name": "Leo"},
        {"postcode": "EX3 4DD"},
        {"address_line_1": "4 Larch Lane"},
        {"last_school_name": "St Elsewhere Primary"},
    ],
)
@time_machine.travel(NOW, tick=False)
def test_a_name_an_address_or_a_last_school_is_enough(db: None, known: dict[str, str]) -> None:
    blank = {
        "first_name": "",
        "last_name": "",
        "address_line_1": "",
        "town": "",
        "postcode": "",
        "last_school_name": "",
        "date_of_birth": None,
        "nhs_number": "",
    }
    response = Client().post(START, public_post(**{**blank, **known}))
    assert response.status_code == 302, errors(response)


@time_machine.travel(NOW, tick=False)
def test_an_nhs_number_must_pass_its_check_digit(db: None) -> None:
    found = errors(Client().post(START, public_post(nhs_number=INVALID_NHS)))
    assert found["nhs_number"] == ["The NHS number is not valid: check it and enter it again"]
    found = errors(Client().post(START, public_post(nhs_number="12345")))
    assert found["nhs_number"] == ["Enter an NHS number of 10 digits, like 943 476 5919"]


@time_machine.travel(NOW, tick=False)
def test_an_nhs_number_with_a_non_ascii_digit_is_a_field_error_not_a_crash(db: None) -> None:
    # "²".isdigit() is True but int("²") raises: the public form must still answer with
    # the ordinary error, not a server error.
    response = Client().post(START, public_post(nhs_number="943476591\u00b2"))
    assert errors(response)["nhs_number"] == ["Enter an NHS number of 10 digits, like 943 476 5919"]
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Enter an NHS number of 10 digits" in html
    assert not Referral.objects.exists()


def test_the_nhs_number_field_refuses_non_ascii_digits() -> None:
    field = NhsNumberField()
    with pytest.raises(ValidationError) as refused:
        field.clean("943476591\u00b2")
    assert refused.value.code == "invalid"
    # Arabic-Indic and full-width digits are digits to str.isdigit(), not NHS numbers.
    for value in (
        "\u0669\u0664\u0663\u0664\u0667\u0666\u0665\u0669\u0661\u0669",
        "\uff19\uff14\uff13\uff14\uff17\uff16\uff15\uff19\uff11\uff19",
    ):
        with pytest.raises(ValidationError):
            field.clean(value)
    assert not nhs_number_valid("943476591\u00b2")
    assert field.clean("943 476 5919") == VALID_NHS


def test_nhs_number_check_digit_rule() -> None:
    assert nhs_number_valid(VALID_NHS)
    assert not nhs_number_valid(INVALID_NHS)
    assert nhs_number_valid("4010232137")
    # 11 - (sum mod 11) = 11 means a check digit of 0.
    assert nhs_number_valid("0000000000")
    assert not nhs_number_valid("0000000001")
    # A number whose check digit would be 10 is never valid, whatever its last digit.
    assert not any(nhs_number_valid(f"000000006{d}") for d in "0123456789")


@time_machine.travel(NOW, tick=False)
def test_the_nhs_number_may_be_typed_with_spaces(db: None) -> None:
    form = PublicReferralForm(public_post(nhs_number="943 476 5919"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["nhs_number"] == VALID_NHS


@time_machine.travel(NOW, tick=False)
def test_dates_in_the_future_are_refused(db: None) -> None:
    form = ReferralForm(
        referral_post(date_of_birth=date(2027, 1, 1), date_last_attended=date(2026, 12, 1))
    )
    assert not form.is_valid()
    assert form.errors["date_of_birth"] == ["The child's date of birth must be in the past"]
    assert "date_last_attended" in form.errors


@time_machine.travel(NOW, tick=False)
def test_the_date_of_birth_is_optional(db: None) -> None:
    response = Client().post(START, public_post(date_of_birth=None))
    assert response.status_code == 302, errors(response)


@time_machine.travel(NOW, tick=False)
def test_change_from_the_check_page_keeps_the_answers(db: None) -> None:
    client = Client()
    client.post(START, public_post())
    form = client.get(START).content.decode()
    assert 'value="Fenwick"' in form


@time_machine.travel(NOW, tick=False)
def test_two_sends_of_the_same_check_page_record_one_referral(db: None) -> None:
    client = Client()
    client.post(START, public_post())
    token = client.get(CHECK).context["submission_token"]
    first = client.post(CHECK, {"submission_token": str(token)})
    again = client.post(CHECK, {"submission_token": str(token)})  # a double click or a retry
    assert Referral.objects.count() == 1
    assert again.status_code == 302
    assert again["Location"] == first["Location"]
    assert client.get(again["Location"]).status_code == 200


def test_bidi_controls_are_stripped_from_the_childs_and_referrers_names(db: None) -> None:
    send(
        Client(),
        public_post(
            first_name="\u202eoeL",
            last_name="Smi\u2067th\u200e",
            referrer_name="Hana\u202a Visitor",
        ),
    )
    referral = Referral.objects.get()
    assert (referral.first_name, referral.last_name, referral.referrer_name) == (
        "oeL",
        "Smith",
        "Hana Visitor",
    )


@time_machine.travel(NOW, tick=False)
def test_a_referrers_postal_address_is_kept_line_by_line(db: None) -> None:
    address = "1 High Street\r\nExampleton\r\nEX1 1AA"
    send(Client(), public_post(referrer_email="", referrer_address=address))
    referral = Referral.objects.get()
    assert address_lines(referral.referrer_address) == ["1 High Street", "Exampleton", "EX1 1AA"]


@time_machine.travel(NOW, tick=False)
def test_a_postal_address_on_one_line_is_split_at_its_commas(db: None) -> None:
    assert address_lines("1 High Street, Exampleton ,EX1 1AA") == [
        "1 High Street",
        "Exampleton",
        "EX1 1AA",
    ]


@time_machine.travel(NOW, tick=False)
def test_a_postal_address_of_one_line_is_refused_and_kept_as_typed(db: None) -> None:
    response = Client().post(START, public_post(referrer_address="Somewhere"))
    assert errors(response)["referrer_address"] == [
        "Enter the postal address on separate lines: the street, the town and the postcode"
    ]
    assert "Somewhere" in response.content.decode()
