"""The email outbox (issue 12, A1): no web request ever waits on a mail server.

`queue_email` writes an `OutboxEmail` row in the caller's transaction and enqueues the
delivery task once it commits (a broker outage is logged, never raised: beat re-drives the
task every few minutes). `send_due` claims due rows with one conditional UPDATE (``FOR
UPDATE SKIP LOCKED`` on PostgreSQL), so two deliveries at once never send a row twice, sends
each with ``EMAIL_TIMEOUT``, and marks it sent; a failure puts it back to pending with an
exponential back-off (1, 2, 4 ... minutes) until `MAX_ATTEMPTS`, then ``failed`` for the
managers' "Emails not delivered" page. A row left ``sending`` by a worker that died is
claimed again after `STALE_CLAIM`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from cme.models import OutboxEmail, OutboxState

log = logging.getLogger(__name__)

#: Attempts before an email is marked failed (back-off 1+2+...+64 minutes: about 2 hours).
MAX_ATTEMPTS = 8
#: A claim older than this is a worker that died mid-send: the row is claimed again. Longer
#: than a batch can take (`SEND_BATCH` emails, each at most ``EMAIL_TIMEOUT`` seconds).
STALE_CLAIM = timedelta(minutes=10)
#: Rows claimed (and sent over one SMTP connection) at a time.
SEND_BATCH = 20
#: Pending this long is shown on the "Emails not delivered" page too.
LONG_PENDING = timedelta(minutes=30)


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: 1, 2, 4, 8 ... minutes."""
    return timedelta(minutes=2 ** max(attempts - 1, 0))


def queue_email(to: str | Iterable[str], subject: str, body: str, *, key: str | None = None) -> int:
    """Store one email per address in the current transaction; delivered after it commits.

    ``key`` (made unique per address) makes it idempotent: queued again, nothing is added.
    Returns how many addresses were given (a key already queued is skipped silently)."""
    addresses = [to] if isinstance(to, str) else list(to)
    addresses = sorted({a.strip() for a in addresses if a and a.strip()})
    if not addresses:
        return 0
    rows = [
        OutboxEmail(
            to=address,
            subject=subject[:200],
            body=body,
            key=None if key is None else (key if len(addresses) == 1 else f"{key}:{address}")[:120],
        )
        for address in addresses
    ]
    created = OutboxEmail.objects.bulk_create(rows, ignore_conflicts=True)
    deliver_after_commit()
    return len(created)


def deliver_after_commit() -> None:
    """Enqueue `cme.tasks.deliver_notifications` (the email outbox's delivery) once this
    transaction commits. A broker outage is logged, never raised: beat runs the delivery
    every minute anyway."""
    from cme.tasks import after_commit, deliver_notifications

    after_commit(deliver_notifications)


def _claim(limit: int) -> list[tuple[int, str, str, str, int]]:
    """Mark up to ``limit`` due rows ``sending`` (one attempt more) and return them (id, to,
    subject, body, attempts). One conditional UPDATE: a delivery running at the same time
    skips the rows this one locked and claims others."""
    qn = connection.ops.quote_name
    table = qn(OutboxEmail._meta.db_table)
    lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    due = "((state = %s AND next_attempt_at <= %s) OR (state = %s AND claimed_at < %s))"
    due_params = [OutboxState.PENDING, adapt(now), OutboxState.SENDING, adapt(now - STALE_CLAIM)]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET state = %s, claimed_at = %s, attempts = attempts + 1 "  # noqa: S608
            f"WHERE id IN (SELECT id FROM {table} WHERE {due} ORDER BY id LIMIT %s{lock}) "
            f"AND {due} RETURNING id, {qn('to')}, subject, body, attempts",
            [OutboxState.SENDING, adapt(now), *due_params, int(limit), *due_params],
        )
        return sorted(cursor.fetchall())


def _failed(pk: int, attempts: int, exc: BaseException) -> None:
    now = timezone.now()
    error = type(exc).__name__[:100]
    changes: dict[str, Any]
    if attempts >= MAX_ATTEMPTS:
        changes = {"state": OutboxState.FAILED, "last_error": error, "claimed_at": None}
    else:
        changes = {
            "state": OutboxState.PENDING,
            "last_error": error,
            "claimed_at": None,
            "next_attempt_at": now + backoff(attempts),
        }
    # Only while this delivery still holds the claim (a stale re-claim may have sent it).
    OutboxEmail.objects.filter(pk=pk, state=OutboxState.SENDING).update(**changes)
    log.warning("email %s not sent (attempt %s): %s", pk, attempts, error)


def send_batch(limit: int = SEND_BATCH) -> int:
    """Claim and send up to ``limit`` due emails over one SMTP connection; return how many
    were claimed."""
    claimed = _claim(limit)
    if not claimed:
        return 0
    mail = get_connection(timeout=settings.EMAIL_TIMEOUT)
    try:
        mail.open()
    except Exception as exc:  # the server is down or hangs: every claimed row backs off
        for pk, _to, _subject, _body, attempts in claimed:
            _failed(pk, attempts, exc)
        return len(claimed)
    try:
        for pk, to, subject, body, attempts in claimed:
            message = EmailMessage(
                subject, body, settings.DEFAULT_FROM_EMAIL, [to], connection=mail
            )
            try:
                message.send()
            except Exception as exc:  # a mail server fault never loses the email
                _failed(pk, attempts, exc)
                continue
            OutboxEmail.objects.filter(pk=pk).update(
                state=OutboxState.SENT,
                sent_at=timezone.now(),
                claimed_at=None,
                last_error="",
                body="",  # sent: the text (a reset link, say) is not kept
            )
    finally:
        try:
            mail.close()
        except Exception:  # closing a broken connection: nothing left to do
            log.warning("could not close the SMTP connection")
    return len(claimed)


def send_due(max_batches: int = 50) -> int:
    """`send_batch` until nothing is due (at most ``max_batches``); return how many were
    claimed."""
    total = 0
    for _ in range(max_batches):
        claimed = send_batch()
        total += claimed
        if claimed < SEND_BATCH:
            break
    return total


def not_delivered() -> Q:
    """The emails a manager should see: failed, or pending for longer than `LONG_PENDING`."""
    return Q(state=OutboxState.FAILED) | Q(
        state__in=[OutboxState.PENDING, OutboxState.SENDING],
        created_at__lt=timezone.now() - LONG_PENDING,
    )


def retry(pk: int) -> bool:
    """A manager's "Try again": a failed (or long-pending) email back to pending now, its
    attempts reset; the delivery task is enqueued after commit. False if it was sent."""
    updated = (
        OutboxEmail.objects.filter(pk=pk)
        .filter(not_delivered())
        .exclude(state=OutboxState.SENDING)
        .update(
            state=OutboxState.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            claimed_at=None,
        )
    )
    if updated:
        deliver_after_commit()
    return bool(updated)
