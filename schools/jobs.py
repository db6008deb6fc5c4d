"""Scheduled checks on school returns: late returns told to schools, part-time timetable reviews.

Both follow `cme.jobs`: set-based queries, a dry run that only SELECTs, and a real run that
claims what it flags before telling anyone, inside one transaction.

OUTBOX (docs/decisions/005-job-outbox.md): a sweep is set-based SQL only. It claims its rows
with ONE conditional ``UPDATE ... WHERE <pk> IN (<candidates>) AND <flag still unset>
RETURNING ...`` (`claim_returning`: on PostgreSQL a run at the same moment waits on the row
locks and re-checks the flag against the committed row, so each row is claimed once), then
writes the in-app notifications for the claimed rows with ONE ``INSERT ... SELECT ... ON
CONFLICT (user_id, key) DO NOTHING`` (`cme.notifications.insert_notifications`). No email is
built or sent in the sweep: `cme.tasks.deliver_notifications`, enqueued on commit and run
from beat, emails the outbox.

* `late_returns`: a joiner return made after the 5th day (regulation 13(1)) or a leaver return
  made after the deletion (regulation 13(3)) is late. `is_late` is decided at submission; the
  job also marks any leaver whose submission date is after its deletion date but escaped it,
  then claims each late return once (`late_notified_at`: "the school was told", nothing more)
  and tells each school's staff how many of theirs were late. The board report counts
  `is_late` (`reports.figures.return_counts`), whether or not this job has run. The same run reminds a school's staff of a
  leaver sent with an unknown destination whose s2s Lost Pupils Database upload the school has
  not confirmed within `CME_S2S_REMINDER_SCHOOL_DAYS` school days (issue 12 A12): claimed once
  (`s2s_reminded_at`) with ONE ``UPDATE ... RETURNING``, one notification per return (key
  ``s2s:<reference>``) in ONE INSERT, linking to the return's page where the school confirms.
* `part_time_reviews`: a part-time timetable past its review date or its planned end date
  ("Working together to improve school attendance", 2024: time-limited, reviewed regularly)
  reminds the school's staff and the managers: ONE summary notification per person per day
  (key ``part_time_reviews:<user id>:<date>``, with the count and the references: the product
  rule since the outbox). The reminded date is stored (`review_reminded_on`,
  `end_reminded_on`), so a review that moves the date re-arms the reminder; both reminders are
  claimed in ONE ``UPDATE ... FROM`` with a CASE per date on PostgreSQL (`_claim_part_time`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connection, models, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cme.jobs import JobResult, job
from cme.models import Role, User
from cme.notifications import insert_notifications, insert_summaries
from cme.statutory import is_school_day, is_working_day
from schools.models import (
    DestinationType,
    LeaverReturn,
    PartTimeTimetable,
    ReturnKind,
    ReturnStatus,
    SchoolMembership,
    SchoolReturn,
)
from schools.selectors import term_calendar_for
from schools.services import s2s_reminder_school_days

_M = TypeVar("_M", bound=models.Model)


def claim(qs: QuerySet[_M], **values: Any) -> list[int]:
    """Set `values` on the rows of `qs` for this run and return their ids. Call it in a
    transaction, with a `qs` that excludes rows already flagged.

    The rows are read with FOR UPDATE SKIP LOCKED (PostgreSQL), so a second run at the same
    time skips the rows this one holds, and once this one commits they no longer match. On
    SQLite (development) writes are serialised but two runs may both count a row; the
    notifications (unique per user and key) and referrals (unique per return and trigger)
    still happen once.
    """
    ids = list(qs.select_for_update(skip_locked=True, of=("self",)).values_list("pk", flat=True))
    if ids:
        qs.filter(pk__in=ids).update(**values)
    return ids


def school_staff(school_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active staff of each school, by school id (one query)."""
    staff: dict[int, list[User]] = defaultdict(list)
    memberships = SchoolMembership.objects.filter(
        school_id__in=list(school_ids), user__is_active=True
    ).select_related("user")
    for membership in memberships:
        staff[membership.school_id].append(membership.user)
    return staff


def ids_param(ids: Sequence[int]) -> tuple[str, list[Any]]:
    """SQL for "the set of these ids" and its parameter: ``= ANY(%s)`` on PostgreSQL, a
    json_each over one JSON list on SQLite (no limit on the number of ids either way)."""
    if connection.vendor == "postgresql":
        return "= ANY(%s)", [list(ids)]
    return "IN (SELECT value FROM json_each(%s))", [json.dumps(list(ids))]


