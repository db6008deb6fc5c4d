"""The part-time timetable check (schools.jobs.part_time): reviews and planned ends passed."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from pytest_django import DjangoCaptureOnCommitCallbacks

from cme.models import Notification, User
from schools.models import (
    PartTimeTimetable,
    ReturnStatus,
    ReviewOutcome,
    School,
    SchoolReturn,
    TimetableReview,
)
from schools.services import timetable_review_record
from tests.factories import PartTimeTimetableFactory
from tests.schools.jobs.helpers import TODAY, dry_run
from tests.schools.jobs.helpers import at as on
from tests.schools.jobs.helpers import run_check as run


@pytest.fixture
def timetable(school_a: School) -> PartTimeTimetable:
    with on(date(2026, 10, 5)):
        return PartTimeTimetableFactory.create(
            school=school_a,
            start_date=date(2026, 10, 5),
            next_review_date=date(2026, 11, 20),
            planned_end_date=date(2026, 12, 18),
        )


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
    assert "flagged 1, notified 2" in first
    assert "flagged 0, notified 0" in second
    assert set(Notification.objects.values_list("user", flat=True)) == {staff_a.pk, manager.pk}
    for user, title, url in (
        (staff_a, "1 part-time timetable past the review", "/school/returns/"),
        (manager, "1 part-time timetable", "/returns/"),  # the managers' summary
    ):
        sent = Notification.objects.get(user=user)
        assert sent.key == f"part_time_reviews:{user.pk}:{TODAY.isoformat()}"
        assert sent.title.startswith(title)
        assert timetable.reference in sent.body
        assert sent.url == url
        assert timetable.last_name not in sent.title + sent.body
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
    assert "planned end date" in note.title
    assert timetable.reference in note.body


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
    assert f"{timetable.reference} review" not in second
    assert "flagged 1," in second
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
    assert note.title.startswith("1 part-time timetable")
    assert timetable.reference in note.body


def test_ended_timetables_are_not_reminded(timetable: PartTimeTimetable, staff_a: User) -> None:
    timetable.ended_on = date(2026, 11, 13)
    timetable.status = ReturnStatus.CLOSED
    timetable.save()
    with on(TODAY):
        out = run("part_time_reviews")
    assert "flagged 0" in out


def test_part_time_dry_run_changes_nothing(timetable: PartTimeTimetable, staff_a: User) -> None:
    dry_run("part_time_reviews", TODAY, [timetable])
    timetable.refresh_from_db()
    assert timetable.review_reminded_on is None
    assert SchoolReturn.objects.count() == 1
