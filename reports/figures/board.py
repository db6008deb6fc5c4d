"""The whole board report, and the dashboard's part of it, from the figures by subject."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from reports.figures.cases import (
    age_counts,
    case_totals,
    category_counts,
    outcome_counts,
    untraceable_table,
    vulnerability_counts,
)
from reports.figures.cme_groups import (
    duration_counts,
    primary_reason_counts,
    sex_counts,
    year_group_counts,
)
from reports.figures.common import BoardFigures, Headline, Period, Table, year_earlier
from reports.figures.definitions import definitions
from reports.figures.durations import duration_figures, investigation_figures
from reports.figures.referrals import referral_reason_counts, referral_source_counts
from reports.figures.returns import (
    deletion_ground_counts,
    deletion_school_counts,
    part_time_counts,
    return_counts,
)
from reports.figures.trends import trend


def _headlines(cur: Period, prev: Period) -> tuple[list[Headline], dict[str, int], Table, Table]:
    """The headline figures, with the tables they come from (totals, investigations, sources)."""
    totals = case_totals(cur, prev)
    investigations, inv = investigation_figures(cur, prev)
    sources = referral_source_counts(cur, prev)
    referrals_now, referrals_before = sources.rows[-1][1], sources.rows[-1][2]
    headlines = [
        Headline("open_now", "Open at period end", totals["open_end"], totals["p_open_end"]),
        Headline("new_referrals", "New referrals", referrals_now, referrals_before),
        Headline("cases_opened", "Cases opened", totals["opened"], totals["p_opened"]),
        Headline("overdue", "Investigations overdue", totals["overdue"], totals["p_overdue"]),
        Headline("untraceable", "Untraceable", totals["untraceable"], totals["p_untraceable"]),
        Headline(
            "on_time_pct",
            "Investigations on time",
            inv["pct"],
            inv["p_pct"],
            unit="%",
            source=("investigations", 2, 1, 2),
        ),
    ]
    return headlines, totals, investigations, sources


def _figures(
    cur: Period, prev: Period, headlines: list[Headline], tables: list[Table]
) -> BoardFigures:
    return BoardFigures(
        start=cur.start,
        end=cur.end,
        previous_start=prev.start,
        previous_end=prev.end,
        headlines=headlines,
        tables=tables,
        trend=trend(cur.end),
        definitions=definitions(),
        suppressed=False,
        generated_at=timezone.now(),
    )


def _periods(start: date, end: date) -> tuple[Period, Period]:
    """The period and the same dates a year earlier."""
    return Period(start, end), Period(year_earlier(start), year_earlier(end))


def board_figures(start: date, end: date) -> BoardFigures:
    """Every figure of the board report for ``start`` to ``end`` (inclusive), unsuppressed."""
    cur, prev = _periods(start, end)
    headlines, totals, investigations, sources = _headlines(cur, prev)
    tables = [
        sources,
        referral_reason_counts(cur, prev),
        category_counts(cur, prev),
        age_counts(cur, prev),
        sex_counts(cur, prev),
        year_group_counts(cur, prev),
        duration_counts(cur, prev),
        primary_reason_counts(cur, prev),
        vulnerability_counts(cur, prev),
        outcome_counts(cur, prev),
        investigations,
        duration_figures(cur, prev),
        untraceable_table(totals),
        deletion_ground_counts(cur, prev),
        deletion_school_counts(cur, prev),
        return_counts(cur, prev),
        part_time_counts(cur, prev),
    ]
    return _figures(cur, prev, headlines, tables)


def dashboard_figures(start: date, end: date) -> BoardFigures:
    """What the managers' dashboard shows: the board report's headlines, cases by category and
    the trend, from the same queries (the full report's other tables are not computed)."""
    cur, prev = _periods(start, end)
    headlines, _, _, _ = _headlines(cur, prev)
    return _figures(cur, prev, headlines, [category_counts(cur, prev)])
