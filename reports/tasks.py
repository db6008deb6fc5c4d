"""Celery tasks for report runs. Thin: the work is in reports.services."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError


@shared_task(
    bind=True,
    acks_late=True,
    # A worker killed mid-build gives the message back to the broker, so the build is
    # delivered again; the redelivered task reclaims the run once its heartbeat is stale
    # (and the every-minute sweep sends it again if it arrived before that).
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def build_report(self: object, run_id: int) -> bool:
    """Build one report run (a duplicate delivery while a live build has it does nothing)."""
    from reports.services import report_build

    return report_build(run_id)


#: A scheduled board report: acknowledged when done, retried with backoff if the database drops.
_scheduled_task = shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)


def _scheduled(kind: str, today: str | None) -> str:
    from datetime import date

    from django.utils import timezone

    from reports.services import scheduled_report

    day = date.fromisoformat(today) if today else timezone.localdate()
    return scheduled_report(kind, today=day).summary(f"{kind}_board_report")


@_scheduled_task
def monthly_board_report(self: object, today: str | None = None) -> str:
    """Beat, days 1 to 7 at 06:00: last month's report on the month's first working day.

    ``today`` (ISO date) runs it as of that day: for a rerun by hand and for tests."""
    return _scheduled("monthly", today)


@_scheduled_task
def quarterly_board_report(self: object, today: str | None = None) -> str:
    """Beat, days 1 to 7 of Jan, Apr, Jul, Oct at 06:00: last quarter's report."""
    return _scheduled("quarterly", today)
