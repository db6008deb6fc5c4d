"""Small-number suppression: counts 1-4 become "<5", and a lone hidden cell in a column
with a total takes the next smallest with it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from reports.figures import BoardFigures, Headline, Table, Trend
from reports.suppression import DERIVED_SUPPRESSED, SUPPRESSED, suppress, suppress_table


def _figures(*tables: Table, headlines: list[Headline] | None = None) -> BoardFigures:
    return BoardFigures(
        start=date(2026, 6, 1),
        end=date(2026, 6, 30),
        previous_start=date(2025, 6, 1),
        previous_end=date(2025, 6, 30),
        headlines=headlines or [],
        tables=list(tables),
        trend=Trend(months=[], referrals=[], open_cases=[]),
        definitions=[],
        suppressed=False,
        generated_at=datetime(2026, 7, 15, tzinfo=UTC),
    )


def _table(
    rows: list[list[str | int | float | None]],
    *,
    total_row: bool = True,
    count_columns: tuple[int, ...] = (1,),
) -> Table:
    return Table(
        key="t",
        title="T",
        columns=["Label", "This", "Previous"],
        rows=rows,
        count_columns=list(count_columns),
        total_row=total_row,
    )


def test_one_small_cell_and_a_total_hide_the_next_smallest_cell_too() -> None:
    table = _table([["a", 3], ["b", 10], ["c", 12], ["Total", 25]])

    got = suppress_table(table)

    assert got.rows == [["a", SUPPRESSED], ["b", SUPPRESSED], ["c", 12], ["Total", 25]]
    assert table.rows[0][1] == 3  # the original is untouched


def test_two_small_cells_need_no_secondary_suppression() -> None:
    got = suppress_table(_table([["a", 3], ["b", 2], ["c", 12], ["Total", 17]]))
    assert [r[1] for r in got.rows] == [SUPPRESSED, SUPPRESSED, 12, 17]


def test_secondary_suppression_prefers_a_non_zero_cell_and_never_the_total() -> None:
    got = suppress_table(_table([["a", 0], ["b", 4], ["c", 30], ["d", 8], ["Total", 42]]))
    assert [r[1] for r in got.rows] == [0, SUPPRESSED, 30, SUPPRESSED, 42]


def test_a_small_total_is_hidden_as_well() -> None:
    got = suppress_table(_table([["a", 3], ["b", 0], ["Total", 3]]))
    assert [r[1] for r in got.rows] == [SUPPRESSED, SUPPRESSED, SUPPRESSED]


def test_each_count_column_is_treated_on_its_own() -> None:
    table = _table(
        [["a", 3, 20], ["b", 10, 20], ["c", 12, 2], ["Total", 25, 42]], count_columns=(1, 2)
    )
    got = suppress_table(table)
    assert got.rows == [
        ["a", SUPPRESSED, SUPPRESSED],
        ["b", SUPPRESSED, 20],
        ["c", 12, SUPPRESSED],
        ["Total", 25, 42],
    ]


def test_without_a_total_only_the_small_cells_are_hidden() -> None:
    got = suppress_table(_table([["a", 3], ["b", 10]], total_row=False))
    assert got.rows == [["a", SUPPRESSED], ["b", 10]]


def test_rates_medians_and_columns_that_are_not_counts_are_left_alone() -> None:
    table = Table(
        key="t",
        title="T",
        columns=["Measure", "This", "Label"],
        rows=[["Completed", 4, "x"], ["Share (%)", 3.0, "y"], ["Median days", 2.5, 1]],
        count_columns=[1],
    )
    assert suppress_table(table).rows == [
        ["Completed", SUPPRESSED, "x"],
        ["Share (%)", 3.0, "y"],
        ["Median days", 2.5, 1],
    ]


def test_headline_counts_are_suppressed_and_a_share_follows_the_cell_it_shows() -> None:
    investigations = Table(
        key="investigations",
        title="Initial investigations",
        columns=["Measure", "This", "Previous"],
        rows=[["Completed", 3, 40], ["Within", 2, 30], ["Share (%)", 66.7, 75.0]],
        count_columns=[1, 2],
        derived={2: (0, 1)},
    )
    figures = _figures(
        investigations,
        headlines=[
            Headline("open_now", "Open", 4, 12),
            Headline("overdue", "Overdue", 0, 1),
            Headline(
                "on_time_pct", "On time", 66.7, 75.0, unit="%", source=("investigations", 2, 1, 2)
            ),
            Headline("other_pct", "A share with no known source", 50.0, None, unit="%"),
        ],
    )

    got = suppress(figures)

    assert got.suppressed
    assert not figures.suppressed
    assert [(h.value, h.previous) for h in got.headlines] == [
        (SUPPRESSED, 12),
        (0, SUPPRESSED),
        (DERIVED_SUPPRESSED, 75.0),  # 2 of 3 is hidden; 30 of 40 is not
        (DERIVED_SUPPRESSED, None),
    ]


def test_suppress_returns_new_figures_with_every_table_suppressed() -> None:
    figures = _figures(_table([["a", 1], ["b", 5], ["Total", 6]]))
    got = suppress(figures)
    assert got.tables[0].rows == [["a", SUPPRESSED], ["b", SUPPRESSED], ["Total", 6]]
    assert figures.tables[0].rows[0][1] == 1
