"""The CSV data pack: the same numbers as the report, one section after another.

Sections, separated by a blank line: the period; the headlines; each table (a line with its
title and any note, the header, the rows); the 12-month trend; the definitions. A text
cell that a spreadsheet would run as a formula is prefixed with a single quote.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils import timezone

from cme.spreadsheet import neutralise
from reports.figures import BoardFigures


def csv_pack(figures: BoardFigures) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")

    def row(*cells: Any) -> None:
        writer.writerow([neutralise(c) for c in cells])

    row("Period", figures.start.isoformat(), figures.end.isoformat())
    row("Previous period", figures.previous_start.isoformat(), figures.previous_end.isoformat())
    row("Small numbers suppressed", "yes" if figures.suppressed else "no")
    row("Generated at", timezone.localtime(figures.generated_at).isoformat(timespec="seconds"))
    row()
    row("Headlines")
    row("Figure", "This period", "Previous period", "Unit")
    for h in figures.headlines:
        row(h.label, h.value, h.previous, h.unit)
    for table in figures.tables:
        row()
        row(table.title, table.note) if table.note else row(table.title)
        row(*table.columns)
        for cells in table.rows:
            row(*cells)
    row()
    row("Trend (12 months)")
    row("Month", "Referrals received", "Open cases at month end")
    for month, referrals, open_cases in zip(
        figures.trend.months, figures.trend.referrals, figures.trend.open_cases, strict=True
    ):
        row(month.strftime("%Y-%m"), referrals, open_cases)
    row()
    row("Definitions")
    for term, meaning in figures.definitions:
        row(term, meaning)
    return out.getvalue()
