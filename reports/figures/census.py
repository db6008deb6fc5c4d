"""The termly CME return's figures at a census date (issue 15): every breakdown of the DfE's
cme_census.csv, each one query over the cases ``casework.census`` counts (conditional counts
of distinct children, one a group), and the checks made before the return is submitted.

Breakdown topics and labels follow the published file (2025/26); a topic's name lives here
alone, so a change to the file's vocabulary is a change of one line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Case as When_
from django.db.models import Count, Q, QuerySet, Value, When

from casework.census import (
    CHECKS,
    SEXES,
    counted_at,
    counted_in_year,
    duration_groups,
    previous_academic_year,
    year_groups,
)
from casework.models import Case, CmeReason

#: Checked against the DfE's published file (explore-education-statistics data catalogue,
#: "Children missing education at census date", Autumn term 2025/26, data set
#: 5fd47e69-cc0b-4916-8fb6-431a4504974e): its preview has breakdown_topic "Total" (breakdown
#: "Total"), "Sex" (Female, Male, Unknown) and "Year group" (Reception, ...). The duration and
#: reason topics and the year figure are not in that preview: their names here follow the
#: issue's list, unconfirmed. (The 2024/25 file named the columns filter_group, filter,
#: number, pc, rate and had "Sex unknown"; reports.published reads the 2025/26 names only.)
TOTAL = "Total"
SEX = "Sex"
YEAR_GROUP = "Year group"
DURATION = "Duration"
REASON = "Reason"
AT_ANY_TIME = "At any time in the previous academic year"
#: The topics in the order the return shows them (and the published file lists them).
TOPICS = (TOTAL, SEX, YEAR_GROUP, DURATION, REASON, AT_ANY_TIME)
#: The topics that split the census-date total: each must add up to it.
PARTS = (SEX, YEAR_GROUP, DURATION, REASON)


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class CensusFigures:
    census_date: date
    #: (breakdown_topic, breakdown, child_count), in the published order.
    rows: list[tuple[str, str, int]]
    checks: list[Check] = field(default_factory=list)
    #: Topics whose breakdowns do not add up to the total.
    unbalanced: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return next(n for topic, _, n in self.rows if topic == TOTAL)

    def topic(self, name: str) -> list[tuple[str, int]]:
        return [(b, n) for t, b, n in self.rows if t == name]


def _children(q: Q) -> Count:
    return Count("child_id", filter=q, distinct=True)


def _grouped(cases: QuerySet[Case], groups: dict[str, Q]) -> list[tuple[str, int]]:
    """One query: the distinct children in each group."""
    keys = {f"g{i}": label for i, label in enumerate(groups)}
    got: dict[str, int] = cases.aggregate(
        **{k: _children(groups[label]) for k, label in keys.items()}
    )
    return [(label, got[k]) for k, label in keys.items()]


def _reasons(cases: QuerySet[Case], census_date: date) -> list[tuple[str, int]]:
    """Every reason in the list at the census date (and any other a counted case has), one
    grouped query."""
    got = dict(
        cases.order_by()
        .values("primary_reason_id")
        .annotate(n=Count("child_id", distinct=True))
        .values_list("primary_reason_id", "n")
    )
    listed = [r for r in CmeReason.objects.all() if r.applies_on(census_date) or r.pk in got]
    return [(r.label, got.get(r.pk, 0)) for r in sorted(listed, key=lambda r: r.label.lower())]


def census_figures(census_date: date, cases: QuerySet[Case] | None = None) -> CensusFigures:
    """Every breakdown of the return at ``census_date``: seven queries (the total with the
    checks, sex, year group, duration, reason and its list, at any time in the year)."""
    counted = counted_at(census_date, cases)
    head: dict[str, int] = counted.aggregate(
        total=_children(Q()), **{key: _children(q) for key, (_, q) in CHECKS.items()}
    )
    first, last = previous_academic_year(census_date)
    any_time: int = counted_in_year(first, last, cases).aggregate(n=_children(Q()))["n"]
    parts: dict[str, list[tuple[str, int]]] = {
        SEX: _grouped(counted, SEXES),
        YEAR_GROUP: _grouped(counted, year_groups(census_date)),
        DURATION: _grouped(counted, duration_groups(census_date)),
        REASON: _reasons(counted, census_date),
    }
    rows: list[tuple[str, str, int]] = [(TOTAL, TOTAL, head["total"])]
    for topic in PARTS:
        rows += [(topic, label, n) for label, n in parts[topic]]
    rows.append((AT_ANY_TIME, TOTAL, any_time))
    return CensusFigures(
        census_date=census_date,
        rows=rows,
        checks=[Check(key, label, head[key]) for key, (label, _) in CHECKS.items()],
        unbalanced=[t for t in PARTS if sum(n for _, n in parts[t]) != head["total"]],
    )


def _label(groups: dict[str, Q]) -> When_:
    """The label of the group a case is in (the groups of a breakdown do not overlap)."""
    return When_(*(When(q, then=Value(label)) for label, q in groups.items()), default=Value(""))


def counted_children(census_date: date) -> list[list[Any]]:
    """The children counted at ``census_date``, each with the group it is in for every
    breakdown: [case id, child id, sex, year group, duration, reason], one query. A
    submission keeps these, so its figures can be explained child by child later."""
    rows = (
        counted_at(census_date)
        .annotate(
            sex=_label(SEXES),
            year_group=_label(year_groups(census_date)),
            duration=_label(duration_groups(census_date)),
        )
        .order_by("pk")
        .values_list("pk", "child_id", "sex", "year_group", "duration", "primary_reason__label")
    )
    return [list(r) for r in rows]


def figures_from_children(
    census_date: date, children: list[list[Any]], any_time: int
) -> CensusFigures:
    """The census-date breakdowns counted again from a submission's list of children (the
    year figure is not a census-date count: it is carried over as submitted)."""
    reasons = sorted(
        {r[5] for r in children}
        | {r.label for r in CmeReason.objects.all() if r.applies_on(census_date)},
        key=str.lower,
    )
    columns = {
        SEX: (2, list(SEXES)),
        YEAR_GROUP: (3, list(year_groups(census_date))),
        DURATION: (4, list(duration_groups(census_date))),
        REASON: (5, reasons),
    }
    total = len({r[1] for r in children})
    rows: list[tuple[str, str, int]] = [(TOTAL, TOTAL, total)]
    for topic in PARTS:
        column, labels = columns[topic]
        rows += [
            (topic, label, len({r[1] for r in children if r[column] == label})) for label in labels
        ]
    rows.append((AT_ANY_TIME, TOTAL, any_time))
    return CensusFigures(census_date=census_date, rows=rows)


def figures_from_rows(census_date: date, rows: list[Any]) -> CensusFigures:
    """A submission's frozen figures as :class:`CensusFigures` (no checks: as submitted)."""
    return CensusFigures(census_date=census_date, rows=[(t, b, int(n)) for t, b, n in rows])
