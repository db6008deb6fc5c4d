"""Scheduled checks on school returns: late returns for the board, part-time timetable reviews.

Both follow `cme.jobs`: set-based queries, a dry run that only SELECTs, and a real run that
claims what it flags with a conditional UPDATE (`claim`) before telling anyone, inside one
transaction so that a failed notification leaves the rows unclaimed for the next run.

* `late_returns`: a joiner return made after the 5th day (regulation 13(1)) or a leaver return
  made after the deletion (regulation 13(3)) is late. `is_late` is decided at submission; the
  job also marks any leaver whose submission date is after its deletion date but escaped it,
  then records each late return once (`late_recorded_at`) for the board report and tells each
  school's staff how many of theirs were recorded.
* `part_time_reviews`: a part-time timetable past its review date or its planned end date
  ("Working together to improve school attendance", 2024: time-limited, reviewed regularly)
  reminds the school and the LA. The reminded date is stored (`review_reminded_on`,
  `end_reminded_on`), so a review that moves the date re-arms the reminder.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import partial
from typing import Any, NamedTuple, TypeVar

from django.db import connection, models, transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cme.jobs import JobResult, job
from cme.models import CASEWORK_ROLES, Notification, User
from cme.notifications import _send
from schools.models import (
    PartTimeTimetable,
    ReturnKind,
    ReturnStatus,
    SchoolMembership,
    SchoolReturn,
)

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


class Message(NamedTuple):
    """One `cme.notifications.notify` call: the same message, under one key, to some users."""

    users: Iterable[User]
    key: str
    title: str
    body: str = ""
    url: str = ""


def _claim_unsent(pairs: Sequence[tuple[int, str]], now: datetime) -> set[tuple[int, str]]:
    """Mark the unsent notifications (user id, key) emailed, conditionally, and return the
    pairs this statement claimed (a run at the same time claims the others)."""
    if not pairs:
        return set()
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Notification._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS n SET emailed_at = %s "  # noqa: S608 - name from _meta
                "FROM unnest(%s::bigint[], %s::text[]) AS t(user_id, key) "
                "WHERE n.user_id = t.user_id AND n.key = t.key AND n.emailed_at IS NULL "
                "RETURNING n.user_id, n.key",
                [now, [pk for pk, _ in pairs], [key for _, key in pairs]],
            )
            return {(pk, key) for pk, key in cursor.fetchall()}
    unsent = Notification.objects.filter(emailed_at__isnull=True)
    return {
        (pk, key) for pk, key in pairs if unsent.filter(user_id=pk, key=key).update(emailed_at=now)
    }


def notify_all(messages: Iterable[Message]) -> list[int]:
    """`cme.notifications.notify` for many messages at once, with the same effect (stored
    once per user and key, emailed once, after the commit, to the notifications claimed
    now) in three statements in all rather than a few per message and user. Returns how
    many notifications each message created now."""
    targets = [(m, {u.pk: u for u in m.users if u.is_active}) for m in messages]
    Notification.objects.bulk_create(
        [
            Notification(user_id=pk, key=m.key, title=m.title, body=m.body, url=m.url)
            for m, users in targets
            for pk in users
        ],
        ignore_conflicts=True,
        batch_size=5000,
    )
    claimed = _claim_unsent([(pk, m.key) for m, users in targets for pk in users], timezone.now())
    created = []
    for m, users in targets:
        # As with notify called message by message, a user and key claimed once counts once.
        recipients = [user for pk, user in users.items() if (pk, m.key) in claimed]
        claimed.difference_update((user.pk, m.key) for user in recipients)
        if recipients:
            transaction.on_commit(partial(_send, recipients, m.title, m.body, m.url))
        created.append(len(recipients))
    return created


# ------------------------------------------------------------------------------ late returns


def _leavers_late_unmarked() -> QuerySet[SchoolReturn]:
    """Leaver returns submitted after the deletion date that were not marked late."""
    return (
        SchoolReturn.objects.filter(kind=ReturnKind.LEAVER, is_late=False)
        .annotate(submitted_on=TruncDate("submitted_at"))
        .filter(leaverreturn__deletion_date__lt=F("submitted_on"))
    )


def _late_unrecorded() -> QuerySet[SchoolReturn]:
    return SchoolReturn.objects.filter(
        kind__in=[ReturnKind.JOINER, ReturnKind.LEAVER],
        is_late=True,
        late_recorded_at__isnull=True,
    )


@job("late_returns", "Record late joiner and leaver returns for the board report; tell schools")
def late_returns(*, today: date, dry_run: bool) -> JobResult:
    result = JobResult(name="late_returns", dry_run=dry_run)
    if dry_run:
        due = SchoolReturn.objects.filter(
            Q(pk__in=_late_unrecorded().values("pk"))
            | Q(pk__in=_leavers_late_unmarked().values("pk"))
        ).filter(late_recorded_at__isnull=True)
        result.flagged = list(due.order_by("reference").values_list("reference", flat=True))
        return result
    with transaction.atomic():
        SchoolReturn.objects.filter(pk__in=_leavers_late_unmarked().values("pk")).update(
            is_late=True
        )
        ids = claim(_late_unrecorded(), late_recorded_at=timezone.now())
        rows = (
            SchoolReturn.objects.filter(pk__in=ids)
            .order_by("school_id", "reference")
            .values_list("school_id", "reference")
        )
        by_school: dict[int, list[str]] = defaultdict(list)
        for school_id, reference in rows:
            by_school[school_id].append(reference)
        staff = school_staff(by_school)
        messages = []
        for school_id, references in by_school.items():
            result.flagged.extend(references)
            count = len(references)
            messages.append(
                Message(
                    staff.get(school_id, []),
                    key=f"late:{school_id}:{today:%Y-%m-%d}",
                    title=f"{count} late school return{'s' if count != 1 else ''} recorded",
                    body=render_to_string(
                        "emails/late_returns.txt", {"references": references, "count": count}
                    ),
                    url=reverse("schools:return_list"),
                )
            )
        result.notified += sum(notify_all(messages))
    return result


def late_returns_for_board(start: date, end: date) -> QuerySet[SchoolReturn, dict[str, Any]]:
    """Late returns recorded by the job, per school and kind, submitted between two dates."""
    return (
        SchoolReturn.objects.filter(
            late_recorded_at__isnull=False,
            submitted_at__date__range=(start, end),
        )
        .values("school_id", "school__name", "kind")
        .annotate(late=Count("pk"))
        .order_by("school__name", "kind")
    )


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


def _remind(
    ids: list[int], *, what: str, date_field: str, result: JobResult, la_staff: list[User]
) -> None:
    rows = PartTimeTimetable.objects.filter(pk__in=ids).values_list(
        "pk", "reference", "school_id", date_field
    )
    rows_list = list(rows)
    staff = school_staff(school_id for _, _, school_id, _ in rows_list)
    messages = []
    for pk, reference, school_id, when in rows_list:
        result.flagged.append(f"{reference} {what} {when:%Y-%m-%d}")
        key = f"part-time-{what}:{pk}:{when:%Y-%m-%d}"
        title = f"Part-time timetable {reference}: {what} date passed"
        body = render_to_string(
            "emails/part_time_review.txt",
            {"reference": reference, "what": what, "when": when},
        )
        messages.append(
            Message(
                staff.get(school_id, []),
                key=key,
                title=title,
                body=body,
                url=reverse("schools:return_detail", args=[reference]),
            )
        )
        messages.append(
            Message(
                la_staff,
                key=key,
                title=title,
                body=body,
                url=reverse("schools:la_return_detail", args=[reference]),
            )
        )
    result.notified += sum(notify_all(messages))


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
    # Officers and managers: a part-time timetable is not a case, so no one officer owns it.
    la_staff = list(User.objects.filter(role__in=CASEWORK_ROLES, is_active=True))
    with transaction.atomic():
        review_ids = claim(_review_due(today), review_reminded_on=F("next_review_date"))
        end_ids = claim(_end_due(today), end_reminded_on=F("planned_end_date"))
        _remind(
            review_ids,
            what="review",
            date_field="next_review_date",
            result=result,
            la_staff=la_staff,
        )
        _remind(
            end_ids, what="end", date_field="planned_end_date", result=result, la_staff=la_staff
        )
    return result
