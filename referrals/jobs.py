"""Scheduled checks that raise referrals: continuous absence and unmatched leavers.

School days are counted on each school's term calendar (its own terms, or the LA's:
`schools.selectors.term_calendar_for`), so a threshold date is not a SQL expression. Rather
than compute a date for every row (or store one on it, which a closure added later, a snow
day, would leave stale), each check counts back from today once per school: "20 school days
from the first day of absence have passed by today" is the same as "the first day is on or
before the 20th school day counting back from today", because the count only grows as the
first day moves earlier. That gives one date per school, so the whole check is one query
(`school = S AND first_day <= cutoff(S)` for each school with candidates), recomputed on every
run from the calendar as it stands. The calendars of all the schools with candidates are read
in two queries, and each cut-off is counted once per distinct calendar (most share the LA's).

OUTBOX (docs/decisions/005-job-outbox.md): each real run is set-based SQL in one
transaction. It claims the rows it flags with ONE conditional ``UPDATE ... RETURNING``
(`schools.jobs.claim_returning`) and writes the in-app notifications for them with ONE
``INSERT ... SELECT ... ON CONFLICT DO NOTHING``; `unmatched_leavers` links joiners to
leavers with one ``UPDATE ... FROM`` the matched pairs and one UPDATE per side for the
statuses. Nothing is emailed and no referral raised inside the sweep: the referrals (absence
with whereabouts unknown, unmatched leavers) are raised in bulk by `raise_pending_referrals`
(flagged rows with NOT EXISTS a referral for that trigger), which the task
``cme.tasks.raise_pending_referrals`` runs, enqueued on the sweep's commit and from beat;
emails go out from the notification outbox (``cme.tasks.deliver_notifications``).
`referral_raise_from_return` stays for the immediate leaver referral at submission.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from functools import reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from cme.jobs import JobResult, job
from cme.models import Role, User
from cme.notifications import insert_summaries, json_rows
from cme.statutory import TermCalendar, is_school_day
from cme.tasks import after_commit
from referrals.models import Referral, SystemTrigger
from referrals.services import referrals_raise_from_returns_bulk
from schools.jobs import claim_returning, ids_param
from schools.models import (
    AbsenceNotification,
    AbsenceType,
    Closure,
    DestinationType,
    JoinerReturn,
    LeaverReturn,
    ReturnKind,
    ReturnStatus,
    School,
    SchoolMembership,
    SchoolReturn,
    Term,
    Whereabouts,
)

log = logging.getLogger(__name__)

_ONE_DAY = timedelta(days=1)
# Far enough back for any 20 school days, a summer holiday included.
_CALENDAR_LOOKBACK = timedelta(days=366)
#: Regulation 9(1)(i): continuously absent for at least 20 school days.
ABSENCE_SCHOOL_DAYS = 20
#: Regulation 9(1)(h): not returned within 10 school days after leave of absence ended.
AFTER_LEAVE_SCHOOL_DAYS = 10
#: A new school may admit a pupil (and make its joiner return) before the old school learns
#: of it and deletes; a joiner admitted earlier than this before the ground was met is an
#: earlier stay at that school, not this move.
MATCH_SLACK_DAYS = 28

THRESHOLD_DETAIL = "Deletion threshold reached: joint reasonable enquiries needed"
JOINER_MATCHED_DETAIL = "Matched with the previous school's leaver return"
LEAVER_MATCHED_DETAIL = "The new school has made its new pupil return"


def school_day_back(cal: TermCalendar, today: date, n: int) -> date | None:
    """The ``n``-th school day counting back from ``today`` (``today`` is day 1 if it is a
    school day); None if the calendar has fewer school days than that before ``today``."""
    first = min((start for start, _ in cal.terms), default=None)
    if first is None or n < 1:
        return None
    d = today
    while d >= first:
        if is_school_day(cal, d):
            n -= 1
            if n == 0:
                return d
        d -= _ONE_DAY
    return None


def _calendars(school_ids: list[int], start: date, end: date) -> dict[int, TermCalendar]:
    """`schools.selectors.term_calendar_for` for many schools at once, in two queries: a
    school with terms of its own in the window counts on those, any other on the LA's;
    closures are the school's own plus the LA-wide ones."""
    la_terms: list[tuple[date, date]] = []
    own_terms: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for school_id, first, last in (
        Term.objects.filter(start__lte=end, end__gte=start)
        .filter(Q(school__isnull=True) | Q(school__in=school_ids))
        .order_by("start")
        .values_list("school_id", "start", "end")
    ):
        (la_terms if school_id is None else own_terms[school_id]).append((first, last))
    la_closures: set[date] = set()
    own_closures: dict[int, set[date]] = defaultdict(set)
    for school_id, day in (
        Closure.objects.filter(date__range=(start, end))
        .filter(Q(school__isnull=True) | Q(school__in=school_ids))
        .values_list("school_id", "date")
    ):
        (la_closures if school_id is None else own_closures[school_id]).add(day)
    return {
        pk: TermCalendar(
            terms=tuple(own_terms.get(pk) or la_terms),
            closures=frozenset(la_closures | own_closures.get(pk, set())),
        )
        for pk in school_ids
    }


