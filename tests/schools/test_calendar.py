"""term_calendar_for: which terms and closures a school counts school days on."""

from __future__ import annotations

from datetime import date

import pytest

from cme.statutory import is_school_day, school_days_between
from schools.models import School
from schools.selectors import term_calendar_for
from tests.factories import ClosureFactory, TermFactory

pytestmark = pytest.mark.django_db

# Summer 2026: May Day (Monday 4 May) falls in the first half; half-term is 25-29 May,
# starting on the spring bank holiday.
SUMMER_1 = (date(2026, 4, 13), date(2026, 5, 22))
SUMMER_2 = (date(2026, 6, 1), date(2026, 7, 22))
WINDOW = (date(2026, 4, 1), date(2026, 7, 31))


@pytest.fixture
def la_terms() -> None:
    TermFactory.create(name="Summer 1 2026", start=SUMMER_1[0], end=SUMMER_1[1])
    TermFactory.create(name="Summer 2 2026", start=SUMMER_2[0], end=SUMMER_2[1])


def test_a_school_without_terms_of_its_own_uses_the_las(school_a: School, la_terms: None) -> None:
    cal = term_calendar_for(school_a, *WINDOW)

    assert cal.terms == (SUMMER_1, SUMMER_2)
    assert cal.closures == frozenset()


def test_a_school_with_terms_of_its_own_uses_only_those(
    school_a: School, school_b: School, la_terms: None
) -> None:
    own = (date(2026, 4, 20), date(2026, 7, 17))
    TermFactory.create(school=school_b, name="Summer 2026", start=own[0], end=own[1])

    assert term_calendar_for(school_b, *WINDOW).terms == (own,)
    # Another school's own terms change nothing for a school without any.
    assert term_calendar_for(school_a, *WINDOW).terms == (SUMMER_1, SUMMER_2)


def test_no_school_means_the_las_calendar(school_a: School, la_terms: None) -> None:
    TermFactory.create(school=school_a, name="Own", start=date(2026, 4, 20), end=date(2026, 7, 17))
    ClosureFactory.create(school=school_a, date=date(2026, 6, 2))
    ClosureFactory.create(school=None, date=date(2026, 6, 1))

    cal = term_calendar_for(None, *WINDOW)

    assert cal.terms == (SUMMER_1, SUMMER_2)
    assert cal.closures == frozenset({date(2026, 6, 1)})


def test_terms_outside_the_window_are_left_out(school_a: School, la_terms: None) -> None:
    TermFactory.create(name="Autumn 2026", start=date(2026, 9, 2), end=date(2026, 12, 18))

    assert term_calendar_for(school_a, *WINDOW).terms == (SUMMER_1, SUMMER_2)


def test_la_wide_and_own_closures_apply_but_not_another_schools(
    school_a: School, school_b: School, la_terms: None
) -> None:
    ClosureFactory.create(school=None, date=date(2026, 6, 1), reason="INSET day (all schools)")
    ClosureFactory.create(school=school_a, date=date(2026, 6, 2))
    ClosureFactory.create(school=school_b, date=date(2026, 6, 3))
    ClosureFactory.create(school=school_a, date=date(2026, 9, 1))  # outside the window

    cal = term_calendar_for(school_a, *WINDOW)

    assert cal.closures == frozenset({date(2026, 6, 1), date(2026, 6, 2)})
    assert not is_school_day(cal, date(2026, 6, 2))
    assert is_school_day(cal, date(2026, 6, 3))
    assert not is_school_day(term_calendar_for(school_b, *WINDOW), date(2026, 6, 3))


def test_school_days_over_half_term_with_a_bank_holiday(
    school_a: School, school_b: School, la_terms: None
) -> None:
    # After Friday 1 May up to Friday 5 June 2026:
    #   4-8 May      4 (Monday 4 May is the early May bank holiday)
    #   11-15 May    5
    #   18-22 May    5
    #   25-29 May    0 (half-term; the 25th is also the spring bank holiday)
    #   1-5 June     5
    start, end = date(2026, 5, 1), date(2026, 6, 5)
    assert school_days_between(term_calendar_for(school_a, *WINDOW), start, end) == 19

    ClosureFactory.create(school=None, date=date(2026, 6, 1))  # LA-wide INSET
    ClosureFactory.create(school=school_a, date=date(2026, 6, 2))  # school A's own INSET
    ClosureFactory.create(school=school_b, date=date(2026, 6, 3))  # school B's: not A's

    assert school_days_between(term_calendar_for(school_a, *WINDOW), start, end) == 17
    assert school_days_between(term_calendar_for(school_b, *WINDOW), start, end) == 17
    assert school_days_between(term_calendar_for(None, *WINDOW), start, end) == 18
