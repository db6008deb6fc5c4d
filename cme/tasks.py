"""Tasks for the whole service. `ping` proves the Celery wiring (broker, worker, discovery)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as KombuOperationalError

log = logging.getLogger(__name__)


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


#: What a publish raises when the broker (Redis, or the filesystem transport's folder) is not
#: there: kombu wraps most connection errors in its OperationalError; the rest are OSErrors.
BROKER_DOWN: tuple[type[BaseException], ...] = (KombuOperationalError, OSError)
try:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    BROKER_DOWN += (RedisConnectionError, RedisTimeoutError)
except ImportError:  # pragma: no cover - redis is installed wherever the broker is Redis
    pass


def enqueue(task: Task[Any, Any], *args: Any, **options: Any) -> bool:
    """Send ``task(*args)`` to the queue; False (logged, not raised) if the broker is down.

    A web request that queues work keeps working without Redis. The caller's record of the
    work (e.g. a report run left ``queued``) is what keeps it: the ``requeue_pending`` sweep
    sends it again once the broker is back, and the task itself is idempotent.
    """
    try:
        task.apply_async(args=args, **options)
    except BROKER_DOWN as exc:
        log.warning("broker unavailable, %s%r left for the requeue sweep: %r", task.name, args, exc)
        return False
    return True


@shared_task
def requeue_pending() -> str:
    """Beat, every few minutes (every day): send again the work left pending (reports.jobs)."""
    from django.utils import timezone

    from cme.jobs import run_job as run

    return run("requeue_pending", today=timezone.localdate()).summary()


# ---------------------------------------------------------------------------------- outbox
# docs/decisions/005-job-outbox.md: a sweep only flags and writes in-app notifications; the
# work that follows (emails, referrals) is done by these tasks, enqueued after the sweep's
# commit and run from beat (`outbox`), each idempotent under concurrent runs.


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5)
def deliver_notifications() -> str:
    """The email outbox's delivery (issue 12, A1): put the notifications that want an email
    in the outbox, then claim and send every due `OutboxEmail` (cme.outbox.send_due: SMTP
    timeout ``EMAIL_TIMEOUT``, back-off, ``failed`` after MAX_ATTEMPTS). Idempotent under
    concurrent runs. Enqueued after the commit of whatever queued an email; beat re-drives it
    (``outbox``) every few minutes."""
    from cme.notifications import deliver_all

    return f"deliver_notifications: {deliver_all()} notifications put in the email outbox"


#: Follow-up steps the outbox runs before delivering (name, function returning a count),
#: registered by the apps that own them in their AppConfig.ready() (the core imports no app):
#: e.g. referrals raises the referrals its sweeps flagged.
_outbox_steps: dict[str, Callable[[], int]] = {}


def register_outbox_step(name: str, step: Callable[[], int]) -> None:
    _outbox_steps[name] = step


@shared_task
def outbox() -> str:
    """Beat, every few minutes: the follow-up work a sweep (or a broker outage) left, then the
    emails."""
    done = [f"{name}: {step()}" for name, step in _outbox_steps.items()]
    return "; ".join([*done, deliver_notifications()])


def after_commit(task: Task[Any, Any]) -> None:
    """Enqueue ``task`` once the current transaction commits; a broker outage is logged,
    never raised: the ``outbox`` beat entry runs it anyway."""
    from django.db import transaction

    def send() -> None:
        try:
            enqueue(task)
        except Exception:  # the sweep is committed; beat catches up
            log.exception("could not enqueue %s; beat will run it", task.name)

    transaction.on_commit(send)


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5)
def poll_notify_status() -> str:
    """Beat, every 5 minutes: GOV.UK Notify's delivery status of what it accepted, read back
    onto the outbox rows (cme.outbox.notify.poll_status; set-based, idempotent). Nothing to
    do under SMTP."""
    from django.conf import settings

    if settings.CME_EMAIL_PROVIDER != "notify" and not settings.NOTIFY_API_KEY:
        return "poll_notify_status: not using GOV.UK Notify"
    from cme.outbox.notify import poll_status

    return f"poll_notify_status: {poll_status()} statuses read"


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5)
def clear_expired_sessions() -> str:
    """Beat, hourly: expired sessions deleted (Django's ``clearsessions``, one DELETE on the
    database backend). A session can hold a school's parsed CTF pupils and unsent drafts;
    without this an abandoned one stays in the table after it has expired."""
    from importlib import import_module

    from django.conf import settings

    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
    return "clear_expired_sessions: done"
