"""The checks on school returns: late returns for the board report, part-time timetable reviews."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from cme.models import Notification, User
from schools.jobs import claim, late_returns_for_board
from schools.models import (
    JoinerReturn,
    LeaverReturn,
    PartTimeTimetable,
    ReturnStatus,
    ReviewOutcome,
    School,
    SchoolReturn,
    TimetableReview,
)
from schools.services import new_reference, timetable_review_record
from tests.conftest import TODAY
from tests.factories import (
    JoinerReturnFactory,
    LeaverReturnFactory,
    PartTimeTimetableFactory,
)

LONDON = ZoneInfo("Europe/London")


@contextmanager
def on(day: date, hour: int = 7) -> Iterator[None]:
    with time_machine.travel(
        datetime(day.year, day.month, day.day, hour, 0, tzinfo=LONDON), tick=False
    ):
        yield


def run(name: str, *args: str) -> str:
    out = StringIO()
    call_command("run_check", name, *args, stdout=out)
    return out.getvalue()


# ------------------------------------------------------------------------------ late returns


@pytest.fixture
def late_joiner(school_a: School) -> JoinerReturn:
    with on(date(2026, 11, 20)):
        joiner: JoinerReturn = JoinerReturnFactory.create(
            school=school_a, admission_date=date(2026, 11, 9), is_late=True
        )
        return joiner


@pytest.fixture
def on_time_joiner(school_a: School) -> JoinerReturn:
    with on(date(2026, 11, 20)):
        joiner: JoinerReturn = JoinerReturnFactory.create(
            school=school_a, admission_date=date(2026, 11, 18)
        )
        return joiner


def test_late_returns_are_recorded_once_and_the_school_told_once(
    late_joiner: JoinerReturn,
    on_time_joiner: JoinerReturn,
    staff_a: User,
    staff_b: User,
    manager: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with on(TODAY), django_capture_on_commit_callbacks(execute=True):
        first = run("late_returns")
        second = run("late_returns")
    assert late_joiner.reference in first and on_time_joiner.reference not in first
    assert "flagged 1, notified 1" in first
    assert "flagged 0, notified 0" in second
    late_joiner.refresh_from_db()
    on_time_joiner.refresh_from_db()
    recorded_at = late_joiner.late_recorded_at
    assert recorded_at is not None and on_time_joiner.late_recorded_at is None
    sent = Notification.objects.get()
    assert sent.user == staff_a
    assert sent.key == f"late:{late_joiner.school_id}:2026-11-23"
    assert sent.title == "1 late school return recorded"
    assert late_joiner.reference in sent.body and late_joiner.last_name not in sent.body
    assert len(mail.outbox) == 1
    with on(date(2026, 11, 24)):
        run("late_returns")
    late_joiner.refresh_from_db()
    assert late_joiner.late_recorded_at == recorded_at
    assert Notification.objects.count() == 1


def test_one_late_return_links_to_that_return(late_joiner: JoinerReturn, staff_a: User) -> None:
    with on(TODAY):
        run("late_returns")
    sent = Notification.objects.get(user=staff_a)
    assert sent.url == reverse("schools:return_detail", args=[late_joiner.reference])


def test_several_late_returns_are_listed_one_a_line_and_linked(
    school_a: School, staff_a: User, client_a: Client
) -> None:
    with on(date(2026, 11, 20)):
        late = [
            JoinerReturnFactory.create(
                school=school_a,
                admission_date=date(2026, 11, 9),
                is_late=True,
                reference=new_reference("NP"),  # a joiner's reference, as submitted
            )
            for _ in range(3)
        ]
    with on(TODAY):
        run("late_returns")
    sent = Notification.objects.get(user=staff_a)
    refs = sorted(r.reference for r in late)
    lines = sent.body.splitlines()
    for ref in refs:
        assert f"- {ref}" in lines  # each reference on a line of its own
    assert sent.url == reverse("schools:return_list")  # several: the school's list
    with on(TODAY):
        html = client_a.get(reverse("notifications")).content.decode()
    for ref in refs:
        link = reverse("schools:return_detail", args=[ref])
        assert f'<a class="govuk-link" href="{link}">{ref}</a>' in html
    # Shown one a line, not run together.
    assert ", ".join(refs) not in html and " ".join(refs) not in html
    assert f"{refs[0]}</a><br>- <a" in html


def test_a_leaver_made_after_the_deletion_is_late_even_if_it_was_not_marked(
    school_a: School, staff_a: User
) -> None:
    with on(date(2026, 11, 20)):
        missed = LeaverReturnFactory.create(
            school=school_a,
            ground_met_date=date(2026, 11, 18),
            deletion_date=date(2026, 11, 19),
            is_late=False,
        )
        in_time = LeaverReturnFactory.create(
            school=school_a, ground_met_date=date(2026, 11, 18), deletion_date=date(2026, 11, 20)
        )
    with on(TODAY):
        out = run("late_returns")
    assert missed.reference in out and in_time.reference not in out
    missed.refresh_from_db()
    in_time.refresh_from_db()
    assert missed.is_late and missed.late_recorded_at is not None
    assert not in_time.is_late and in_time.late_recorded_at is None


def test_a_leaver_is_late_by_the_date_in_london(school_a: School) -> None:
    # Midnight in London in summer is 23:00 the day before in UTC: a day late all the same.
    with on(date(2026, 7, 1), hour=0):
        leaver = LeaverReturnFactory.create(
            school=school_a, ground_met_date=date(2026, 6, 29), deletion_date=date(2026, 6, 30)
        )
    with on(date(2026, 7, 2)):
        run("late_returns")
    leaver.refresh_from_db()
    assert leaver.is_late and leaver.late_recorded_at is not None


def test_late_returns_dry_run_lists_references_and_changes_nothing(
    late_joiner: JoinerReturn, staff_a: User
) -> None:
    with on(TODAY):
        out = run("late_returns", "--dry-run")
    assert late_joiner.reference in out and "would flag 1" in out
    late_joiner.refresh_from_db()
    assert late_joiner.late_recorded_at is None
    assert not Notification.objects.exists()


def test_an_unconfirmed_s2s_upload_is_reminded_once_after_three_school_days(
    school_a: School,
    school_b: School,
    staff_a: User,
    staff_b: User,
    manager: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    """Issue 12 A12: a leaver sent with an unknown destination before its s2s upload; the
    school's staff are reminded (once) if it is not confirmed within 3 school days."""
    from django.urls import reverse

    from schools.models import DestinationType
    from schools.services import leaver_s2s_upload_confirm
    from tests.factories import TermFactory

    TermFactory.create(name="Autumn 2 2026", start=date(2026, 11, 2), end=date(2026, 12, 18))

    def lost(school: School, **fields: Any) -> LeaverReturn:
        leaver: LeaverReturn = LeaverReturnFactory.create(
            school=school,
            ground_met_date=date(2026, 11, 23),
            deletion_date=date(2026, 11, 23),
            destination_type=DestinationType.UNKNOWN,
            destination_school_name="",
            destination_la="",
            s2s_lost_pupil_uploaded=False,
            **fields,
        )
        return leaver

    with on(TODAY, hour=10):  # sent on Monday 23 November
        waiting = lost(school_a)
        confirmed = lost(school_a)
        elsewhere = lost(school_b)
        known = LeaverReturnFactory.create(
            school=school_a, ground_met_date=TODAY, deletion_date=TODAY
        )
    leaver_s2s_upload_confirm(leaver=confirmed, by=staff_a)
    with on(date(2026, 11, 26)):  # Thursday: Tuesday and Wednesday have passed, not 3 days
        assert "s2s" not in run("late_returns", "--dry-run")
        assert "s2s" not in run("late_returns")
    assert not Notification.objects.exists()
    with on(date(2026, 11, 27)), django_capture_on_commit_callbacks(execute=True):
        dry = run("late_returns", "--dry-run")
        first = run("late_returns")
        second = run("late_returns")
    for out in (dry, first):
        assert f"{waiting.reference} s2s" in out and f"{elsewhere.reference} s2s" in out
        assert confirmed.reference not in out and known.reference not in out
    assert "s2s" not in second
    for leaver in (waiting, elsewhere):
        leaver.refresh_from_db()
        assert leaver.s2s_reminded_at is not None
    reminders = Notification.objects.filter(key__startswith="s2s:").order_by("user__pk")
    assert {(n.user, n.key) for n in reminders} == {
        (staff_a, f"s2s:{waiting.reference}"),
        (staff_b, f"s2s:{elsewhere.reference}"),
    }
    note = reminders.get(user=staff_a)
    assert note.url == reverse("schools:return_detail", args=[waiting.reference])
    assert waiting.reference in note.title and waiting.last_name not in note.body
    with on(date(2026, 11, 30)):
        run("late_returns")
    assert Notification.objects.filter(key__startswith="s2s:").count() == 2


