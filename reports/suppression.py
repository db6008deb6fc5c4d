"""Small-number suppression for the copy of the figures that goes to the board.

``suppress`` is the one function that makes the board's copy: the PDF, the CSV data pack of a
report run and the dashboard's board data pack all draw what it returns (issue 12, A6).

* Counts of 1 to 4 could identify a child, so they are shown as "<5" (primary suppression):
  in every table, every headline and every month of the trend.
* Where a column has a total and exactly one of its cells is hidden, the total minus the
  others would give it away, so the next smallest cell of that column is hidden too
  (secondary suppression). Where a row counts a part of another row (investigations done in
  time, of those done) and the rest (the whole minus the part) is 1 to 4, the part is hidden.
* A figure worked out from counts (a share, a median, a maximum) is hidden, as "[c]", when any
  count it is worked out from is hidden: a share of 2 in 3, the median or the longest of 3
  cases. ``Table.derived`` names the count rows each such row comes from; a headline mirrors
  the table cell it shows (``Headline.source``).

Zero is not hidden: it identifies nobody. Internal copies (the dashboard) are not suppressed.
"""

from __future__ import annotations

import dataclasses

from reports.figures import BoardFigures, Headline, Table, Trend

#: Counts from 1 to SMALL_BELOW - 1 are small and hidden in the board's copy.
SMALL_BELOW = 5
SUPPRESSED = "<5"
#: A share, median or maximum not shown because a count it comes from is hidden.
DERIVED_SUPPRESSED = "[c]"
HIDDEN = (SUPPRESSED, DERIVED_SUPPRESSED)

Cell = str | int | float | None


def is_small(value: object) -> bool:
    """A count from 1 to 4 (a bool or a float is not a count)."""
    return type(value) is int and 1 <= value < SMALL_BELOW


def is_hidden(value: object) -> bool:
    return isinstance(value, str) and value in HIDDEN


def _hide(value: Cell) -> Cell:
    return SUPPRESSED if is_small(value) else value


def suppress_table(table: Table) -> Table:
    rows: list[list[Cell]] = [list(row) for row in table.rows]
    derived = set(table.derived)
    counted = [i for i in range(len(rows)) if i not in derived]
    body = [i for i in counted if not (table.total_row and i == len(rows) - 1)]
    for col in table.count_columns:
        original = {i: rows[i][col] for i in counted}
        for i in counted:
            rows[i][col] = _hide(rows[i][col])
        # A part whose rest (whole minus part) is small: the rest would be known, so the part
        # is hidden (the whole, usually the larger, stays).
        for part, whole in table.parts:
            p, w = original.get(part), original.get(whole)
            if type(p) is int and type(w) is int and is_small(w - p):
                rows[part][col] = SUPPRESSED
        hidden = [i for i in body if is_hidden(rows[i][col])]
        if table.total_row and len(hidden) == 1:
            # The smallest cell still shown (preferring a non-zero one, which does hide
            # something), so that the total no longer pins down the hidden one.
            shown = [i for i in body if type(rows[i][col]) is int]
            if shown:
                nonzero = [i for i in shown if rows[i][col]] or shown
                smallest = min(nonzero, key=lambda i: original[i])  # type: ignore[arg-type,return-value]
                rows[smallest][col] = SUPPRESSED
        for row, bases in table.derived.items():
            if any(is_hidden(rows[b][col]) for b in bases) and rows[row][col] is not None:
                rows[row][col] = DERIVED_SUPPRESSED
    return dataclasses.replace(table, rows=rows)


def suppress_headline(headline: Headline, tables: dict[str, Table]) -> Headline:
    """A headline that shows a table's cell shows that cell as suppressed; any other count is
    hidden if small; a share or a number of days with no known source is hidden outright."""
    if headline.source and headline.source[0] in tables:
        key, row, value_col, previous_col = headline.source
        cells = tables[key].rows[row]
        return dataclasses.replace(headline, value=cells[value_col], previous=cells[previous_col])
    if headline.unit:

        def unknown(v: Cell) -> Cell:
            return None if v is None else DERIVED_SUPPRESSED

        return dataclasses.replace(
            headline, value=unknown(headline.value), previous=unknown(headline.previous)
        )
    return dataclasses.replace(
        headline, value=_hide(headline.value), previous=_hide(headline.previous)
    )


def _hide_count(value: int | str) -> int | str:
    return SUPPRESSED if is_small(value) else value


def suppress_trend(trend: Trend) -> Trend:
    """Every month of the trend: a month of 1 to 4 referrals or open cases is "<5"."""
    return dataclasses.replace(
        trend,
        referrals=[_hide_count(v) for v in trend.referrals],
        open_cases=[_hide_count(v) for v in trend.open_cases],
    )


def suppress(figures: BoardFigures) -> BoardFigures:
    """A copy of ``figures`` with small numbers, and every figure that would give one away,
    hidden; marked ``suppressed=True``."""
    tables = [suppress_table(t) for t in figures.tables]
    by_key = {t.key: t for t in tables}
    return dataclasses.replace(
        figures,
        headlines=[suppress_headline(h, by_key) for h in figures.headlines],
        tables=tables,
        trend=suppress_trend(figures.trend),
        suppressed=True,
    )
