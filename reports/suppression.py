"""Small-number suppression for the copy of the figures that goes to the board.

Counts of 1 to 4 could identify a child, so they are shown as "<5" (primary suppression).
Where a column has a total and exactly one of its cells is hidden, the total minus the
others would give it away, so the next smallest cell of that column is hidden too
(secondary suppression). Zero is not hidden: it identifies nobody. Rates and medians
(floats) are never counts and are left alone. Internal copies (the dashboard) are not
suppressed.
"""

from __future__ import annotations

import dataclasses

from reports.figures import BoardFigures, Headline, Table

SUPPRESSED = "<5"

Cell = str | int | float | None


def is_small(value: object) -> bool:
    """A count from 1 to 4 (a bool or a float is not a count)."""
    return type(value) is int and 1 <= value <= 4


def _hide(value: Cell) -> Cell:
    return SUPPRESSED if is_small(value) else value


def suppress_table(table: Table) -> Table:
    rows: list[list[Cell]] = [list(row) for row in table.rows]
    body = rows[:-1] if table.total_row else rows
    for col in table.count_columns:
        hidden = [r for r in body if is_small(r[col])]
        for row in rows:
            row[col] = _hide(row[col])
        if table.total_row and len(hidden) == 1:
            # The smallest cell still shown (preferring a non-zero one, which does hide
            # something), so that the total no longer pins down the hidden one.
            shown = [r for r in body if type(r[col]) is int]
            if shown:
                nonzero = [r for r in shown if r[col]] or shown
                min(nonzero, key=lambda r: r[col])[col] = SUPPRESSED  # type: ignore[arg-type,return-value]
    return dataclasses.replace(table, rows=rows)


def suppress_headline(headline: Headline) -> Headline:
    if headline.unit:  # a percentage or a number of days, not a count
        return headline
    return dataclasses.replace(
        headline, value=_hide(headline.value), previous=_hide(headline.previous)
    )


def suppress(figures: BoardFigures) -> BoardFigures:
    """A copy of ``figures`` with small numbers hidden, marked ``suppressed=True``.

    The trend is left as it is: it is drawn as a chart of monthly totals for the whole
    service, never broken down (the PDF shows it beside the suppressed tables)."""
    return dataclasses.replace(
        figures,
        headlines=[suppress_headline(h) for h in figures.headlines],
        tables=[suppress_table(t) for t in figures.tables],
        suppressed=True,
    )
