"""Statutory date arithmetic and identifiers for Children Missing Education casework.

Pure functions: no Django models, no database. The only Django touch is the lazy read of
``settings.CME_ENQUIRY_WORKING_DAYS`` inside :func:`enquiry_due_date`.

* Working days: Monday to Friday except England and Wales bank holidays (taken from the
  maintained ``holidays`` library, including substitute days and one-off holidays).
* Calendar-day periods "beginning with" a day (Education Act 1996 s437(2), s438(3)-(4):
  the school attendance order route, issue 17).
* Compulsory school age: Education Act 1996 s8, the Education (Start of Compulsory School
  Age) Order 1998 (prescribed days 31 March, 31 August, 31 December) and the Education
  (School Leaving Date) Order 1997 (last Friday in June).
* School days: days the school meets, counted over a :class:`TermCalendar`, for the
  deletion grounds in the School Attendance (Pupil Registration) (England) Regulations 2024,
  reg 9(1)(h) (10 school days after leave of absence) and reg 9(1)(i) (20 school days'
  continuous absence).
* Unique Pupil Number check letter (DfE "Unique Pupil Numbers (UPN)" guidance).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays

_ONE_DAY = timedelta(days=1)

# --------------------------------------------------------------------------- working days


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays in ``year`` (cached per year).

    The library also lists the weekend date of a holiday beside its substitute weekday;
    that is harmless because weekends are never working days anyway.
    """
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


#: date.weekday() of the first day of the weekend (Saturday).
SATURDAY = 5
#: The month the school year starts (1 September: Education Act 1996 s.579 "school year").
SEPTEMBER = 9
#: A UPN is 13 characters: a check letter and 12 more (DfE UPN guidance).
UPN_LENGTH = 13


