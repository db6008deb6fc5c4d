"""The board report as a PDF: a Django template rendered by WeasyPrint.

``render_pdf(figures, la_name)`` takes figures that are already suppressed (or not): it
draws what it is given, marking "<5" cells, and never looks at the database.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from cme.pdf import css_string, html_to_pdf
from reports.charts import board_charts
from reports.suppression import DERIVED_SUPPRESSED, SUPPRESSED

log = logging.getLogger(__name__)

TITLE = "Children missing education: report to the Safeguarding Children Partnership"
MARKING = "OFFICIAL-SENSITIVE"

DECEMBER = 12


def period_label(start: date, end: date) -> str:
    """ "1 April 2026 to 30 June 2026" (or "April 2026" for a whole calendar month)."""
    if start.day == 1 and end.month == start.month and end.year == start.year:
        nxt = date(end.year + (end.month == DECEMBER), end.month % DECEMBER + 1, 1)
        if (nxt - end).days == 1:
            return f"{start:%B %Y}"
    return f"{start:%-d %B %Y} to {end:%-d %B %Y}"


def fmt(value: Any, unit: str = "") -> str:
    """A figure as the report prints it: thousands separated, "<5" kept, None as a dash."""
    if value is None or value == "":
        return "\u2013"  # an en dash
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        text = f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
    elif isinstance(value, int):
        text = f"{value:,}"
    else:
        text = str(value)
    if text in (SUPPRESSED, DERIVED_SUPPRESSED) or not unit:
        return text
    return f"{text}%" if unit == "%" else f"{text} {unit}"


def change_words(value: Any, previous: Any, unit: str = "") -> str:
    """The change on the year in words and numbers, e.g. "up 12 (11%) from 111"."""
    if not isinstance(value, int | float) or not isinstance(previous, int | float):
        if previous is None:
            return "no figure for the same period last year"
        return f"{fmt(previous, unit)} in the same period last year (change not shown)"
    diff = value - previous
    if unit == "%":
        points = abs(diff)
        pts = f"{points:.0f}" if float(points).is_integer() else f"{points:.1f}"
        if diff == 0:
            return f"no change from {fmt(previous, unit)} last year"
        return f"{'up' if diff > 0 else 'down'} {pts} percentage points from {fmt(previous, unit)}"
    if diff == 0:
        return f"no change from {fmt(previous, unit)} last year"
    pct = f" ({abs(diff) / previous:.0%})" if previous else ""
    return f"{'up' if diff > 0 else 'down'} {fmt(abs(diff), unit)}{pct} from {fmt(previous, unit)}"


@dataclass(frozen=True)
class _Row:
    cells: list[tuple[str, bool]]  # (text, is a number)
    total: bool


def _table_context(table: Any) -> dict[str, Any]:
    count_cols = set(table.count_columns)
    rows = []
    last = len(table.rows) - 1
    for i, row in enumerate(table.rows):
        cells = [(fmt(v), j in count_cols) for j, v in enumerate(row)]
        rows.append(_Row(cells=cells, total=bool(table.total_row) and i == last))
    texts = {c for r in rows for c, _ in r.cells}
    has_suppressed = SUPPRESSED in texts
    has_derived = DERIVED_SUPPRESSED in texts
    return {
        "key": table.key,
        "title": table.title,
        "columns": [(c, j in count_cols) for j, c in enumerate(table.columns)],
        "rows": rows,
        "note": table.note,
        "has_suppressed": has_suppressed,
        "has_derived": has_derived,
    }


def report_context(
    figures: Any, la_name: str, charts: dict[str, str] | None = None
) -> dict[str, Any]:
    generated = figures.generated_at
    if timezone.is_aware(generated):
        generated = timezone.localtime(generated)
    period = period_label(figures.start, figures.end)
    return {
        "title": TITLE,
        "running_head": mark_safe(css_string(f"{la_name} · {period}")),  # noqa: S308 - escaped
        "marking": MARKING,
        "la_name": la_name,
        "period": period,
        "previous_period": period_label(figures.previous_start, figures.previous_end),
        "generated_at": generated,
        "suppressed": figures.suppressed,
        "headlines": [
            {
                "key": h.key,
                "label": h.label,
                "value": fmt(h.value, h.unit),
                "previous": fmt(h.previous, h.unit),
                "change": change_words(h.value, h.previous, h.unit),
            }
            for h in figures.headlines
        ],
        "charts": board_charts(figures) if charts is None else charts,
        "tables": [_table_context(t) for t in figures.tables],
        "definitions": list(figures.definitions),
    }


#: A board reads the schools with the most, not 400 rows: longer tables are condensed in the
#: PDF (the CSV data pack keeps every row).
PDF_MAX_ROWS = 15


def condense(figures: Any, max_rows: int = PDF_MAX_ROWS) -> Any:
    """The figures with each long table cut to its `max_rows` largest rows plus one row that
    adds up the rest.

    The board's copy is condensed after suppression (``suppress`` then ``condense``), so each
    row the PDF keeps reads as in the CSV. The "All other rows" cell of a column is hidden
    where any of the rows it adds up is hidden (else the total, or the CSV, would give the
    hidden one away); otherwise it is a sum of cells the CSV shows, revealing nothing more."""
    from dataclasses import replace

    tables = []
    for table in figures.tables:
        body = table.rows[:-1] if table.total_row else table.rows
        if len(body) <= max_rows or not table.count_columns:
            tables.append(table)
            continue
        first = table.count_columns[0]
        ranked = sorted(
            body, key=lambda row: -(row[first] if isinstance(row[first], int | float) else 0)
        )
        kept, rest = ranked[:max_rows], ranked[max_rows:]
        other: list[Any] = [f"All other rows ({len(rest)})"] + [None] * (len(table.columns) - 1)
        for col in table.count_columns:
            if any(isinstance(r[col], str) for r in rest):
                other[col] = SUPPRESSED
            else:
                other[col] = sum(r[col] for r in rest if isinstance(r[col], int | float))
        rows = [*kept, other] + ([table.rows[-1]] if table.total_row else [])
        note = (table.note + " " if table.note else "") + (
            f"The {max_rows} largest rows are shown; the CSV data pack has all {len(body)}."
        )
        tables.append(replace(table, rows=rows, note=note))
    return replace(figures, tables=tables)


def render_html(figures: Any, la_name: str, charts: dict[str, str] | None = None) -> str:
    return render_to_string("reports/pdf.html", report_context(figures, la_name, charts))


def render_pdf(figures: Any, la_name: str, *, charts: dict[str, str] | None = None) -> bytes:
    """The board report for ``figures`` as PDF bytes (A4). ``charts`` (from
    ``reports.charts.board_charts``) may be drawn beforehand; otherwise they are drawn here."""
    return html_to_pdf(render_html(figures, la_name, charts))
