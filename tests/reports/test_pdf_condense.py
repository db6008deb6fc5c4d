from __future__ import annotations

from datetime import date, datetime
from typing import Any

from reports.figures import BoardFigures, Table, Trend
from reports.pdf import condense
from reports.suppression import suppress


def figures_with(table: Table) -> BoardFigures:
    return BoardFigures(
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
        previous_start=date(2025, 1, 1),
        previous_end=date(2025, 12, 31),
        headlines=[],
        tables=[table],
        trend=Trend(months=[], referrals=[], open_cases=[]),
        definitions=[],
        suppressed=False,
        generated_at=datetime(2027, 1, 4, 9, 0),
    )


def schools_table(n: int) -> Table:
    rows: list[list[Any]] = [[f"School {i}", i] for i in range(1, n + 1)]
    return Table(
        key="deletions_by_school",
        title="Deletions by school",
        columns=["School", "Deletions"],
        rows=[*rows, ["Total", sum(range(1, n + 1))]],
        count_columns=[1],
        total_row=True,
    )


def test_long_tables_keep_the_largest_rows_and_add_up_the_rest() -> None:
    [table] = condense(figures_with(schools_table(40)), max_rows=15).tables
    assert [r[0] for r in table.rows[:3]] == ["School 40", "School 39", "School 38"]
    assert table.rows[15] == ["All other rows (25)", sum(range(1, 26))]
    assert table.rows[-1] == ["Total", sum(range(1, 41))]
    assert "CSV data pack has all 40" in table.note


def test_short_tables_are_untouched() -> None:
    original = schools_table(10)
    [table] = condense(figures_with(original), max_rows=15).tables
    assert table == original


def test_condensed_then_suppressed_hides_small_rows_but_not_the_real_sums() -> None:
    [table] = suppress(condense(figures_with(schools_table(40)), max_rows=15)).tables
    assert table.rows[15][1] == sum(range(1, 26))  # 325: a real sum, not a small number