def is_working_day(d: date) -> bool:
    """True if ``d`` is Monday to Friday and not an England and Wales bank holiday."""
    return d.weekday() < SATURDAY and d not in _bank_holidays(d.year)


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day after ``start`` (``start`` itself is never counted).

    ``n == 0`` returns ``start`` unchanged, even if it is not a working day.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    d = start
    remaining = n
    while remaining:
        d += _ONE_DAY
        if is_working_day(d):
            remaining -= 1
    return d


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``; 0 if ``end <= start``."""
    count = 0
    d = start + _ONE_DAY
    while d <= end:
        if is_working_day(d):
            count += 1
        d += _ONE_DAY
    return count


def enquiry_due_date(received: date) -> date:
    """Date the initial CME investigation is due: ``CME_ENQUIRY_WORKING_DAYS`` working days
    after the referral was received (a local-policy setting, default 10 — Derbyshire's
    "within 10 working days of the referral")."""
    from django.conf import settings

    days: int = getattr(settings, "CME_ENQUIRY_WORKING_DAYS", 10)
    return add_working_days(received, days)


# --------------------------------------------------------------------------- calendar days


def period_beginning_with(first_day: date, days: int) -> date:
    """The last day of a period of ``days`` calendar days *beginning with* ``first_day``.

    The Education Act 1996's school attendance order periods (s437(2): "not less than 15
    days beginning with the day on which the notice is served"; s438(3), (4): "the period of
    15 days beginning with the day on which the notice is served") count every day, weekends
    and bank holidays included, and count the day of service as the first: 15 days beginning
    with Monday 1 March end at the end of Monday 15 March. ``days`` must be at least 1.
    """
    if days < 1:
        raise ValueError("a period has at least one day")
    return first_day + timedelta(days=days - 1)


def calendar_days_from(first_day: date, on: date) -> int:
    """How many calendar days of a period beginning with ``first_day`` have passed by the end
    of ``on`` (``first_day`` itself is day 1; 0 before it)."""
    return max((on - first_day).days + 1, 0)


# ------------------------------------------------------------------ compulsory school age

_PRESCRIBED_DAYS: tuple[tuple[int, int], ...] = ((3, 31), (8, 31), (12, 31))


def _birthday(dob: date, age: int) -> date:
    """The day on which a person born on ``dob`` attains ``age``.

    Family Law Reform Act 1969 s9: a person attains an age at the start of the relevant
    anniversary of the date of birth. For a 29 February birth in a non-leap year there is
    no such date; we take 1 March (the anniversary has not passed until 28 February ends).
    """
    year = dob.year + age
    if (dob.month, dob.day) == (2, 29) and not calendar.isleap(year):
        return date(year, 3, 1)
    return dob.replace(year=year)


def age_on(dob: date | None, on: date) -> int | None:
    """Age in whole years on ``on`` (None when the date of birth is not known); a 29 February
    birthday is reached on 1 March in a non-leap year, as in ``_birthday``."""
    if dob is None:
        return None
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def _last_friday_of_june(year: int) -> date:
    """The school leaving date for ``year``: Education (School Leaving Date) Order 1997."""
    d = date(year, 6, 30)
    return d - timedelta(days=(d.weekday() - 4) % 7)


def _school_year_start(d: date) -> int:
    """Calendar year in which the school year (1 September - 31 August) containing ``d``
    began."""
    return d.year if d.month >= SEPTEMBER else d.year - 1


def compulsory_school_age(dob: date) -> tuple[date, date]:
    """First and last days of compulsory school age under Education Act 1996 s8.

    Start (s8(2)): the 5th birthday if it falls on a prescribed day (31 March, 31 August or
    31 December), otherwise the next prescribed day after it.

    End (s8(3)): the end of the school leaving date (last Friday in June) of the school year
    (1 September - 31 August) in which the child turns 16. This is the s8(3) rule restated:
    a 16th birthday after the June leaving date but before 1 September takes that June's
    date (s8(3)(a)); a birthday on the leaving date takes that date (b); otherwise the next
    leaving date after the birthday (c). E.g. born 23 Sep 2007 → 28 Jun 2024.
    """
    fifth = _birthday(dob, 5)
    start = next(p for p in (date(fifth.year, m, dd) for m, dd in _PRESCRIBED_DAYS) if p >= fifth)
    sixteenth = _birthday(dob, 16)
    end = _last_friday_of_june(_school_year_start(sixteenth) + 1)
    return start, end


def is_compulsory_school_age(dob: date, on: date) -> bool:
    """True if the child is of compulsory school age (s8) on ``on``, both ends inclusive."""
    start, end = compulsory_school_age(dob)
    return start <= on <= end


def latest_dob_of_compulsory_school_age(on: date) -> date:
    """The latest date of birth of a child whose compulsory school age has begun by ``on``.

    s8(2): it begins on the first prescribed day on or after the 5th birthday, so it has
    begun by ``on`` exactly when the 5th birthday is on or before the last prescribed day
    on or before ``on``. A prescribed day is never 29 February, so subtracting five years
    from it is always a date. A database filter (``date_of_birth__lte``) can use this.
    """
    prescribed = max(
        date(y, m, dd)
        for y in (on.year - 1, on.year)
        for m, dd in _PRESCRIBED_DAYS
        if date(y, m, dd) <= on
    )
    return prescribed.replace(year=prescribed.year - 5)


def earliest_dob_of_compulsory_school_age(on: date) -> date:
    """The earliest date of birth of a child whose compulsory school age has not ended by
    ``on`` (s8(3)): it ends on the leaving date (last Friday in June) of the school year in
    which the child turns 16. Up to that day in the school year containing ``on``, those
    turning 16 in it (born from 1 September 16 years before it began) are still of the age;
    after it, only those turning 16 in a later school year. A ``date_of_birth__gte`` filter."""
    start = _school_year_start(on)
    if on <= _last_friday_of_june(start + 1):
        return date(start - 16, SEPTEMBER, 1)
    return date(start - 15, SEPTEMBER, 1)


def compulsory_school_age_note(dob: date | None, on: date) -> str:
    """What a caseworker is told about a child who is not of compulsory school age on
    ``on`` (s8), or "" when the child is (or the date of birth is not known).

    A child below it is not missing education yet: the note names the day it begins.
    """
    if dob is None:
        return ""
    start, end = compulsory_school_age(dob)
    if on < start:
        return f"Not of compulsory school age until {start:%-d %B %Y}"
    if on > end:
        return f"Not of compulsory school age: it ended on {end:%-d %B %Y}"
    return ""


def national_curriculum_year(dob: date, on: date) -> int:
    """National Curriculum year group on ``on``, by age on the 31 August before the school
    year containing ``on`` (the DfE year-group convention: a child is placed with the cohort
    born 1 September - 31 August): 4 → Reception (0), 5 → Year 1, ... 15 → Year 11.
    Negative for nursery ages, above 11 beyond Year 11."""
    aug31 = date(_school_year_start(on), 8, 31)
    age = aug31.year - dob.year - ((aug31.month, aug31.day) < (dob.month, dob.day))
    return age - 4


def national_curriculum_year_dobs(year: int, on: date) -> tuple[date, date]:
    """The oldest and youngest dates of birth of the cohort in National Curriculum year
    ``year`` (0 = Reception) on ``on``: those aged ``year + 4`` on the 31 August before the
    school year, so that :func:`national_curriculum_year` is ``year`` exactly for them. A
    database filter (``date_of_birth__range``) can use this."""
    aug31 = date(_school_year_start(on), 8, 31)
    youngest = aug31.replace(year=aug31.year - (year + 4))  # 31 August is never 29 February
    return date(youngest.year - 1, 9, 1), youngest


# ---------------------------------------------------------------------------- school days


@dataclass(frozen=True)
class TermCalendar:
    """A school's term dates (inclusive ``(first, last)`` pairs) and closure (INSET) days.

    School days are term days that are Monday to Friday, not bank holidays and not closures.
    """

    terms: tuple[tuple[date, date], ...]
    closures: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        for first, last in self.terms:
            if last < first:
                raise ValueError(f"term ends before it starts: {first} - {last}")

    @property
    def last_day(self) -> date | None:
        """The last day of the last term, or None for an empty calendar."""
        return max((last for _, last in self.terms), default=None)


#: Regulation 9(1)(h), Pupil Registration Regulations 2024: a pupil who has not returned within
#: 10 school days after a leave of absence ended (and cannot be found after joint enquiries).
REG_9_1_H_SCHOOL_DAYS = 10
#: Regulation 9(1)(i): continuously absent without authorisation for not less than 20 school
#: days (and not found after joint enquiries).
REG_9_1_I_SCHOOL_DAYS = 20


def is_school_day(cal: TermCalendar, d: date) -> bool:
    """True if the school meets on ``d``: inside a term, a working day, not a closure."""
    return (
        any(first <= d <= last for first, last in cal.terms)
        and is_working_day(d)
        and d not in cal.closures
    )


def school_days_between(cal: TermCalendar, start: date, end: date) -> int:
    """School days after ``start`` up to and including ``end``; 0 if ``end <= start``."""
    count = 0
    d = start + _ONE_DAY
    while d <= end:
        if is_school_day(cal, d):
            count += 1
        d += _ONE_DAY
    return count


def add_school_days(cal: TermCalendar, start: date, n: int) -> date | None:
    """The ``n``-th school day after ``start`` (``start`` not counted); None if the calendar
    runs out of terms first. ``n == 0`` returns ``start``.

    Reg 9(1)(h) (pupil did not return within 10 school days after leave of absence ended):
    the ground can first be met on ``add_school_days(cal, leave_end, 10)``.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    last = cal.last_day
    d = start
    remaining = n
    while remaining:
        d += _ONE_DAY
        if last is None or d > last:
            return None
        if is_school_day(cal, d):
            remaining -= 1
    return d