def test_the_board_report_counts_late_returns_per_school(
    late_joiner: JoinerReturn, school_b: School
) -> None:
    with on(date(2026, 11, 20)):
        JoinerReturnFactory.create(school=school_b, admission_date=date(2026, 11, 2), is_late=True)
    with on(TODAY):
        run("late_returns")
    rows = list(late_returns_for_board(date(2026, 11, 1), date(2026, 11, 30)))
    assert [(r["school__name"], r["kind"], r["late"]) for r in rows] == [
        ("Alder Primary School", "joiner", 1),
        ("Birch Academy", "joiner", 1),
    ]


# ------------------------------------------------------------------------- part-time reviews


@pytest.fixture
def timetable(school_a: School) -> PartTimeTimetable:
    with on(date(2026, 10, 5)):
        timetable: PartTimeTimetable = PartTimeTimetableFactory.create(
            school=school_a,
            start_date=date(2026, 10, 5),
            next_review_date=date(2026, 11, 20),
            planned_end_date=date(2026, 12, 18),
        )
        return timetable


@pytest.mark.parametrize(("today", "reminded"), [(date(2026, 11, 20), False), (TODAY, True)])
def test_a_timetable_past_its_review_date_is_reminded(
    timetable: PartTimeTimetable, staff_a: User, today: date, reminded: bool
) -> None:
    with on(today):
        run("part_time_reviews")
    timetable.refresh_from_db()
    assert (timetable.review_reminded_on == date(2026, 11, 20)) is reminded


