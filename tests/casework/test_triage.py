from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks

from casework.matching import child_keys_save
from casework.models import Case, CaseStatus, Category, Child, Event, EventKind, Outcome
from casework.selectors.triage import triage_queue
from casework.selectors.workload import officer_loads
from casework.services.allocation import (
    ERROR_NOT_A_MANAGER,
    ERROR_NOT_AN_OFFICER,
    AllocationError,
    case_allocate,
)
from casework.services.triage import (
    ERROR_CASE_NOT_OPEN,
    ERROR_CHILD_HAS_OPEN_CASE,
    ERROR_NOT_NEW,
    TriageError,
    referral_accept,
    referral_mark_duplicate,
    referral_reject_not_cme,
)
from cme.models import Role, User
from cme.statutory import enquiry_due_date
from referrals.models import NotCmeReason, Reason, Referral, ReferralStatus
from tests.conftest import client_for
from tests.factories import CaseFactory, ChildFactory, ReferralFactory, UserFactory
from tests.support.people import person

pytestmark = pytest.mark.usefixtures("frozen")

NOW = datetime.fromisoformat("2026-11-23 10:00:00+00:00")
LONDON = ZoneInfo("Europe/London")
DOB = date(2014, 2, 3)

# committed() is a context manager that runs the on-commit callbacks queued inside it.
Committed = Callable[[], AbstractContextManager[list[Callable[[], Any]]]]


