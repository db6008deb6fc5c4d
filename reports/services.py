"""Report runs: a manager asks for the board report for a period; a Celery task builds it.

A run moves queued → building → ready (or failed). The build claims its run with one
conditional UPDATE (queued → building), so a duplicate task for the same run does nothing.
A build stamps ``heartbeat_at`` when it claims its run and at every progress step. A worker
killed mid-build leaves the run in ``building`` with a heartbeat that stops: after
``HEARTBEAT_STALE`` without one (or ``STALE_AFTER`` after it started, past any task time
limit) the run is stale. The sweep (reports.jobs, every minute) sends a stale run again once
and marks it failed the second time; a redelivered task may reclaim a stale run itself. Messages and errors stored on a run
never hold personal data (the log has the exception, by run id).
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone

from cme.models import Role, User
from reports.models import DownloadFormat, ReportDownload, ReportRun, RunKind, RunStatus
from reports.periods import last_month, last_quarter, validate_period

log = logging.getLogger(__name__)

#: A building run with no heartbeat for this long is taken to be from a worker that died.
HEARTBEAT_STALE = timedelta(
    seconds=int(os.environ.get("CME_REPORT_HEARTBEAT_STALE_SECONDS") or 120)
)
#: A build started longer ago than this is stale whatever its heartbeat (past the task's
#: hard time limit, CELERY_TASK_TIME_LIMIT, no build is still running).
STALE_AFTER = timedelta(minutes=30)
#: A run whose build has started this many times and gone stale is failed, not sent again.
MAX_ATTEMPTS = 2

FAILED_MESSAGE = (
    "The report could not be built. Try again, or ask the service desk to look at the log."
)
STOPPED_MESSAGE = (
    "The report could not be built: its build stopped twice. Try again, or ask the service "
    "desk to look at the log."
)


def stale_q(now: datetime) -> Q:
    """Runs building whose worker is taken to have died (heartbeat stopped, or started too long ago)."""
    return Q(status=RunStatus.BUILDING) & (
        Q(heartbeat_at__lt=now - HEARTBEAT_STALE)
        | Q(heartbeat_at__isnull=True, started_at__lt=now - HEARTBEAT_STALE)
        | Q(started_at__lt=now - STALE_AFTER)
    )


# ------------------------------------------------------------------------------ requests


def report_request(
    *,
    by: User,
    start: date,
    end: date,
    suppressed: bool = True,
    submission_token: uuid.UUID | None = None,
) -> ReportRun:
    """Queue a report for ``start`` to ``end``; the build starts when the transaction commits.

    Idempotent on the request form's ``submission_token``: a double click or a retry after a
    lost answer gets the run the first one asked for, and nothing more is built.
    """
    if by.role != Role.MANAGER or not by.is_active:
        raise PermissionDenied("Only CME managers can ask for board reports")
    validate_period(start, end, today=timezone.localdate())
    already = report_already_requested(submission_token)
    if already is not None:
        return already
    try:
        with transaction.atomic():
            run = ReportRun.objects.create(
                requested_by=by,
                period_start=start,
                period_end=end,
                kind=RunKind.ON_DEMAND,
                suppressed=suppressed,
                message="Waiting to start",
                submission_token=submission_token,
            )
    except IntegrityError:
        # The same token sent at the same moment: the other request's run is the one.
        already = report_already_requested(submission_token)
        if already is None:
            raise
        return already
    _enqueue(run.pk)
    log.info("report run %s queued by user %s", run.pk, by.pk)
    return run


def report_already_requested(submission_token: uuid.UUID | None) -> ReportRun | None:
    """The run already asked for with this request form's token, if any (whoever sent it:
    every manager sees every run, so a token replayed by another shows them nothing new)."""
    if submission_token is None:
        return None
    return ReportRun.objects.filter(submission_token=submission_token).first()


def _enqueue(run_id: int) -> None:
    from cme.tasks import enqueue
    from reports.tasks import build_report

    transaction.on_commit(lambda: enqueue(build_report, run_id))


# ---------------------------------------------------------------------------- the build
# The figures contract (reports/figures/, suppression.py, csv_pack.py), reached through
# these three names so that tests can stand in for them.


def get_figures(start: date, end: date) -> Any:
    from reports.figures import board_figures

    # Test-only: tests/integration/test_faults.py slows this step to kill a worker mid-build.
    slow = float(os.environ.get("CME_TEST_SLOW_REPORT_SECONDS") or 0)
    if slow:
        time.sleep(slow)
    return board_figures(start, end)


def suppress_figures(figures: Any) -> Any:
    from reports.suppression import suppress

    return suppress(figures)


def figures_csv(figures: Any) -> str:
    from reports.csv_pack import csv_pack

    return csv_pack(figures)


def _claim(run_id: int) -> bool:
    """Move the run to ``building`` if it is queued, or building but stale with a build
    attempt left (a task redelivered after its worker died); True if we did."""
    now = timezone.now()
    stale = stale_q(now) & Q(attempts__lt=MAX_ATTEMPTS)
    return bool(
        ReportRun.objects.filter(Q(status=RunStatus.QUEUED) | stale, pk=run_id).update(
            status=RunStatus.BUILDING,
            started_at=now,
            heartbeat_at=now,
            attempts=F("attempts") + 1,
            progress=5,
            message="Starting",
            error="",
            finished_at=None,
        )
    )


def _progress(run_id: int, percent: int, message: str) -> None:
    # Saved at once (outside any request transaction: the task runs on its own), so the
    # runs page shows it while the build goes on; each step is also the build's heartbeat.
    ReportRun.objects.filter(pk=run_id, status=RunStatus.BUILDING).update(
        progress=percent, message=message, heartbeat_at=timezone.now()
    )


def _filename(run: ReportRun, ext: str) -> str:
    variant = "board" if run.suppressed else "internal"
    return f"cme-board-report-{run.period_start:%Y%m%d}-{run.period_end:%Y%m%d}-{variant}-{run.pk}.{ext}"


def report_build(run_id: int) -> bool:
    """Build run ``run_id``: True if this call built it, False if another has (or had) it."""
    if not _claim(run_id):
        status = ReportRun.objects.filter(pk=run_id).values_list("status", flat=True).first()
        if status == RunStatus.BUILDING:
            log.info(
                "report run %s: being built with a live heartbeat; if that build has stopped, "
                "the sweep sends the run again within %s minutes",
                run_id,
                int(HEARTBEAT_STALE.total_seconds() // 60) + 1,
            )
        else:
            log.info("report run %s: %s, nothing to build", run_id, status or "not found")
        return False
    run = ReportRun.objects.get(pk=run_id)
    try:
        from reports.charts import board_charts
        from reports.pdf import condense, render_pdf

        _progress(run_id, 10, "Counting the figures")
        figures = get_figures(run.period_start, run.period_end)
        # The board's copy: one suppression for the CSV and the PDF (A6). The PDF then
        # condenses long per-school tables (condense keeps the suppressed cells as they are
        # and hides a sum of rows with a hidden one); the CSV data pack keeps every row.
        if run.suppressed:
            figures = suppress_figures(figures)
        in_pdf = condense(figures)
        _progress(run_id, 30, "Drawing the charts")
        charts = board_charts(in_pdf)
        _progress(run_id, 60, "Laying out the PDF")
        pdf = render_pdf(in_pdf, settings.CME_LA_NAME, charts=charts)
        _progress(run_id, 90, "Saving the files")
        csv_text = figures_csv(figures)
        run.pdf_file.save(_filename(run, "pdf"), ContentFile(pdf), save=False)
        run.csv_file.save(
            _filename(run, "csv"), ContentFile(csv_text.encode("utf-8-sig")), save=False
        )
        updated = ReportRun.objects.filter(pk=run_id, status=RunStatus.BUILDING).update(
            pdf_file=run.pdf_file.name,
            csv_file=run.csv_file.name,
            status=RunStatus.READY,
            progress=100,
            message="Ready to download",
            finished_at=timezone.now(),
        )
        if not updated:  # someone else finished or failed it meanwhile: keep theirs
            run.pdf_file.delete(save=False)
            run.csv_file.delete(save=False)
            return False
    except (OperationalError, InterfaceError):
        # The database went away: hand the run back to the queue for the task's retry (if
        # even that fails, the run stays building and goes stale). The retry is not a new
        # attempt: the worker did not die.
        log.warning("report run %s: database error, to be retried", run_id)
        with contextlib.suppress(OperationalError, InterfaceError):
            ReportRun.objects.filter(pk=run_id, status=RunStatus.BUILDING).update(
                status=RunStatus.QUEUED,
                progress=0,
                message="Waiting to retry",
                heartbeat_at=timezone.now(),
                attempts=F("attempts") - 1,
            )
        raise
    except Exception:
        log.exception("report run %s failed", run_id)
        ReportRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED,
            message="Failed",
            error=FAILED_MESSAGE,
            finished_at=timezone.now(),
        )
        return False
    log.info("report run %s ready", run_id)
    return True


def report_retry(*, run_id: int, by: User) -> bool:
    """Queue a failed run again (a manager's "Try again"); False if it is not failed (any
    more): a double click queues it once."""
    if by.role != Role.MANAGER or not by.is_active:
        raise PermissionDenied("Only CME managers can rebuild board reports")
    again = ReportRun.objects.filter(pk=run_id, status=RunStatus.FAILED).update(
        status=RunStatus.QUEUED,
        attempts=0,
        progress=0,
        message="Waiting to start",
        error="",
        heartbeat_at=timezone.now(),
        started_at=None,
        finished_at=None,
    )
    if again:
        _enqueue(run_id)
        log.info("report run %s queued again by user %s", run_id, by.pk)
    return bool(again)


# --------------------------------------------------------------------------- downloads


def report_download_record(*, run: ReportRun, user: User, fmt: str) -> ReportDownload:
    if user.role != Role.MANAGER:
        raise PermissionDenied("Only CME managers can download board reports")
    if run.status != RunStatus.READY:
        raise ValidationError("The report is not ready", code="not_ready")
    return ReportDownload.objects.create(run=run, user=user, format=DownloadFormat(fmt))


# ------------------------------------------------------------------ scheduled builds


@dataclass(frozen=True)
class ScheduledResult:
    run: ReportRun | None
    created: bool
    built: bool
    notified: int

    def summary(self, name: str) -> str:
        if self.run is None:
            return f"{name}: not today"
        return (
            f"{name}: run {self.run.pk} {'created' if self.created else 'exists'}, "
            f"{'built' if self.built else 'not built now'}, notified {self.notified}"
        )


def first_working_day_of_month(day: date) -> date:
    from cme.statutory import add_working_days

    return add_working_days(day.replace(day=1) - timedelta(days=1), 1)


def scheduled_report(kind: str, *, today: date) -> ScheduledResult:
    """The monthly or quarterly board report, built on the first working day of the month
    (quarterly: of January, April, July and October) and sent to the managers.

    Idempotent: the run for a period is created once (a unique constraint), built once (the
    claim), and each manager is notified once (the notification key).
    """
    from django.urls import reverse

    from cme.notifications import managers, notify

    if kind not in (RunKind.MONTHLY, RunKind.QUARTERLY):
        raise ValueError(f"not a scheduled kind: {kind}")
    if today != first_working_day_of_month(today):
        return ScheduledResult(None, False, False, 0)
    if kind == RunKind.QUARTERLY and today.month not in (1, 4, 7, 10):
        return ScheduledResult(None, False, False, 0)
    start, end = last_month(today) if kind == RunKind.MONTHLY else last_quarter(today)
    created = False
    run = ReportRun.objects.filter(kind=kind, period_start=start, period_end=end).first()
    if run is None:
        try:
            with transaction.atomic():
                run = ReportRun.objects.create(
                    kind=kind,
                    period_start=start,
                    period_end=end,
                    suppressed=True,
                    message="Waiting to start",
                )
                created = True
        except IntegrityError:  # another beat run created it a moment ago
            run = ReportRun.objects.get(kind=kind, period_start=start, period_end=end)
    built = report_build(run.pk)
    run.refresh_from_db()
    notified = 0
    if run.status == RunStatus.READY:
        label = "Monthly" if kind == RunKind.MONTHLY else "Quarterly"
        notified = len(
            notify(
                managers(),
                key=f"report:{run.pk}",
                title=f"{label} board report ready: {run.period_start:%-d %b %Y} to {run.period_end:%-d %b %Y}",
                url=reverse("reports:runs"),
            )
        )
    return ScheduledResult(run, created, built, notified)
