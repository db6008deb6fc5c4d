"""Tasks for the whole service. `ping` proves the Celery wiring (broker, worker, discovery)."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError


@shared_task
def ping() -> str:
    """Answer "pong": `ping.delay()` from a shell shows a worker consuming the queue."""
    return "pong"


@shared_task(
    bind=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def run_job(self: object, name: str, today: str | None = None) -> str:
    """Run one scheduled check (cme.jobs). Thin: the job is a service, idempotent.

    ``today`` (ISO date) runs the check as of that day, whatever the calendar says: for a
    rerun by hand and for tests; beat never passes it.
    """
    from datetime import date

    from django.utils import timezone

    from cme.jobs import run_job as run
    from cme.statutory import is_working_day

    if today is not None:
        return run(name, today=date.fromisoformat(today)).summary()
    day = timezone.localdate()
    # Beat fires Monday to Friday; bank holidays are skipped here (nobody reads the digest).
    if not is_working_day(day):
        return f"{name}: skipped, {day:%-d %B %Y} is not a working day"
    return run(name, today=day).summary()