def test_school_staff_are_reminded_once_and_managers_get_one_summary(
    timetable: PartTimeTimetable,
    staff_a: User,
    staff_b: User,
    officer: User,
    manager: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    """The product rule since the outbox (docs/decisions/005-job-outbox.md): the school's
    staff and the managers ONE notification each per day (key <job>:<user id>:<date>), with
    the count, the references and a link; officers nothing."""
    with on(TODAY), django_capture_on_commit_callbacks(execute=True):
        first = run("part_time_reviews")
        second = run("part_time_reviews")
    assert f"{timetable.reference} review 2026-11-20" in first
    assert "flagged 1, notified 2" in first and "flagged 0, notified 0" in second
    assert set(Notification.objects.values_list("user", flat=True)) == {staff_a.pk, manager.pk}
    sent = Notification.objects.get(user=staff_a)
    assert sent.key == f"part_time_reviews:{staff_a.pk}:{TODAY.isoformat()}"
    assert sent.title.startswith("1 part-time timetable past the review")
    assert timetable.reference in sent.body and sent.url == "/school/returns/"
    assert timetable.last_name not in sent.title + sent.body
    summary = Notification.objects.get(user=manager)
    assert summary.key == f"part_time_reviews:{manager.pk}:{TODAY.isoformat()}"
    assert summary.title.startswith("1 part-time timetable")
    assert timetable.reference in summary.body and summary.url == "/returns/"
    assert timetable.last_name not in summary.title + summary.body
    # One email per notification, however often it ran.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([staff_a.email, manager.email])


def test_a_review_that_moves_the_date_re_arms_the_reminder(
    timetable: PartTimeTimetable, staff_a: User
) -> None:
    with on(TODAY):
        run("part_time_reviews")
        timetable_review_record(
            timetable=timetable,
            review=TimetableReview(
                review_date=TODAY,
                outcome=ReviewOutcome.CONTINUE,
                next_review_date=date(2026, 12, 4),
            ),
            by=staff_a,
        )
    with on(date(2026, 12, 4)):
        run("part_time_reviews")
    assert Notification.objects.filter(user=staff_a).count() == 1
    with on(date(2026, 12, 7)):
        out = run("part_time_reviews")
    assert f"{timetable.reference} review 2026-12-04" in out
    assert Notification.objects.filter(user=staff_a).count() == 2
    timetable.refresh_from_db()
    assert timetable.review_reminded_on == date(2026, 12, 4)


def test_a_timetable_past_its_planned_end_is_reminded(
    timetable: PartTimeTimetable, staff_a: User
) -> None:
    timetable.next_review_date = date(2027, 1, 8)
    timetable.save()
    with on(date(2026, 12, 21)):
        out = run("part_time_reviews")
        run("part_time_reviews")
    assert f"{timetable.reference} end 2026-12-18" in out
    timetable.refresh_from_db()
    assert timetable.end_reminded_on == date(2026, 12, 18)
    note = Notification.objects.get(user=staff_a)
    assert "planned end date" in note.title and timetable.reference in note.body


def test_a_timetable_past_both_dates_is_reminded_of_each_once(
    timetable: PartTimeTimetable, staff_a: User, manager: User
) -> None:
    """The review (20 November) is reminded on the 23rd; once the planned end (18 December)
    has passed too, the next run reminds of the end only; then nothing."""
    with on(TODAY):
        first = run("part_time_reviews")
    with on(date(2026, 12, 21)):
        second = run("part_time_reviews")
        third = run("part_time_reviews")
    assert f"{timetable.reference} review 2026-11-20" in first
    assert f"{timetable.reference} end 2026-12-18" in second
    assert f"{timetable.reference} review" not in second and "flagged 1," in second
    assert "flagged 0, notified 0" in third
    timetable.refresh_from_db()
    assert (timetable.review_reminded_on, timetable.end_reminded_on) == (
        date(2026, 11, 20),
        date(2026, 12, 18),
    )
    assert Notification.objects.filter(user=staff_a).count() == 2


def test_both_dates_passed_at_once_are_both_reminded_in_one_notification(
    timetable: PartTimeTimetable, staff_a: User
) -> None:
    with on(date(2026, 12, 21)):
        out = run("part_time_reviews")
    assert f"{timetable.reference} review 2026-11-20" in out
    assert f"{timetable.reference} end 2026-12-18" in out
    assert "flagged 2," in out
    timetable.refresh_from_db()
    assert (timetable.review_reminded_on, timetable.end_reminded_on) == (
        date(2026, 11, 20),
        date(2026, 12, 18),
    )
    note = Notification.objects.get(user=staff_a)  # one summary, the timetable once
    assert note.title.startswith("1 part-time timetable") and timetable.reference in note.body


def test_ended_timetables_are_not_reminded(timetable: PartTimeTimetable, staff_a: User) -> None:
    timetable.ended_on = date(2026, 11, 13)
    timetable.status = ReturnStatus.CLOSED
    timetable.save()
    with on(TODAY):
        out = run("part_time_reviews")
    assert "flagged 0" in out


def test_part_time_dry_run_changes_nothing(timetable: PartTimeTimetable, staff_a: User) -> None:
    with on(TODAY):
        out = run("part_time_reviews", "--dry-run")
    assert timetable.reference in out and "would flag 1" in out
    timetable.refresh_from_db()
    assert timetable.review_reminded_on is None
    assert not Notification.objects.exists()
    assert SchoolReturn.objects.count() == 1


# --------------------------------------------------------------------------- two runs at once


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_claim_a_row_once() -> None:
    """PostgreSQL: the second run skips the rows the first holds, and they no longer match once
    it commits (SQLite serialises writes; the notification and referral keys cover it there)."""
    with on(date(2026, 11, 20)):
        late = JoinerReturnFactory.create(admission_date=date(2026, 11, 9), is_late=True)
    if connection.vendor != "postgresql":
        # SQLite has one writer at a time: the runs can only follow each other. The second
        # must still find nothing to claim.
        with transaction.atomic():
            first_claim = claim(
                SchoolReturn.objects.filter(is_late=True, late_recorded_at__isnull=True),
                late_recorded_at=timezone.now(),
            )
        with transaction.atomic():
            second_claim = claim(
                SchoolReturn.objects.filter(is_late=True, late_recorded_at__isnull=True),
                late_recorded_at=timezone.now(),
            )
        assert (first_claim, second_claim) == ([late.pk], [])
        return
    claimed_first = threading.Event()
    second_done = threading.Event()
    results: dict[str, list[int]] = {}

    def unflagged() -> QuerySet[SchoolReturn]:
        return SchoolReturn.objects.filter(is_late=True, late_recorded_at__isnull=True)

    def first() -> None:
        try:
            with transaction.atomic():
                results["first"] = claim(unflagged(), late_recorded_at=timezone.now())
                claimed_first.set()
                second_done.wait(timeout=10)
        finally:
            connection.close()

    def second() -> None:
        try:
            claimed_first.wait(timeout=10)
            with transaction.atomic():
                results["second"] = claim(unflagged(), late_recorded_at=timezone.now())
            second_done.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert results == {"first": [late.pk], "second": []}
    with transaction.atomic():
        assert claim(unflagged(), late_recorded_at=timezone.now()) == []