def claim_returning(
    qs: QuerySet[_M],
    *,
    set_sql: str,
    guard_sql: str,
    params: Sequence[Any] = (),
    returning: Sequence[str] = (),
    parent_returning: Sequence[str] = (),
    also: Sequence[QuerySet[_M]] = (),
) -> list[tuple[Any, ...]]:
    """Claim the rows of ``qs`` in ONE ``UPDATE <table> SET <set_sql> WHERE <pk> IN (qs)
    AND (<guard_sql>) RETURNING <pk>, <returning>`` and return the rows this statement
    changed, with ``parent_returning`` columns of the multi-table parent appended.

    ``guard_sql`` must repeat, on the updated table's own columns, the condition that the
    claim makes false ("flag IS NULL"): PostgreSQL re-checks it against the committed row
    when a run at the same moment held the row, so a row is claimed by one run only.
    ``params`` fill ``set_sql`` then ``guard_sql``; ``also``: more candidates (UNION ALL).
    Call it inside a transaction.
    """
    qn = connection.ops.quote_name
    meta = qs.model._meta
    table, pk = qn(meta.db_table), qn(meta.pk.column)
    try:
        parts = [q.order_by().values("pk").query.sql_with_params() for q in (qs, *also)]
    except EmptyResultSet:  # the candidates are provably none (e.g. `pk__in=[]`)
        return []
    sub_sql = " UNION ALL ".join(sql for sql, _ in parts)
    sub_params = tuple(p for _, params in parts for p in params)
    cols = ", ".join([pk, *returning])
    update = (
        f"UPDATE {table} SET {set_sql} WHERE {pk} IN ({sub_sql}) "  # noqa: S608 - from _meta
        f"AND ({guard_sql}) RETURNING {cols}"
    )
    # The sub-query's parameters come after the SET and before the guard's: reorder.
    n_set = set_sql.count("%s")
    all_params = [*params[:n_set], *sub_params, *params[n_set:]]
    related = meta.pk.related_model if meta.pk.is_relation else None
    parent = related if isinstance(related, type) else None
    with connection.cursor() as cursor:
        if not parent_returning:
            cursor.execute(update, all_params)
            return [tuple(row) for row in cursor.fetchall()]
        if parent is None:
            raise ValueError(f"{qs.model.__name__} has no multi-table parent")
        ptable = qn(parent._meta.db_table)
        extra = ", ".join(f"p.{qn(c)}" for c in parent_returning)
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH c AS ({update}) SELECT c.*, {extra} FROM c "  # noqa: S608
                f"JOIN {ptable} p ON p.id = c.{pk}",
                all_params,
            )
            return [tuple(row) for row in cursor.fetchall()]
        cursor.execute(update, all_params)
        rows = {row[0]: tuple(row) for row in cursor.fetchall()}
        if not rows:
            return []
        where, ids = ids_param(list(rows))
        cursor.execute(
            f"SELECT p.id, {extra} FROM {ptable} p WHERE p.id {where}",  # noqa: S608
            ids,
        )
        return [rows[pk_value] + tuple(more) for pk_value, *more in cursor.fetchall()]


class _Sentinel:
    """Render a template once per variant with placeholders, then fill them per row: the
    template stays the one source of the text, without a render per row."""

    REFERENCE = "__reference__"
    REFERENCES = "__references__"


# ------------------------------------------------------------------------------ late returns


def _leavers_late_unmarked() -> QuerySet[SchoolReturn]:
    """Leaver returns submitted after the deletion date that were not marked late."""
    return (
        SchoolReturn.objects.filter(kind=ReturnKind.LEAVER, is_late=False)
        .annotate(submitted_on=TruncDate("submitted_at"))
        .filter(leaverreturn__deletion_date__lt=F("submitted_on"))
    )


def _late_unnotified() -> QuerySet[SchoolReturn]:
    return SchoolReturn.objects.filter(
        kind__in=[ReturnKind.JOINER, ReturnKind.LEAVER],
        is_late=True,
        late_notified_at__isnull=True,
    )


def s2s_reminder_cutoff(today: date) -> date:
    """The last day a leaver can have been sent and its s2s upload be overdue ``today``:
    `s2s_reminder_school_days` whole school days have passed since (not counting today, as
    the job runs in the morning). Counted on the LA's term calendar, one query; on working
    days if no terms are loaded for the past year."""
    n = s2s_reminder_school_days()
    earliest = today - timedelta(days=366)
    cal = term_calendar_for(None, earliest, today)
    counted = 0
    d = today - timedelta(days=1)
    while counted < n and d >= earliest:
        if is_school_day(cal, d) if cal.terms else is_working_day(d):
            counted += 1
        d -= timedelta(days=1)
    return d


def _s2s_unconfirmed(today: date) -> QuerySet[LeaverReturn]:
    """Leavers sent with an unknown destination, the s2s upload not confirmed in time, not
    yet reminded (the return still open)."""
    return LeaverReturn.objects.filter(
        destination_type=DestinationType.UNKNOWN,
        s2s_lost_pupil_uploaded=False,
        s2s_reminded_at__isnull=True,
        submitted_at__date__lte=s2s_reminder_cutoff(today),
    ).exclude(status=ReturnStatus.CLOSED)


