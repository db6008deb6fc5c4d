"""Issue 12, A8: a child below compulsory school age (Education Act 1996 s8(2)) is shown as
such in triage and on the register, and is not counted as CME before it begins."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from casework.models import Case, Category
from casework.services import cases as svc
from casework.services.triage import TriageError, referral_accept
from casework.workload import below_compulsory_school_age_q, not_of_compulsory_school_age_q
from cme.models import User
from cme.statutory import (
    compulsory_school_age,
    compulsory_school_age_note,
    latest_dob_of_compulsory_school_age,
)
from reports.figures import Period, case_totals
from tests.factories import CaseFactory, ReferralFactory

NOW = "2026-12-02 10:00:00+00:00"
TODAY = date(2026, 12, 2)
BORN = date(2021, 10, 23)  # compulsory school age from 31 December 2026
NOTE = "Not of compulsory school age until 31 December 2026"


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_note_names_the_day_compulsory_school_age_begins_or_ended() -> None:
    assert compulsory_school_age(BORN)[0] == date(2026, 12, 31)
    assert compulsory_school_age_note(BORN, TODAY) == NOTE
    assert compulsory_school_age_note(BORN, date(2026, 12, 31)) == ""
    assert compulsory_school_age_note(date(2014, 2, 3), TODAY) == ""
    assert compulsory_school_age_note(None, TODAY) == ""
    assert compulsory_school_age_note(date(2009, 9, 23), TODAY) == (
        "Not of compulsory school age: it ended on 26 June 2026"
    )


def test_the_latest_dob_of_compulsory_school_age_agrees_with_the_rule_every_day() -> None:
    day = date(2023, 1, 1)
    for i in range(4 * 366):
        on = day + timedelta(days=i)
        latest = latest_dob_of_compulsory_school_age(on)
        assert compulsory_school_age(latest)[0] <= on
        assert compulsory_school_age(latest + timedelta(days=1))[0] > on


def test_a_child_below_compulsory_school_age_cannot_be_accepted_as_cme(officer: User) -> None:
    referral = ReferralFactory.create(date_of_birth=BORN)
    with pytest.raises(TriageError, match="not of compulsory school age until 31 December 2026"):
        referral_accept(referral=referral, by=officer, category=Category.WASP)
    assert not Case.objects.exists()
    with time_machine.travel("2026-12-31 09:00:00+00:00", tick=False):
        case = referral_accept(referral=referral, by=officer, category=Category.WASP)
    assert case.category == Category.WASP


def test_the_triage_pages_say_when_compulsory_school_age_begins(officer_client: Client) -> None:
    referral = ReferralFactory.create(date_of_birth=BORN)
    listing = officer_client.get(reverse("triage:list")).content.decode()
    assert NOTE in listing
    detail = officer_client.get(reverse("triage:detail", args=[referral.reference]))
    assert NOTE in detail.content.decode()


def test_accepting_through_the_page_shows_the_error(officer_client: Client) -> None:
    referral = ReferralFactory.create(date_of_birth=BORN)
    response = officer_client.post(
        reverse("triage:accept", args=[referral.reference]),
        {"accept-child": "new", "accept-category": Category.WASP, "accept-primary_reason": "other"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "not of compulsory school age until 31 December 2026, so" in html
    assert not Case.objects.exists()


def test_the_register_flags_the_child_and_does_not_count_her_as_cme(officer_client: Client) -> None:
    young = CaseFactory.create(child__date_of_birth=BORN)
    CaseFactory.create(child__date_of_birth=date(2014, 2, 3))
    html = officer_client.get(reverse("cases:register")).content.decode()
    assert NOTE in html
    assert "1 of them is not of compulsory school age today" in html
    assert list(Case.objects.filter(below_compulsory_school_age_q(TODAY))) == [young]
    assert list(Case.objects.filter(not_of_compulsory_school_age_q(TODAY))) == [young]


def test_the_category_cannot_be_changed_before_compulsory_school_age(officer: User) -> None:
    case = CaseFactory.create(child__date_of_birth=BORN)
    with pytest.raises(svc.CaseError, match="31 December 2026"):
        svc.case_category_change(case=case, by=officer, category=Category.MISSING, reason="r")


def test_the_board_figures_do_not_count_her_as_open_cme_before_the_day(db: None) -> None:
    CaseFactory.create(child__date_of_birth=BORN, received_on=date(2026, 11, 2))
    CaseFactory.create(child__date_of_birth=date(2014, 2, 3), received_on=date(2026, 11, 2))
    november = Period(date(2026, 11, 1), date(2026, 11, 30))
    earlier = Period(date(2025, 11, 1), date(2025, 11, 30))
    assert case_totals(november, earlier)["open_end"] == 1
    january = Period(date(2027, 1, 1), date(2027, 1, 31))
    assert case_totals(january, earlier)["open_end"] == 2
