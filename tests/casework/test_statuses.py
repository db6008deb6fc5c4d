"""One definition of each status and count (issue 12, A11): the school's return after a
"not CME" decision, overdue counted the same everywhere, my cases showing every open case,
and a reopened case's new clock."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework.models import Case, CaseStatus, Category, EnquiryResult, EnquiryType, Outcome
from casework.selectors.workload import officer_loads
from casework.services import cases as svc
from casework.services import closing
from casework.services.triage import referral_reject_not_cme
from cme.models import User
from cme.statutory import enquiry_due_date
from referrals.models import Channel, NotCmeReason, ReferrerType, SystemTrigger
from schools.models import ReturnStatus, School, SchoolReturn
from tests.conftest import TODAY
from tests.factories import CaseFactory, LeaverReturnFactory, ReferralFactory

pytestmark = pytest.mark.usefixtures("frozen")


# -- (1) a "not CME" decision reaches the school's and the LA's lists ----------------------


def test_a_leaver_triaged_not_cme_no_longer_shows_referred(
    school_a: School, officer: User, client_a: Client, officer_client: Client
) -> None:
    leaver = LeaverReturnFactory.create(
        school=school_a,
        status=ReturnStatus.REFERRED,
        status_detail="Referred to CME",
        submitted_at=timezone.now() - timedelta(days=1),
    )
    referral = ReferralFactory.create(
        source_return=leaver,
        trigger=SystemTrigger.UNKNOWN_DESTINATION,
        channel=Channel.SYSTEM,
        referrer_type=ReferrerType.SYSTEM,
        referring_school=school_a,
        referrer_email="",
    )
    history_before = SchoolReturn.history.filter(id=leaver.pk).count()
    referral_reject_not_cme(referral=referral, by=officer, reason=NotCmeReason.ON_ROLL_ATTENDING)

    leaver.refresh_from_db()
    assert leaver.status == ReturnStatus.CLOSED
    assert leaver.status_detail == "Not missing education: on roll and attending a school"
    history = SchoolReturn.history.filter(id=leaver.pk)
    assert history.count() == history_before + 1
    assert history.first().history_user == officer
    for html in (
        client_a.get(reverse("schools:return_list")).content.decode(),
        officer_client.get(reverse("schools:la_returns")).content.decode(),
    ):
        assert 'govuk-tag--orange">Referred to CME' not in html
        assert "Closed: Not missing education: on roll and attending a school" in html


# -- (2) one definition of overdue -----------------------------------------------------------


def test_a_completed_investigation_is_overdue_nowhere(
    manager_client: Client, officer: User
) -> None:
    past = {"received_on": TODAY - timedelta(days=20), "due_date": TODAY - timedelta(days=1)}
    overdue = [CaseFactory.create(allocated_to=officer, **past) for _ in range(2)]
    done = CaseFactory.create(
        allocated_to=officer, investigation_completed_at=timezone.now(), **past
    )

    load: Any = next(o for o in officer_loads() if o.pk == officer.pk)  # annotated counts
    team = next(
        o
        for o in manager_client.get(reverse("cases:team")).context["officers"]
        if o.pk == officer.pk
    )
    register = manager_client.get(
        reverse("cases:register"), {"officer": str(officer.pk), "overdue": "on"}
    )
    assert load.overdue == team.overdue_count == 2
    assert load.open_cases == team.open_count == 3
    assert set(register.context["page"].object_list) == set(overdue)
    assert done not in register.context["page"].object_list


def test_the_allocation_list_says_what_the_team_page_says(
    manager_client: Client, officer: User
) -> None:
    CaseFactory.create(allocated_to=officer, due_date=TODAY + timedelta(days=2))
    CaseFactory.create(
        allocated_to=officer,
        due_date=TODAY + timedelta(days=2),
        investigation_completed_at=timezone.now(),
    )
    load: Any = next(o for o in officer_loads() if o.pk == officer.pk)  # annotated counts
    team = next(
        o
        for o in manager_client.get(reverse("cases:team")).context["officers"]
        if o.pk == officer.pk
    )
    assert load.due_this_week == team.due_this_week == 1


# -- (3) my cases shows every open case -------------------------------------------------------


def test_my_cases_includes_untraceable_and_investigation_complete_cases(
    officer_client: Client, officer: User
) -> None:
    complete = CaseFactory.create(allocated_to=officer, investigation_completed_at=timezone.now())
    untraceable = CaseFactory.create(
        allocated_to=officer,
        investigation_completed_at=timezone.now(),
        outcome=Outcome.UNTRACEABLE,
        category=Category.MISSING,
        review_date=TODAY + timedelta(days=60),
    )
    later = CaseFactory.create(allocated_to=officer, due_date=TODAY + timedelta(days=20))
    response = officer_client.get(reverse("cases:my_cases"))
    sections = dict(response.context["sections"])
    assert sections["Investigation complete"] == [complete]
    assert sections["Untraceable: under review"] == [untraceable]
    assert sections["Due later"] == [later]
    assert sections["Overdue"] == []
    shown = [case for cases in sections.values() for case in cases]
    assert {complete, untraceable, later} <= set(shown)
    html = response.content.decode()
    assert untraceable.reference in html
    assert complete.reference in html


# -- (4) reopening starts a new clock ---------------------------------------------------------


def test_reopening_gives_a_new_clock_and_clears_investigation_complete(officer: User) -> None:
    case = CaseFactory.create(
        allocated_to=officer,
        received_on=TODAY - timedelta(days=40),
        due_date=TODAY - timedelta(days=26),
        referral__referrer_email="",
    )
    svc.enquiry_record(
        case=case,
        by=officer,
        enquiry_type=EnquiryType.HOME_VISIT,
        made_on=TODAY - timedelta(days=30),
        result=EnquiryResult.FOUND,
    )
    svc.investigation_complete(case=case, by=officer)
    Case.objects.filter(pk=case.pk).update(overdue_flagged_at=timezone.now())
    case.refresh_from_db()
    closing.case_close(case=case, by=officer, outcome=Outcome.MOVED_ABROAD, outcome_country="Spain")

    closing.case_reopen(case=case, by=officer, reason="Seen locally")
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert case.due_date == enquiry_due_date(TODAY) == date(2026, 12, 7)
    assert case.investigation_completed_at is None
    assert case.overdue_flagged_at is None
    assert case.events.filter(summary__contains="due 7 December 2026").exists()
