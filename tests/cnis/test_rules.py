"""The register's statutory rules at their edges (s436B eligibility, the 15-day visit)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cme.statutory import compulsory_school_age
from cnis.rules import (
    HOME_VISIT_REQUEST_DAYS,
    home_visit_request_due,
    home_visit_requested_in_time,
    is_eligible,
    parent_information_due,
    provider_request_due,
)

DOB = date(2016, 3, 14)
START, END = compulsory_school_age(DOB)


def eligible(on: date, **kw: bool) -> bool:
    args = {
        "lives_in_area": True,
        "registered_pupil": False,
        "school_arranged_elsewhere_or_part_time": False,
    }
    args.update(kw)
    return is_eligible(date_of_birth=DOB, on=on, **args)


def test_compulsory_school_age_starts_on_its_first_day() -> None:
    assert not eligible(START - timedelta(days=1))
    assert eligible(START)


def test_compulsory_school_age_ends_after_its_last_day() -> None:
    assert eligible(END)
    assert not eligible(END + timedelta(days=1))


def test_a_child_outside_the_area_is_not_eligible() -> None:
    assert not eligible(START, lives_in_area=False)


def test_a_registered_pupil_is_eligible_only_if_educated_elsewhere_or_part_time() -> None:
    assert not eligible(START, registered_pupil=True)
    assert eligible(START, registered_pupil=True, school_arranged_elsewhere_or_part_time=True)


def test_no_date_of_birth_is_not_eligible() -> None:
    assert not is_eligible(
        lives_in_area=True,
        date_of_birth=None,
        on=START,
        registered_pupil=False,
        school_arranged_elsewhere_or_part_time=False,
    )


@pytest.mark.parametrize(("days", "in_time"), [(0, True), (15, True), (16, False)])
def test_the_home_visit_request_is_due_within_15_days(days: int, in_time: bool) -> None:
    registered = date(2026, 11, 23)
    assert HOME_VISIT_REQUEST_DAYS == 15
    assert home_visit_request_due(registered) == date(2026, 12, 8)
    assert home_visit_requested_in_time(registered, registered + timedelta(days=days)) is in_time


def test_the_provider_and_parent_deadlines_are_15_days() -> None:
    assert provider_request_due(date(2026, 11, 23)) == date(2026, 12, 8)
    assert parent_information_due(date(2026, 11, 23)) == date(2026, 12, 8)
