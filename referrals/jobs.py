"""Scheduled checks that raise referrals: continuous absence and unmatched leavers.

School days are counted on each school's term calendar (its own terms, or the LA's:
`schools.selectors.term_calendar_for`), so a threshold date is not a SQL expression. Rather
than compute a date for every row (or store one on it, which a closure added later, a snow
day, would leave stale), each check counts back from today once per school: "20 school days
from the first day of absence have passed by today" is the same as "the first day is on or
before the 20th school day counting back from today", because the count only grows as the
first day moves earlier. That gives one date per school, recomputed on every run from the
calendar as it stands. Most schools count on the LA's calendar: its cut-offs are counted once,
and separately only for the few schools with terms or closures of their own in the window
(`school_cutoffs`: one query for all the terms and closures), so the whole check is one
statement comparing each row with the LA's date, or with its school's by a CASE over those few
schools (`_before_cutoff`).

OUTBOX (docs/decisions/005-job-outbox.md): each real run is set-based SQL in one
transaction. It claims the rows it flags with ONE conditional ``UPDATE ... FROM`` the returns
``... RETURNING`` (the shape of a hand-written UPDATE; the threshold `continuous_absence` flags
is shown to the school and the LA from the flag itself, `schools.selectors.with_absence_threshold`)
and writes the in-app notifications for them with ONE ``INSERT ... SELECT ... ON CONFLICT DO NOTHING``;
`unmatched_leavers` links joiners to leavers with one ``UPDATE ... FROM`` the matched pairs and
one UPDATE per side for the statuses. Nothing is emailed and no referral raised inside the
sweep: the referrals (absence with whereabouts unknown, unmatched leavers) are raised in bulk
by `raise_pending_referrals` (flagged rows with NOT EXISTS a referral for that trigger), which
the task ``referrals.tasks.raise_pending_referrals`` runs, enqueued on the sweep's commit and from
beat; emails go out from the notification outbox (``cme.tasks.deliver_notifications``).
`referral_raise_from_return` stays for the immediate leaver referral at submission.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from cme.jobs import JobResult, job
from cme.notifications import json_rows
from cme.statutory import (
    REG_9_1_H_SCHOOL_DAYS,
    REG_9_1_I_SCHOOL_DAYS,
    TermCalendar,
    school_day_back,
)
from cme.tasks import after_commit
from referrals.models import Referral, SystemTrigger
from referrals.services import referrals_raise_from_returns_bulk
from schools.jobs import ids_param, insert_school_summaries
from schools.models import (
    AbsenceNotification,
    AbsenceType,
    Closure,
    DestinationType,
    JoinerReturn,
    LeaverReturn,
    ReturnKind,
    ReturnStatus,
    SchoolReturn,
    Term,
    Whereabouts,
)

log = logging.getLogger(__name__)

_ONE_DAY = timedelta(days=1)
# Far enough back for any 20 school days, a summer holiday included.
_CALENDAR_LOOKBACK = timedelta(days=366)
#: The two thresholds (cme.statutory): reg 9(1)(i) 20 school days, reg 9(1)(h) 10.
ABSENCE_SCHOOL_DAYS = REG_9_1_I_SCHOOL_DAYS
AFTER_LEAVE_SCHOOL_DAYS = REG_9_1_H_SCHOOL_DAYS
#: A new school may admit a pupil (and make its joiner return) before the old school learns
#: of it and deletes; a joiner admitted earlier than this before the ground was met is an
#: earlier stay at that school, not this move.
MATCH_SLACK_DAYS = 28

JOINER_MATCHED_DETAIL = "Matched with the previous school's leaver return"
LEAVER_MATCHED_DETAIL = "The new school has made its new pupil return"


#: Cut-off dates counted on one calendar (one per condition of a check).
Cutoffs = tuple[date | None, ...]


@dataclass(frozen=True)
class SchoolCutoffs:
    """A check's cut-off dates counted on the LA's calendar (``la``), and on their own
    calendar for the schools whose terms or closures give other dates (``own``, by id)."""

    la: Cutoffs
    own: dict[int, Cutoffs]


def school_cutoffs(today: date, count: Callable[[TermCalendar], Cutoffs]) -> SchoolCutoffs:
    """``count`` (the cut-offs of a check) over the LA's calendar once, and over the calendar
    of each school with terms or closures of its own in the window
    (`schools.selectors.term_calendar_for`: its own terms if it has any there, else the LA's;
    the LA-wide closures and its own). ONE small query (the terms and the closures in the
    window), however many schools and rows; each distinct calendar counted once. Most schools
    count on the LA's calendar and are not listed, nor is a school whose own calendar gives
    the LA's dates."""
    start, end = today - _CALENDAR_LOOKBACK, today
    qn = connection.ops.quote_name
    day = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:  # the terms, then the closures (no last day)
        cursor.execute(
            f"SELECT school_id, start, {qn('end')} FROM {qn(Term._meta.db_table)} "  # noqa: S608
            f"WHERE start <= %s AND {qn('end')} >= %s UNION ALL "
            f"SELECT school_id, {qn('date')}, NULL FROM {qn(Closure._meta.db_table)} "
            f"WHERE {qn('date')} BETWEEN %s AND %s ORDER BY 2, 3",
            [day(end), day(start), day(start), day(end)],
        )
        rows = cursor.fetchall()
    la_terms: list[tuple[date, date]] = []
    own_terms: dict[int, list[tuple[date, date]]] = defaultdict(list)
    la_closures: set[date] = set()
    own_closures: dict[int, set[date]] = defaultdict(set)
    for school_id, first, last in rows:
        if isinstance(first, str):  # SQLite gives raw SQL's dates as ISO text
            first = date.fromisoformat(first)
            last = last and date.fromisoformat(last)
        if last is None:
            (la_closures if school_id is None else own_closures[school_id]).add(first)
        else:
            (la_terms if school_id is None else own_terms[school_id]).append((first, last))
    la_calendar = TermCalendar(terms=tuple(la_terms), closures=frozenset(la_closures))
    counted = {la_calendar: count(la_calendar)}
    own: dict[int, Cutoffs] = {}
    for pk in sorted(own_terms.keys() | own_closures.keys()):
        cal = TermCalendar(
            terms=tuple(own_terms.get(pk) or la_terms),
            closures=frozenset(la_closures | own_closures.get(pk, set())),
        )
        if cal not in counted:
            counted[cal] = count(cal)
        if counted[cal] != counted[la_calendar]:
            own[pk] = counted[cal]
    return SchoolCutoffs(la=counted[la_calendar], own=own)


