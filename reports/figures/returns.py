"""Figures from schools' returns: deletions from registers, late and missing returns, and
part-time timetables."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q

from reports.figures.common import Period, Table, aggregate_counts, choice_table, with_total
from schools.models import (
    DeletionGround,
    LeaverReturn,
    PartTimeTimetable,
    ReturnKind,
    ReturnStatus,
    SchoolReturn,
)


def _by_school(qs: Any, where: Q, measures: dict[str, Q]) -> list[list[Any]]:
    """One row per school (by name) counting each of ``measures``, and a total: one query."""
    got = (
        qs.filter(where)
        .values("school_id", "school__name")
        .annotate(**{k: Count("id", filter=q) for k, q in measures.items()})
        .order_by("school__name", "school_id")
    )
    body = [[r["school__name"], *(r[k] for k in measures)] for r in got]
    return with_total(body, columns=len(measures))


def deletion_ground_counts(cur: Period, prev: Period) -> Table:
    return choice_table(
        LeaverReturn.objects,
        "ground",
        (cur.on("deletion_date"), prev.on("deletion_date")),
        DeletionGround,
        key="deletions_by_ground",
        title="Deletions from school registers by ground (regulation 9(1))",
        columns=["Ground", "This period", "Previous year"],
        note="Leaver returns by the date the pupil was deleted from the admission register.",
    )


def deletion_school_counts(cur: Period, prev: Period) -> Table:
    now, before = cur.on("deletion_date"), prev.on("deletion_date")
    return Table(
        key="deletions_by_school",
        title="Deletions from school registers by school",
        columns=["School", "This period", "Previous year"],
        rows=_by_school(LeaverReturn.objects, now | before, {"n": now, "p": before}),
        count_columns=[1, 2],
        total_row=True,
    )


def return_counts(cur: Period, prev: Period) -> Table:
    """Late returns (decided at submission) and leavers flagged because no joiner return
    came in time (the unmatched-leavers job), per school."""
    measures: dict[str, Q] = {}
    for tag, period in (("", cur), ("p_", prev)):
        late = period.at("submitted_at") & Q(is_late=True)
        measures |= {
            f"{tag}joiners": late & Q(kind=ReturnKind.JOINER),
            f"{tag}leavers": late & Q(kind=ReturnKind.LEAVER),
            f"{tag}missing": period.at("leaverreturn__transition_flagged_at"),
        }
    where = (
        (cur.at("submitted_at") | prev.at("submitted_at")) & Q(is_late=True)
        | cur.at("leaverreturn__transition_flagged_at")
        | prev.at("leaverreturn__transition_flagged_at")
    )
    return Table(
        key="returns_by_school",
        title="Late and missing school returns by school",
        columns=[
            "School",
            "Late new-pupil returns",
            "Late leaver returns",
            "Leavers with no new-school return",
            "Late new-pupil returns (previous year)",
            "Late leaver returns (previous year)",
            "Leavers with no new-school return (previous year)",
        ],
        rows=_by_school(SchoolReturn.objects, where, measures),
        count_columns=list(range(1, len(measures) + 1)),
        total_row=True,
        note="Missing: a leaver whose new school sent no new-pupil return in time.",
    )


def _timetable_open_at(d: date) -> Q:
    """A part-time timetable running at the end of ``d``: started, not ended, not closed."""
    return (
        Q(start_date__lte=d)
        & (Q(ended_on__isnull=True) | Q(ended_on__gt=d))
        & ~Q(status=ReturnStatus.CLOSED)
    )


def part_time_counts(cur: Period, prev: Period) -> Table:
    measures: dict[str, Q] = {}
    for tag, period in (("", cur), ("p_", prev)):
        running = _timetable_open_at(period.end)
        measures |= {
            f"{tag}open": running,
            f"{tag}review": running & Q(next_review_date__lt=period.end),
            f"{tag}ended": running & Q(planned_end_date__lt=period.end),
        }
    got = aggregate_counts(PartTimeTimetable.objects, measures)
    return Table(
        key="part_time",
        title="Part-time timetables",
        columns=["Measure", "At period end", "At previous period end"],
        rows=[
            ["Open", got["open"], got["p_open"]],
            ["Overdue for review", got["review"], got["p_review"]],
            ["Past the planned end date", got["ended"], got["p_ended"]],
        ],
        count_columns=[1, 2],
        parts=((1, 0), (2, 0)),
    )
