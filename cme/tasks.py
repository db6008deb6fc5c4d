"""Tasks for the whole service. `ping` proves the Celery wiring (broker, worker, discovery)."""

from __future__ import annotations

from celery import shared_task


@shared_task
def ping() -> str:
    """Answer "pong": `ping.delay()` from a shell shows a worker consuming the queue."""
    return "pong"
