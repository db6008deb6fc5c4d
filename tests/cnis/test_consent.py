"""s434A consent to home education: a ground (f) leaver return for a pupil at a special
school placed by the LA, or subject to s47 enquiries or action, waits for a manager's
decision (CME_CNIS_ENABLED on); with the setting off nothing changes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries, Settings

from cme.models import Notification, User
from cnis.consent import GRANTED_DETAIL, HELD_DETAIL, REFUSED_DETAIL, consent_grounds
from cnis.forms import ERROR_DECIDED_BEFORE_ASKED
from cnis.models import ConsentRequest, ConsentStatus
from schools.models import LeaverReturn, ReturnStatus, School, SchoolReturn, SchoolType
from schools.signals import return_submitted
from tests.conftest import NOW, TODAY
from tests.factories import ChildFactory, LeaverReturnFactory
from tests.forms import day, errors
from tests.schools.test_leaver_return import CHECK, OUT_OF_AREA, START, leaver_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard() -> Iterator[list[SchoolReturn]]:
    """The returns `schools.signals.return_submitted` was sent for (a real receiver)."""
    got: list[SchoolReturn] = []

    def receiver(sender: type, *, school_return: SchoolReturn, **kwargs: Any) -> None:
        got.append(school_return)

    return_submitted.connect(receiver, dispatch_uid="tests.cnis.heard")
    yield got
    return_submitted.disconnect(dispatch_uid="tests.cnis.heard")


@pytest.fixture
def on(settings: Settings) -> None:
    settings.CME_CNIS_ENABLED = True


@pytest.fixture
def special(school_a: School) -> School:
    school_a.school_type = SchoolType.SPECIAL
    school_a.save()
    return school_a


def home_education(**overrides: Any) -> dict[str, str]:
    return leaver_post(
        ground="f",
        parent_notice_date=date(2026, 11, 18),
        destination_type="",
        **overrides,
    )


def send(client: Client, data: dict[str, str]) -> LeaverReturn:
    response = client.post(START, data)
    assert response.status_code == 302, errors(response)
    client.post(CHECK)
    return LeaverReturn.objects.get()


# ------------------------------------------------------------------------ the form


@time_machine.travel(NOW, tick=False)
def test_the_questions_are_not_asked_with_the_setting_off(client_a: Client) -> None:
    html = client_a.get(START).content.decode()
    assert 'name="la_arranged_place"' not in html
    assert 'name="s47_enquiries"' not in html


@time_machine.travel(NOW, tick=False)
def test_the_questions_are_revealed_under_ground_f_with_the_setting_on(
    on: None, client_a: Client
) -> None:
    html = client_a.get(START).content.decode()
    assert html.count('name="la_arranged_place"') == 2  # yes and no
    assert html.count('name="s47_enquiries"') == 2
    # Inside ground (f)'s conditional reveal, not elsewhere on the page.
    reveal_start = html.index('name="parent_notice_date_0"')
    reveal_end = html.index("</div>", html.index('name="s47_enquiries"'))
    assert reveal_start < html.index('name="la_arranged_place"') < reveal_end


@time_machine.travel(NOW, tick=False)
def test_the_questions_are_required_under_ground_f(on: None, client_a: Client) -> None:
    found = errors(client_a.post(START, home_education()))
    assert "la_arranged_place" in found
    assert "s47_enquiries" in found


@time_machine.travel(NOW, tick=False)
def test_another_ground_neither_asks_nor_keeps_them(on: None, client_a: Client) -> None:
    saved = send(
        client_a,
        leaver_post(ground="b", la_arranged_place="yes", s47_enquiries="yes", **OUT_OF_AREA),
    )
    assert saved.la_arranged_place is None
    assert saved.s47_enquiries is None


# ------------------------------------------------------------------ who is held


@time_machine.travel(NOW, tick=False)
def test_setting_off_a_special_school_pupil_is_deleted_as_before(
    special: School, client_a: Client, heard: list[SchoolReturn]
) -> None:
    saved = send(client_a, home_education())
    assert [r.pk for r in heard] == [saved.pk]
    assert not ConsentRequest.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_an_la_placed_special_school_pupil_waits_for_consent(
    on: None, special: School, client_a: Client, manager: User, heard: list[SchoolReturn]
) -> None:
    saved = send(client_a, home_education(la_arranged_place="yes", s47_enquiries="no"))
    assert heard == []  # no referral rules, no EHE register: held
    consent = ConsentRequest.objects.get()
    assert consent.leaver_id == saved.pk
    assert consent.status == ConsentStatus.PENDING
    assert consent.la_placed_special_school
    assert not consent.s47_by_school
    assert saved.status == ReturnStatus.RECEIVED
    assert saved.status_detail == HELD_DETAIL
    note = Notification.objects.get(user=manager)
    assert saved.reference in note.title
    assert saved.first_name not in note.title


@pytest.mark.parametrize(
    ("school_type", "la_arranged", "s47", "held"),
    [
        (SchoolType.SPECIAL, "yes", "no", True),
        (SchoolType.SPECIAL, "no", "no", False),  # a special school the parent chose
        (SchoolType.MAINTAINED, "yes", "no", False),  # not a special school
        (SchoolType.MAINTAINED, "no", "yes", True),  # s47 anywhere
    ],
)
@time_machine.travel(NOW, tick=False)
def test_each_condition_at_its_edge(
    on: None,
    school_a: School,
    client_a: Client,
    heard: list[SchoolReturn],
    school_type: str,
    la_arranged: str,
    s47: str,
    held: bool,
) -> None:
    school_a.school_type = school_type
    school_a.save()
    send(client_a, home_education(la_arranged_place=la_arranged, s47_enquiries=s47))
    assert ConsentRequest.objects.exists() is held
    assert (heard == []) is held


@time_machine.travel(NOW, tick=False)
def test_the_las_own_child_protection_flag_holds_the_return(
    on: None, school_a: School, client_a: Client, heard: list[SchoolReturn]
) -> None:
    ChildFactory.create(
        first_name="MAYA", last_name="patel", date_of_birth=date(2016, 3, 14),
        child_protection_plan=True,
    )  # fmt: skip
    saved = send(client_a, home_education(la_arranged_place="no", s47_enquiries="no"))
    consent = ConsentRequest.objects.get()
    assert consent.s47_by_la
    assert not consent.s47_by_school
    assert heard == []
    # The school is not told why: the LA's record is not the school's to learn.
    page = client_a.get(reverse("schools:return_detail", args=[saved.reference])).content.decode()
    assert HELD_DETAIL.replace("'", "&#x27;") in page
    assert "child protection" not in page.lower()


def test_the_child_protection_flag_does_not_hold_another_ground(on: None) -> None:
    leaver = LeaverReturnFactory.create(first_name="Ann", last_name="Lee")
    ChildFactory.create(
        first_name="Ann", last_name="Lee", date_of_birth=leaver.date_of_birth,
        child_protection_plan=True,
    )  # fmt: skip
    assert consent_grounds(leaver).s47_by_la  # the flag is found...
    from cnis.consent import consent_hold

    assert consent_hold(leaver) is None  # ...but ground (a) needs no consent


# --------------------------------------------------------------------- the decision


@pytest.fixture
def held(on: None, special: School, client_a: Client) -> LeaverReturn:
    with time_machine.travel(NOW, tick=False):
        return send(client_a, home_education(la_arranged_place="yes", s47_enquiries="no"))


def decide(client: Client, consent: ConsentRequest, **overrides: Any) -> Any:
    data = {
        "decision": "granted",
        "reasons": "The parent's plan is suitable",
        **day("decided_on", TODAY),
    }
    data.update(overrides)
    return client.post(reverse("cnis:consent_detail", args=[consent.pk]), data)


@time_machine.travel(NOW, tick=False)
def test_granted_the_return_goes_on_and_the_school_sees_the_decision(
    held: LeaverReturn, manager_client: Client, client_a: Client, client_b: Client,
    heard: list[SchoolReturn], staff_a: User,
) -> None:  # fmt: skip
    consent = ConsentRequest.objects.get()
    response = decide(manager_client, consent)
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.status == ConsentStatus.GRANTED
    assert consent.decided_on == TODAY
    assert [r.pk for r in heard] == [held.pk]  # now the usual reactions run, once
    url = reverse("schools:return_detail", args=[held.reference])
    page = client_a.get(url).content.decode()
    assert GRANTED_DETAIL.format(on=TODAY) in page
    assert "The parent&#x27;s plan is suitable" in page
    assert client_b.get(url).status_code == 404  # its own school's only
    told = Notification.objects.get(user=staff_a, key=f"cnis-consent-decided-{consent.pk}")
    assert held.reference in told.title
    assert not Notification.objects.filter(key__startswith="cnis-consent-decided").exclude(
        user=staff_a
    )
    # Deciding again changes nothing and sends nothing more.
    decide(manager_client, consent, decision="refused")
    consent.refresh_from_db()
    assert consent.status == ConsentStatus.GRANTED
    assert len(heard) == 1


@time_machine.travel(NOW, tick=False)
def test_refused_the_return_is_closed_and_never_goes_on(
    held: LeaverReturn, manager_client: Client, client_a: Client, heard: list[SchoolReturn]
) -> None:
    consent = ConsentRequest.objects.get()
    decide(manager_client, consent, decision="refused", reasons="Section 47 enquiries open")
    held.refresh_from_db()
    assert held.status == ReturnStatus.CLOSED
    assert held.status_detail == REFUSED_DETAIL.format(on=TODAY)[:200]
    assert heard == []
    page = client_a.get(reverse("schools:return_detail", args=[held.reference])).content.decode()
    assert "refused consent" in page


@time_machine.travel(NOW, tick=False)
def test_a_decision_needs_reasons_and_a_date_not_in_the_future_nor_before_the_request(
    held: LeaverReturn, manager_client: Client
) -> None:
    consent = ConsentRequest.objects.get()
    found = errors(decide(manager_client, consent, reasons="", decision=""))
    assert set(found) >= {"reasons", "decision"}
    found = errors(decide(manager_client, consent, **day("decided_on", TODAY + timedelta(days=1))))
    assert "decided_on" in found
    found = errors(decide(manager_client, consent, **day("decided_on", TODAY - timedelta(days=1))))
    assert found["decided_on"] == [ERROR_DECIDED_BEFORE_ASKED]
    response = decide(manager_client, consent, reasons="")
    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html
    assert re.search(r'value="granted"[^>]*checked', html)  # what was chosen is kept
    consent.refresh_from_db()
    assert consent.status == ConsentStatus.PENDING


def test_consent_pages_are_not_found_with_the_setting_off(manager_client: Client) -> None:
    assert manager_client.get(reverse("cnis:consent_list")).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_the_list_takes_a_constant_number_of_queries(
    on: None, manager_client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    references = []
    for n in range(6):
        leaver = LeaverReturnFactory.create(ground="f", la_arranged_place=True)
        ConsentRequest.objects.create(
            leaver=leaver,
            la_placed_special_school=True,
            status=ConsentStatus.PENDING if n % 2 else ConsentStatus.GRANTED,
            decided_on=None if n % 2 else TODAY,
            reasons="" if n % 2 else "Suitable",
        )
        references.append(leaver.reference)
    with django_assert_max_num_queries(12):
        response = manager_client.get(reverse("cnis:consent_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert all(reference in html for reference in references)