def _per_school(
    school_ids: list[int],
    school_field: str,
    today: date,
    condition: Callable[[TermCalendar], Q | None],
) -> Q:
    """OR over the schools of `<school_field> = school AND condition(its calendar)`, matching
    nothing if every condition is None. The calendars are read once for all the schools and
    each condition computed once per distinct calendar (most schools share the LA's), so the
    query has one clause per calendar, not per school."""
    by_calendar: dict[TermCalendar, list[int]] = defaultdict(list)
    for pk, cal in _calendars(school_ids, today - _CALENDAR_LOOKBACK, today).items():
        by_calendar[cal].append(pk)
    parts = []
    for cal, pks in by_calendar.items():
        part = condition(cal)
        if part is not None:
            parts.append(Q(**{f"{school_field}__in": sorted(pks)}) & part)
    return reduce(or_, parts) if parts else Q(pk__in=[])


# ------------------------------------------------------------------------ continuous absence


def _absence_due(today: date) -> QuerySet[AbsenceNotification]:
    waiting = AbsenceNotification.objects.filter(
        threshold_reached_on__isnull=True, kind=ReturnKind.ABSENCE, status__in=NOT_CLOSED
    )

    def condition(cal: TermCalendar) -> Q | None:
        parts = []
        day_20 = school_day_back(cal, today, ABSENCE_SCHOOL_DAYS)
        if day_20 is not None:
            # Reg 9(1)(i): the first day of absence counts as day 1.
            parts.append(Q(absence_type=AbsenceType.UNAUTHORISED, first_day_of_absence__lte=day_20))
        day_10 = school_day_back(cal, today, AFTER_LEAVE_SCHOOL_DAYS)
        if day_10 is not None:
            # Reg 9(1)(h): school days *after* the leave ended, so the last day of leave is not one.
            parts.append(Q(absence_type=AbsenceType.AFTER_LEAVE, leave_end_date__lt=day_10))
        return reduce(or_, parts) if parts else None

    schools = list(
        School.objects.filter(pk__in=waiting.values("school_id")).values_list("pk", flat=True)
    )
    return waiting.filter(_per_school(schools, "school", today, condition))


