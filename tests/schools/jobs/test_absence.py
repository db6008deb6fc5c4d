"""The continuous-absence check (schools.jobs.absence): reg 9(1)(h), (i), counted on each
school's calendar (tests/schools/jobs/helpers.py describes the calendar).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from cme.models import Notification, User
from cme.statutory import add_school_days, school_day_back, school_days_threshold_date
from referrals.models import Referral
from schools.models import AbsenceNotification, AbsenceType, ReturnStatus, School, Whereabouts
from schools.selectors import term_calendar_for
from tests.factories import AbsenceNotificationFactory, ClosureFactory, SchoolFactory, TermFactory
from tests.schools.jobs.helpers import absence, dry_run, on
from tests.schools.jobs.helpers import run_and_raise as run


def test_the_calendar_in_these_tests(calendar: None, school_a: School) -> None:
    cal = term_calendar_for(school_a, date(2026, 1, 1), date(2026, 12, 31))
    # The counting the job does backwards agrees with the statutory helpers counting forwards.
    assert school_days_threshold_date(cal, date(2026, 4, 20), 20) == date(2026, 5, 19)
    assert school_day_back(cal, date(2026, 5, 19), 20) == date(2026, 4, 20)
    assert add_school_days(cal, date(2026, 5, 8), 10) == date(2026, 6, 1)
    assert school_day_back(cal, date(2026, 6, 1), 10) == date(2026, 5, 11)
    assert school_day_back(cal, date(2026, 4, 20), 20) is None  # not enough terms behind


@pytest.mark.parametrize(
    ("today", "flagged"),
    [
        (date(2026, 5, 18), False),  # 19 school days: 4 May bank holiday and 15 May INSET skipped
        (date(2026, 5, 19), True),  # the 20th school day
    ],
)
def test_twenty_school_days_of_unauthorised_absence_reach_the_threshold(
    calendar: None,
    school_a: School,
    today: date,
    flagged: bool,
) -> None:
    notification = absence(school_a, first_day_of_absence=date(2026, 4, 20))
    with on(today):
        run("continuous_absence")
    notification.refresh_from_db()
    assert notification.threshold_reached_on == (today if flagged else None)


@pytest.mark.parametrize(
    ("today", "flagged"),
    [
        (date(2026, 6, 12), False),  # 19 school days, half-term week and a weekend between
        (date(2026, 6, 13), False),  # Saturday: still 19
        (date(2026, 6, 14), False),  # Sunday: still 19
        (date(2026, 6, 15), True),  # Monday: the 20th
    ],
)
def test_weekends_and_half_term_are_not_school_days(
    calendar: None, school_a: School, today: date, flagged: bool
) -> None:
    notification = absence(school_a, first_day_of_absence=date(2026, 5, 11))
    with on(today):
        run("continuous_absence")
    notification.refresh_from_db()
    assert (notification.threshold_reached_on is not None) is flagged


@pytest.mark.parametrize(
    ("today", "flagged"),
    [
        (date(2026, 5, 22), False),  # 9 school days after the leave ended (INSET skipped)
        (date(2026, 5, 30), False),  # half term: still 9
        (date(2026, 6, 1), True),  # the 10th, first day of the next half term
    ],
)
def test_ten_school_days_after_leave_of_absence_reach_the_threshold(
    calendar: None,
    school_a: School,
    today: date,
    flagged: bool,
) -> None:
    notification = absence(
        school_a,
        absence_type=AbsenceType.AFTER_LEAVE,
        leave_end_date=date(2026, 5, 8),
        first_day_of_absence=date(2026, 5, 11),
    )
    with on(today):
        run("continuous_absence")
    notification.refresh_from_db()
    assert (notification.threshold_reached_on is not None) is flagged


def test_a_school_with_its_own_terms_counts_on_them(
    calendar: None, school_a: School, school_b: School
) -> None:
    # Birch Academy's summer term starts two weeks after the LA's.
    TermFactory.create(
        school=school_b, name="Summer", start=date(2026, 4, 27), end=date(2026, 7, 17)
    )
    at_a = absence(school_a, first_day_of_absence=date(2026, 4, 20))
    at_b = absence(school_b, first_day_of_absence=date(2026, 4, 20))
    with on(date(2026, 5, 19)):
        run("continuous_absence")
    at_a.refresh_from_db()
    at_b.refresh_from_db()
    assert at_a.threshold_reached_on == date(2026, 5, 19)
    assert at_b.threshold_reached_on is None


def test_schools_on_their_own_calendars_and_on_the_las_in_one_run(
    calendar: None, school_a: School, school_b: School
) -> None:
    """Each school's cut-off in the same run: the LA's calendar (Alder), an INSET day of its
    own (Birch: Monday 8 June), terms of its own with no half term (Cedar), and terms of its
    own that began too recently to hold 20 school days (Damson: from 1 June)."""
    cedar = SchoolFactory.create(urn=100003, name="Cedar Free School")
    damson = SchoolFactory.create(urn=100004, name="Damson Academy")
    ClosureFactory.create(school=school_b, date=date(2026, 6, 8))
    TermFactory.create(school=cedar, name="Summer", start=date(2026, 4, 13), end=date(2026, 7, 17))
    TermFactory.create(
        school=damson, name="Summer 2", start=date(2026, 6, 1), end=date(2026, 7, 17)
    )

    def unauthorised(school: School, first_day: date) -> AbsenceNotification:
        with on(date(2026, 6, 12)):
            return AbsenceNotificationFactory.create(school=school, first_day_of_absence=first_day)

    def after_leave(school: School, leave_end: date) -> AbsenceNotification:
        with on(date(2026, 6, 12)):
            return AbsenceNotificationFactory.create(
                school=school,
                absence_type=AbsenceType.AFTER_LEAVE,
                leave_end_date=leave_end,
                first_day_of_absence=leave_end,
            )

    # On Monday 15 June the 20th school day back is 11 May on the LA's calendar, 8 May at
    # Birch, 18 May at Cedar (no half term); the 10th is 2 June, and 1 June at Birch.
    expected = {
        unauthorised(school_a, date(2026, 5, 11)): True,
        unauthorised(school_a, date(2026, 5, 12)): False,
        after_leave(school_a, date(2026, 6, 1)): True,
        unauthorised(school_b, date(2026, 5, 8)): True,
        unauthorised(school_b, date(2026, 5, 11)): False,
        after_leave(school_b, date(2026, 6, 1)): False,
        unauthorised(cedar, date(2026, 5, 18)): True,
        unauthorised(cedar, date(2026, 5, 19)): False,
        unauthorised(damson, date(2026, 3, 2)): False,  # not 20 school days in its terms yet
        after_leave(damson, date(2026, 6, 1)): True,
    }
    due = sorted(n.reference for n, flagged in expected.items() if flagged)
    with on(date(2026, 6, 15)):
        dry = run("continuous_absence", "--dry-run")
        out = run("continuous_absence")
    for notification, flagged in expected.items():
        assert (notification.reference in dry) is flagged
        assert (notification.reference in out) is flagged
        notification.refresh_from_db()
        assert notification.threshold_reached_on == (date(2026, 6, 15) if flagged else None)
    assert f"would flag {len(due)}" in dry
    assert f"flagged {len(due)}," in out


def test_school_staff_and_managers_are_prompted_once_however_often_it_runs(
    calendar: None,
    school_a: School,
    staff_a: User,
    staff_b: User,
    manager: User,
    officer: User,
) -> None:
    notification = absence(
        school_a, first_day_of_absence=date(2026, 4, 20), whereabouts=Whereabouts.KNOWN
    )
    with on(date(2026, 5, 19)):
        first = run("continuous_absence")
        second = run("continuous_absence")
    with on(date(2026, 5, 20)):
        run("continuous_absence")
    assert notification.reference in first
    assert "flagged 1, notified 2" in first
    assert "flagged 0, notified 0" in second
    for user in (staff_a, manager):
        sent = Notification.objects.get(user=user)  # one per person per day
        assert sent.key == f"continuous_absence:{user.pk}:2026-05-19"
        assert sent.title.startswith("1 absence notification at the deletion threshold")
        assert notification.reference in sent.body
        assert notification.first_name not in sent.title + sent.body
        assert "joint reasonable enquiries" in sent.body
    assert not Notification.objects.filter(user__in=[staff_b, officer]).exists()
    notification.refresh_from_db()
    assert notification.threshold_reached_on == date(2026, 5, 19)
    assert not Referral.objects.exists()  # whereabouts known: no referral


def test_the_school_and_the_la_see_the_threshold_on_the_return(
    calendar: None,
    school_a: School,
    staff_a: User,
    manager: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:

    from tests.conftest import client_for

    reached = absence(school_a, first_day_of_absence=date(2026, 4, 20))
    waiting = absence(school_a, first_day_of_absence=date(2026, 5, 11))
    with on(date(2026, 5, 19)):
        run("continuous_absence")
        school, la = client_for(staff_a), client_for(manager)
        listed = school.get(reverse("schools:return_list")).content.decode()
        tag = "Deletion threshold reached</strong>"

        def row(html: str, r: AbsenceNotification) -> str:
            return html.split(f">{r.reference}</a>")[1].split("</tr>", maxsplit=1)[0]

        assert tag in row(listed, reached)
        assert tag not in row(listed, waiting)
        la_list = la.get(reverse("schools:la_returns")).content.decode()
        assert tag in row(la_list, reached)
        assert tag not in row(la_list, waiting)
        detail = school.get(reverse("schools:return_detail", args=[reached.reference]))
        assert "Reached on 19 May 2026. The school and the CME team must make joint" in (
            detail.content.decode()
        )
        other = la.get(reverse("schools:la_return_detail", args=[waiting.reference]))
        assert "Deletion threshold</dt>" in other.content.decode()
        assert "Not reached" in other.content.decode()
        for _ in range(5):
            absence(school_a, first_day_of_absence=date(2026, 4, 20))
        run("continuous_absence")
        with django_assert_max_num_queries(12):  # the same whatever the number of returns
            assert school.get(reverse("schools:return_list")).status_code == 200


def test_a_dry_run_lists_references_and_changes_nothing(
    calendar: None, school_a: School, staff_a: User, manager: User
) -> None:
    due = absence(school_a, first_day_of_absence=date(2026, 4, 20))
    not_yet = absence(school_a, first_day_of_absence=date(2026, 4, 21))
    dry_run("continuous_absence", date(2026, 5, 19), [due], passed_over=[not_yet])
    due.refresh_from_db()
    assert due.threshold_reached_on is None
    assert not Referral.objects.exists()


def test_closed_notifications_are_not_flagged(calendar: None, school_a: School) -> None:
    notification = absence(
        school_a, first_day_of_absence=date(2026, 4, 20), status=ReturnStatus.CLOSED
    )
    with on(date(2026, 5, 19)):
        run("continuous_absence")
    notification.refresh_from_db()
    assert notification.threshold_reached_on is None
