"""The board report's tables in the termly CME return's groups (issue 15): the cases open at
the period end by sex, by National Curriculum year group, by time missing education and by
primary reason, each one query, with
the same groups the return counts (casework.census), so the two read alike."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db.models import Count, Q

from casework.census import SEXES, duration_groups, year_groups
from casework.models import Case, CmeReason
from reports.figures.common import Period, Table, aggregate_counts, open_at, total_table

OPEN_AT_END_COLUMNS = ["Open at period end", "Open at previous period end"]


def _grouped(
    key: str, title: str, heading: str, groups: list[tuple[str, Q, Q]], note: str
) -> Table:
    """One query: for each (label, filter at the period end, at the previous one) the cases
    open then and in the group."""
    measures: dict[str, Q] = {}
    for i, (_, cur, prev) in enumerate(groups):
        measures[f"c{i}"], measures[f"p{i}"] = cur, prev
    got = aggregate_counts(Case.objects, measures)
    body: list[list[Any]] = [
        [label, got[f"c{i}"], got[f"p{i}"]] for i, (label, _, _) in enumerate(groups)
    ]
    return total_table(key, title, [heading, *OPEN_AT_END_COLUMNS], body, note=note)


def _at_ends(
    cur: Period, prev: Period, groups_on: Callable[[date], dict[str, Q]]
) -> list[tuple[str, Q, Q]]:
    """Each group (worked out at each period's end) with the cases open then."""
    now, then = groups_on(cur.end), groups_on(prev.end)
    return [
        (label, open_at(cur.end) & now[label], open_at(prev.end) & then[label]) for label in now
    ]


#: The tables of groups worked out at each period's end: key -> (title, heading, the
#: groups on a day, note).
_TABLES: dict[str, tuple[str, str, Callable[[date], dict[str, Q]], str]] = {
    "open_by_sex": (
        "Open cases at the period end by sex",
        "Sex",
        lambda _: SEXES,
        "As the DfE's CME return asks it: other or not known, or not recorded, is Unknown.",
    ),
    "open_by_year_group": (
        "Open cases at the period end by year group",
        "Year group",
        year_groups,
        "National Curriculum year on the period's last day, as the DfE's CME return counts it: "
        "no date of birth, or outside Reception to Year 11, is Unknown.",
    ),
    "open_by_time_missing": (
        "Open cases at the period end by time missing education",
        "Missing education for",
        duration_groups,
        "Completed weeks from the date the child became missing education to the period end.",
    ),
}


def _table(key: str, cur: Period, prev: Period) -> Table:
    title, heading, groups_on, note = _TABLES[key]
    return _grouped(key, title, heading, _at_ends(cur, prev, groups_on), note)


def sex_counts(cur: Period, prev: Period) -> Table:
    return _table("open_by_sex", cur, prev)


def year_group_counts(cur: Period, prev: Period) -> Table:
    return _table("open_by_year_group", cur, prev)


def duration_counts(cur: Period, prev: Period) -> Table:
    return _table("open_by_time_missing", cur, prev)


def primary_reason_counts(cur: Period, prev: Period) -> Table:
    """Every reason in the list, from the reasons' side: one query, a row each even at 0."""
    rows = CmeReason.objects.annotate(
        c=Count("cases", filter=open_at(cur.end, prefix="cases__")),
        p=Count("cases", filter=open_at(prev.end, prefix="cases__")),
    ).values_list("label", "c", "p")
    body: list[list[Any]] = [[label, c, p] for label, c, p in rows]
    return total_table(
        "open_by_primary_reason",
        "Open cases at the period end by primary reason",
        ["Primary reason", *OPEN_AT_END_COLUMNS],
        body,
        note="The DfE's list of primary reasons for the termly CME return.",
    )
