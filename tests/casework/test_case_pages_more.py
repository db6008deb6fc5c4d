"""The case page's Referral and Returns tabs, reallocation by a manager, the return in the
chronology, the school seeing the outcome, and the close form's conditional reveals."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from casework.forms import CloseForm
from casework.models import Case, CaseStatus, Category, Event, EventKind, Outcome
from casework.services import allocation, closing
from casework.services import cases as svc
from casework.services.triage import referral_accept, referral_mark_duplicate
from cme.models import User
from referrals.models import Channel, Referral, ReferralPerson, ReferrerType, SystemTrigger
from schools.models import LeaverReturn, ReturnStatus, School
from tests.conftest import TODAY
from tests.factories import (
    CaseFactory,
    ChildFactory,
    JoinerReturnFactory,
    LeaverReturnFactory,
    ReferralFactory,
    SchoolFactory,
    UserFactory,
)
from tests.support.people import person

pytestmark = pytest.mark.usefixtures("frozen")

DOB = date(2014, 2, 3)
#: The pupil on the leaver return.
MAYA = person("Maya Patel", date_of_birth=DOB, upn="B123456789012")


#: What a referral raised from a return copies of the pupil, in these tests.
PUPIL_FIELDS = ("first_name", "last_name", "date_of_birth", "upn")


def raised_from(leaver: LeaverReturn, **kw: Any) -> Referral:
    """A referral the system raised from a leaver return with an unknown destination."""
    referral: Referral = ReferralFactory.create(
        source_return=leaver,
        trigger=SystemTrigger.UNKNOWN_DESTINATION,
        channel=Channel.SYSTEM,
        referrer_type=ReferrerType.SYSTEM,
        referring_school=leaver.school,
        **{name: getattr(leaver, name) for name in PUPIL_FIELDS},
        referrer_email="",
        **kw,
    )
    return referral


@pytest.fixture
def leaver(school_a: School) -> LeaverReturn:
    leaver: LeaverReturn = LeaverReturnFactory.create(
        school=school_a,
        **MAYA,
        status=ReturnStatus.REFERRED,
        status_detail="Referred to CME",
        submitted_at=timezone.now() - timedelta(days=2),
    )
    return leaver


# -- the return in the chronology ---------------------------------------------------------


def test_accepting_a_referral_raised_from_a_return_puts_the_return_in_the_chronology(
    leaver: LeaverReturn, officer: User
) -> None:
    case = referral_accept(referral=raised_from(leaver), by=officer, category=Category.MISSING)
    event = Event.objects.get(child=case.child, kind=EventKind.RETURN)
    assert event.occurred_at == leaver.submitted_at
    assert leaver.reference in event.summary
    assert "Alder Primary School" in event.summary
    assert event.case == case


def test_a_duplicate_referral_raised_from_a_return_adds_the_return_too(
    leaver: LeaverReturn, officer: User
) -> None:
    case = CaseFactory.create(child=ChildFactory.create(first_name="Maya", last_name="Patel"))
    referral_mark_duplicate(referral=raised_from(leaver), by=officer, case=case)
    event = Event.objects.get(child=case.child, kind=EventKind.RETURN)
    assert event.occurred_at == leaver.submitted_at
    assert leaver.reference in event.summary


def test_a_referral_not_from_a_return_adds_no_return_event(officer: User) -> None:
    case = referral_accept(referral=ReferralFactory.create(), by=officer, category=Category.WASP)
    assert not Event.objects.filter(child=case.child, kind=EventKind.RETURN).exists()


def test_allocating_on_accept_is_in_the_chronology(
    leaver: LeaverReturn, officer: User, manager: User
) -> None:
    case = referral_accept(
        referral=raised_from(leaver), by=manager, category=Category.WASP, officer=officer
    )
    kinds = list(Event.objects.filter(child=case.child).values_list("kind", flat=True))
    assert EventKind.ALLOCATED in kinds
    assert EventKind.RETURN in kinds


# -- the school sees the outcome ----------------------------------------------------------


def test_closing_tells_the_school_and_reopening_puts_it_back(
    leaver: LeaverReturn, officer: User, client_a: Client
) -> None:
    case = referral_accept(referral=raised_from(leaver), by=officer, category=Category.MISSING)
    closing.case_close(
        case=case,
        by=officer,
        outcome=Outcome.ON_ROLL_OTHER_LA,
        outcome_school_name="Faraway Academy",
        outcome_la="Elsewhere City Council",
    )
    leaver.refresh_from_db()
    assert leaver.status == ReturnStatus.CLOSED
    assert leaver.status_detail == "On a roll in another local authority (confirmed)"
    html = client_a.get(reverse("schools:return_list")).content.decode()
    assert "Closed: On a roll in another local authority (confirmed)" in html

    closing.case_reopen(case=case, by=officer, reason="The other LA says no")
    leaver.refresh_from_db()
    assert (leaver.status, leaver.status_detail) == (ReturnStatus.REFERRED, "Referred to CME")


def test_untraceable_does_not_close_the_school_return(leaver: LeaverReturn, officer: User) -> None:
    case = referral_accept(referral=raised_from(leaver), by=officer, category=Category.MISSING)
    case.enquiries.create(
        enquiry_type="home_visit", made_on=TODAY, made_by=officer, result="not_found"
    )
    svc.investigation_complete(case=case, by=officer)
    closing.case_close(
        case=case, by=officer, outcome=Outcome.UNTRACEABLE, review_date=TODAY + timedelta(days=30)
    )
    leaver.refresh_from_db()
    assert leaver.status == ReturnStatus.REFERRED


# -- the Referral and Returns tabs ---------------------------------------------------------


def test_the_referral_tab_shows_the_referral_and_the_people_on_it(
    leaver: LeaverReturn, officer: User, officer_client: Client
) -> None:
    referral = raised_from(leaver, details="Family left suddenly")
    ReferralPerson.objects.create(
        referral=referral, kind="parent", name="Priya Patel", phone="07700 900999"
    )
    case = referral_accept(referral=referral, by=officer, category=Category.MISSING)
    html = officer_client.get(reverse("cases:referral", args=[case.reference])).content.decode()
    assert referral.reference in html
    assert "Family left suddenly" in html
    assert "Priya Patel" in html
    assert "07700 900999" in html
    assert leaver.reference in html
    assert 'aria-current="page">Referral' in html


def test_the_returns_tab_lists_the_source_return_and_returns_matching_the_child(
    leaver: LeaverReturn, officer: User, officer_client: Client, school_b: School
) -> None:
    case = referral_accept(referral=raised_from(leaver), by=officer, category=Category.MISSING)
    by_upn = JoinerReturnFactory.create(
        school=school_b, first_name="M", last_name="P", upn="B123456789012"
    )
    by_name = JoinerReturnFactory.create(
        school=school_b, first_name="maya", last_name="PATEL", date_of_birth=DOB
    )
    other_dob = JoinerReturnFactory.create(
        school=school_b, first_name="Maya", last_name="Patel", date_of_birth=date(2015, 1, 1)
    )
    stranger = JoinerReturnFactory.create(school=school_b)
    html = officer_client.get(reverse("cases:returns", args=[case.reference])).content.decode()
    for r in (leaver, by_upn, by_name):
        assert r.reference in html
    for r in (other_dob, stranger):
        assert r.reference not in html
    assert "This case's referral was raised from it" in html


def test_the_returns_tab_says_when_there_are_none(officer_client: Client) -> None:
    case = CaseFactory.create(child=ChildFactory.create(upn=""))
    html = officer_client.get(reverse("cases:returns", args=[case.reference])).content.decode()
    assert "No school returns found" in html


@pytest.mark.parametrize("n", [1, 8])
def test_the_tabs_run_a_constant_number_of_queries(
    n: int,
    school_a: School,
    officer: User,
    officer_client: Client,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    leaver = LeaverReturnFactory.create(school=school_a, **MAYA)
    referral = raised_from(leaver)
    for i in range(n):
        ReferralPerson.objects.create(referral=referral, kind="parent", name=f"Parent {i}")
        JoinerReturnFactory.create(school=SchoolFactory.create(), upn="B123456789012")
    case = referral_accept(referral=referral, by=officer, category=Category.MISSING)
    for name in ("referral", "returns"):
        # session, user, case, enquiries, referral's school, people or returns, source
        # return, what the referrer was sent, notifications count, the access log row
        # (+ savepoints and the session save): none per row
        with django_assert_max_num_queries(15):
            response = officer_client.get(reverse(f"cases:{name}", args=[case.reference]))
        assert response.status_code == 200


def test_the_tabs_by_persona(
    client: Client, client_a: Client, officer_client: Client, manager_client: Client
) -> None:
    case = CaseFactory.create()
    for name in ("referral", "returns"):
        url = reverse(f"cases:{name}", args=[case.reference])
        assert client.get(url).status_code == 302
        assert client_a.get(url).status_code == 403
        assert officer_client.get(url).status_code == 200
        assert manager_client.get(url).status_code == 200


# -- reallocation -------------------------------------------------------------------------


@pytest.fixture
def other_officer(db: None) -> User:
    user: User = UserFactory.create(
        email="otto@la.gov.uk", full_name="Otto Officer", role="officer"
    )
    return user


def test_the_manager_reallocates_from_the_case_page(
    officer: User, other_officer: User, manager_client: Client, manager: User
) -> None:
    case = CaseFactory.create(allocated_to=officer)
    CaseFactory.create(
        allocated_to=other_officer,
        due_date=TODAY - timedelta(days=1),
        received_on=TODAY - timedelta(days=20),
    )
    url = reverse("cases:allocate", args=[case.reference])
    html = manager_client.get(url).content.decode()
    assert "Otto Officer (CME officer): 1 open, 0 due this week, 1 overdue" in html
    assert 'name="version" value="1"' in html
    response = manager_client.post(url, {"officer": other_officer.pk, "version": "1"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.allocated_to == other_officer
    assert case.version == 2
    event = Event.objects.get(case=case, kind=EventKind.ALLOCATED)
    assert event.summary == "Reallocated from Olive Officer to Otto Officer"
    assert event.by == manager


def test_reallocating_with_a_stale_version_is_refused(
    officer: User, other_officer: User, manager_client: Client
) -> None:
    case = CaseFactory.create(allocated_to=officer, version=3)
    response = manager_client.post(
        reverse("cases:allocate", args=[case.reference]),
        {"officer": other_officer.pk, "version": "2"},
    )
    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode()
    case.refresh_from_db()
    assert case.allocated_to == officer


def test_reallocating_a_closed_case_is_refused(
    officer: User, other_officer: User, manager_client: Client
) -> None:
    case = CaseFactory.create(
        allocated_to=officer,
        status=CaseStatus.CLOSED,
        outcome=Outcome.DIED,
        closed_at=timezone.now(),
    )
    html = manager_client.post(
        reverse("cases:allocate", args=[case.reference]),
        {"officer": other_officer.pk, "version": "1"},
    ).content.decode()
    assert allocation.ERROR_CASE_CLOSED in html


def test_officers_cannot_reallocate(
    officer: User, other_officer: User, officer_client: Client, client_a: Client
) -> None:
    case = CaseFactory.create(allocated_to=officer)
    url = reverse("cases:allocate", args=[case.reference])
    assert officer_client.get(url).status_code == 403
    assert (
        officer_client.post(url, {"officer": other_officer.pk, "version": "1"}).status_code == 403
    )
    assert client_a.get(url).status_code == 403
    with pytest.raises(allocation.AllocationError, match=allocation.ERROR_NOT_A_MANAGER):
        allocation.case_allocate(case=case, officer=other_officer, by=officer)
    case.refresh_from_db()
    assert case.allocated_to == officer


def test_only_managers_see_reallocate_in_the_button_menu(
    officer: User, officer_client: Client, manager_client: Client
) -> None:
    case = CaseFactory.create(allocated_to=officer)
    url = reverse("cases:detail", args=[case.reference])
    allocate = reverse("cases:allocate", args=[case.reference])
    assert allocate in manager_client.get(url).content.decode()
    assert allocate not in officer_client.get(url).content.decode()


# -- the close form -----------------------------------------------------------------------


def test_each_outcome_reveals_only_its_own_questions(officer_client: Client) -> None:
    case = CaseFactory.create()
    html = officer_client.get(reverse("cases:close", args=[case.reference])).content.decode()
    assert html.count('id="conditional_outcome_') == 6
    for name in (
        "outcome_school_in_area",
        "outcome_school_name",
        "outcome_la_on_roll",
        "outcome_la_moved",
        "outcome_la_accepted",
        "outcome_country",
        "outcome_school_started",
        "review_date",
    ):
        assert f'name="{name}' in html, name
    # Each reveal follows its own radio: the country is under "Moved abroad".
    abroad = html.index(Outcome.MOVED_ABROAD.label)
    assert html.index('name="outcome_country"') > abroad
    assert html.index('name="outcome_country"') < html.index(Outcome.EHE_SUITABLE.label)


def form(**data: Any) -> CloseForm:
    return CloseForm({"version": "1", **data})


def test_the_close_form_requires_the_chosen_outcomes_details() -> None:
    f = form(outcome=Outcome.ON_ROLL_OTHER_LA)
    assert not f.is_valid()
    assert f.errors["outcome_school_name"] == [svc.ERROR_OUTCOME_SCHOOL_NAME]
    assert f.errors["outcome_la_on_roll"] == [svc.ERROR_OUTCOME_LA]
    f = form(outcome=Outcome.MOVED_OTHER_LA, outcome_la_moved="Leeds")
    assert not f.is_valid()
    assert f.errors["outcome_la_accepted"] == [svc.ERROR_OUTCOME_LA_ACCEPTED]
    f = form(outcome=Outcome.PLACE_STARTED)
    assert not f.is_valid()
    assert list(f.errors) == ["outcome_school_started"]
    f = form(outcome=Outcome.UNTRACEABLE)
    assert not f.is_valid()
    assert f.errors["review_date"] == [svc.ERROR_REVIEW_DATE]


def test_the_close_form_sends_nothing_stale_for_outcomes_not_chosen(db: None) -> None:
    school = SchoolFactory.create()
    f = form(
        outcome=Outcome.MOVED_OTHER_LA,
        outcome_la_moved="Leeds City Council",
        outcome_la_accepted="on",
        # typed under other outcomes before the officer changed their mind
        outcome_school_in_area=str(school.pk),
        outcome_school_name="Old school",
        outcome_la_on_roll="Birmingham",
        outcome_country="France",
        review_date_0="1",
        review_date_1="1",
        review_date_2="bad",
    )
    assert f.is_valid(), f.errors
    assert f.cleaned_data["close"] == {
        "outcome_school": None,
        "outcome_school_name": "",
        "outcome_la": "Leeds City Council",
        "outcome_la_accepted": True,
        "outcome_country": "",
        "review_date": None,
    }


def test_the_same_model_field_comes_from_the_reveal_of_the_chosen_outcome(db: None) -> None:
    in_area, started = SchoolFactory.create(), SchoolFactory.create()
    f = form(
        outcome=Outcome.PLACE_STARTED,
        outcome_school_in_area=str(in_area.pk),
        outcome_school_started=str(started.pk),
    )
    assert f.is_valid(), f.errors
    assert f.cleaned_data["close"]["outcome_school"] == started


def test_closing_through_the_form_saves_only_the_chosen_details(
    officer_client: Client, officer: User
) -> None:
    case = CaseFactory.create(allocated_to=officer)
    url = reverse("cases:close", args=[case.reference])
    html = officer_client.post(
        url, {"outcome": Outcome.MOVED_OTHER_LA, "version": "1"}
    ).content.decode()
    assert svc.ERROR_OUTCOME_LA in html
    assert "#id_outcome_la_moved" in html
    response = officer_client.post(
        url,
        {
            "outcome": Outcome.MOVED_OTHER_LA,
            "outcome_la_moved": "Leeds City Council",
            "outcome_la_accepted": "on",
            "outcome_country": "France",
            "version": "1",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert case.status == CaseStatus.CLOSED
    assert case.outcome_la == "Leeds City Council"
    assert case.outcome_la_accepted
    assert case.outcome_country == ""


def test_the_returns_tab_shows_an_absence_notification_at_the_deletion_threshold(
    leaver: LeaverReturn, officer: User, officer_client: Client, school_b: School
) -> None:
    from tests.factories import AbsenceNotificationFactory

    case = referral_accept(referral=raised_from(leaver), by=officer, category=Category.MISSING)
    absence = AbsenceNotificationFactory.create(
        school=school_b,
        first_name="Maya",
        last_name="Patel",
        date_of_birth=DOB,
        threshold_reached_on=date(2026, 11, 2),
    )
    html = officer_client.get(reverse("cases:returns", args=[case.reference])).content.decode()
    row = html.split(f"{absence.reference}</a>")[1].split("</tr>")[0]
    assert "Deletion threshold reached</strong>" in row
    leaver_row = html.split(f"{leaver.reference}</a>")[1].split("</tr>")[0]
    assert "Deletion threshold reached" not in leaver_row


# -- Issue 12: an unallocated case is allocated, not reallocated ------------------------------


def test_an_unallocated_case_offers_allocate_and_an_allocated_one_reallocate(
    manager_client: Client, officer: User
) -> None:
    unallocated = CaseFactory.create(allocated_to=None)
    html = manager_client.get(
        reverse("cases:detail", args=[unallocated.reference])
    ).content.decode()
    assert ">Allocate</a>" in html
    assert "Reallocate" not in html
    page = manager_client.get(reverse("cases:allocate", args=[unallocated.reference]))
    text = page.content.decode()
    assert "Allocate the case" in text
    assert "Reallocate" not in text

    allocated = CaseFactory.create(allocated_to=officer)
    html = manager_client.get(reverse("cases:detail", args=[allocated.reference])).content.decode()
    assert ">Reallocate</a>" in html
    page = manager_client.get(reverse("cases:allocate", args=[allocated.reference]))
    assert "Reallocate the case" in page.content.decode()
