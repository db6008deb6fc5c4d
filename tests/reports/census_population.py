"""A known population for the termly CME return's tests: at the autumn 2025 census date (2
October 2025) five children are counted, one more at any time in the year before."""

from __future__ import annotations

from datetime import date, timedelta

import time_machine

from casework.models import Case, Outcome
from casework.services import closing
from cme.models import User
from tests.factories import CaseFactory

CENSUS = date(2025, 10, 2)


def case(
    received: date, *, gender: str, dob: date | None, became: date | None, reason: str
) -> Case:
    made: Case = CaseFactory.create(
        received_on=received,
        due_date=received + timedelta(days=14),
        became_cme_on=became,
        primary_reason_id=reason,
        child__gender=gender,
        child__date_of_birth=dob,
    )
    return made


def build_population(officer: User) -> dict[str, Case]:
    cases = {
        "a": case(
            date(2025, 9, 30),
            gender="F",
            dob=date(2014, 2, 3),
            became=date(2025, 9, 30),
            reason="mental-health",
        ),
        "b": case(
            date(2025, 9, 18),
            gender="M",
            dob=date(2010, 10, 1),
            became=date(2025, 9, 18),
            reason="not-recorded",
        ),
        "c": case(date(2025, 9, 1), gender="", dob=None, became=None, reason="other"),
        "d": case(
            date(2024, 9, 26),
            gender="F",
            dob=date(2020, 8, 31),
            became=date(2024, 9, 26),
            reason="mental-health",
        ),
        "e": case(
            date(2024, 10, 3),
            gender="M",
            dob=date(2012, 5, 5),
            became=date(2024, 10, 3),
            reason="waiting-school-start",
        ),
        # Closed in the previous academic year: counted at any time in it, not at the census.
        "f": case(
            date(2024, 6, 3),
            gender="F",
            dob=date(2013, 1, 1),
            became=date(2024, 6, 3),
            reason="other",
        ),
    }
    with time_machine.travel("2025-03-03 12:00:00+00:00", tick=False):
        closing.case_close(case=cases["f"], by=officer, outcome=Outcome.DIED)
    return cases
