"""The termly CME return's figures (reports.figures.census): a known population at the
autumn 2025 census date, every cell asserted, a constant number of queries."""

from __future__ import annotations

import pytest
from pytest_django import DjangoAssertNumQueries

from casework.models import Case
from cme.models import User
from reports.figures.census import (
    AT_ANY_TIME,
    DURATION,
    REASON,
    SEX,
    TOTAL,
    YEAR_GROUP,
    census_figures,
    counted_children,
    figures_from_children,
)
from tests.reports.census_population import CENSUS, build_population


@pytest.fixture
def population(officer: User) -> dict[str, Case]:
    return build_population(officer)


def cells(rows: list[tuple[str, str, int]], topic: str) -> dict[str, int]:
    return {b: n for t, b, n in rows if t == topic and n}


def test_every_cell_of_the_return_for_a_known_population(
    population: dict[str, Case], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_max_num_queries(7):
        figures = census_figures(CENSUS)
    rows = figures.rows
    assert cells(rows, TOTAL) == {"Total": 5}
    assert cells(rows, SEX) == {"Female": 2, "Male": 2, "Unknown": 1}
    assert [b for t, b, _ in rows if t == SEX] == ["Female", "Male", "Unknown"]
    assert cells(rows, YEAR_GROUP) == {
        "Year 1": 1,
        "Year 7": 1,
        "Year 9": 1,
        "Year 10": 1,
        "Unknown": 1,
    }
    assert [b for t, b, _ in rows if t == YEAR_GROUP][:2] == ["Reception", "Year 1"]
    assert cells(rows, DURATION) == {
        "Less than 2 weeks": 1,  # 2 days
        "2 to 4 weeks": 1,  # exactly 14 days: 2 completed weeks
        "26 to 52 weeks": 1,  # 364 days: 52 completed weeks
        "Over 52 weeks": 1,  # 371 days: 53 completed weeks
        "Unknown": 1,
    }
    assert cells(rows, REASON) == {
        "Mental health": 2,
        "Not recorded": 1,
        "Other": 1,
        "Waiting school start": 1,
    }
    assert len([b for t, b, _ in rows if t == REASON]) == 20
    assert cells(rows, AT_ANY_TIME) == {"Total": 3}  # d, e and f
    assert {c.key: c.count for c in figures.checks} == {
        "no_sex": 1,
        "no_dob": 1,
        "not_recorded": 1,
        "no_became_date": 1,
    }
    assert figures.unbalanced == []


def test_the_list_of_children_counted_gives_the_same_figures(
    population: dict[str, Case],
) -> None:
    children = counted_children(CENSUS)
    assert [r[0] for r in children] == sorted(population[k].pk for k in "abcde")
    by_case = {r[0]: r[2:] for r in children}
    assert by_case[population["a"].pk] == ["Female", "Year 7", "Less than 2 weeks", "Mental health"]
    assert by_case[population["c"].pk] == ["Unknown", "Unknown", "Unknown", "Other"]
    again = figures_from_children(CENSUS, children, any_time=3)
    assert again.rows == census_figures(CENSUS).rows