def consecutive_school_days_from(cal: TermCalendar, first_day: date, until: date) -> int:
    """School days from ``first_day`` inclusive to ``until`` inclusive (reg 9(1)(i):
    "continuously absent ... for a period of not less than 20 school days")."""
    return school_days_between(cal, first_day - _ONE_DAY, until)


def school_days_threshold_date(cal: TermCalendar, first_day: date, n: int) -> date | None:
    """The date of the ``n``-th school day, counting ``first_day`` as day 1 if it is a
    school day (otherwise day 1 is the next school day); None if the terms run out.

    Reg 9(1)(i): with ``n=20`` and ``first_day`` the first day of continuous unauthorised
    absence, the date on which the 20-school-day period is complete.
    """
    if n < 1:
        raise ValueError("n must be >= 1")
    return add_school_days(cal, first_day - _ONE_DAY, n)


def school_day_back(cal: TermCalendar, today: date, n: int) -> date | None:
    """The ``n``-th school day counting back from ``today`` (``today`` is day 1 if it is a
    school day); None if the calendar has fewer school days than that before ``today``."""
    first = min((start for start, _ in cal.terms), default=None)
    if first is None or n < 1:
        return None
    d = today
    while d >= first:
        if is_school_day(cal, d):
            n -= 1
            if n == 0:
                return d
        d -= _ONE_DAY
    return None


# --------------------------------------------------------------------- Unique Pupil Number

# Check-letter table from the DfE "Unique Pupil Numbers (UPN)" guidance (UPN_Guide_1.2,
# gov.uk/government/publications/unique-pupil-numbers), confirmed against the DfE's own
# MTC code (upnCheckLetter SQL function) and python-stdnum's stdnum/gb/upn.py: 23 letters,
# A-Z without I, O and S (Q is included: remainder 14 → Q), indexed by the remainder mod 23.
_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_CHECK_VALUE = {letter: i for i, letter in enumerate(_CHECK_LETTERS)}


def upn_check_letter(rest12: str) -> str:
    """Check letter for UPN characters 2-13 (LA 3 digits, establishment 4, year 2,
    serial 3; the last may be a letter for a temporary UPN).

    DfE UPN guidance: multiply character k (k = 2..13) by weight k, a letter in position 13
    taking its value from the check-letter table; sum; the remainder mod 23 indexes the
    table. Raises ValueError for malformed input.
    """
    s = rest12.strip().upper()
    if len(s) != UPN_LENGTH - 1 or not s[:11].isascii() or not s[:11].isdigit():
        raise ValueError("UPN characters 2-13 must be 11 digits and a digit or letter")
    last = s[11]
    if last.isascii() and last.isdigit():
        last_value = int(last)
    elif last in _CHECK_VALUE:
        last_value = _CHECK_VALUE[last]
    else:
        raise ValueError(f"invalid final UPN character {last!r}")
    total = sum(int(ch) * weight for weight, ch in enumerate(s[:11], start=2))
    total += last_value * 13
    return _CHECK_LETTERS[total % 23]


def upn_check_letter_valid(upn: str) -> bool:
    """True if ``upn`` is 13 characters with a correct DfE check letter (case and
    surrounding spaces ignored); False for wrong length or characters."""
    s = upn.strip().upper()
    if len(s) != UPN_LENGTH or s[0] not in _CHECK_VALUE:
        return False
    try:
        return upn_check_letter(s[1:]) == s[0]
    except ValueError:
        return False