def _before_cutoff(
    value: str, op: str, school: str, cutoffs: SchoolCutoffs, i: int
) -> tuple[str, list[Any]] | None:
    """SQL for "``value`` <op> the ``i``-th cut-off of the row's school" (``school``: SQL for
    the school's id) and its parameters; None if no calendar has that cut-off (too few school
    days). One comparison with the LA's date when no school has dates of its own; otherwise
    the latest of the dates first (a range the planner can use), then the school's own date
    by a CASE over the few schools listed (NULL, so false, where their calendar has none)."""
    adapt = connection.ops.adapt_datefield_value
    la = cutoffs.la[i]
    own = {pk: dates[i] for pk, dates in cutoffs.own.items()}
    known = [d for d in (la, *own.values()) if d is not None]
    if not known:
        return None
    if not own:
        return f"{value} {op} %s", [adapt(la)]
    whens = " ".join(["WHEN %s THEN %s"] * len(own))
    params: list[Any] = [adapt(max(known))]
    for pk, day in own.items():
        params += [pk, adapt(day)]
    params.append(adapt(la))
    return f"({value} {op} %s AND {value} {op} CASE {school} {whens} ELSE %s END)", params


# ------------------------------------------------------------------------ continuous absence


def _absence_where(today: date) -> tuple[str, list[Any]]:
    """WHERE (and its parameters) for the absence notifications at the threshold today and
    not yet flagged, over ``a`` (the notification) and ``r`` (its return): reg 9(1)(i), the
    first day of absence is day 1 of the 20; reg 9(1)(h), the school days *after* the leave
    ended, so the last day of leave is not one of the 10."""
    cutoffs = school_cutoffs(
        today,
        lambda cal: (
            school_day_back(cal, today, ABSENCE_SCHOOL_DAYS),
            school_day_back(cal, today, AFTER_LEAVE_SCHOOL_DAYS),
        ),
    )
    parts, params = [], []
    for i, (kind, value, op) in enumerate(
        (
            (AbsenceType.UNAUTHORISED, "a.first_day_of_absence", "<="),
            (AbsenceType.AFTER_LEAVE, "a.leave_end_date", "<"),
        )
    ):
        before = _before_cutoff(value, op, "r.school_id", cutoffs, i)
        if before is not None:
            parts.append(f"(a.absence_type = %s AND {before[0]})")
            params += [kind, *before[1]]
    due = " OR ".join(parts) or "1 = 0"
    return (
        "r.id = a.schoolreturn_ptr_id AND r.status <> %s AND a.threshold_reached_on IS NULL "
        f"AND ({due})",
        [ReturnStatus.CLOSED, *params],
    )


