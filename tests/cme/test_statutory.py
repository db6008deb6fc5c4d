"""Tests for cme.statutory. Every expected value below was worked out by hand from the
statute and the published England and Wales bank holiday calendar, not from the code."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.test import override_settings

from cme import statutory
from cme.statutory import (
    TermCalendar,
    add_school_days,
    add_working_days,
    compulsory_school_age,
    consecutive_school_days_from,
    enquiry_due_date,
    is_compulsory_school_age,
    is_school_day,
    is_working_day,
    national_curriculum_year,
    national_curriculum_year_dobs,
    school_days_between,
    school_days_threshold_date,
    upn_check_letter,
    upn_check_letter_valid,
    working_days_between,
)

D = date

# ------------------------------------------------------------------------- working days


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (D(2026, 12, 24), True),  # Thu Christmas Eve: not a bank holiday
        (D(2026, 12, 25), False),  # Fri Christmas Day
        (D(2026, 12, 26), False),  # Sat Boxing Day
        (D(2026, 12, 28), False),  # Mon substitute for Boxing Day
        (D(2026, 12, 29), True),
        (D(2027, 1, 1), False),  # Fri New Year's Day
        (D(2027, 12, 27), False),  # Mon substitute for Christmas Day (Sat)
        (D(2027, 12, 28), False),  # Tue substitute for Boxing Day (Sun)
        (D(2027, 12, 29), True),
        (D(2028, 1, 3), False),  # Mon substitute for New Year's Day (Sat 1 Jan 2028)
        (D(2026, 4, 3), False),  # Good Friday 2026
        (D(2026, 4, 6), False),  # Easter Monday 2026
        (D(2026, 4, 7), True),
        (D(2027, 3, 26), False),  # Good Friday 2027
        (D(2027, 3, 29), False),  # Easter Monday 2027
        (D(2026, 5, 4), False),  # early May bank holiday 2026
        (D(2026, 5, 25), False),  # spring bank holiday 2026
        (D(2027, 5, 3), False),  # early May 2027
        (D(2027, 5, 31), False),  # spring 2027
        (D(2026, 8, 31), False),  # summer bank holiday 2026
        (D(2026, 1, 10), False),  # Saturday
        (D(2026, 1, 11), False),  # Sunday
        (D(2026, 1, 12), True),  # ordinary Monday
    ],
)
def test_is_working_day(d: date, expected: bool) -> None:
    assert is_working_day(d) is expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Thu 17 Dec 2026: 18,21,22,23,24 (5); 25,26,27,28 off; 29,30,31 (8); 1 Jan off;
        # Mon 4 (9), Tue 5 Jan 2027 (10).
        (D(2026, 12, 17), 10, D(2027, 1, 5)),
        (D(2026, 12, 24), 1, D(2026, 12, 29)),  # over Christmas and the substitute Monday
        # Fri 24 Dec 2027: Mon 27 and Tue 28 are both substitutes.
        (D(2027, 12, 24), 1, D(2027, 12, 29)),
        # 29,30,31 Dec (3); Mon 3 Jan 2028 substitute; Tue 4 (4), Wed 5 (5).
        (D(2027, 12, 24), 5, D(2028, 1, 5)),
        (D(2026, 4, 2), 1, D(2026, 4, 7)),  # Thu before Good Friday → Tue after Easter
        # Thu 2 Apr 2026: 7,8,9,10 (4); 13..17 (9); Mon 20 Apr (10).
        (D(2026, 4, 2), 10, D(2026, 4, 20)),
        (D(2027, 3, 25), 1, D(2027, 3, 30)),  # Easter 2027
        (D(2026, 5, 1), 1, D(2026, 5, 5)),  # Fri → early May bank holiday → Tue
        (D(2026, 5, 22), 1, D(2026, 5, 26)),  # Fri → spring bank holiday → Tue
        (D(2027, 4, 30), 1, D(2027, 5, 4)),
        (D(2027, 5, 28), 1, D(2027, 6, 1)),
        (D(2026, 8, 28), 1, D(2026, 9, 1)),  # summer bank holiday
        (D(2026, 1, 10), 1, D(2026, 1, 12)),  # start on a Saturday
        (D(2026, 1, 11), 5, D(2026, 1, 16)),  # start on a Sunday
        (D(2026, 1, 12), 10, D(2026, 1, 26)),  # two plain weeks
        (D(2026, 12, 26), 0, D(2026, 12, 26)),  # n=0 returns start, even a holiday
        (D(2026, 1, 12), 0, D(2026, 1, 12)),
    ],
)
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert add_working_days(start, n) == expected


def test_add_working_days_negative() -> None:
    with pytest.raises(ValueError, match="n must be >= 0"):
        add_working_days(D(2026, 1, 12), -1)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2026, 12, 17), D(2027, 1, 5), 10),
        (D(2027, 12, 24), D(2027, 12, 29), 1),
        (D(2027, 12, 24), D(2027, 12, 28), 0),
        (D(2026, 4, 2), D(2026, 4, 20), 10),
        (D(2026, 1, 9), D(2026, 1, 12), 1),  # Fri → Mon
        (D(2026, 1, 10), D(2026, 1, 11), 0),  # weekend only
        (D(2026, 1, 12), D(2026, 1, 12), 0),  # same day
        (D(2026, 1, 20), D(2026, 1, 12), 0),  # end before start
    ],
)
def test_working_days_between(start: date, end: date, expected: int) -> None:
    assert working_days_between(start, end) == expected


@pytest.mark.parametrize("n", [0, 1, 5, 10, 20, 60])
@pytest.mark.parametrize("start", [D(2026, 12, 17), D(2027, 3, 20), D(2027, 12, 25)])
def test_working_days_round_trip(start: date, n: int) -> None:
    assert working_days_between(start, add_working_days(start, n)) == n


# -------------------------------------------------------------------------- enquiry due


@override_settings(CME_ENQUIRY_WORKING_DAYS=10)
def test_enquiry_due_date_ten_over_christmas() -> None:
    assert enquiry_due_date(D(2026, 12, 17)) == D(2027, 1, 5)


@override_settings(CME_ENQUIRY_WORKING_DAYS=5)
@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (D(2026, 12, 17), D(2026, 12, 24)),  # 18,21,22,23,24
        (D(2026, 4, 2), D(2026, 4, 13)),  # 7,8,9,10,13 (Easter skipped)
        (D(2026, 1, 10), D(2026, 1, 16)),  # received on a Saturday
    ],
)
def test_enquiry_due_date_five(received: date, expected: date) -> None:
    assert enquiry_due_date(received) == expected


def test_enquiry_due_date_defaults_to_ten() -> None:
    with override_settings(CME_ENQUIRY_WORKING_DAYS=5):
        del settings.CME_ENQUIRY_WORKING_DAYS
        assert enquiry_due_date(D(2026, 12, 17)) == D(2027, 1, 5)


# -------------------------------------------------------------- compulsory school age


@pytest.mark.parametrize(
    ("dob", "start"),
    [
        (D(2020, 3, 31), D(2025, 3, 31)),  # 5th birthday on a prescribed day: that day
        (D(2020, 4, 1), D(2025, 8, 31)),  # day after → next prescribed day
        (D(2020, 8, 31), D(2025, 8, 31)),
        (D(2020, 9, 1), D(2025, 12, 31)),
        (D(2020, 12, 31), D(2025, 12, 31)),
        (D(2021, 1, 1), D(2026, 3, 31)),
        (D(2020, 3, 30), D(2025, 3, 31)),
        # 29 Feb births: 5th birthday in a non-leap year taken as 1 March.
        (D(2020, 2, 29), D(2025, 3, 31)),
        (D(2016, 2, 29), D(2021, 3, 31)),
        (D(2007, 9, 23), D(2012, 12, 31)),
    ],
)
def test_compulsory_school_age_start(dob: date, start: date) -> None:
    assert compulsory_school_age(dob)[0] == start


@pytest.mark.parametrize(
    ("dob", "end"),
    [
        (D(2007, 9, 23), D(2024, 6, 28)),  # DOMAIN.md worked example; 30 Jun 2024 is a Sun
        (D(2008, 3, 1), D(2024, 6, 28)),
        (D(2008, 6, 28), D(2024, 6, 28)),  # turns 16 on the leaving date itself, s8(3)(b)
        (D(2008, 7, 15), D(2024, 6, 28)),  # turns 16 after it, before 1 Sep, s8(3)(a)
        (D(2008, 8, 31), D(2024, 6, 28)),  # youngest of the 2023/24 cohort
        (D(2008, 9, 1), D(2025, 6, 27)),  # oldest of 2024/25; 30 Jun 2025 is a Mon
        (D(2009, 9, 1), D(2026, 6, 26)),  # 30 Jun 2026 is a Tue
        (D(2010, 8, 31), D(2026, 6, 26)),
        (D(2010, 9, 1), D(2027, 6, 25)),  # 30 Jun 2027 is a Wed
        (D(2008, 2, 29), D(2024, 6, 28)),  # 16th birthday 29 Feb 2024
        (D(2016, 2, 29), D(2032, 6, 25)),  # 30 Jun 2032 is a Wed
        (D(2020, 2, 29), D(2036, 6, 27)),  # 30 Jun 2036 is a Mon
    ],
)
def test_compulsory_school_age_end(dob: date, end: date) -> None:
    assert compulsory_school_age(dob)[1] == end


def test_compulsory_school_age_end_is_friday_in_june() -> None:
    for year in range(2000, 2020):
        for month in (1, 6, 8, 9, 12):
            end = compulsory_school_age(D(year, month, 15))[1]
            assert end.weekday() == 4
            assert end.month == 6
            assert end.day >= 24


@pytest.mark.parametrize(
    ("dob", "on", "expected"),
    [
        (D(2020, 9, 1), D(2025, 12, 30), False),
        (D(2020, 9, 1), D(2025, 12, 31), True),  # first day inclusive
        (D(2007, 9, 23), D(2024, 6, 28), True),  # last day inclusive
        (D(2007, 9, 23), D(2024, 6, 29), False),
        (D(2008, 7, 15), D(2024, 7, 1), False),  # ceased before turning 16
        (D(2020, 2, 29), D(2025, 3, 30), False),
        (D(2020, 2, 29), D(2025, 3, 31), True),
    ],
)
def test_is_compulsory_school_age(dob: date, on: date, expected: bool) -> None:
    assert is_compulsory_school_age(dob, on) is expected


@pytest.mark.parametrize(
    ("dob", "on", "expected"),
    [
        (D(2020, 9, 1), D(2025, 10, 15), 0),  # 4 on 31 Aug 2025 → Reception
        (D(2021, 8, 31), D(2025, 10, 15), 0),  # 4th birthday on 31 Aug → Reception
        (D(2021, 9, 1), D(2025, 10, 15), -1),  # nursery
        (D(2020, 8, 31), D(2025, 10, 15), 1),
        (D(2020, 2, 29), D(2025, 10, 1), 1),
        (D(2009, 9, 23), D(2025, 10, 15), 11),
        (D(2007, 9, 23), D(2025, 10, 15), 13),
        (D(2020, 9, 1), D(2026, 7, 15), 0),  # same school year in July
        (D(2020, 9, 1), D(2026, 8, 31), 0),  # last day of the school year
        (D(2020, 9, 1), D(2026, 9, 1), 1),  # new school year
        (D(2014, 8, 31), D(2025, 9, 1), 7),  # 11 on 31 Aug 2025: starts Year 7
        (D(2014, 9, 1), D(2025, 9, 1), 6),  # a day younger: still Year 6
    ],
)
def test_national_curriculum_year(dob: date, on: date, expected: int) -> None:
    assert national_curriculum_year(dob, on) == expected


@pytest.mark.parametrize("on", [D(2025, 10, 15), D(2026, 8, 31), D(2026, 9, 1), D(2028, 2, 29)])
@pytest.mark.parametrize("year", [-1, 0, 6, 11, 12])
def test_the_dates_of_birth_of_a_year_group_are_those_in_it(year: int, on: date) -> None:
    oldest, youngest = national_curriculum_year_dobs(year, on)
    assert (youngest.month, youngest.day) == (8, 31)
    assert oldest == D(youngest.year - 1, 9, 1)
    assert national_curriculum_year(oldest, on) == national_curriculum_year(youngest, on) == year
    assert national_curriculum_year(oldest - timedelta(days=1), on) == year + 1
    assert national_curriculum_year(youngest + timedelta(days=1), on) == year - 1


# --------------------------------------------------------------------------- school days

# Summer 2026: term 1 Mon 13 Apr - Fri 22 May (early May bank holiday Mon 4 May inside it);
# half term 25-29 May (spring bank holiday); term 2 Mon 1 Jun - Tue 21 Jul.
# Closures (INSET): Mon 13 Apr and Fri 5 Jun.
# Running totals of school days: w/c 13 Apr 4, 20 Apr 9, 27 Apr 14, 4 May 18, 11 May 23,
# 18 May 28 | 1 Jun 32, 8 Jun 37, 15 Jun 42, 22 Jun 47, 29 Jun 52, 6 Jul 57, 13 Jul 62,
# 20-21 Jul 64.
CAL = TermCalendar(
    terms=((D(2026, 4, 13), D(2026, 5, 22)), (D(2026, 6, 1), D(2026, 7, 21))),
    closures=frozenset({D(2026, 4, 13), D(2026, 6, 5)}),
)


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (D(2026, 4, 10), False),  # before term
        (D(2026, 4, 13), False),  # closure
        (D(2026, 4, 14), True),
        (D(2026, 4, 18), False),  # Saturday
        (D(2026, 5, 4), False),  # bank holiday in term
        (D(2026, 5, 5), True),
        (D(2026, 5, 26), False),  # half term weekday
        (D(2026, 6, 1), True),
        (D(2026, 6, 5), False),  # closure
        (D(2026, 7, 21), True),  # last day of term
        (D(2026, 7, 22), False),
    ],
)
def test_is_school_day(d: date, expected: bool) -> None:
    assert is_school_day(CAL, d) is expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2026, 4, 14), D(2026, 4, 17), 3),
        (D(2026, 4, 10), D(2026, 5, 22), 28),
        (D(2026, 4, 10), D(2026, 7, 31), 64),
        (D(2026, 5, 22), D(2026, 6, 1), 1),  # across half term
        (D(2026, 5, 1), D(2026, 5, 5), 1),  # across the bank holiday
        (D(2026, 6, 4), D(2026, 6, 8), 1),  # across the closure
        (D(2026, 6, 1), D(2026, 6, 1), 0),
        (D(2026, 7, 22), D(2026, 6, 1), 0),
    ],
)
def test_school_days_between(start: date, end: date, expected: int) -> None:
    assert school_days_between(CAL, start, end) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 5, 1), 1, D(2026, 5, 5)),
        (D(2026, 5, 22), 1, D(2026, 6, 1)),
        (D(2026, 6, 4), 1, D(2026, 6, 8)),
        (D(2026, 4, 1), 1, D(2026, 4, 14)),  # before term, skipping the INSET day
        (D(2026, 7, 20), 1, D(2026, 7, 21)),
        (D(2026, 7, 20), 2, None),  # calendar runs out
        (D(2026, 8, 1), 1, None),
        (D(2026, 5, 26), 0, D(2026, 5, 26)),
        # reg 9(1)(h): leave ended Fri 15 May; 18-22 May (5), 1-4 Jun (9), 5 Jun closed,
        # Mon 8 Jun is the 10th school day.
        (D(2026, 5, 15), 10, D(2026, 6, 8)),
    ],
)
def test_add_school_days(start: date, n: int, expected: date) -> None:
    assert add_school_days(CAL, start, n) == expected


def test_add_school_days_empty_calendar() -> None:
    assert add_school_days(TermCalendar(terms=()), D(2026, 1, 1), 1) is None


@pytest.mark.parametrize(
    ("first_day", "until", "expected"),
    [
        (D(2026, 4, 20), D(2026, 5, 18), 20),  # 5+5+4 (bank hol)+5+1
        (D(2026, 5, 11), D(2026, 6, 15), 20),  # 5+5 | 4 (closure)+5+1
        (D(2026, 5, 11), D(2026, 6, 12), 19),
        (D(2026, 4, 14), D(2026, 4, 14), 1),
        (D(2026, 4, 13), D(2026, 4, 13), 0),  # closure
        (D(2026, 4, 20), D(2026, 4, 19), 0),
    ],
)
def test_consecutive_school_days_from(first_day: date, until: date, expected: int) -> None:
    assert consecutive_school_days_from(CAL, first_day, until) == expected


@pytest.mark.parametrize(
    ("first_day", "n", "expected"),
    [
        (D(2026, 4, 20), 20, D(2026, 5, 18)),  # reg 9(1)(i) 20 school days
        (D(2026, 5, 11), 20, D(2026, 6, 15)),  # over half term and a closure
        (D(2026, 4, 20), 1, D(2026, 4, 20)),  # first_day is day 1
        (D(2026, 4, 13), 1, D(2026, 4, 14)),  # first_day a closure: next school day
        (D(2026, 4, 13), 4, D(2026, 4, 17)),
        (D(2026, 7, 1), 20, None),  # only 15 school days left in the calendar
    ],
)
def test_school_days_threshold_date(first_day: date, n: int, expected: date | None) -> None:
    assert school_days_threshold_date(CAL, first_day, n) == expected


def test_term_calendar_rejects_backwards_term() -> None:
    with pytest.raises(ValueError, match="term ends before it starts"):
        TermCalendar(terms=((D(2026, 5, 1), D(2026, 4, 1)),))


# ------------------------------------------------------------------- Unique Pupil Number

# Weights 2..13 on characters 2..13; remainder mod 23 through ABCDEFGHJKLMNPQRTUVWXYZ.
# 801200005001: 8*2 + 1*4 + 2*5 + 5*10 + 1*13 = 93 = 4*23 + 1 → B (python-stdnum example)
# 830123424001: 16+9+0+5+12+21+32+18+40+0+0+13 = 166 = 7*23 + 5 → F
# 860123424001: 16+18+0+5+12+21+32+18+40+0+0+13 = 175 = 7*23 + 14 → Q
# 000000000200: 2*11 = 22 → Z
# 000000000000: 0 → A
# 88512342501T (temporary, T = 16): 16+24+20+5+12+21+32+18+50+0+12+16*13 = 418
#   = 18*23 + 4 → E
VALID_UPNS = [
    "B801200005001",
    "F830123424001",
    "Q860123424001",
    "Z000000000200",
    "A000000000000",
    "E88512342501T",
]


@pytest.mark.parametrize("upn", VALID_UPNS)
def test_upn_valid(upn: str) -> None:
    assert upn_check_letter_valid(upn)
    assert upn_check_letter(upn[1:]) == upn[0]


@pytest.mark.parametrize(
    "upn",
    [
        "A830123424001",  # wrong letter (should be F)
        "G830123424001",
        "R860123424001",  # Q is right; R is the next letter
        "F83012342400",  # 12 characters
        "F8301234240011",  # 14 characters
        "F83012342A001",  # letter in the middle
        "I830123424001",  # I is never a check letter
        "E88512342501I",  # I not allowed in position 13
        "E88512342501O",
        "E88512342501S",
        "F830123424-01",
        "",
        "             ",
    ],
)
def test_upn_invalid(upn: str) -> None:
    assert not upn_check_letter_valid(upn)


def test_upn_normalised() -> None:
    assert upn_check_letter_valid("  f830123424001 ")
    assert upn_check_letter_valid("e88512342501t")
    assert upn_check_letter("88512342501t") == "E"


@pytest.mark.parametrize("rest", ["83012342400", "8301234240011", "83012342A001", "88512342501S"])
def test_upn_check_letter_rejects_bad_input(rest: str) -> None:
    with pytest.raises(ValueError, match="UPN"):
        upn_check_letter(rest)


@pytest.mark.parametrize(
    ("dob", "on", "expected"),
    [
        (None, date(2026, 6, 1), None),
        (date(2015, 6, 1), date(2026, 5, 31), 10),
        (date(2015, 6, 1), date(2026, 6, 1), 11),
        (date(2016, 2, 29), date(2027, 2, 28), 10),  # not yet: the birthday is 1 March
        (date(2016, 2, 29), date(2027, 3, 1), 11),
        (date(2016, 2, 29), date(2028, 2, 29), 12),
    ],
)
def test_age_on_is_whole_years_and_agrees_with_the_birthday_rule(
    dob: date | None, on: date, expected: int | None
) -> None:
    assert statutory.age_on(dob, on) == expected
    if dob is not None and expected is not None:
        assert statutory._birthday(dob, expected) <= on < statutory._birthday(dob, expected + 1)
