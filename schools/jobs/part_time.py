"""The part-time timetable check: reviews and planned ends that have passed.

`part_time_reviews`: a part-time timetable past its review date or its planned end date
("Working together to improve school attendance", 2024: time-limited, reviewed regularly)
reminds the school's staff and the managers: ONE summary notification per person per day
(key ``part_time_reviews:<user id>:<date>``, with the count and the references: the product
rule since the outbox). The reminded date is stored (`review_reminded_on`,
`end_reminded_on`), so a review that moves the date re-arms the reminder; both reminders are
claimed in ONE ``UPDATE ... FROM`` with a CASE per date on PostgreSQL (`_claim_part_time`).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q, QuerySet

from cme.jobs import JobResult, job
from schools.jobs.sweeps import claim_returning, insert_school_summaries
from schools.models import PartTimeTimetable, ReturnStatus, SchoolReturn


def _open_timetables() -> QuerySet[PartTimeTimetable]:
    return PartTimeTimetable.objects.filter(ended_on__isnull=True).exclude(
        status=ReturnStatus.CLOSED
    )


def _review_due(today: date) -> QuerySet[PartTimeTimetable]:
    return _open_timetables().filter(
        Q(review_reminded_on__isnull=True) | ~Q(review_reminded_on=F("next_review_date")),
        next_review_date__lt=today,
    )


def _end_due(today: date) -> QuerySet[PartTimeTimetable]:
    return _open_timetables().filter(
        Q(end_reminded_on__isnull=True) | ~Q(end_reminded_on=F("planned_end_date")),
        planned_end_date__lt=today,
    )


def _claim_reminders(
    qs: QuerySet[PartTimeTimetable], flag: str, date_field: str, today: date
) -> list[tuple[Any, ...]]:
    """Claim the timetables of ``qs``: (id, date, reference, school id) for each."""
    qn = connection.ops.quote_name
    f, d = qn(flag), qn(date_field)
    return claim_returning(
        qs,
        set_sql=f"{f} = {d}",
        guard_sql=f"{d} < %s AND ({f} IS NULL OR {f} <> {d})",
        params=[connection.ops.adapt_datefield_value(today)],
        returning=[d],
        parent_returning=["reference", "school_id"],
    )


Reminders = list[tuple[str, str, int]]  # (reference, date reminded (ISO), school id)


def _notify_part_time(today: date, by_school: dict[int, list[str]]) -> int:
    """ONE notification per recipient for this run (docs/decisions/005-job-outbox.md): each
    member of a school's staff gets their school's timetables (the school's submissions),
    each manager all of them (the LA returns list)."""
    return insert_school_summaries(
        "part_time_reviews",
        today,
        by_school,
        noun="part-time timetable",
        what="past the review or planned end date: record a review",
    )


def _claim_part_time(today: date) -> tuple[Reminders, Reminders]:
    """Claim the reminders due; return those claimed now: (review reminders, end reminders),
    each in reference order (a timetable past both dates can be in both).

    PostgreSQL: ONE ``UPDATE ... FROM`` the returns, each of the two reminded dates set by a
    CASE where it is due (the shape of a hand-written UPDATE). Which of the two this statement
    set is plain from the new row when only one of the dates has passed; where both have, one
    may have been reminded on an earlier day, so the old row is read (the statement's
    snapshot) for those rows only. A run at the same moment waits on the row locks and
    re-checks the WHERE on the committed row, so a reminder is claimed once. SQLite (no old
    row in RETURNING there): one claim per reminder.
    """
    if connection.vendor != "postgresql":
        claimed: tuple[Reminders, Reminders] = ([], [])
        for found, flag, field, qs in (
            (claimed[0], "review_reminded_on", "next_review_date", _review_due(today)),
            (claimed[1], "end_reminded_on", "planned_end_date", _end_due(today)),
        ):
            for _pk, when, reference, school_id in _claim_reminders(qs, flag, field, today):
                day = when if isinstance(when, str) else when.isoformat()  # SQLite: ISO text
                found.append((reference, day, school_id))
            found.sort()
        return claimed
    qn = connection.ops.quote_name
    table = qn(PartTimeTimetable._meta.db_table)
    returns = qn(SchoolReturn._meta.db_table)
    review = (
        "p.next_review_date < %(today)s "
        "AND p.review_reminded_on IS DISTINCT FROM p.next_review_date"
    )
    end = "p.planned_end_date < %(today)s AND p.end_reminded_on IS DISTINCT FROM p.planned_end_date"
    both = "p.next_review_date < %(today)s AND p.planned_end_date < %(today)s"

    def set_now(column: str, when: str) -> str:
        """SQL: the date reminded (ISO text) if this statement set ``column``, else NULL."""
        was_due = (  # in the old row: the statement's snapshot
            f"(SELECT o.{column} IS DISTINCT FROM o.{when} FROM {table} o "  # noqa: S608
            "WHERE o.schoolreturn_ptr_id = p.schoolreturn_ptr_id)"
        )
        return (
            f"CASE WHEN (CASE WHEN {both} THEN {was_due} ELSE p.{when} < %(today)s END) "
            f"THEN to_char(p.{when}, 'YYYY-MM-DD') END"
        )

    sql = (
        f"WITH c AS (UPDATE {table} p SET "  # noqa: S608 - names from _meta
        f"review_reminded_on = CASE WHEN {review} THEN p.next_review_date "
        "ELSE p.review_reminded_on END, "
        f"end_reminded_on = CASE WHEN {end} THEN p.planned_end_date "
        "ELSE p.end_reminded_on END "
        f"FROM {returns} r WHERE r.id = p.schoolreturn_ptr_id AND r.status <> %(closed)s "
        f"AND p.ended_on IS NULL AND (({review}) OR ({end})) "
        "RETURNING r.reference, r.school_id, "
        f"{set_now('review_reminded_on', 'next_review_date')} AS review_on, "
        f"{set_now('end_reminded_on', 'planned_end_date')} AS end_on) "
        # Code point order, as Python sorts.
        'SELECT reference, school_id, review_on, end_on FROM c ORDER BY reference COLLATE "C"'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"today": today, "closed": ReturnStatus.CLOSED})
        rows = cursor.fetchall()
    reviews = [(ref, day, school) for ref, school, day, _ in rows if day is not None]
    ends = [(ref, day, school) for ref, school, _, day in rows if day is not None]
    return reviews, ends


@job("part_time_reviews", "Remind school and LA of part-time timetables past review or end date")
def part_time_reviews(*, today: date, dry_run: bool) -> JobResult:
    result = JobResult(name="part_time_reviews", dry_run=dry_run)
    if dry_run:
        for what, qs, field in (
            ("review", _review_due(today), "next_review_date"),
            ("end", _end_due(today), "planned_end_date"),
        ):
            result.flagged.extend(
                f"{reference} {what} {when:%Y-%m-%d}"
                for reference, when in qs.order_by("reference").values_list("reference", field)
            )
        return result
    with transaction.atomic():
        reviews, ends = _claim_part_time(today)
        by_school: dict[int, list[str]] = defaultdict(list)
        for what, claimed in (("review", reviews), ("end", ends)):
            for reference, day, school_id in claimed:
                result.flagged.append(f"{reference} {what} {day}")
                by_school[school_id].append(reference)
        result.notified += _notify_part_time(today, by_school)
    return result