def _claim_where(
    model: Any,
    alias: str,
    flag: str,
    value: Any,
    where: tuple[str, list[Any]],
    columns: Sequence[str],
    return_columns: Sequence[str],
) -> list[tuple[Any, ...]]:
    """Set ``flag`` = ``value`` on the rows of ``model`` (a return's child table, ``alias`` in
    ``where``, the return being ``r``) that ``where`` selects and that are not flagged yet;
    return (id, *``columns`` of the child, *``return_columns`` of the return) for each row
    flagged by this statement.

    PostgreSQL: ONE ``UPDATE ... FROM`` the returns, the shape of a hand-written UPDATE. A run
    at the same moment waits on the row locks and re-checks ``flag IS NULL`` on the committed
    row, so a row is flagged once. SQLite (development, tests): the same WHERE, then the
    returns' columns by id."""
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    returns = qn(SchoolReturn._meta.db_table)
    sql, params = where
    child = [f"{alias}.{c}" for c in ("schoolreturn_ptr_id", *columns)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cols = ", ".join([*child, *(f"r.{c}" for c in return_columns)])
            cursor.execute(
                f"UPDATE {table} {alias} SET {flag} = %s "  # noqa: S608 - names from _meta
                f"FROM {returns} r WHERE {sql} RETURNING {cols}",
                [value, *params],
            )
            return [tuple(row) for row in cursor.fetchall()]
        cursor.execute(
            f"UPDATE {table} SET {flag} = %s "  # noqa: S608 - names from _meta
            f"WHERE schoolreturn_ptr_id IN (SELECT {alias}.schoolreturn_ptr_id FROM "
            f"{table} {alias}, {returns} r WHERE {sql}) AND {flag} IS NULL "
            f"RETURNING {', '.join(['schoolreturn_ptr_id', *columns])}",
            [value, *params],
        )
        flagged = {row[0]: tuple(row) for row in cursor.fetchall()}
        if not flagged:
            return []
        ids_sql, ids = ids_param(list(flagged))
        cursor.execute(
            f"SELECT id, {', '.join(return_columns)} FROM {returns} "  # noqa: S608
            f"WHERE id {ids_sql}",
            ids,
        )
        return [flagged[pk] + tuple(more) for pk, *more in cursor.fetchall()]


def _claim_absences(today: date) -> list[tuple[Any, ...]]:
    """Flag the absence notifications due; (id, whereabouts, reference, school id) of those
    flagged now. The school and the LA see the threshold from the flag itself
    (``schools.selectors.with_absence_threshold``): nothing else is written."""
    return _claim_where(
        AbsenceNotification,
        "a",
        "threshold_reached_on",
        connection.ops.adapt_datefield_value(today),
        _absence_where(today),
        ["whereabouts"],
        ["reference", "school_id"],
    )


def _references_where(model: Any, alias: str, where: str, params: list[Any]) -> list[str]:
    """A dry run: the references of the returns a claim would flag, ``where`` being the
    claim's WHERE over ``alias`` (the return's child table, ``model``) and ``r`` (the return)."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT r.reference FROM {qn(model._meta.db_table)} {alias}, "  # noqa: S608
            f"{qn(SchoolReturn._meta.db_table)} r WHERE {where} ORDER BY r.reference",
            params,
        )
        return [reference for (reference,) in cursor.fetchall()]


@job(
    "continuous_absence",
    "Absence notifications at 20 school days (or 10 after leave): prompt school and LA",
)
def continuous_absence(*, today: date, dry_run: bool) -> JobResult:
    result = JobResult(name="continuous_absence", dry_run=dry_run)
    if dry_run:
        where, params = _absence_where(today)
        result.flagged = _references_where(AbsenceNotification, "a", where, params)
        return result
    with transaction.atomic():
        rows = _claim_absences(today)
        if not rows:
            return result
        rows.sort(key=lambda row: row[2])
        by_school: dict[int, list[str]] = defaultdict(list)
        referred_any = False
        for _pk, whereabouts, reference, school_id in rows:
            result.flagged.append(reference)
            referred_any |= whereabouts == Whereabouts.UNKNOWN
            by_school[school_id].append(reference)
        result.notified += _notify_summaries(
            "continuous_absence", today, by_school, referred=referred_any
        )
        if referred_any:
            _raise_referrals_after_commit()
    return result


def _notify_summaries(
    job: str, today: date, by_school: dict[int, list[str]], *, referred: bool
) -> int:
    """ONE notification per recipient for this run (docs/decisions/005-job-outbox.md): each
    member of staff of a school with flagged returns gets theirs (their school's submissions),
    each manager all of them (the LA returns list)."""
    return insert_school_summaries(
        job,
        today,
        by_school,
        noun="absence notification",
        what="at the deletion threshold (joint reasonable enquiries needed)",
        school_url=reverse("schools:return_list"),
        la_url=reverse("schools:la_returns"),
        note=(
            "Where a child's whereabouts are unknown, a referral to Children Missing "
            "Education has been raised."
            if referred
            else ""
        ),
    )


def _raise_referrals_after_commit() -> None:
    from referrals.tasks import raise_pending_referrals as task

    after_commit(task)


# ------------------------------------------------------------------------- unmatched leavers


#: Every status but closed, spelt out: an IN list uses the (kind, status) index, "<> closed"
#: cannot (return_status_valid allows no other value).
NOT_CLOSED = [s for s in ReturnStatus.values if s != ReturnStatus.CLOSED]


def _unmatched_leavers() -> QuerySet[LeaverReturn]:
    return LeaverReturn.objects.filter(
        kind=ReturnKind.LEAVER,
        status__in=NOT_CLOSED,
        destination_type=DestinationType.IN_AREA,
        destination_school__isnull=False,
        matched_joiner__isnull=True,
    )


def _match_pairs() -> list[tuple[int, int]]:
    """(leaver id, joiner id) for each unmatched in-area leaver with a joiner return from its
    destination school for the same pupil: the UPN when both returns give one, otherwise the
    names (ignoring case) and date of birth; the earliest admitted (then the first made) if
    several fit. ONE query, hash joins between the open leavers and the unmatched joiners,
    however many rows."""
    qn = connection.ops.quote_name
    returns = qn(SchoolReturn._meta.db_table)
    leavers = qn(LeaverReturn._meta.db_table)
    joiners = qn(JoinerReturn._meta.db_table)
    if connection.vendor == "postgresql":
        match_from = f"(lr.ground_met_date - {MATCH_SLACK_DAYS})"
    else:
        match_from = f"date(lr.ground_met_date, '-{MATCH_SLACK_DAYS} days')"
    statuses = ", ".join(["%s"] * len(NOT_CLOSED))
    sql = (
        "WITH l AS ("  # noqa: S608 - names from _meta
        f" SELECT r.id, lr.destination_school_id AS school_id, r.upn, lower(r.first_name) AS fk,"
        f"  lower(r.last_name) AS lk, r.date_of_birth AS dob, {match_from} AS match_from"
        f" FROM {returns} r JOIN {leavers} lr ON lr.schoolreturn_ptr_id = r.id"
        f" WHERE r.kind = %s AND r.status IN ({statuses}) AND lr.destination_type = %s"
        "  AND lr.destination_school_id IS NOT NULL"
        f"  AND NOT EXISTS (SELECT 1 FROM {joiners} m WHERE m.matched_leaver_id = r.id)"
        "), j AS ("
        " SELECT r.id, r.school_id, r.upn, lower(r.first_name) AS fk, lower(r.last_name) AS lk,"
        "  r.date_of_birth AS dob, jr.admission_date"
        f" FROM {joiners} jr JOIN {returns} r ON r.id = jr.schoolreturn_ptr_id"
        # r.kind (always "joiner" here) gives the planner the (kind, status) index to read
        # the joiner returns by, rather than every return.
        " WHERE jr.matched_leaver_id IS NULL AND r.kind = %s"
        "), c AS ("
        " SELECT l.id AS leaver_id, j.id AS joiner_id, j.admission_date FROM l"
        "  JOIN j ON j.school_id = l.school_id AND j.upn = l.upn"
        "  WHERE l.upn <> '' AND j.admission_date >= l.match_from"
        " UNION SELECT l.id, j.id, j.admission_date FROM l"
        "  JOIN j ON j.school_id = l.school_id AND j.fk = l.fk AND j.lk = l.lk AND j.dob = l.dob"
        "  WHERE (l.upn = '' OR j.upn = '') AND j.admission_date >= l.match_from"
        ") SELECT leaver_id, joiner_id FROM (SELECT leaver_id, joiner_id, ROW_NUMBER() OVER"
        " (PARTITION BY leaver_id ORDER BY admission_date, joiner_id) AS n FROM c) x"
        " WHERE n = 1 ORDER BY leaver_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [ReturnKind.LEAVER, *NOT_CLOSED, DestinationType.IN_AREA, ReturnKind.JOINER]
        )
        return [(leaver, joiner) for leaver, joiner in cursor.fetchall()]


def _link(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Link each joiner to its leaver (each at most once) and mark both matched: one
    ``UPDATE ... FROM`` the pairs for the joiners (only those still unlinked: a run at the
    same time may have taken one), one UPDATE per side for the statuses."""
    seen: set[int] = set()
    unique = []
    for leaver_id, joiner_id in pairs:
        if joiner_id not in seen:
            seen.add(joiner_id)
            unique.append((leaver_id, joiner_id))
    if not unique:
        return []
    qn = connection.ops.quote_name
    table = qn(JoinerReturn._meta.db_table)
    source = json_rows("p", [("leaver_id", "bigint"), ("joiner_id", "bigint")])
    data = json.dumps([{"leaver_id": lv, "joiner_id": j} for lv, j in unique])
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET matched_leaver_id = p.leaver_id FROM {source} "  # noqa: S608
                f"WHERE {table}.schoolreturn_ptr_id = p.joiner_id "
                f"AND {table}.matched_leaver_id IS NULL "
                "RETURNING matched_leaver_id, schoolreturn_ptr_id",
                [data],
            )
            linked = [(lv, j) for lv, j in cursor.fetchall()]
    except IntegrityError:
        # A leaver was linked to another joiner meanwhile (a run at the same time): pair by
        # pair, skipping those.
        linked = []
        for leaver_id, joiner_id in unique:
            try:
                with transaction.atomic():
                    if JoinerReturn.objects.filter(
                        pk=joiner_id, matched_leaver__isnull=True
                    ).update(matched_leaver_id=leaver_id):
                        linked.append((leaver_id, joiner_id))
            except IntegrityError:
                continue
    now = timezone.now()
    # A leaver already referred, or closed, keeps the status the school was shown.
    open_statuses = [ReturnStatus.RECEIVED, ReturnStatus.UNDER_REVIEW]
    SchoolReturn.objects.filter(pk__in=[j for _, j in linked], status__in=open_statuses).update(
        status=ReturnStatus.MATCHED, status_detail=JOINER_MATCHED_DETAIL, updated_at=now
    )
    SchoolReturn.objects.filter(pk__in=[lv for lv, _ in linked], status__in=open_statuses).update(
        status=ReturnStatus.MATCHED, status_detail=LEAVER_MATCHED_DETAIL, updated_at=now
    )
    return linked


def _transition_where(today: date) -> tuple[str, list[Any]]:
    """WHERE (and its parameters) for the in-area leavers with no joiner return from the new
    school after N of its school days, counted from the deletion (or the planned start at the
    new school, if later), not yet flagged; over ``l`` (the leaver) and ``r`` (its return)."""
    days: int = settings.CME_TRANSITION_SCHOOL_DAYS
    # "Within N school days": overdue once the N-th school day after the start has ended, so
    # count back from yesterday; the start day itself is not one of the N.
    cutoffs = school_cutoffs(today, lambda cal: (school_day_back(cal, today - _ONE_DAY, days),))
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    start = f"{greatest}(l.deletion_date, COALESCE(l.destination_start_date, l.deletion_date))"
    before = _before_cutoff(start, "<", "l.destination_school_id", cutoffs, 0)
    due, due_params = before if before is not None else ("1 = 0", [])
    qn = connection.ops.quote_name
    returns = qn(SchoolReturn._meta.db_table)
    statuses = ", ".join(["%s"] * len(NOT_CLOSED))
    open_leavers = f"SELECT id FROM {returns} WHERE kind = %s AND status IN ({statuses})"  # noqa: S608
    # The open leaver returns (few: the (kind, status) index), then their leaver rows by
    # primary key. On PostgreSQL as an array (an InitPlan): as a join, the planner may instead
    # read every in-area leaver not yet flagged, closed ones included (they accumulate), and
    # hash them.
    if connection.vendor == "postgresql":
        open_leavers = f"= ANY(ARRAY({open_leavers}))"
    else:
        open_leavers = f"IN ({open_leavers})"
    return (
        f"l.schoolreturn_ptr_id {open_leavers} AND r.id = l.schoolreturn_ptr_id "  # noqa: S608
        f"AND r.kind = %s AND r.status IN ({statuses}) "
        "AND l.destination_type = %s AND l.destination_school_id IS NOT NULL "
        "AND l.transition_flagged_at IS NULL "
        f"AND NOT EXISTS (SELECT 1 FROM {qn(JoinerReturn._meta.db_table)} j "
        "WHERE j.matched_leaver_id = l.schoolreturn_ptr_id) "
        f"AND {due}",
        [
            *(ReturnKind.LEAVER, *NOT_CLOSED) * 2,
            DestinationType.IN_AREA,
            *due_params,
        ],
    )


def _claim_transitions(today: date) -> list[tuple[Any, ...]]:
    """Flag the leavers overdue for the transition; (id, reference) of those flagged now."""
    return _claim_where(
        LeaverReturn,
        "l",
        "transition_flagged_at",
        connection.ops.adapt_datetimefield_value(timezone.now()),
        _transition_where(today),
        [],
        ["reference"],
    )


@job(
    "unmatched_leavers",
    "Match joiner returns to in-area leavers; refer leavers with no joiner after N school days",
)
def unmatched_leavers(*, today: date, dry_run: bool) -> JobResult:
    result = JobResult(name="unmatched_leavers", dry_run=dry_run)
    pairs = _match_pairs()
    if dry_run:
        where, params = _transition_where(today)
        if pairs:  # the leavers a joiner would be linked to are not overdue
            ids_sql, ids = ids_param([lv for lv, _ in pairs])
            where, params = f"{where} AND NOT (l.schoolreturn_ptr_id {ids_sql})", params + ids
        result.flagged = _references_where(LeaverReturn, "l", where, params)
        return result
    with transaction.atomic():
        linked = _link(pairs)
        if linked:
            log.info("unmatched_leavers: linked %d joiner returns to leavers", len(linked))
        rows = _claim_transitions(today)
        result.flagged = sorted(reference for _, reference in rows)
        if rows:
            _raise_referrals_after_commit()
    return result


def raise_pending_referrals(limit: int = 1000) -> int:
    """The sweeps' referrals, in bulk (the follow-up work, not part of the sweep): for each
    trigger, the flagged returns still open with NOT EXISTS a referral for it, ``limit`` at
    a time (`referrals.services.referrals_raise_from_returns_bulk`). Idempotent: the unique
    (source_return, trigger) constraint makes a run at the same time raise each one once."""

    def no_referral(trigger: SystemTrigger) -> Exists:
        return Exists(Referral.objects.filter(source_return_id=OuterRef("pk"), trigger=trigger))

    pending: list[tuple[QuerySet[Any], SystemTrigger]] = [
        (
            AbsenceNotification.objects.filter(
                threshold_reached_on__isnull=False, whereabouts=Whereabouts.UNKNOWN
            )
            .exclude(status=ReturnStatus.CLOSED)
            .filter(~no_referral(SystemTrigger.ABSENCE_THRESHOLD))
            # Referred when it was sent (whereabouts unknown, issue 12 A9): not twice.
            .filter(~no_referral(SystemTrigger.ABSENCE_WHEREABOUTS_UNKNOWN)),
            SystemTrigger.ABSENCE_THRESHOLD,
        ),
        (
            _unmatched_leavers()
            .filter(transition_flagged_at__isnull=False)
            .filter(~no_referral(SystemTrigger.UNMATCHED_LEAVER))
            .select_related("destination_school"),
            SystemTrigger.UNMATCHED_LEAVER,
        ),
    ]
    total = 0
    for qs, trigger in pending:
        while True:
            raised = referrals_raise_from_returns_bulk(qs, trigger=trigger, limit=limit)
            total += raised
            if raised < limit:
                break
    return total
