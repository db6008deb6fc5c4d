"""The safeguarding board's figures for a period, beside the same period a year earlier.

Selectors only: every figure is one grouped or conditionally aggregated query, so the whole
report is a constant handful of queries whatever the number of cases (see
``tests/reports/test_figures.py``). Python touches rows only for medians (and, on SQLite,
for counting referral reasons: see :func:`reports.figures.referrals._reason_counts`).

By subject: ``common`` (the result types, periods, "open at a date"), ``cases``,
``referrals``, ``durations`` (the enquiry clock, days open), ``returns`` (schools' returns),
``trends``, ``definitions``, and ``board`` (the whole report). Ages come from
``cme.statutory``. What the rest of the project uses is named here.
"""

from reports.figures.board import board_figures, dashboard_figures
from reports.figures.cases import AGE_GROUPS, VULNERABILITY_FLAGS, case_totals
from reports.figures.common import (
    BoardFigures,
    Headline,
    Number,
    Period,
    Table,
    Trend,
    open_at,
    overdue_at,
    year_earlier,
)

__all__ = [
    "AGE_GROUPS",
    "VULNERABILITY_FLAGS",
    "BoardFigures",
    "Headline",
    "Number",
    "Period",
    "Table",
    "Trend",
    "board_figures",
    "case_totals",
    "dashboard_figures",
    "open_at",
    "overdue_at",
    "year_earlier",
]
