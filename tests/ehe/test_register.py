"""The EHE register (issue 17 item 1): how a child comes onto it, the contacts log, the LA's
view of suitability, the EHE officer's home, access and the audit trail."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from casework.models import Child, Event, EventKind
from casework.services.triage import referral_reject_not_cme
from cme.models import AccessAction, AccessLog, User
from ehe import rules
from ehe.models import ContactKind, HomeEducation, Source, Suitability
from ehe.services.register import EheError, contact_record, notice_route_start
from ehe.signals import home_education_registered, notice_route_requested
from referrals.models import NotCmeReason, ReferralPerson, ReferralStatus
from schools.models import DeletionGround, DestinationType, LeaverReturn, School
from tests.conftest import NOW, TODAY, client_for
from tests.ehe.helpers import not_suitable, on_register
from tests.factories import ReferralFactory
from tests.schools.helpers import leaver_submitted

pytestmark = pytest.mark.django_db


def send_leaver(school: School, by: User, **fields: Any) -> LeaverReturn:
    """Maya's leaver return on ground (f), home education, unless `fields` say otherwise."""
    home_educated: dict[str, Any] = {
        "ground": DeletionGround.F,
        "parent_notice_date": TODAY - timedelta(days=3),
        "destination_type": DestinationType.NONE,
        "destination_school_name": "",
        "destination_la": "",
    }
    return leaver_submitted(school, by, **{**home_educated, **fields})


@time_machine.travel(NOW, tick=False)
def test_a_ground_f_leaver_return_puts_the_child_on_the_register(
    school_a: School, staff_a: User
) -> None:
    heard: list[dict[str, Any]] = []

    def listener(sender: Any, **kwargs: Any) -> None:
        heard.append(kwargs)

    home_education_registered.connect(listener)
    try:
        leaver = send_leaver(school_a, staff_a)
    finally:
        home_education_registered.disconnect(listener)
    entry = HomeEducation.objects.get()
    assert entry.source == Source.LEAVER_RETURN
    assert entry.source_return_id == leaver.pk
    assert entry.started_on == leaver.deletion_date
    assert entry.child.first_name == "Maya"
    assert entry.child.last_school == school_a
    assert entry.address == "12 Oak Road, Exampleton, EX1 2AB"
    parent = entry.parents.get()
    assert (parent.first_name, parent.last_name, parent.phone) == ("Priya", "Patel", "07700 900456")
    # The first contact is due 10 working days after the child came onto the register.
    assert entry.next_contact_due == rules.first_contact_due(TODAY) == date(2026, 12, 7)
    assert heard == [
        {
            "signal": home_education_registered,
            "child_id": entry.child_id,
            "started_on": leaver.deletion_date,
            "by": None,
        }
    ]
    assert Event.objects.filter(child=entry.child, kind=EventKind.EHE).exists()


@time_machine.travel(NOW, tick=False)
def test_other_grounds_do_not_and_the_same_child_is_not_added_twice(
    school_a: School, staff_a: User
) -> None:
    out_of_area = {
        "destination_type": DestinationType.OUT_OF_AREA,
        "destination_school_name": "Faraway",
        "destination_la": "Elsewhere",
    }
    send_leaver(school_a, staff_a, ground=DeletionGround.A, **out_of_area)
    assert not HomeEducation.objects.exists()
    send_leaver(school_a, staff_a, upn="")
    send_leaver(school_a, staff_a)
    assert HomeEducation.objects.count() == 1
    assert Child.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_a_referral_triaged_as_home_educated_puts_the_child_on_the_register(
    officer: User,
) -> None:
    referral = ReferralFactory.create(first_name="Tom", last_name="Lee", status=ReferralStatus.NEW)
    ReferralPerson.objects.create(referral=referral, kind="parent", name="Ann Lee", phone="0123")
    referral_reject_not_cme(referral=referral, by=officer, reason=NotCmeReason.HOME_EDUCATED)
    entry = HomeEducation.objects.get()
    assert entry.source == Source.REFERRAL
    assert entry.source_referral == referral
    assert entry.child.full_name == "Tom Lee"
    assert entry.parents.get().last_name == "Lee"


@time_machine.travel(NOW, tick=False)
def test_not_cme_for_another_reason_adds_nobody(officer: User) -> None:
    referral = ReferralFactory.create(status=ReferralStatus.NEW)
    referral_reject_not_cme(referral=referral, by=officer, reason=NotCmeReason.EHE_SUITABLE)
    assert not HomeEducation.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_contact_sets_the_next_contact_a_year_on_or_as_given(ehe_officer: User) -> None:
    entry = on_register(ehe_officer)
    contact_record(entry=entry, kind=ContactKind.HOME_VISIT, made_on=TODAY, by=ehe_officer)
    entry.refresh_from_db()
    assert entry.next_contact_due == date(2027, 11, 23)
    contact_record(
        entry=entry,
        kind=ContactKind.PHONE,
        made_on=TODAY,
        by=ehe_officer,
        next_contact_on=date(2027, 1, 5),
    )
    entry.refresh_from_db()
    assert entry.next_contact_due == date(2027, 1, 5)
    with pytest.raises(EheError):
        contact_record(
            entry=entry, kind=ContactKind.PHONE, made_on=TODAY + timedelta(days=1), by=ehe_officer
        )
    assert entry.history.count() >= 3  # simple_history keeps every change


def test_next_contact_due_is_365_calendar_days_on() -> None:
    assert rules.next_contact_due(date(2027, 2, 28)) == date(2028, 2, 28)
    assert rules.next_contact_due(date(2028, 2, 29)) == date(2029, 2, 28)


