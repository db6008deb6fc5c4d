"""Figures about cases: totals, by category, age group, vulnerability and outcome."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q

from casework.models import Case, Category, Outcome
from cme.statutory import national_curriculum_year_dobs
from referrals.vocabulary import REPORTED_FLAGS
from reports.figures.common import (
    Period,
    Table,
    aggregate_counts,
    by_choice,
    measure_table,
    open_at,
    overdue_at,
    total_table,
    untraceable_at,
)


def case_totals(cur: Period, prev: Period) -> dict[str, int]:
    """Headline counts of cases, this period (``x``) and a year earlier (``p_x``)."""
    measures: dict[str, Q] = {}
    for tag, period in (("", cur), ("p_", prev)):
        measures |= {
            f"{tag}opened": period.on("received_on"),
            f"{tag}open_end": open_at(period.end),
            f"{tag}overdue": overdue_at(period.end),
            f"{tag}untraceable": untraceable_at(period.end),
            f"{tag}untraceable_review": untraceable_at(period.end) & Q(review_date__lt=period.end),
        }
    return aggregate_counts(Case.objects, measures)


def category_counts(cur: Period, prev: Period) -> Table:
    rows = {
        r["category"]: r
        for r in Case.objects.values("category")
        .annotate(
            opened=Count("id", filter=cur.on("received_on")),
            closed=Count("id", filter=cur.at("closed_at")),
            open_end=Count("id", filter=open_at(cur.end)),
            p_opened=Count("id", filter=prev.on("received_on")),
            p_closed=Count("id", filter=prev.at("closed_at")),
            p_open_end=Count("id", filter=open_at(prev.end)),
        )
        .order_by()
    }
    keys = ["opened", "closed", "open_end", "p_opened", "p_closed", "p_open_end"]
    body: list[list[Any]] = [
        [c.label, *(rows.get(c.value, {}).get(k, 0) for k in keys)] for c in Category
    ]
    columns = ["Category", "Opened", "Closed", "Open at period end", "Opened (previous year)"]
    columns += ["Closed (previous year)", "Open at previous period end"]
    return total_table(
        "cases_by_category",
        "Cases by category",
        columns,
        body,
        note="By each case's category today: a case can move between WASP and missing.",
    )


#: The count columns of a table of the cases open at the period end and the previous one.
OPEN_AT_END_COLUMNS = ("Open at period end", "Open at previous period end")

#: (label, youngest NC year, oldest NC year); None is open-ended.
AGE_GROUPS: list[tuple[str, int | None, int | None]] = [
    ("Under 5", None, -1),
    ("Reception–KS1 (5–7)", 0, 2),  # noqa: RUF001
    ("KS2 (7–11)", 3, 6),  # noqa: RUF001
    ("KS3 (11–14)", 7, 9),  # noqa: RUF001
    ("KS4 (14–16)", 10, 11),  # noqa: RUF001
    ("Over compulsory age", 12, None),
]


def _age_q(low: int | None, high: int | None, on: date) -> Q:
    q = Q(child__date_of_birth__isnull=False)
    if low is not None:  # born on or before the youngest of NC year ``low``
        q &= Q(child__date_of_birth__lte=national_curriculum_year_dobs(low, on)[1])
    if high is not None:  # born on or after the oldest of NC year ``high``
        q &= Q(child__date_of_birth__gte=national_curriculum_year_dobs(high, on)[0])
    return q


def age_counts(cur: Period, prev: Period) -> Table:
    groups = [*AGE_GROUPS, ("Date of birth not known", None, None)]
    measures: dict[str, Q] = {}
    for i, (_, low, high) in enumerate(groups):
        for tag, period in (("c", cur), ("p", prev)):
            age = (
                _age_q(low, high, period.end)
                if i < len(AGE_GROUPS)
                else Q(child__date_of_birth__isnull=True)
            )
            measures[f"{tag}{i}"] = open_at(period.end) & age
    got = aggregate_counts(Case.objects, measures)
    body: list[list[Any]] = [
        [label, got[f"c{i}"], got[f"p{i}"]] for i, (label, _, _) in enumerate(groups)
    ]
    return total_table(
        "open_by_age",
        "Open cases at the period end by age group (key stage)",
        ["Age group", *OPEN_AT_END_COLUMNS],
        body,
        note="Key stage by National Curriculum year group on the period's last day.",
    )


VULNERABILITY_FLAGS: list[tuple[str, str]] = [(f.field, f.label) for f in REPORTED_FLAGS]


def vulnerability_counts(cur: Period, prev: Period) -> Table:
    measures = {
        f"{tag}_{flag}": open_at(period.end) & Q(**{f"child__{flag}": True})
        for flag, _ in VULNERABILITY_FLAGS
        for tag, period in (("c", cur), ("p", prev))
    }
    got = aggregate_counts(Case.objects, measures)
    return Table(
        key="vulnerability",
        title="Vulnerability among open cases",
        columns=["Flag", *OPEN_AT_END_COLUMNS],
        rows=[[label, got[f"c_{f}"], got[f"p_{f}"]] for f, label in VULNERABILITY_FLAGS],
        count_columns=[1, 2],
        note="A child may have several flags, so the rows do not add up to the open cases.",
    )


def outcome_counts(cur: Period, prev: Period) -> Table:
    closures = [o for o in Outcome if o != Outcome.UNTRACEABLE]
    body = by_choice(Case.objects, "outcome", cur.at("closed_at"), prev.at("closed_at"), closures)
    return total_table(
        "outcomes",
        "Outcomes of cases closed",
        ["Outcome", "Closed in period", "Closed in previous year"],
        body,
        note="Untraceable is not a closure: those children stay on the register (see below).",
    )


def untraceable_table(totals: dict[str, int]) -> Table:
    title = "Children untraceable after reasonable enquiries"
    rows = {"On the register as untraceable": "untraceable"}
    rows["Of whom, review date passed"] = "untraceable_review"
    note = "Untraceable children stay on the register as CME-missing and are reviewed."
    return measure_table("untraceable", title, totals, rows, parts=((1, 0),), note=note)
