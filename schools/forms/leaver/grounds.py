"""The checks each deletion ground makes of its own answers, one function a ground.

Regulation 9(1) of the School Attendance (Pupil Registration) (England) Regulations 2024.
Each check is given the answers and returns the errors, as (field, message), in the order the
form adds them. Grounds with no check of their own ((a) to (e), (g), (j), (k), (m), (n)) need
only what `REQUIRED_WHEN_SHOWN` and the destination rules ask.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from cme.statutory import (
    REG_9_1_H_SCHOOL_DAYS,
    REG_9_1_I_SCHOOL_DAYS,
    TermCalendar,
    add_school_days,
    add_working_days,
    compulsory_school_age,
    school_days_threshold_date,
)
from schools.forms.leaver.messages import (
    ERROR_EXCLUSION_IN_FUTURE,
    ERROR_GROUND_MET_BEFORE_EXCLUSION,
    ERROR_GROUND_MET_BEFORE_NOTICE,
    ERROR_LA_ENQUIRIES_NOT_MADE,
    ERROR_PARENT_NOTICE_IN_FUTURE,
    ERROR_STILL_OF_COMPULSORY_AGE,
    ERROR_TEN_SCHOOL_DAYS,
    ERROR_TWENTY_SCHOOL_DAYS,
)
from schools.forms.leaver.questions import GROUND_FIELDS
from schools.models import DeletionGround, School
from schools.selectors import term_calendar_for

G = DeletionGround

# How far ahead to load term dates when counting school days: 10 or 20 school days never
# take longer than this, even across the summer holiday.
CALENDAR_SPAN = timedelta(days=200)

Errors = list[tuple[str, str]]


@dataclass(frozen=True)
class Answers:
    """What a ground's check reads: the cleaned data and the dates every ground has."""

    data: dict[str, Any]
    met: date | None
    deleted: date | None
    today: date
    school: School | None


def _calendar(school: School | None, start: date) -> TermCalendar:
    return term_calendar_for(school, start, start + CALENDAR_SPAN)


def ten_school_days_after(school: School | None, leave_end: date) -> date:
    """Reg 9(1)(h): the earliest the ground can be met, on the school's term calendar."""
    found = add_school_days(_calendar(school, leave_end), leave_end, REG_9_1_H_SCHOOL_DAYS)
    # No term dates loaded for the span (or they run out first): count working days
    # instead, which may be earlier than the true date, rather than refuse the return.
    return found if found is not None else add_working_days(leave_end, REG_9_1_H_SCHOOL_DAYS)


def twentieth_school_day(school: School | None, first: date) -> date:
    """Reg 9(1)(i): the day the 20 school days of continuous absence are complete."""
    found = school_days_threshold_date(_calendar(school, first), first, REG_9_1_I_SCHOOL_DAYS)
    # The same fallback as (h): working days, counting the first day as day 1.
    return (
        found
        if found is not None
        else add_working_days(first - timedelta(days=1), REG_9_1_I_SCHOOL_DAYS)
    )


def _dated_before_ground(
    answers: Answers, field: str, in_future: str, ground_met_before: str
) -> Errors:
    """A date the ground follows from: not in the future, and the ground not met before it."""
    when: date | None = answers.data.get(field)
    if when and when > answers.today:
        return [(field, in_future)]
    if when and answers.met and answers.met < when:
        return [("ground_met_date", ground_met_before)]
    return []


def check_home_education(answers: Answers) -> Errors:
    """(f): the parent's written notice is not in the future, and the ground not before it."""
    return _dated_before_ground(
        answers, "parent_notice_date", ERROR_PARENT_NOTICE_IN_FUTURE, ERROR_GROUND_MET_BEFORE_NOTICE
    )


#: (h) and (i): the earliest the ground can be met, counted in school days from the date
#: the ground's first question asks ((h) 10 after the leave ended, (i) the 20th of absence),
#: and the error when it is given as met before then.
SCHOOL_DAY_COUNTS: dict[str, tuple[Callable[[School | None, date], date], str]] = {
    G.H: (ten_school_days_after, ERROR_TEN_SCHOOL_DAYS),
    G.I: (twentieth_school_day, ERROR_TWENTY_SCHOOL_DAYS),
}


def school_days_and_joint_enquiries(ground: str) -> Callable[[Answers], Errors]:
    """(h) and (i): the ground is met no earlier than `SCHOOL_DAY_COUNTS` says, and the
    school and the LA confirm they made enquiries jointly. The questions are the ground's
    (`GROUND_FIELDS`: the start date, the enquiries, the LA's confirmation)."""
    start_field, _, confirmed_field = GROUND_FIELDS[ground]
    earliest_from, too_early = SCHOOL_DAY_COUNTS[ground]

    def check(answers: Answers) -> Errors:
        errors: Errors = []
        start: date | None = answers.data.get(start_field)
        if start and answers.met:
            earliest = earliest_from(answers.school, start)
            if answers.met < earliest:
                errors.append(("ground_met_date", too_early.format(earliest=earliest)))
        if answers.data.get(confirmed_field) is False:
            errors.append((confirmed_field, ERROR_LA_ENQUIRIES_NOT_MADE.format(ground=ground)))
        return errors

    return check


def check_end_of_compulsory_age(answers: Answers) -> Errors:
    """(l): not deleted before the last day of compulsory school age."""
    dob: date | None = answers.data.get("date_of_birth")
    if dob and answers.deleted:
        _, end = compulsory_school_age(dob)
        if answers.deleted < end:
            return [("ground", ERROR_STILL_OF_COMPULSORY_AGE.format(end=end))]
    return []


def check_exclusion(answers: Answers) -> Errors:
    """(o): the exclusion became final not in the future, and the ground not before it."""
    return _dated_before_ground(
        answers, "exclusion_date", ERROR_EXCLUSION_IN_FUTURE, ERROR_GROUND_MET_BEFORE_EXCLUSION
    )


GROUND_CHECKS: dict[str, Callable[[Answers], Errors]] = {
    G.F: check_home_education,
    G.H: school_days_and_joint_enquiries(G.H),
    G.I: school_days_and_joint_enquiries(G.I),
    G.L: check_end_of_compulsory_age,
    G.O: check_exclusion,
}
