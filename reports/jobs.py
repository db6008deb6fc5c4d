"""The report-run sweep (registered in cme.jobs; beat runs it every minute: cme.tasks).

A report run is asked for in a request and sent to the queue when the request commits. If
the broker was down then (cme.tasks.enqueue logs and carries on), the run stays ``queued``;
if a worker died mid-build, the run stays ``building`` and its heartbeat stops. This sweep:

* fails the stale building runs that have had their last attempt (``MAX_ATTEMPTS``);
* hands the other stale building runs back to the queue (``queued``, heartbeat stamped);
* sends to the queue the runs queued (or handed back) more than
  ``CME_REQUEUE_AFTER_MINUTES`` ago, and the ones it has just handed back.

Each change is one conditional UPDATE over the set, so two sweeps at once, or one after
another, change a run once; sending twice is harmless (the build claims its run).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from cme.jobs import JobResult, job
from reports.models import ReportRun, RunStatus

#: At most this many runs are sent per sweep (the next sweep takes the rest).
SWEEP_MAX = 100


def _waiting(now: datetime) -> Q:
    since = now - timedelta(minutes=settings.CME_REQUEUE_AFTER_MINUTES)
    return Q(status=RunStatus.QUEUED, sent_at__lt=since)


def pending_runs() -> list[int]:
    """Runs the sweep would send: queued too long, or building and stale (not yet failed)."""
    from reports.services import MAX_ATTEMPTS, stale_q

    now = timezone.now()
    return list(
        ReportRun.objects.annotate(sent_at=Coalesce("heartbeat_at", "requested_at"))
        .filter(_waiting(now) | (stale_q(now) & Q(attempts__lt=MAX_ATTEMPTS)))
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_MAX]
    )


@job(
    "requeue_pending",
    "Send again report runs left queued or whose build stopped; fail a second stop",
)
def requeue_pending(*, today: date, dry_run: bool) -> JobResult:
    from cme.tasks import enqueue
    from reports.services import MAX_ATTEMPTS, STOPPED_MESSAGE, stale_q
    from reports.tasks import build_report

    result = JobResult(name="requeue_pending", dry_run=dry_run)
    now = timezone.now()
    stopped = ReportRun.objects.filter(stale_q(now), attempts__gte=MAX_ATTEMPTS)
    if dry_run:
        result.flagged += [
            f"report run {pk} to fail" for pk in stopped.values_list("pk", flat=True)
        ]
        result.flagged += [f"report run {pk}" for pk in pending_runs()]
        return result
    failed = list(stopped.values_list("pk", flat=True))
    if failed:
        # Conditional on still being stale: a build that stamped a heartbeat meanwhile keeps on.
        ReportRun.objects.filter(stale_q(now), pk__in=failed, attempts__gte=MAX_ATTEMPTS).update(
            status=RunStatus.FAILED,
            message="Failed",
            error=STOPPED_MESSAGE,
            finished_at=now,
        )
        result.flagged += [f"report run {pk} failed" for pk in failed]
    to_send = pending_runs()
    # Stale runs with an attempt left go back to the queue, stamped: the next sweep sees them
    # as just sent and leaves them (unless the broker refuses them below).
    ReportRun.objects.filter(stale_q(now), pk__in=to_send, attempts__lt=MAX_ATTEMPTS).update(
        status=RunStatus.QUEUED, progress=0, message="Waiting to restart", heartbeat_at=now
    )
    unsent: list[int] = []
    for i, run_id in enumerate(to_send):
        result.flagged.append(f"report run {run_id}")
        if not enqueue(build_report, run_id):
            unsent = to_send[i:]  # the broker is still down: the next sweep tries again
            break
    sent = [pk for pk in to_send if pk not in unsent]
    if sent:
        ReportRun.objects.filter(pk__in=sent, status=RunStatus.QUEUED).update(heartbeat_at=now)
    if unsent:
        ReportRun.objects.filter(pk__in=unsent, status=RunStatus.QUEUED).update(heartbeat_at=None)
    return result
