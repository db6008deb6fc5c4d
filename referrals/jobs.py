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

Each real run claims the rows it flags with a conditional UPDATE (`schools.jobs.claim`) and
then notifies, or raises referrals, for the claimed rows only, in one transaction.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from functools import reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import DateField, Func, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest, Lower
from django.db.models.sql.compiler import SQLCompiler
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cme.jobs import JobResult, job
from cme.notifications import managers
from cme.statutory import TermCalendar, is_school_day
from referrals.models import SystemTrigger
from referrals.services import referral_raise_from_return
from schools.jobs import Message, claim, notify_all, school_staff
from schools.models import (
    AbsenceNotification,
    AbsenceType,
    Closure,
    DestinationType,
    JoinerReturn,
    LeaverReturn,
    ReturnStatus,
    School,
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
    waiting = AbsenceNotification.objects.filter(threshold_reached_on__isnull=True).exclude(
        status=ReturnStatus.CLOSED
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
    la_staff = managers()
    with transaction.atomic():
        ids = claim(due, threshold_reached_on=today)
        SchoolReturn.objects.filter(pk__in=ids, status=ReturnStatus.RECEIVED).update(
            status_detail=THRESHOLD_DETAIL, updated_at=timezone.now()
        )
        claimed = list(
            AbsenceNotification.objects.filter(pk__in=ids)
            .select_related("school")
            .order_by("reference")
        )
        staff = school_staff(n.school_id for n in claimed)
        messages = []
        for notification in claimed:
            result.flagged.append(notification.reference)
            referred = notification.whereabouts == Whereabouts.UNKNOWN
            if referred:
                referral_raise_from_return(
                    school_return=notification, trigger=SystemTrigger.ABSENCE_THRESHOLD
                )
            key = f"absence-threshold:{notification.pk}"
            title = f"Absence notification {notification.reference}: deletion threshold reached"
            body = render_to_string(
                "emails/absence_threshold.txt",
                {
                    "reference": notification.reference,
                    "school_name": notification.school.name,
                    "after_leave": notification.absence_type == AbsenceType.AFTER_LEAVE,
                    "referred": referred,
                },
            )
            for users, url_name in (
                (staff.get(notification.school_id, []), "schools:return_detail"),
                (la_staff, "schools:la_return_detail"),
            ):
                messages.append(
                    Message(
                        users,
                        key=key,
                        title=title,
                        body=body,
                        url=reverse(url_name, args=[notification.reference]),
                    )
                )
        result.notified += sum(notify_all(messages))
    return result


# ------------------------------------------------------------------------- unmatched leavers


class _DaysBefore(Func):
    """`date - n days`, a date, on PostgreSQL (`date - integer`) and SQLite (`date(x, '-n days')`)."""

    template = "(%(expressions)s - %(days)d)"

    def __init__(self, expression: str, days: int) -> None:
        super().__init__(expression, output_field=DateField(), days=int(days))

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, Any]:
        return self.as_sql(
            compiler,
            connection,
            template="date(%(expressions)s, '-%(days)d days')",
            **extra_context,
        )


def _unmatched_leavers() -> QuerySet[LeaverReturn]:
    return LeaverReturn.objects.filter(
        destination_type=DestinationType.IN_AREA,
        destination_school__isnull=False,
        matched_joiner__isnull=True,
    ).exclude(status=ReturnStatus.CLOSED)


def _match_pairs() -> list[tuple[int, int]]:
    """(leaver id, joiner id) for each unmatched in-area leaver with a joiner return from its
    destination school for the same pupil: the UPN when both returns give one, otherwise the
    names (ignoring case) and date of birth. Two queries, however many rows."""
    joiners = JoinerReturn.objects.filter(
        school=OuterRef("destination_school"),
        matched_leaver__isnull=True,
        admission_date__gte=OuterRef("match_from"),
    ).annotate(first_key=Lower("first_name"), last_key=Lower("last_name"))
    same_names = Q(
        first_key=OuterRef("first_key"),
        last_key=OuterRef("last_key"),
        date_of_birth=OuterRef("date_of_birth"),
    )
    leavers = _unmatched_leavers().annotate(
        match_from=_DaysBefore("ground_met_date", MATCH_SLACK_DAYS),
        first_key=Lower("first_name"),
        last_key=Lower("last_name"),
    )
    pairs: list[tuple[int, int]] = []
    for with_upn, candidates in (
        (True, joiners.filter(Q(upn=OuterRef("upn")) | (Q(upn="") & same_names))),
        (False, joiners.filter(same_names)),
    ):
        first = Subquery(candidates.order_by("admission_date", "pk").values("pk")[:1])
        rows = (
            (leavers.exclude(upn="") if with_upn else leavers.filter(upn=""))
            .annotate(joiner_pk=first)
            .filter(joiner_pk__isnull=False)
        )
        pairs.extend(rows.values_list("pk", "joiner_pk"))
    return pairs


def _link(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Link each joiner to its leaver (each at most once) and mark both matched."""
    linked: list[tuple[int, int]] = []
    for leaver_id, joiner_id in pairs:
        try:
            with transaction.atomic():
                # Conditional: a run at the same time, or another leaver, may have taken it.
                if JoinerReturn.objects.filter(pk=joiner_id, matched_leaver__isnull=True).update(
                    matched_leaver_id=leaver_id
                ):
                    linked.append((leaver_id, joiner_id))
        except IntegrityError:  # the leaver was linked to another joiner meanwhile
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
        ids = claim(_transition_overdue(today, exclude=[]), transition_flagged_at=timezone.now())
        for leaver in (
            LeaverReturn.objects.filter(pk__in=ids)
            .select_related("school", "destination_school")
            .order_by("reference")
        ):
            result.flagged.append(leaver.reference)
            referral_raise_from_return(school_return=leaver, trigger=SystemTrigger.UNMATCHED_LEAVER)
    return result
