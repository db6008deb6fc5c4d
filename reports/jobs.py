"""The requeue sweep (registered in cme.jobs; beat runs it every few minutes: cme.tasks).

A report run is asked for in a request and sent to the queue when the request commits. If
the broker was down then (cme.tasks.enqueue logs and carries on), the run stays ``queued``;
if a worker died mid-build, the run stays ``building``. This sweep sends both again: runs
queued for more than ``CME_REQUEUE_AFTER_MINUTES`` and runs building for more than
``reports.services.STALE_AFTER``. Sending twice is harmless: the build claims its run
(queued, or stale building, → building) with one conditional UPDATE.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from cme.jobs import JobResult, job
from reports.models import ReportRun, RunStatus

#: At most this many runs are sent per sweep (the next sweep takes the rest).
SWEEP_MAX = 100


def pending_runs() -> list[int]:
    now = timezone.now()
    from reports.services import STALE_AFTER

    waiting = Q(
        status=RunStatus.QUEUED,
        requested_at__lt=now - timedelta(minutes=settings.CME_REQUEUE_AFTER_MINUTES),
    )
    stuck = Q(status=RunStatus.BUILDING, started_at__lt=now - STALE_AFTER)
    return list(
        ReportRun.objects.filter(waiting | stuck)
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_MAX]
    )


@job("requeue_pending", "Send again report runs left queued (broker down) or stuck building")
def requeue_pending(*, today: date, dry_run: bool) -> JobResult:
    from cme.tasks import enqueue
    from reports.tasks import build_report

    result = JobResult(name="requeue_pending", dry_run=dry_run)
    for run_id in pending_runs():
        result.flagged.append(f"report run {run_id}")
        if not dry_run and not enqueue(build_report, run_id):
            break  # the broker is still down: the next sweep tries again
    return result