@job(
    "continuous_absence",
    "Absence notifications at 20 school days (or 10 after leave): prompt school and LA",
)
def continuous_absence(*, today: date, dry_run: bool) -> JobResult:
    result = JobResult(name="continuous_absence", dry_run=dry_run)
    due = _absence_due(today)
    if dry_run:
        result.flagged = list(due.order_by("reference").values_list("reference", flat=True))
        return result
    with transaction.atomic():
        rows = claim_returning(
            due,
            set_sql="threshold_reached_on = %s",
            guard_sql="threshold_reached_on IS NULL",
            params=[connection.ops.adapt_datefield_value(today)],
            returning=["whereabouts", "absence_type"],
            parent_returning=["reference", "school_id"],
        )
        rows.sort(key=lambda row: row[3])
        if not rows:
            return result
        where, ids = ids_param([row[0] for row in rows])
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {qn(SchoolReturn._meta.db_table)} SET status_detail = %s, "  # noqa: S608
                f"updated_at = %s WHERE id {where} AND status = %s",
                [
                    THRESHOLD_DETAIL,
                    connection.ops.adapt_datetimefield_value(timezone.now()),
                    *ids,
                    ReturnStatus.RECEIVED,
                ],
            )
        by_school: dict[int, list[str]] = defaultdict(list)
        referred_any = False
        for _pk, whereabouts, _type, reference, school_id in rows:
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
    if not by_school:
        return 0
    managers = set(
        User.objects.filter(role=Role.MANAGER, is_active=True).values_list("pk", flat=True)
    )
    everything = [ref for refs in by_school.values() for ref in refs]
    refs: dict[int, list[str]] = dict.fromkeys(managers, everything)
    for school_id, user_id in SchoolMembership.objects.filter(
        school_id__in=list(by_school)
    ).values_list("school_id", "user_id"):
        if user_id not in managers:
            refs.setdefault(user_id, []).extend(by_school[school_id])
    school_url, la_url = reverse("schools:return_list"), reverse("schools:la_returns")
    return insert_summaries(
        job,
        today,
        refs,
        noun="absence notification",
        what="at the deletion threshold (joint reasonable enquiries needed)",
        url_for=lambda pk: la_url if pk in managers else school_url,
        note=(
            "Where a child's whereabouts are unknown, a referral to Children Missing "
            "Education has been raised."
            if referred
            else ""
        ),
    )


def _raise_referrals_after_commit() -> None:
    from cme.tasks import raise_pending_referrals as task

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
        " WHERE jr.matched_leaver_id IS NULL"
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
        cursor.execute(sql, [ReturnKind.LEAVER, *NOT_CLOSED, DestinationType.IN_AREA])
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


def _transition_overdue(today: date, exclude: list[int]) -> QuerySet[LeaverReturn]:
    """In-area leavers with no joiner return from the new school after N of its school days,
    counted from the deletion (or the planned start at the new school, if later)."""
    waiting = (
        _unmatched_leavers()
        .filter(transition_flagged_at__isnull=True)
        .exclude(pk__in=exclude)
        .annotate(
            transition_start=Greatest(
                "deletion_date", Coalesce("destination_start_date", "deletion_date")
            )
        )
    )
    days: int = settings.CME_TRANSITION_SCHOOL_DAYS

    def condition(cal: TermCalendar) -> Q | None:
        # "Within N school days": overdue once the N-th school day after the start has ended,
        # so count back from yesterday; the start day itself is not one of the N.
        cutoff = school_day_back(cal, today - _ONE_DAY, days)
        if cutoff is None:
            return None
        return Q(transition_start__lt=cutoff)

    schools = list(
        School.objects.filter(pk__in=waiting.values("destination_school_id")).values_list(
            "pk", flat=True
        )
    )
    return waiting.filter(_per_school(schools, "destination_school", today, condition))


@job(
    "unmatched_leavers",
    "Match joiner returns to in-area leavers; refer leavers with no joiner after N school days",
)
def unmatched_leavers(*, today: date, dry_run: bool) -> JobResult:
    result = JobResult(name="unmatched_leavers", dry_run=dry_run)
    pairs = _match_pairs()
    if dry_run:
        due = _transition_overdue(today, exclude=[lv for lv, _ in pairs])
        result.flagged = list(due.order_by("reference").values_list("reference", flat=True))
        return result
    with transaction.atomic():
        linked = _link(pairs)
        if linked:
            log.info("unmatched_leavers: linked %d joiner returns to leavers", len(linked))
        rows = claim_returning(
            _transition_overdue(today, exclude=[]),
            set_sql="transition_flagged_at = %s",
            guard_sql="transition_flagged_at IS NULL",
            params=[connection.ops.adapt_datetimefield_value(timezone.now())],
            parent_returning=["reference"],
        )
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
            .filter(~no_referral(SystemTrigger.ABSENCE_THRESHOLD)),
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
