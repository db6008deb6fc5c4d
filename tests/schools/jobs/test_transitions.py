"""The unmatched-leavers check, transitions (schools.jobs.transitions): leavers with no joiner
return from the new school in time.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.test import override_settings

from referrals.models import Referral
from schools.models import School
from tests.factories import ClosureFactory, LeaverReturnFactory
from tests.schools.jobs.helpers import dry_run, joiner_at, leaver_to, on
from tests.schools.jobs.helpers import run_and_raise as run


@pytest.mark.parametrize(
    ("today", "flagged"),
    [
        (date(2026, 6, 1), False),  # the 10th school day after the deletion: still in time
        (date(2026, 6, 2), True),
    ],
)
def test_no_joiner_within_ten_school_days_is_a_transition_not_completed(
    calendar: None,
    school_a: School,
    school_b: School,
    today: date,
    flagged: bool,
) -> None:
    leaver = leaver_to(school_a, school_b)
    with on(today):
        run("unmatched_leavers")
    assert Referral.objects.filter(source_return=leaver).exists() is flagged


def test_the_transition_counts_on_the_new_schools_calendar(
    calendar: None, school_a: School, school_b: School
) -> None:
    """Birch has an INSET day of its own on Monday 1 June: its leaver's 10 school days end a
    day later than those of a leaver to Alder (the LA's calendar), in the same runs."""
    ClosureFactory.create(school=school_b, date=date(2026, 6, 1))
    to_alder = leaver_to(school_b, school_a)
    to_birch = leaver_to(school_a, school_b, first_name="Amir", last_name="Khan")
    with on(date(2026, 6, 2)):
        first = run("unmatched_leavers")
    assert to_alder.reference in first
    assert to_birch.reference not in first
    with on(date(2026, 6, 3)):
        second = run("unmatched_leavers")
    assert to_birch.reference in second
    assert "flagged 1" in second
    assert Referral.objects.filter(source_return__in=[to_alder, to_birch]).count() == 2


def test_the_clock_starts_at_the_later_start_date_at_the_new_school(
    calendar: None, school_a: School, school_b: School
) -> None:
    leaver = leaver_to(school_a, school_b, destination_start_date=date(2026, 5, 18))
    with on(date(2026, 6, 8)):  # the 10th school day after Monday 18 May (half term between)
        run("unmatched_leavers")
    assert not Referral.objects.exists()
    with on(date(2026, 6, 9)):
        run("unmatched_leavers")
    assert Referral.objects.filter(source_return=leaver).count() == 1


@override_settings(CME_TRANSITION_SCHOOL_DAYS=5)
def test_the_number_of_school_days_is_a_setting(
    calendar: None, school_a: School, school_b: School
) -> None:
    leaver_to(school_a, school_b)
    with on(date(2026, 5, 19)):  # 5 school days after 8 May end on 18 May (INSET skipped)
        run("unmatched_leavers")
    assert Referral.objects.count() == 1


def test_leavers_to_other_destinations_are_not_checked(
    calendar: None, school_a: School, school_b: School
) -> None:
    with on(date(2026, 5, 8)):
        LeaverReturnFactory.create(school=school_a, deletion_date=date(2026, 5, 8))  # out of area
    with on(date(2026, 7, 1)):
        run("unmatched_leavers")
    assert not Referral.objects.exists()


def test_unmatched_leavers_dry_run_changes_nothing(
    calendar: None, school_a: School, school_b: School
) -> None:
    leaver = leaver_to(school_a, school_b)
    matched = leaver_to(school_a, school_b, first_name="Amir", last_name="Khan")
    joiner = joiner_at(school_b, first_name="Amir", last_name="Khan")
    dry_run("unmatched_leavers", date(2026, 6, 2), [leaver], passed_over=[matched])
    joiner.refresh_from_db()
    leaver.refresh_from_db()
    assert joiner.matched_leaver_id is None
    assert leaver.transition_flagged_at is None
    assert not Referral.objects.exists()