def test_first_contact_is_10_working_days_on_over_christmas() -> None:
    assert rules.first_contact_due(date(2026, 12, 18)) == date(2027, 1, 6)


@time_machine.travel(NOW, tick=False)
def test_the_las_view_of_suitability_is_dated_and_needs_reasons(ehe_officer: User) -> None:
    entry = on_register(ehe_officer)
    with pytest.raises(EheError):
        not_suitable(entry, ehe_officer, TODAY, " ")
    not_suitable(entry, ehe_officer, TODAY, "No evidence of any education")
    entry.refresh_from_db()
    assert (entry.suitability, entry.suitability_on) == (Suitability.NOT_SUITABLE, TODAY)
    assert entry.views.get().reasons == "No evidence of any education"


@time_machine.travel(NOW, tick=False)
def test_notice_route_requested_marks_the_child_for_the_route(ehe_officer: User) -> None:
    entry = on_register(ehe_officer)
    notice_route_requested.send(
        sender=None, child_id=entry.child_id, reason="Refused the first home visit", by=None
    )
    entry.refresh_from_db()
    assert entry.notice_route_reason == "Refused the first home visit"
    # A child not yet on the register is added.
    other = on_register(ehe_officer, first_name="Zed", date_of_birth=date(2015, 1, 1))
    other.status = "ended"
    other.ended_on = TODAY
    other.save()
    again = notice_route_start(child_id=other.child_id, reason="No information", by=None)
    assert again.pk != other.pk
    assert again.source == Source.CNIS


# ------------------------------------------------------------------------------ the pages


@time_machine.travel(NOW, tick=False)
def test_the_home_lists_children_due_a_contact_in_constant_queries(
    ehe_officer: User, django_assert_max_num_queries: Any
) -> None:
    client = client_for(ehe_officer)
    for i in range(3):
        on_register(ehe_officer, first_name=f"Child{i}", date_of_birth=date(2015, 1, 1 + i))
    far = on_register(ehe_officer, first_name="Later", date_of_birth=date(2014, 1, 1))
    far.next_contact_due = TODAY + timedelta(days=60)
    far.save()
    with django_assert_max_num_queries(12):
        page = client.get(reverse("ehe:home")).content.decode()
    assert "Child0" in page
    assert "Child2" in page
    assert "Later" not in page
    for i in range(3, 8):
        on_register(ehe_officer, first_name=f"Child{i}", date_of_birth=date(2015, 1, 1 + i))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("ehe:home")).status_code == 200
    with django_assert_max_num_queries(12):
        page = client.get(reverse("ehe:register")).content.decode()
    assert "Later" in page


@time_machine.travel(NOW, tick=False)
def test_the_record_is_logged_and_a_restricted_one_needs_a_reason(ehe_officer: User) -> None:
    client = client_for(ehe_officer)
    entry = on_register(ehe_officer, restricted=True)
    url = reverse("ehe:detail", args=[entry.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("ehe:open_restricted", args=[entry.pk]) in response["Location"]
    assert not AccessLog.objects.filter(action=AccessAction.VIEW_EHE).exists()
    opened = client.post(
        reverse("ehe:open_restricted", args=[entry.pk]), {"reason": "Planning a visit", "next": url}
    )
    assert opened["Location"] == url
    page = client.get(url).content.decode()
    assert "12 Oak Road" in page
    log = AccessLog.objects.get(action=AccessAction.VIEW_EHE)
    assert (log.child_id, log.user) == (entry.child_id, ehe_officer)
    # Lists never show the address.
    assert "12 Oak Road" not in client.get(reverse("ehe:register")).content.decode()


@time_machine.travel(NOW, tick=False)
def test_an_officer_adds_a_child_and_bad_input_is_shown_again(ehe_officer: User) -> None:
    client = client_for(ehe_officer)
    bad = client.post(reverse("ehe:add"), {"first_name": "Ava", "postcode": "nope"})
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "govuk-error-summary" in body
    assert 'value="Ava"' in body
    response = client.post(
        reverse("ehe:add"),
        {
            "first_name": "Ava",
            "last_name": "Stone",
            "date_of_birth_0": "4",
            "date_of_birth_1": "5",
            "date_of_birth_2": "2015",
            "address_line_1": "3 Elm Street",
            "town": "Exampleton",
            "postcode": "ex12ab",
            "started_on_0": "1",
            "started_on_1": "10",
            "started_on_2": "2026",
            "parent_last_name": "Stone",
            "parent_first_name": "Jo",
        },
    )
    entry = HomeEducation.objects.get()
    assert response["Location"] == reverse("ehe:detail", args=[entry.pk])
    assert entry.source == Source.OFFICER
    assert entry.postcode == "EX1 2AB"
    assert entry.started_on == date(2026, 10, 1)


def test_cme_officers_and_schools_cannot_see_the_register(
    officer: User, staff_a: User, manager: User
) -> None:
    assert client_for(officer).get(reverse("ehe:home")).status_code == 403
    assert client_for(staff_a).get(reverse("ehe:register")).status_code == 403
    assert client_for(manager).get(reverse("ehe:register")).status_code == 200
    assert Client().get(reverse("ehe:home")).status_code == 302


def test_the_ehe_officer_starts_at_the_ehe_home(ehe_officer: User) -> None:
    assert client_for(ehe_officer).get(reverse("home"))["Location"] == reverse("ehe:home")
