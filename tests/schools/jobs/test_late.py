"""The late-returns check (schools.jobs.late): late returns told to schools, s2s reminders."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from cme.models import Notification, User
from cme.references import new_reference
from reports.figures import board_figures
from schools.models import DestinationType, JoinerReturn, LeaverReturn, School, SchoolReturn
from tests.factories import JoinerReturnFactory, LeaverReturnFactory, TermFactory
from tests.schools.jobs.helpers import TODAY, dry_run
from tests.schools.jobs.helpers import at as on
from tests.schools.jobs.helpers import run_check as run


@pytest.fixture
def late_joiner(school_a: School) -> JoinerReturn:
    with on(date(2026, 11, 20)):
        return JoinerReturnFactory.create(
            school=school_a, admission_date=date(2026, 11, 9), is_late=True
        )


@pytest.fixture
def on_time_joiner(school_a: School) -> JoinerReturn:
    with on(date(2026, 11, 20)):
        return JoinerReturnFactory.create(school=school_a, admission_date=date(2026, 11, 18))


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
    assert late_joiner.reference in first
    assert on_time_joiner.reference not in first
    assert "flagged 1, notified 1" in first
    assert "flagged 0, notified 0" in second
    late_joiner.refresh_from_db()
    on_time_joiner.refresh_from_db()
    recorded_at = late_joiner.late_notified_at
    assert recorded_at is not None
    assert on_time_joiner.late_notified_at is None
    sent = Notification.objects.get()
    assert sent.user == staff_a
    assert sent.key == f"late:{late_joiner.school_id}:2026-11-23"
    assert sent.title == "1 late school return recorded"
    assert late_joiner.reference in sent.body
    assert late_joiner.last_name not in sent.body
    assert len(mail.outbox) == 1
    with on(date(2026, 11, 24)):
        run("late_returns")
    late_joiner.refresh_from_db()
    assert late_joiner.late_notified_at == recorded_at
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
    assert ", ".join(refs) not in html
    assert " ".join(refs) not in html
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
    assert missed.reference in out
    assert in_time.reference not in out
    missed.refresh_from_db()
    in_time.refresh_from_db()
    assert missed.is_late
    assert missed.late_notified_at is not None
    assert not in_time.is_late
    assert in_time.late_notified_at is None


def test_a_leaver_is_late_by_the_date_in_london(school_a: School) -> None:
    # Midnight in London in summer is 23:00 the day before in UTC: a day late all the same.
    with on(date(2026, 7, 1), hour=0):
        leaver = LeaverReturnFactory.create(
            school=school_a, ground_met_date=date(2026, 6, 29), deletion_date=date(2026, 6, 30)
        )
    with on(date(2026, 7, 2)):
        run("late_returns")
    leaver.refresh_from_db()
    assert leaver.is_late
    assert leaver.late_notified_at is not None


def test_late_returns_dry_run_lists_references_and_changes_nothing(
    late_joiner: JoinerReturn, staff_a: User
) -> None:
    dry_run("late_returns", TODAY, [late_joiner])
    late_joiner.refresh_from_db()
    assert late_joiner.late_notified_at is None


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

    from schools.services import leaver_s2s_upload_confirm

    TermFactory.create(name="Autumn 2 2026", start=date(2026, 11, 2), end=date(2026, 12, 18))

    def lost(school: School, **fields: object) -> LeaverReturn:
        return LeaverReturnFactory.create(
            school=school,
            ground_met_date=date(2026, 11, 23),
            deletion_date=date(2026, 11, 23),
            destination_type=DestinationType.UNKNOWN,
            destination_school_name="",
            destination_la="",
            s2s_lost_pupil_uploaded=False,
            **fields,
        )

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
        assert f"{waiting.reference} s2s" in out
        assert f"{elsewhere.reference} s2s" in out
        assert confirmed.reference not in out
        assert known.reference not in out
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
    assert waiting.reference in note.title
    assert waiting.last_name not in note.body
    with on(date(2026, 11, 30)):
        run("late_returns")
    assert Notification.objects.filter(key__startswith="s2s:").count() == 2


def test_the_board_counts_late_returns_whether_or_not_the_sweep_has_run(
    late_joiner: JoinerReturn, school_b: School
) -> None:
    """One meaning of "late" (issue 13 item 8): the board figure is the returns with
    ``is_late``; the sweep's ``late_notified_at`` (the school was told) changes nothing."""
    with on(date(2026, 11, 20)):
        JoinerReturnFactory.create(school=school_b, admission_date=date(2026, 11, 2), is_late=True)

    def late_joiners() -> list[list[object]]:
        table = next(
            t
            for t in board_figures(date(2026, 11, 1), date(2026, 11, 30)).tables
            if t.key == "returns_by_school"
        )
        return [[r[0], r[1]] for r in table.rows]

    expected = [["Alder Primary School", 1], ["Birch Academy", 1], ["Total", 2]]
    with on(TODAY):
        assert late_joiners() == expected
        assert not SchoolReturn.objects.filter(late_notified_at__isnull=False).exists()
        run("late_returns")
        assert SchoolReturn.objects.filter(late_notified_at__isnull=False).count() == 2
        assert late_joiners() == expected
