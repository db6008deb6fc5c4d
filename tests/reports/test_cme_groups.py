"""The board report's tables in the CME return's groups: sex, year group, time missing
education and primary reason of the cases open at the period end, every cell of a known population."""

from __future__ import annotations

from datetime import date

from cme.models import User
from reports.figures.cme_groups import (
    duration_counts,
    primary_reason_counts,
    sex_counts,
    year_group_counts,
)
from reports.figures.common import Period, Table
from tests.reports.census_population import build_population

#: The autumn census day as a period end, beside the same day a year earlier.
CUR, PREV = Period(date(2025, 9, 1), date(2025, 10, 2)), Period(date(2024, 9, 1), date(2024, 10, 2))


def cells(table: Table) -> dict[str, tuple[int, int]]:
    return {str(r[0]): (int(r[1] or 0), int(r[2] or 0)) for r in table.rows if r[1] or r[2]}


def test_the_board_counts_open_cases_by_sex_time_missing_and_primary_reason(
    officer: User,
) -> None:
    build_population(officer)
    # At 2 Oct 2024 only f (received 3 Jun 2024) counts: d's case was open, but her
    # compulsory school age began on 31 August 2025 (the board's "open at" leaves her out).
    assert cells(sex_counts(CUR, PREV)) == {
        "Female": (2, 1),
        "Male": (2, 0),
        "Unknown": (1, 0),
        "Total": (5, 1),
    }
    # 2025/26 (a 31 August 2025 age): a 11, b 14, d 5, e 13; c has no date of birth. On
    # 2 Oct 2024 f was 11 on 31 August 2024.
    table = year_group_counts(CUR, PREV)
    assert [r[0] for r in table.rows] == [
        "Reception",
        *(f"Year {y}" for y in range(1, 12)),
        "Unknown",
        "Total",
    ]
    assert cells(table) == {
        "Year 1": (1, 0),  # d
        "Year 7": (1, 1),  # a; f a year earlier
        "Year 9": (1, 0),  # e
        "Year 10": (1, 0),  # b
        "Unknown": (1, 0),  # c
        "Total": (5, 1),
    }
    assert cells(duration_counts(CUR, PREV)) == {
        "Less than 2 weeks": (1, 0),
        "2 to 4 weeks": (1, 0),
        "12 to 26 weeks": (0, 1),  # f: 121 days
        "26 to 52 weeks": (1, 0),
        "Over 52 weeks": (1, 0),
        "Unknown": (1, 0),
        "Total": (5, 1),
    }
    assert cells(primary_reason_counts(CUR, PREV)) == {
        "Mental health": (2, 0),
        "Not recorded": (1, 0),
        "Other": (1, 1),
        "Waiting school start": (1, 0),
        "Total": (5, 1),
    }