@pytest.fixture
def committed(django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> Committed:
    """Emails go after commit: ``with committed():`` runs those callbacks on leaving."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def closed_case(**kwargs: Any) -> Case:
    case: Case = CaseFactory.create(
        status=CaseStatus.CLOSED, outcome=Outcome.MOVED_ABROAD, closed_at=timezone.now(), **kwargs
    )
    return case


# --------------------------------------------------------------------------- accept


def test_accepting_opens_a_case_on_a_new_child_with_the_referral_details(officer: User) -> None:
    referral = ReferralFactory.create(
        **person("Zoë Brontë", date_of_birth=DOB, upn="A123456789012", postcode="EX2 3CC")
    )

    case = referral_accept(referral=referral, by=officer, category=Category.MISSING)

    assert re.fullmatch(r"CS-[A-Z0-9]{4}-[A-Z0-9]{4}", case.reference)
    child = case.child
    assert (child.first_name, child.last_name, child.date_of_birth, child.upn) == (
        "Zoë",
        "Brontë",
        DOB,
        "A123456789012",
    )
    assert (child.first_name_key, child.last_name_key, child.last_name_phonetic) == (
        "zoe",
        "bronte",
        "BRNT",
    )
    assert case.status == CaseStatus.OPEN
    assert case.category == Category.MISSING
    assert case.created_by == officer
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.decided_by == officer
    assert referral.decided_at == NOW
    kinds = set(Event.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == {EventKind.REFERRAL, EventKind.DECISION, EventKind.CASE_OPENED}
    assert Event.objects.get(case=case, kind=EventKind.REFERRAL).occurred_at == referral.received_at


def test_accepting_onto_a_matched_child_uses_that_child_and_adds_the_flags(officer: User) -> None:
    child = child_keys_save(
        ChildFactory.create(first_name="John", last_name="Smith", young_carer=False)
    )
    referral = ReferralFactory.create(first_name="Jon", last_name="Smyth", young_carer=True)

    # Jon and John, born the same day: a possible twin, linked only with a reason.
    case = referral_accept(
        referral=referral,
        by=officer,
        child=child,
        category=Category.WASP,
        twin_or_sibling_reason="The school spelt John as Jon",
    )

    assert case.child == child
    assert Child.objects.count() == 1
    child.refresh_from_db()
    assert child.young_carer


def test_accepting_an_already_accepted_referral_raises(officer: User) -> None:
    referral = ReferralFactory.create()
    referral_accept(referral=referral, by=officer, category=Category.WASP)

    with pytest.raises(TriageError, match=ERROR_NOT_NEW):
        referral_accept(referral=referral, by=officer, category=Category.WASP)
    assert Case.objects.count() == 1


def test_a_matched_child_with_an_open_case_is_refused(officer: User) -> None:
    open_case = CaseFactory.create()
    referral = ReferralFactory.create()

    with pytest.raises(TriageError, match=ERROR_CHILD_HAS_OPEN_CASE):
        referral_accept(
            referral=referral, by=officer, child=open_case.child, category=Category.WASP
        )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.NEW


def test_a_matched_child_whose_cases_are_closed_can_have_a_new_case(officer: User) -> None:
    old = closed_case()
    referral = ReferralFactory.create(
        first_name=old.child.first_name, last_name=old.child.last_name
    )
    case = referral_accept(referral=referral, by=officer, child=old.child, category=Category.WASP)
    assert case.child == old.child


def test_the_due_date_is_ten_working_days_after_receipt_over_christmas(officer: User) -> None:
    # Received Friday 18 December 2026. Not working days: 25 Dec (Christmas), 28 Dec
    # (Boxing Day substitute, 26th is a Saturday), 1 Jan; so the 10th working day is
    # Wednesday 6 January 2027.
    received = datetime(2026, 12, 18, 15, 0, tzinfo=LONDON)
    referral = ReferralFactory.create(received_at=received)

    case = referral_accept(referral=referral, by=officer, category=Category.WASP)

    assert case.received_on == date(2026, 12, 18)
    assert case.due_date == enquiry_due_date(date(2026, 12, 18))
    assert case.due_date == date(2027, 1, 6)


def test_the_receipt_date_is_the_local_date(officer: User) -> None:
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
    referral = ReferralFactory.create(
        received_at=datetime(2026, 6, 30, 23, 30, tzinfo=ZoneInfo("UTC"))
    )
    case = referral_accept(referral=referral, by=officer, category=Category.WASP)
    assert case.received_on == date(2026, 7, 1)


def test_a_child_protection_plan_referral_escalates_at_once_and_tells_the_managers(
    officer: User, manager: User, mailoutbox: list[EmailMessage], committed: Committed
) -> None:
    UserFactory.create(email="retired@la.gov.uk", role=Role.MANAGER, is_active=False)
    referral = ReferralFactory.create(
        first_name="Kofi", last_name="Mensah", child_protection_plan=True, referrer_email=""
    )

    with committed():
        case = referral_accept(referral=referral, by=officer, category=Category.MISSING)

    assert case.escalated_at == NOW
    assert "child protection plan" in case.escalation_reason
    assert case.child.child_protection_plan
    assert Event.objects.filter(case=case, kind=EventKind.ESCALATED).exists()
    [email] = mailoutbox
    assert email.to == [manager.email]
    assert case.reference in email.subject
    assert "Kofi" not in email.subject
    assert "Mensah" not in email.subject
    assert "Kofi" not in email.body
    assert "Mensah" not in email.body


def test_a_looked_after_referral_escalates(
    officer: User, manager: User, mailoutbox: list[EmailMessage], committed: Committed
) -> None:
    with committed():
        case = referral_accept(
            referral=ReferralFactory.create(looked_after=True, referrer_email=""),
            by=officer,
            category=Category.WASP,
        )
    assert case.escalated_at == NOW
    assert "looked after" in case.escalation_reason
    assert len(mailoutbox) == 1


def test_an_ordinary_referral_does_not_escalate(
    officer: User, manager: User, mailoutbox: list[EmailMessage], committed: Committed
) -> None:
    with committed():
        case = referral_accept(
            referral=ReferralFactory.create(referrer_email=""), by=officer, category=Category.WASP
        )
    assert case.escalated_at is None
    assert mailoutbox == []


def test_the_referrer_is_told_when_the_referral_is_accepted(
    officer: User, mailoutbox: list[EmailMessage], committed: Committed
) -> None:
    referral = ReferralFactory.create(referrer_email="hv@nhs.example", first_name="Kofi")

    with committed():
        referral_accept(referral=referral, by=officer, category=Category.WASP)

    [email] = mailoutbox
    assert email.to == ["hv@nhs.example"]
    assert referral.reference in email.subject
    assert "we have opened enquiries" in email.subject
    assert "Kofi" not in email.subject
    assert "Kofi" not in email.body


def test_an_anonymous_referrer_is_not_emailed(
    officer: User, mailoutbox: list[EmailMessage], committed: Committed
) -> None:
    with committed():
        referral_accept(
            referral=ReferralFactory.create(anonymous=True, referrer_email="x@example.com"),
            by=officer,
            category=Category.WASP,
        )
    assert mailoutbox == []


def test_no_email_is_sent_before_the_decision_commits(
    officer: User, mailoutbox: list[EmailMessage]
) -> None:
    referral_accept(
        referral=ReferralFactory.create(referrer_email="hv@nhs.example"),
        by=officer,
        category=Category.WASP,
    )
    assert mailoutbox == []  # the test's transaction never commits


# --------------------------------------------------------------------------- not CME


def test_not_cme_records_the_reason_and_tells_the_referrer(
    officer: User, mailoutbox: list[EmailMessage], committed: Committed
) -> None:
    referral = ReferralFactory.create(referrer_email="school@example.sch.uk")

    with committed():
        referral_reject_not_cme(
            referral=referral,
            by=officer,
            reason=NotCmeReason.ON_ROLL_ATTENDING,
            notes="On roll at Birch",
        )

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.NOT_CME
    assert referral.not_cme_reason == NotCmeReason.ON_ROLL_ATTENDING
    assert referral.decision_notes == "On roll at Birch"
    assert referral.decided_by == officer
    [email] = mailoutbox
    assert email.to == ["school@example.sch.uk"]
    assert referral.reference in email.subject


def test_a_decided_referral_cannot_be_closed_as_not_cme(officer: User) -> None:
    referral = ReferralFactory.create()
    referral_reject_not_cme(
        referral=referral, by=officer, reason=NotCmeReason.INSUFFICIENT, notes=""
    )
    with pytest.raises(TriageError, match=ERROR_NOT_NEW):
        referral_reject_not_cme(
            referral=referral, by=officer, reason=NotCmeReason.INSUFFICIENT, notes=""
        )
    with pytest.raises(TriageError, match=ERROR_NOT_NEW):
        referral_accept(referral=referral, by=officer, category=Category.WASP)


# --------------------------------------------------------------------------- duplicate


def test_a_duplicate_is_recorded_on_the_open_case_and_the_referrer_told(
    officer: User, mailoutbox: list[EmailMessage], committed: Committed
) -> None:
    case = CaseFactory.create()
    referral = ReferralFactory.create(referrer_email="police@example.police.uk", looked_after=True)

    with committed():
        referral_mark_duplicate(referral=referral, by=officer, case=case)

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DUPLICATE
    assert referral.decided_at == NOW
    assert case.reference in referral.decision_notes
    event = Event.objects.get(child=case.child, case=case)
    assert event.summary == f"Further referral received: {referral.reference}"
    case.child.refresh_from_db()
    assert case.child.looked_after
    [email] = mailoutbox
    assert email.to == ["police@example.police.uk"]


def test_a_duplicate_of_a_closed_case_is_refused(officer: User) -> None:
    referral = ReferralFactory.create()
    with pytest.raises(TriageError, match=ERROR_CASE_NOT_OPEN):
        referral_mark_duplicate(referral=referral, by=officer, case=closed_case())
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.NEW


def test_a_decided_referral_cannot_be_marked_duplicate(officer: User) -> None:
    referral = ReferralFactory.create()
    referral_mark_duplicate(referral=referral, by=officer, case=CaseFactory.create())
    with pytest.raises(TriageError, match=ERROR_NOT_NEW):
        referral_mark_duplicate(referral=referral, by=officer, case=CaseFactory.create())


# --------------------------------------------------------------------------- allocation


def test_a_manager_allocates_a_case_to_an_officer(manager: User, officer: User) -> None:
    case = CaseFactory.create()
    case_allocate(case=case, officer=officer, by=manager)
    case.refresh_from_db()
    assert case.allocated_to == officer
    assert (
        Event.objects.get(case=case, kind=EventKind.ALLOCATED).summary
        == "Allocated to Olive Officer"
    )


def test_an_officer_cannot_allocate(officer: User) -> None:
    with pytest.raises(AllocationError, match=ERROR_NOT_A_MANAGER):
        case_allocate(case=CaseFactory.create(), officer=officer, by=officer)


@pytest.mark.parametrize(
    ("role", "active"),
    [(Role.SCHOOL_STAFF, True), (Role.ADMINISTRATOR, True), (Role.OFFICER, False)],
)
def test_a_case_goes_only_to_an_active_officer_or_manager(
    manager: User, role: str, active: bool
) -> None:
    someone = UserFactory.create(role=role, is_active=active)
    with pytest.raises(AllocationError, match=ERROR_NOT_AN_OFFICER):
        case_allocate(case=CaseFactory.create(), officer=someone, by=manager)


def test_a_manager_can_accept_and_allocate_at_once(manager: User, officer: User) -> None:
    case = referral_accept(
        referral=ReferralFactory.create(), by=manager, category=Category.WASP, officer=officer
    )
    assert case.allocated_to == officer


def test_an_officer_cannot_allocate_while_accepting(officer: User) -> None:
    referral = ReferralFactory.create()
    with pytest.raises(TriageError, match=ERROR_NOT_A_MANAGER):
        referral_accept(referral=referral, by=officer, category=Category.WASP, officer=officer)
    assert not Case.objects.exists()


def test_officer_loads_count_open_due_this_week_and_overdue(manager: User, officer: User) -> None:
    today = timezone.localdate()  # Monday 23 November 2026
    CaseFactory.create(
        allocated_to=officer,
        received_on=today - timedelta(days=20),
        due_date=today - timedelta(days=1),
    )
    CaseFactory.create(allocated_to=officer, due_date=today + timedelta(days=6))  # Sunday
    CaseFactory.create(allocated_to=officer, due_date=today + timedelta(days=7))
    closed_case(allocated_to=officer)
    UserFactory.create(role=Role.OFFICER, is_active=False)

    loads: dict[str, Any] = {u.email: u for u in officer_loads()}  # annotated counts

    assert set(loads) == {officer.email, manager.email}
    o = loads[officer.email]
    assert (o.open_cases, o.due_this_week, o.overdue) == (3, 1, 1)
    assert loads[manager.email].open_cases == 0


# --------------------------------------------------------------------------- the queue


def test_the_queue_puts_child_protection_plans_first_then_safeguarding_then_the_oldest(
    db: None,
) -> None:
    def hours(n: int) -> datetime:
        return NOW - timedelta(hours=n)

    oldest = ReferralFactory.create(received_at=hours(50))
    newer = ReferralFactory.create(received_at=hours(10))
    safeguarding = ReferralFactory.create(
        received_at=hours(20), reasons=["stopped_attending", Reason.EXPLOITATION.value]
    )
    cp_plan = ReferralFactory.create(received_at=hours(1), child_protection_plan=True)
    ReferralFactory.create(
        status=ReferralStatus.ACCEPTED, decided_at=NOW, child_protection_plan=True
    )

    queue: list[Any] = list(triage_queue())  # each annotated with ``risk``

    assert queue == [cp_plan, safeguarding, oldest, newer]
    assert [r.risk for r in queue] == [0, 0, 1, 1]


def test_the_triage_page_shows_the_queue_in_order_with_high_risk_tags(
    officer_client: Client,
) -> None:
    ReferralFactory.create(first_name="Olderchild", received_at=NOW - timedelta(days=3))
    ReferralFactory.create(first_name="Riskychild", reasons=[Reason.FGM.value])
    html = officer_client.get(reverse("triage:list")).content.decode()
    assert html.index("Riskychild") < html.index("Olderchild")
    assert html.count("High risk") == 1


def test_the_triage_page_can_sort_by_date_received(officer_client: Client) -> None:
    ReferralFactory.create(first_name="Olderchild", received_at=NOW - timedelta(days=3))
    ReferralFactory.create(first_name="Riskychild", reasons=[Reason.FGM.value])
    html = officer_client.get(reverse("triage:list"), {"sort": "oldest"}).content.decode()
    assert html.index("Olderchild") < html.index("Riskychild")
    assert (
        officer_client.get(reverse("triage:list"), {"sort": "<bad>", "page": "x"}).status_code
        == 200
    )


# --------------------------------------------------------------------------- permissions


def _urls(reference: str) -> list[tuple[str, str]]:
    return [
        ("get", reverse("triage:list")),
        ("get", reverse("triage:detail", args=[reference])),
        ("post", reverse("triage:accept", args=[reference])),
        ("post", reverse("triage:not_cme", args=[reference])),
        ("post", reverse("triage:duplicate", args=[reference])),
    ]


@pytest.mark.parametrize("index", range(5))
def test_anonymous_visitors_are_sent_to_sign_in(client: Client, db: None, index: int) -> None:
    method, url = _urls(ReferralFactory.create().reference)[index]
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("index", range(5))
def test_school_staff_are_forbidden(client_a: Client, index: int) -> None:
    method, url = _urls(ReferralFactory.create().reference)[index]
    assert getattr(client_a, method)(url).status_code == 403


@pytest.mark.parametrize("persona", ["officer", "manager"])
@pytest.mark.parametrize("index", range(5))
def test_officers_and_managers_can_use_triage(
    request: pytest.FixtureRequest, persona: str, index: int
) -> None:
    user = request.getfixturevalue(persona)
    method, url = _urls(ReferralFactory.create().reference)[index]
    # An empty POST re-renders the page with the error summary.
    response = getattr(client_for(user), method)(url)
    assert response.status_code == 200


def test_an_unknown_referral_is_a_404(officer_client: Client) -> None:
    assert officer_client.get(reverse("triage:detail", args=["RF-NOPE-NOPE"])).status_code == 404


def test_decision_endpoints_refuse_get(officer_client: Client) -> None:
    url = reverse("triage:accept", args=[ReferralFactory.create().reference])
    assert officer_client.get(url).status_code == 405


# --------------------------------------------------------------------------- pages


def test_the_referral_page_shows_the_details_and_the_possible_matches(
    officer_client: Client,
) -> None:
    child_keys_save(ChildFactory.create(first_name="John", last_name="Smith", date_of_birth=DOB))
    referral = ReferralFactory.create(
        **person("John Smyth", date_of_birth=DOB),
        referrer_name="Harriet Visitor",
        details="Not seen since half term",
    )

    html = officer_client.get(reverse("triage:detail", args=[referral.reference])).content.decode()

    assert "Harriet Visitor" in html
    assert "Not seen since half term" in html
    assert "Surname sounds the same (Smyth / Smith)" in html
    assert "A new child record" in html
    assert "Allocate to" not in html  # managers only


def test_managers_see_each_officers_load_in_the_allocation_select(
    manager_client: Client, officer: User
) -> None:
    CaseFactory.create(allocated_to=officer)
    referral = ReferralFactory.create()
    html = manager_client.get(reverse("triage:detail", args=[referral.reference])).content.decode()
    assert "Allocate to" in html
    assert "Olive Officer: 1 open, 0 due this week, 0 overdue" in html


def test_accepting_through_the_page_opens_a_case_and_shows_a_banner(
    officer_client: Client, officer: User
) -> None:
    referral = ReferralFactory.create()
    response = officer_client.post(
        reverse("triage:accept", args=[referral.reference]),
        {"accept-child": "new", "accept-category": "missing", "accept-primary_reason": "other"},
        follow=True,
    )
    case = Case.objects.get(referral=referral)
    assert response.redirect_chain[-1][0] == reverse("triage:list")
    assert f"case {case.reference} opened" in response.content.decode()
    assert case.category == Category.MISSING
    assert case.created_by == officer


def test_a_manager_accepts_onto_a_matched_child_and_allocates(
    manager_client: Client, officer: User
) -> None:
    child = child_keys_save(
        ChildFactory.create(first_name="John", last_name="Smith", date_of_birth=DOB)
    )
    referral = ReferralFactory.create(first_name="John", last_name="Smith", date_of_birth=DOB)
    response = manager_client.post(
        reverse("triage:accept", args=[referral.reference]),
        {
            "accept-child": str(child.pk),
            "accept-category": "wasp",
            "accept-primary_reason": "other",
            "accept-officer": str(officer.pk),
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(referral=referral)
    assert case.child == child
    assert case.allocated_to == officer


def test_an_incomplete_decision_shows_the_error_summary(officer_client: Client) -> None:
    referral = ReferralFactory.create()
    response = officer_client.post(
        reverse("triage:accept", args=[referral.reference]), {"accept-child": "new"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Select the category" in html
    assert "<title>Error:" in html


def test_a_child_not_among_the_matches_is_an_invalid_choice(officer_client: Client) -> None:
    stranger = ChildFactory.create(
        first_name="Priya", last_name="Patel", date_of_birth=date(2010, 1, 1)
    )
    referral = ReferralFactory.create(first_name="John", last_name="Smith")
    response = officer_client.post(
        reverse("triage:accept", args=[referral.reference]),
        {
            "accept-child": str(stranger.pk),
            "accept-category": "wasp",
            "accept-primary_reason": "other",
        },
    )
    assert response.status_code == 200
    assert not Case.objects.exists()


def test_not_cme_through_the_page(officer_client: Client) -> None:
    referral = ReferralFactory.create()
    response = officer_client.post(
        reverse("triage:not_cme", args=[referral.reference]),
        {"notcme-reason": NotCmeReason.EHE_SUITABLE.value, "notcme-notes": "EHE since 2025"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.NOT_CME


def test_duplicate_through_the_page_offers_the_matched_childs_open_case(
    officer_client: Client,
) -> None:
    child = child_keys_save(
        ChildFactory.create(first_name="John", last_name="Smith", date_of_birth=DOB)
    )
    case = CaseFactory.create(child=child)
    referral = ReferralFactory.create(first_name="John", last_name="Smith", date_of_birth=DOB)
    html = officer_client.get(reverse("triage:detail", args=[referral.reference])).content.decode()
    assert case.reference in html

    response = officer_client.post(
        reverse("triage:duplicate", args=[referral.reference]), {"duplicate-case": str(case.pk)}
    )

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DUPLICATE


def test_a_decided_referral_shows_its_decision_and_no_forms(
    officer_client: Client, officer: User
) -> None:
    referral = ReferralFactory.create()
    referral_reject_not_cme(
        referral=referral, by=officer, reason=NotCmeReason.OUT_OF_AREA, notes=""
    )
    html = officer_client.get(reverse("triage:detail", args=[referral.reference])).content.decode()
    assert "Not CME" in html
    assert "Close as not CME" not in html
    response = officer_client.post(
        reverse("triage:not_cme", args=[referral.reference]), {"notcme-reason": "ehe_suitable"}
    )
    assert response.status_code == 302


# --------------------------------------------------------------------------- query counts


@pytest.mark.parametrize("rows", [5, 50])
def test_the_triage_list_runs_a_constant_number_of_queries(
    officer_client: Client, rows: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for i in range(rows):
        ReferralFactory.create(
            child_protection_plan=i % 3 == 0, reasons=["fgm"] if i % 4 == 0 else []
        )
    with django_assert_max_num_queries(11):  # 5 real ones, savepoints, session
        response = officer_client.get(reverse("triage:list"))
    assert response.status_code == 200
    assert response.content.decode().count('class="govuk-table__row"') == rows + 1


@pytest.mark.parametrize("matches", [1, 5])
@pytest.mark.parametrize("persona", ["officer", "manager"])
def test_the_referral_page_runs_a_constant_number_of_queries(
    request: pytest.FixtureRequest,
    persona: str,
    matches: int,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    user = request.getfixturevalue(persona)
    for _ in range(matches):
        child = child_keys_save(
            ChildFactory.create(first_name="John", last_name="Smith", date_of_birth=DOB)
        )
        CaseFactory.create(child=child)
    for _ in range(3):
        UserFactory.create(role=Role.OFFICER)
    referral = ReferralFactory.create(first_name="John", last_name="Smith", date_of_birth=DOB)
    client = client_for(user)
    # 8 real ones, savepoints, session; +2: the referral's case (restricted?) and the access
    # log; +1: the children we know at the referral's address; +1 (issue 15): the primary
    # reasons of the accept form
    with django_assert_max_num_queries(17):
        response = client.get(reverse("triage:detail", args=[referral.reference]))
    assert response.status_code == 200


def test_each_triage_row_puts_each_value_in_its_column(officer_client: Client) -> None:
    with time_machine.travel("2026-06-15 09:00:00+00:00", tick=False):
        high = ReferralFactory.create(
            first_name="<i>Zed</i>",
            last_name="Smith",
            child_protection_plan=True,
            young_carer=True,
            reasons=["fgm", "stopped_attending"],
            received_at=datetime(2026, 6, 1, 8, 5, tzinfo=UTC),  # 09:05 in London
        )
        plain = ReferralFactory.create(first_name="", last_name="", date_of_birth=None, reasons=[])
        html = officer_client.get(reverse("triage:list")).content.decode()

    def cells(referral: Referral) -> list[str]:
        row = next(
            r
            for r in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', html, re.S)
            if f"referral {referral.reference}<" in r
        )
        return [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip()
            for c in re.findall(r"<td [^>]*>(.*?)</td>", row, re.S)
        ]

    assert "<i>Zed</i>" not in html
    assert f'href="{reverse("triage:detail", args=[high.reference])}"' in html
    high_cells = cells(high)
    assert high_cells[0] == "1 Jun 2026, 9:05am"
    assert (
        high_cells[1]
        == f"&lt;i&gt;Zed&lt;/i&gt; Smith , referral {high.reference} {high.reference}"
    )
    assert high_cells[2] == "12"
    assert "<br>" in html.split(f"referral {high.reference}<")[1].split("</tr>")[0]
    assert high_cells[4] == "Child protection plan Young carer"
    assert 'govuk-tag--red govuk-!-margin-bottom-1">Child protection plan' in html
    assert 'govuk-tag--grey govuk-!-margin-bottom-1">Young carer' in html
    assert high_cells[5] == "High risk"
    plain_cells = cells(plain)
    assert plain_cells[1].startswith("Name not known")
    assert plain_cells[2] == "Not known \u2013"
    assert plain_cells[3] == "\u2013"
    assert plain_cells[4] == "\u2013"
    assert plain_cells[5] == "Not high risk"
    assert plain_cells[6] == "A member of the public"


def test_an_empty_triage_queue_says_so(officer_client: Client) -> None:
    html = officer_client.get(reverse("triage:list")).content.decode()
    assert "There are no new referrals to triage." in html


def test_a_decision_sent_with_errors_shows_the_referral_again_and_logs_that_view(
    officer_client: Client, officer: User
) -> None:
    from cme.models import AccessAction, AccessLog

    referral = ReferralFactory.create()
    response = officer_client.post(reverse("triage:duplicate", args=[referral.reference]), {})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    row = AccessLog.objects.get()
    assert (row.user, row.action, row.object_id) == (
        officer,
        AccessAction.VIEW_REFERRAL,
        referral.pk,
    )
