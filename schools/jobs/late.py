"""The late-returns check: late joiner and leaver returns told to their schools, and the
s2s upload reminders.

`late_returns`: a joiner return made after the 5th day (regulation 13(1)) or a leaver return
made after the deletion (regulation 13(3)) is late. `is_late` is decided at submission; the
job also marks any leaver whose submission date is after its deletion date but escaped it,
then claims each late return once (`late_notified_at`: "the school was told", nothing more)
and tells each school's staff how many of theirs were late. The board report counts
`is_late` (`reports.figures.return_counts`), whether or not this job has run. The same run reminds a school's staff of a
leaver sent with an unknown destination whose s2s Lost Pupils Database upload the school has
not confirmed within `CME_S2S_REMINDER_SCHOOL_DAYS` school days (issue 12 A12): claimed once
(`s2s_reminded_at`) with ONE ``UPDATE ... RETURNING``, one notification per return (key
``s2s:<reference>``) in ONE INSERT, linking to the return's page where the school confirms.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cme.jobs import JobResult, job
from cme.notifications import insert_notifications
from cme.statutory import is_school_day, is_working_day
from schools.jobs.sweeps import claim_returning
from schools.models import DestinationType, LeaverReturn, ReturnKind, ReturnStatus, SchoolReturn
from schools.selectors import term_calendar_for
from schools.services import s2s_reminder_school_days


class _Sentinel:
    """Render a template once per variant with placeholders, then fill them per row: the
    template stays the one source of the text, without a render per row."""

    REFERENCE = "__reference__"
    REFERENCES = "__references__"


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