def _remind_s2s(today: date, now: Any) -> tuple[list[str], int]:
    """Claim the s2s reminders due and tell each school's staff; (references, notified)."""
    rows = claim_returning(
        _s2s_unconfirmed(today),
        set_sql="s2s_reminded_at = %s",
        guard_sql="s2s_reminded_at IS NULL AND NOT s2s_lost_pupil_uploaded",
        params=[now],
        parent_returning=["reference", "school_id"],
    )
    rows.sort(key=lambda row: row[1])
    body = render_to_string("emails/s2s_reminder.txt", {"reference": _Sentinel.REFERENCE})
    notes = [
        {
            "school_id": school_id,
            "key": f"s2s:{reference}",
            "title": f"Confirm the s2s upload for {reference}",
            "body": body.replace(_Sentinel.REFERENCE, reference),
            "url": reverse("schools:return_detail", args=[reference]),
        }
        for _pk, reference, school_id in rows
    ]
    return [reference for _pk, reference, _ in rows], len(insert_notifications(notes))


@job(
    "late_returns",
    "Tell schools of their late joiner and leaver returns (once each); remind "
    "schools of s2s uploads not confirmed",
)
def late_returns(*, today: date, dry_run: bool) -> JobResult:
    result = JobResult(name="late_returns", dry_run=dry_run)
    if dry_run:
        due = SchoolReturn.objects.filter(
            Q(pk__in=_late_unnotified().values("pk"))
            | Q(pk__in=_leavers_late_unmarked().values("pk"))
        ).filter(late_notified_at__isnull=True)
        result.flagged = list(due.order_by("reference").values_list("reference", flat=True))
        result.flagged.extend(
            f"{reference} s2s"
            for reference in _s2s_unconfirmed(today)
            .order_by("reference")
            .values_list("reference", flat=True)
        )
        return result
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with transaction.atomic():
        # One statement: the leavers late but not marked are marked late and recorded with
        # the others (is_late is already true on those).
        rows = claim_returning(
            _late_unnotified(),
            also=[_leavers_late_unmarked()],
            set_sql="late_notified_at = %s, is_late = %s",
            guard_sql="late_notified_at IS NULL",
            params=[now, True],
            returning=["school_id", "reference"],
        )
        by_school: dict[int, list[str]] = defaultdict(list)
        for _pk, school_id, reference in sorted(rows, key=lambda r: (r[1], r[2])):
            by_school[school_id].append(reference)
        bodies: dict[int, str] = {}  # one render per count, not per school
        list_url = reverse("schools:return_list")
        # One reverse() for the run: the reference is the only part of a return's URL that changes.
        before, after = reverse("schools:return_detail", args=[_Sentinel.REFERENCE]).split(
            _Sentinel.REFERENCE
        )
        notes = []
        for school_id, references in by_school.items():
            result.flagged.extend(references)
            count = len(references)
            if count not in bodies:
                bodies[count] = render_to_string(
                    "emails/late_returns.txt",
                    {"references": [_Sentinel.REFERENCES], "count": count},
                )
            notes.append(
                {
                    "school_id": school_id,
                    "key": f"late:{school_id}:{today:%Y-%m-%d}",
                    "title": f"{count} late school return{'s' if count != 1 else ''} recorded",
                    # One reference a line (the page shows the body's lines, each linked).
                    "body": bodies[count].replace(_Sentinel.REFERENCES, "\n- ".join(references)),
                    # One return: its own page; several: the school's list of returns.
                    "url": f"{before}{references[0]}{after}" if count == 1 else list_url,
                }
            )
        result.notified += len(insert_notifications(notes))
        reminded, notified = _remind_s2s(today, now)
        result.flagged.extend(f"{reference} s2s" for reference in reminded)
        result.notified += notified
    return result


# ------------------------------------------------------------------------- part-time reviews


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


def insert_school_summaries(
    job: str,
    today: Any,
    refs_by_school: Mapping[int, Sequence[str]],
    *,
    noun: str,
    what: str,
    school_url: str,
    la_url: str,
    note: str = "",
) -> int:
    """`insert_summaries` for a sweep over school returns: each member of staff of a school
    with flagged returns gets their school's (their schools', if several), with a link to
    ``school_url``; each active manager all of them, with a link to ``la_url``. The managers
    and the schools' staff are read in ONE query. Returns how many were stored."""
    if not refs_by_school:
        return 0
    qn = connection.ops.quote_name
    schools = list(refs_by_school)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, NULL FROM {qn(User._meta.db_table)} "  # noqa: S608 - names from _meta
            "WHERE role = %s AND is_active UNION ALL "
            f"SELECT user_id, school_id FROM {qn(SchoolMembership._meta.db_table)} "
            f"WHERE school_id IN ({', '.join(['%s'] * len(schools))})",
            [Role.MANAGER, *schools],
        )
        audience = cursor.fetchall()
    managers = {user_id for user_id, school_id in audience if school_id is None}
    everything = [ref for refs in refs_by_school.values() for ref in refs]
    refs: dict[int, list[str]] = dict.fromkeys(managers, everything)
    for user_id, school_id in audience:
        if school_id is not None and user_id not in managers:
            refs.setdefault(user_id, []).extend(refs_by_school[school_id])
    return insert_summaries(
        job,
        today,
        refs,
        noun=noun,
        what=what,
        url_for=lambda pk: la_url if pk in managers else school_url,
        note=note,
    )


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
        school_url=reverse("schools:return_list"),
        la_url=reverse("schools:la_returns"),
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
