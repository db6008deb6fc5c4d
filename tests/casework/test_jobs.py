"""The scheduled checks on cases: overdue enquiries, end of compulsory school age, the digest.

Time is frozen around the awkward days: Christmas 2026 (Friday 25 December, Boxing Day
substitute Monday 28 December), an ordinary weekend, and the June school leaving date.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from io import StringIO
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks

from casework.jobs import latest_dob_past_csa
from casework.models import Case, CaseStatus, Outcome
from cme.jobs import run_job
from cme.models import Notification, Role, User
from cme.notifications import deliver_pending, notify
from cme.statutory import compulsory_school_age, is_working_day
from cme.tasks import run_job as run_job_task
from tests.concurrency import at_once
from tests.factories import CaseFactory, ChildFactory, UserFactory

LONDON = ZoneInfo("Europe/London")
CHRISTMAS_EVE = date(2026, 12, 24)  # Thursday
BOXING_DAY_SUBSTITUTE = date(2026, 12, 28)  # Monday, a bank holiday
NEXT_WORKING_DAY = date(2026, 12, 29)  # Tuesday

# on_commit(func, *args, **kwargs) calls func and runs the on-commit callbacks it queued.
OnCommit = Callable[..., Any]


def at(day: date, hour: int = 7) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=LONDON)


def open_case(*, due: date, officer: User | None = None, **kwargs: Any) -> Case:
    case: Case = CaseFactory.create(
        due_date=due, received_on=due - timedelta(days=14), allocated_to=officer, **kwargs
    )
    return case


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> OnCommit:
    """Run on-commit callbacks (the notification emails) inside the test transaction."""

    def run(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return run


def test_the_calendar_is_what_these_tests_assume() -> None:
    assert CHRISTMAS_EVE.weekday() == 3
    assert is_working_day(CHRISTMAS_EVE)
    assert not is_working_day(BOXING_DAY_SUBSTITUTE)
    assert is_working_day(NEXT_WORKING_DAY)


# ------------------------------------------------------------------------ overdue enquiries


def test_a_case_due_on_christmas_eve_is_flagged_on_the_next_working_day(
    officer: User, manager: User, on_commit: OnCommit
) -> None:
    case = open_case(due=CHRISTMAS_EVE, officer=officer)

    with time_machine.travel(at(CHRISTMAS_EVE), tick=False):
        assert "flagged 0" in on_commit(run_job_task.delay, "overdue_enquiries").get()
    with time_machine.travel(at(BOXING_DAY_SUBSTITUTE), tick=False):
        outcome = on_commit(run_job_task.delay, "overdue_enquiries").get()
    assert outcome == "overdue_enquiries: skipped, 28 December 2026 is not a working day"
    case.refresh_from_db()
    assert case.overdue_flagged_at is None
    assert mail.outbox == []

    with time_machine.travel(at(NEXT_WORKING_DAY), tick=False):
        outcome = on_commit(run_job_task.delay, "overdue_enquiries").get()
    assert outcome == "overdue_enquiries: flagged 1, notified 2"
    case.refresh_from_db()
    assert case.overdue_flagged_at == at(NEXT_WORKING_DAY)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([officer.email, manager.email])
    # One summary per recipient (docs/decisions/005-job-outbox.md): the count, the
    # references and a link to the right list.
    subject = "CME casework: 1 case with the initial investigation overdue"
    assert {m.subject for m in mail.outbox} == {subject}
    by_person = {m.to[0]: m.body for m in mail.outbox}
    assert case.reference in by_person[officer.email]
    assert "/my-cases/" in by_person[officer.email]
    assert "/register/?overdue=on" in by_person[manager.email]


def test_a_case_due_on_friday_is_not_flagged_at_the_weekend_but_on_monday(
    officer: User, on_commit: OnCommit
) -> None:
    friday, saturday, monday = date(2026, 11, 27), date(2026, 11, 28), date(2026, 11, 30)
    case = open_case(due=friday, officer=officer)
    with time_machine.travel(at(saturday), tick=False):
        assert "skipped" in on_commit(run_job_task.delay, "overdue_enquiries").get()
    with time_machine.travel(at(monday), tick=False):
        assert "flagged 1" in on_commit(run_job_task.delay, "overdue_enquiries").get()
    case.refresh_from_db()
    assert case.overdue_flagged_at == at(monday)


def test_an_explicit_day_runs_the_task_even_on_a_bank_holiday(
    officer: User, on_commit: OnCommit
) -> None:
    open_case(due=CHRISTMAS_EVE, officer=officer)
    with time_machine.travel(at(BOXING_DAY_SUBSTITUTE), tick=False):
        outcome = on_commit(
            run_job_task.delay, "overdue_enquiries", BOXING_DAY_SUBSTITUTE.isoformat()
        ).get()
    assert outcome == "overdue_enquiries: flagged 1, notified 1"


def test_only_open_cases_with_the_investigation_outstanding_are_flagged(
    officer: User, on_commit: OnCommit
) -> None:
    overdue = open_case(due=CHRISTMAS_EVE, officer=officer)
    open_case(due=CHRISTMAS_EVE, investigation_completed_at=at(CHRISTMAS_EVE))
    open_case(
        due=CHRISTMAS_EVE,
        status=CaseStatus.CLOSED,
        outcome=Outcome.MOVED_ABROAD,
        closed_at=at(CHRISTMAS_EVE),
    )
    open_case(due=NEXT_WORKING_DAY)  # due today: not yet overdue
    with time_machine.travel(at(NEXT_WORKING_DAY), tick=False):
        result = on_commit(run_job, "overdue_enquiries", today=NEXT_WORKING_DAY)
    assert result.flagged == [overdue.reference]


def test_an_unallocated_overdue_case_notifies_the_managers(
    manager: User, on_commit: OnCommit
) -> None:
    other_manager = UserFactory.create(role=Role.MANAGER)
    UserFactory.create(role=Role.MANAGER, is_active=False)
    case = open_case(due=CHRISTMAS_EVE)
    with time_machine.travel(at(NEXT_WORKING_DAY), tick=False):
        result = on_commit(run_job, "overdue_enquiries", today=NEXT_WORKING_DAY)
    assert result.notified == 2
    notes = Notification.objects.filter(key__startswith="overdue_enquiries:")
    assert {n.user_id for n in notes} == {manager.pk, other_manager.pk}
    for note in notes:
        assert note.key == f"overdue_enquiries:{note.user_id}:{NEXT_WORKING_DAY.isoformat()}"
        assert case.reference in note.body


def test_running_twice_flags_once_and_notifies_each_person_once(
    officer: User, manager: User, on_commit: OnCommit
) -> None:
    case = open_case(due=CHRISTMAS_EVE, officer=officer)
    with time_machine.travel(at(NEXT_WORKING_DAY), tick=False):
        first = on_commit(run_job, "overdue_enquiries", today=NEXT_WORKING_DAY)
    with time_machine.travel(at(NEXT_WORKING_DAY, hour=9), tick=False):
        second = on_commit(run_job, "overdue_enquiries", today=NEXT_WORKING_DAY)
    with time_machine.travel(at(date(2026, 12, 30)), tick=False):
        third = on_commit(run_job, "overdue_enquiries", today=date(2026, 12, 30))

    assert (first.flagged, first.notified) == ([case.reference], 2)
    assert (second.flagged, second.notified) == ([], 0)
    assert (third.flagged, third.notified) == ([], 0)
    case.refresh_from_db()
    assert case.overdue_flagged_at == at(NEXT_WORKING_DAY)
    assert Notification.objects.filter(key__startswith="overdue_enquiries:").count() == 2
    assert len(mail.outbox) == 2


def test_a_dry_run_prints_the_references_and_changes_nothing(officer: User) -> None:
    case = open_case(due=CHRISTMAS_EVE, officer=officer)
    out = StringIO()
    with time_machine.travel(at(NEXT_WORKING_DAY), tick=False):
        call_command("run_check", "overdue_enquiries", "--dry-run", stdout=out)
    assert out.getvalue() == f"  {case.reference}\noverdue_enquiries: would flag 1\n"
    case.refresh_from_db()
    assert case.overdue_flagged_at is None
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_run_check_lists_the_casework_jobs(db: None) -> None:
    out = StringIO()
    call_command("run_check", stdout=out)
    for name in ("overdue_enquiries", "end_of_compulsory_age", "daily_digest"):
        assert name in out.getvalue()


def _run_at_once(name: str, today: date, runs: int = 2) -> list[Any]:
    """Start ``runs`` runs of a job together, each in its own thread and connection."""
    return at_once(lambda: run_job(name, today=today), runs)


@pytest.mark.parametrize("name", ["overdue_enquiries", "end_of_compulsory_age"])
def test_two_runs_at_once_flag_each_case_once_and_notify_once(
    transactional_db: None, name: str
) -> None:
    """On PostgreSQL the runs overlap in two connections (the second UPDATE waits for the
    first's row locks, then re-checks the flag). SQLite has one writer at a time, so there
    the runs are sequential: the same assertions, without the overlap."""
    today = NEXT_WORKING_DAY
    officer = UserFactory.create(role=Role.OFFICER)
    manager = UserFactory.create(role=Role.MANAGER)
    # Left school in June 2025; twelve children, as a child has one open case.
    cases = [
        open_case(
            due=CHRISTMAS_EVE,
            officer=officer,
            child=ChildFactory.create(date_of_birth=date(2009, 5, 1)),
        )
        for _ in range(12)
    ]
    if connection.vendor == "postgresql":
        results = _run_at_once(name, today)
    else:
        results = [run_job(name, today=today), run_job(name, today=today)]

    flagged = [ref for r in results for ref in r.flagged]
    assert sorted(flagged) == sorted(c.reference for c in cases)  # each case, once
    flag = "overdue_flagged_at" if name == "overdue_enquiries" else "csa_end_flagged_at"
    assert Case.objects.filter(**{f"{flag}__isnull": True}).count() == 0
    # One notification per recipient per day, however the cases were split between runs.
    assert sum(r.notified for r in results) == 2
    deliver_pending()
    for user in (officer, manager):
        assert Notification.objects.filter(user=user).count() == 1
        assert len([m for m in mail.outbox if m.to == [user.email]]) == 1


def test_the_sweep_emails_nothing_itself_the_outbox_does_once(officer: User, manager: User) -> None:
    """The outbox (docs/decisions/005-job-outbox.md): the sweep writes the notifications and
    sends nothing; deliver_pending emails each one once, however often it runs."""
    case = open_case(due=CHRISTMAS_EVE, officer=officer)
    result = run_job("overdue_enquiries", today=NEXT_WORKING_DAY)  # no commit callbacks here
    assert result.notified == 2
    assert mail.outbox == []
    assert Notification.objects.filter(emailed_at__isnull=True, email_wanted=True).count() == 2
    assert deliver_pending() == 2
    assert deliver_pending() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([officer.email, manager.email])
    assert {m.subject for m in mail.outbox} == {
        "CME casework: 1 case with the initial investigation overdue"
    }
    assert all(case.reference in m.body for m in mail.outbox)
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_a_broker_outage_does_not_break_the_sweep(
    officer: User, on_commit: OnCommit, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kombu.exceptions import OperationalError as BrokerDown

    from cme.tasks import deliver_notifications

    def down(*args: Any, **kwargs: Any) -> NoReturn:
        raise BrokerDown("no broker")

    monkeypatch.setattr(deliver_notifications, "apply_async", down)
    open_case(due=CHRISTMAS_EVE, officer=officer)
    result = on_commit(run_job, "overdue_enquiries", today=NEXT_WORKING_DAY)
    assert result.notified == 1
    assert mail.outbox == []
    assert deliver_pending() == 1  # beat's run of the outbox sends it later
    assert [m.to for m in mail.outbox] == [[officer.email]]


def test_two_deliveries_at_once_email_each_notification_once(transactional_db: None) -> None:
    # A sweep now writes one notification per person (docs/decisions/005-job-outbox.md), so
    # fill the outbox with 30 others (committed: their callback may have emailed them).
    officer = UserFactory.create(role=Role.OFFICER)
    for n in range(30):
        notify([officer], key=f"test:{n}", title=f"Test {n}")
    Notification.objects.update(emailed_at=None)
    mail.outbox = []
    if connection.vendor == "postgresql":  # SQLite has one writer at a time: sequential
        counts = at_once(lambda: deliver_pending(limit=7) + deliver_pending(limit=100))
    else:
        counts = [deliver_pending(limit=7) + deliver_pending(limit=100) for _ in range(2)]
    assert sum(counts) == 30
    assert len(mail.outbox) == 30


@pytest.mark.parametrize("rows", [2, 30])
def test_the_notifications_page_runs_a_constant_number_of_queries(
    officer: User,
    officer_client: Client,
    rows: int,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    Notification.objects.bulk_create(
        Notification(
            user=officer,
            key=f"test:{i}",
            title=f"Case CS-TEST-{i:04d} is overdue",
            body="Its initial investigation was due yesterday.",
            url="/my-cases/" if i % 2 else "",
            read_at=None if i % 3 else timezone.now(),
        )
        for i in range(rows)
    )
    # session, user, the count, the unread count, the page, the session save (+ 4 savepoints)
    with django_assert_max_num_queries(10):
        response = officer_client.get(reverse("notifications"))
    assert response.status_code == 200
    assert response.content.decode().count("was due yesterday.") == rows


# ---------------------------------------------------------------- end of compulsory school age


def test_the_dob_cutoff_agrees_with_compulsory_school_age_on_every_day_for_years() -> None:
    """End of compulsory school age only grows with the date of birth, so "ended by today"
    is "born on or before the cutoff" exactly when the cutoff's end is <= today and the
    next day's birth's end is after today."""
    born = date(2004, 1, 1)
    previous_end = compulsory_school_age(born)[1]
    while born < date(2016, 1, 1):
        born += timedelta(days=1)
        end = compulsory_school_age(born)[1]
        assert end >= previous_end
        previous_end = end

    today = date(2024, 1, 1)
    while today < date(2031, 1, 1):
        cutoff = latest_dob_past_csa(today)
        assert compulsory_school_age(cutoff)[1] <= today, today
        assert compulsory_school_age(cutoff + timedelta(days=1))[1] > today, today
        today += timedelta(days=1)


@pytest.mark.parametrize(
    ("dob", "today", "past"),
    [
        (date(2011, 8, 31), date(2027, 6, 24), False),  # the day before the leaving date
        (date(2011, 8, 31), date(2027, 6, 25), True),  # the leaving date, last Friday of June
        (date(2010, 9, 1), date(2027, 6, 25), True),  # the oldest of the same cohort
        (date(2011, 9, 1), date(2027, 6, 25), False),  # the next cohort: June 2028
        (date(2011, 9, 1), date(2027, 9, 1), False),  # turns 16 on the first day of term
        (date(2012, 2, 29), date(2028, 6, 29), False),  # 16 on 1 March 2028; leaves 30 June
        (date(2012, 2, 29), date(2028, 6, 30), True),
    ],
)
def test_the_cutoff_at_the_june_leaving_date_and_term_boundaries(
    dob: date, today: date, past: bool
) -> None:
    assert (dob <= latest_dob_past_csa(today)) is past
    assert (compulsory_school_age(dob)[1] <= today) is past


def test_a_child_past_compulsory_school_age_is_flagged_once_for_closure(
    officer: User, manager: User, on_commit: OnCommit
) -> None:
    leaver = open_case(
        due=date(2027, 7, 30),
        officer=officer,
        child=ChildFactory.create(date_of_birth=date(2011, 8, 31)),
    )
    younger = open_case(
        due=date(2027, 7, 30), child=ChildFactory.create(date_of_birth=date(2011, 9, 1))
    )
    open_case(due=date(2027, 7, 30), child=ChildFactory.create(date_of_birth=None))
    thursday, friday = date(2027, 6, 24), date(2027, 6, 25)

    with time_machine.travel(at(thursday), tick=False):
        assert on_commit(run_job, "end_of_compulsory_age", today=thursday).flagged == []
    with time_machine.travel(at(friday), tick=False):
        first = on_commit(run_job, "end_of_compulsory_age", today=friday)
        again = on_commit(run_job, "end_of_compulsory_age", today=friday)

    assert (first.flagged, first.notified) == ([leaver.reference], 2)
    assert (again.flagged, again.notified) == ([], 0)
    leaver.refresh_from_db()
    younger.refresh_from_db()
    assert leaver.csa_end_flagged_at == at(friday)
    assert younger.csa_end_flagged_at is None
    assert {m.subject for m in mail.outbox} == {
        "CME casework: 1 case past compulsory school age (Education Act 1996 s8(3)): "
        "review for closure"
    }
    assert all(leaver.reference in m.body and "/register/" in m.body for m in mail.outbox)
    assert len(mail.outbox) == 2


def test_the_compulsory_age_dry_run_prints_the_references(officer: User) -> None:
    case = open_case(due=CHRISTMAS_EVE, child=ChildFactory.create(date_of_birth=date(2010, 1, 1)))
    out = StringIO()
    call_command(
        "run_check", "end_of_compulsory_age", "--dry-run", "--today", "2026-12-29", stdout=out
    )
    assert out.getvalue() == f"  {case.reference}\nend_of_compulsory_age: would flag 1\n"
    case.refresh_from_db()
    assert case.csa_end_flagged_at is None


# ------------------------------------------------------------------------------ the digest


@pytest.fixture
def digest_cases(officer: User) -> dict[str, Any]:
    """Olive's cases on Tuesday 29 December 2026, and one of someone else's."""
    other = UserFactory.create(role=Role.OFFICER, email="otto@la.gov.uk")
    return {
        "overdue": open_case(due=CHRISTMAS_EVE, officer=officer),
        "today": open_case(due=NEXT_WORKING_DAY, officer=officer),
        "thursday": open_case(due=date(2026, 12, 31), officer=officer),
        "next_week": open_case(due=date(2027, 1, 5), officer=officer),
        "done": open_case(
            due=CHRISTMAS_EVE, officer=officer, investigation_completed_at=at(CHRISTMAS_EVE)
        ),
        "others": open_case(due=CHRISTMAS_EVE, officer=other),
        "unallocated": open_case(due=date(2026, 12, 30)),
        "other_officer": other,
    }


def test_the_digest_tells_each_officer_their_due_and_overdue_cases(
    officer: User, manager: User, digest_cases: dict[str, Any], on_commit: OnCommit
) -> None:
    UserFactory.create(role=Role.OFFICER, email="idle@la.gov.uk")  # no cases, no digest
    with time_machine.travel(at(NEXT_WORKING_DAY, hour=8), tick=False):
        result = on_commit(run_job, "daily_digest", today=NEXT_WORKING_DAY)

    assert result.notified == 3  # Olive, Otto, Manny
    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {officer.email, "otto@la.gov.uk", manager.email}
    mine = by_person[officer.email]
    assert mine.subject == "CME casework: Your daily digest for 29 December 2026"
    assert "Open cases allocated to you: 5" in mine.body
    assert "Overdue: 1\n" in mine.body
    assert "Due today: 1\n" in mine.body
    assert "Due this week (to Sunday): 2\n" in mine.body
    assert f"Overdue cases: {digest_cases['overdue'].reference}\n" in mine.body
    assert (
        f"Cases due this week: {digest_cases['today'].reference}, {digest_cases['thursday'].reference}"
        in mine.body
    )
    assert digest_cases["next_week"].reference not in mine.body
    assert digest_cases["others"].reference not in mine.body
    assert "The team" not in mine.body
    assert "/my-cases/" in mine.body


def test_the_managers_digest_has_the_teams_counts(
    officer: User, manager: User, digest_cases: dict[str, Any], on_commit: OnCommit
) -> None:
    with time_machine.travel(at(NEXT_WORKING_DAY, hour=8), tick=False):
        on_commit(run_job, "daily_digest", today=NEXT_WORKING_DAY)
    body = next(m.body for m in mail.outbox if m.to == [manager.email])
    assert "Your cases" not in body  # Manny holds no cases
    assert "Open cases: 7 (1 not allocated)" in body
    assert "Overdue: 2\n" in body
    assert "Due this week (to Sunday): 3\n" in body
    for key in ("overdue", "others", "today", "thursday", "unallocated"):
        assert digest_cases[key].reference in body
    assert "/team/" in body


def test_the_digest_carries_no_names(
    officer: User, manager: User, digest_cases: dict[str, Any], on_commit: OnCommit
) -> None:
    with time_machine.travel(at(NEXT_WORKING_DAY, hour=8), tick=False):
        on_commit(run_job, "daily_digest", today=NEXT_WORKING_DAY)
    names = [c.child.first_name for c in Case.objects.select_related("child")]
    names += [c.child.last_name for c in Case.objects.select_related("child")]
    names += [officer.full_name, manager.full_name]
    for message in mail.outbox:
        for name in names:
            assert name not in message.subject
            assert name not in message.body


def test_the_digest_goes_once_a_day(
    officer: User, manager: User, digest_cases: dict[str, Any], on_commit: OnCommit
) -> None:
    with time_machine.travel(at(NEXT_WORKING_DAY, hour=8), tick=False):
        first = on_commit(run_job, "daily_digest", today=NEXT_WORKING_DAY)
    with time_machine.travel(at(NEXT_WORKING_DAY, hour=9), tick=False):
        again = on_commit(run_job, "daily_digest", today=NEXT_WORKING_DAY)
    assert (first.notified, again.notified) == (3, 0)
    assert len(mail.outbox) == 3
    with time_machine.travel(at(date(2026, 12, 30), hour=8), tick=False):
        tomorrow = on_commit(run_job, "daily_digest", today=date(2026, 12, 30))
    assert tomorrow.notified == 3
    assert len(mail.outbox) == 6


def test_no_digest_on_a_bank_holiday(
    officer: User, digest_cases: dict[str, Any], on_commit: OnCommit
) -> None:
    with time_machine.travel(at(BOXING_DAY_SUBSTITUTE, hour=8), tick=False):
        assert "skipped" in on_commit(run_job_task.delay, "daily_digest").get()
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_a_digest_dry_run_sends_nothing(officer: User, digest_cases: dict[str, Any]) -> None:
    out = StringIO()
    call_command("run_check", "daily_digest", "--dry-run", "--today", "2026-12-29", stdout=out)
    assert digest_cases["overdue"].reference in out.getvalue()
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_a_manager_who_holds_cases_gets_both_sections_in_one_digest(
    manager: User, on_commit: OnCommit
) -> None:
    held = open_case(due=CHRISTMAS_EVE, officer=manager)
    with time_machine.travel(at(NEXT_WORKING_DAY, hour=8), tick=False):
        assert on_commit(run_job, "daily_digest", today=NEXT_WORKING_DAY).notified == 1
    (message,) = mail.outbox
    assert "Your cases\n  Open cases allocated to you: 1" in message.body
    assert "The team\n  Open cases: 1 (0 not allocated)" in message.body
    assert message.body.count(held.reference) == 2
