"""Figures from schools' returns: deletions from registers, late and missing returns, and
part-time timetables."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q

from reports.figures.common import (
    PERIOD_COLUMNS,
    Period,
    Table,
    aggregate_counts,
    by_choice,
    measure_table,
    total_table,
)
from schools.models import (
    DeletionGround,
    LeaverReturn,
    PartTimeTimetable,
    ReturnKind,
    ReturnStatus,
    SchoolReturn,
)


def _by_school(qs: Any, where: Q, measures: dict[str, Q]) -> list[list[Any]]:
    """One row per school (by name) counting each of ``measures``: one query."""
    got = (
        qs.filter(where)
        .values("school_id", "school__name")
        .annotate(**{k: Count("id", filter=q) for k, q in measures.items()})
        .order_by("school__name", "school_id")
    )
    return [[r["school__name"], *(r[k] for k in measures)] for r in got]


def deletion_ground_counts(cur: Period, prev: Period) -> Table:
    when = cur.on("deletion_date"), prev.on("deletion_date")
    body = by_choice(LeaverReturn.objects, "ground", *when, DeletionGround)
    return total_table(
        "deletions_by_ground",
        "Deletions from school registers by ground (regulation 9(1))",
        ["Ground", *PERIOD_COLUMNS],
        body,
        note="Leaver returns by the date the pupil was deleted from the admission register.",
    )


def deletion_school_counts(cur: Period, prev: Period) -> Table:
    now, before = cur.on("deletion_date"), prev.on("deletion_date")
    body = _by_school(LeaverReturn.objects, now | before, {"n": now, "p": before})
    title = "Deletions from school registers by school"
    return total_table("deletions_by_school", title, ["School", *PERIOD_COLUMNS], body)


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
    counted = ["Late new-pupil returns", "Late leaver returns", "Leavers with no new-school return"]
    return total_table(
        "returns_by_school",
        "Late and missing school returns by school",
        ["School", *counted, *(f"{c} (previous year)" for c in counted)],
        _by_school(SchoolReturn.objects, where, measures),
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
    rows = {"Open": "open", "Overdue for review": "review", "Past the planned end date": "ended"}
    return measure_table("part_time", "Part-time timetables", got, rows, parts=((1, 0), (2, 0)))
