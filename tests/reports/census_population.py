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


#: (key, received, sex, date of birth, became missing education, primary reason). f was
#: closed in the previous academic year: counted at any time in it, not at the census.
PEOPLE: list[tuple[str, date, str, date | None, date | None, str]] = [
    ("a", date(2025, 9, 30), "F", date(2014, 2, 3), date(2025, 9, 30), "mental-health"),
    ("b", date(2025, 9, 18), "M", date(2010, 10, 1), date(2025, 9, 18), "not-recorded"),
    ("c", date(2025, 9, 1), "", None, None, "other"),
    ("d", date(2024, 9, 26), "F", date(2020, 8, 31), date(2024, 9, 26), "mental-health"),
    ("e", date(2024, 10, 3), "M", date(2012, 5, 5), date(2024, 10, 3), "waiting-school-start"),
    ("f", date(2024, 6, 3), "F", date(2013, 1, 1), date(2024, 6, 3), "other"),
]


def build_population(officer: User) -> dict[str, Case]:
    cases: dict[str, Case] = {
        key: CaseFactory.create(
            received_on=received,
            due_date=received + timedelta(days=14),
            became_cme_on=became,
            primary_reason_id=reason,
            child__gender=sex,
            child__date_of_birth=dob,
        )
        for key, received, sex, dob, became, reason in PEOPLE
    }
    with time_machine.travel("2025-03-03 12:00:00+00:00", tick=False):
        closing.case_close(case=cases["f"], by=officer, outcome=Outcome.DIED)
    return cases
