"""The email outbox (issue 12, A1): no web request ever waits on a mail server.

`queue_email` (and `queue_letter`) writes an `OutboxEmail` row in the caller's transaction and
enqueues the delivery task once it commits (a broker outage is logged, never raised: beat
re-drives the task every few minutes). `send_due` claims due rows with one conditional UPDATE
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL), so two deliveries at once never send a row twice,
hands each to the provider (SMTP, or GOV.UK Notify: ``CME_EMAIL_PROVIDER``, cme.outbox.notify)
with ``EMAIL_TIMEOUT``, and marks it sent; a failure puts it back to pending with an
exponential back-off (1, 2, 4 ... minutes) until `MAX_ATTEMPTS`, then ``failed`` for the
managers' "Emails not delivered" page; a `PermanentError` (Notify's 400: it will never
succeed as it stands) is ``failed`` at once. A row left ``sending`` by a worker that died is
claimed again after `STALE_CLAIM`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from cme.models import (
    NOTIFY_FINAL,
    NOTIFY_NOT_DELIVERED,
    OutboxChannel,
    OutboxEmail,
    OutboxState,
)

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
#: GOV.UK Notify's statuses: not delivered, and final (cme.models).
NOT_DELIVERED_STATUSES = NOTIFY_NOT_DELIVERED
FINAL_STATUSES = NOTIFY_FINAL


class PermanentError(Exception):
    """A delivery that will never succeed as it stands (Notify's 400 BadRequestError or
    ValidationError, a letter with no letter provider): the row is ``failed`` at once.
    ``str()`` is what ``last_error`` shows: a class name and a status, no personal data."""


class ServiceDown(Exception):
    """The provider is unreachable, hangs or answers 5xx/429: this row and the rest of the
    batch back off (as when an SMTP connection cannot be opened)."""


@dataclass(frozen=True)
class Claimed:
    pk: int
    channel: str
    kind: str
    to: str
    subject: str
    body: str
    personalisation: dict[str, Any]
    attempts: int


class Sender(Protocol):
    """A provider: opened once per batch, ``send`` returns the provider's id (or None)."""

    name: str

    def open(self) -> None: ...
    def send(self, item: Claimed) -> str | None: ...
    def close(self) -> None: ...


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: 1, 2, 4, 8 ... minutes."""
    return timedelta(minutes=2 ** max(attempts - 1, 0))


def queue_email(
    to: str | Iterable[str],
    subject: str,
    body: str,
    *,
    key: str | None = None,
    kind: str = "",
    fields: Mapping[str, str] | None = None,
) -> int:
    """Store one email per address in the current transaction; delivered after it commits.

    ``kind`` (escalation, closure ...) picks the Notify template (``NOTIFY_TEMPLATES``) and
    ``fields`` are the kind's own personalisation (e.g. the reference) besides the subject and
    body. ``key`` (made unique per address) makes it idempotent: queued again, nothing is
    added. Returns how many addresses were given (a key already queued is skipped silently)."""
    addresses = [to] if isinstance(to, str) else list(to)
    addresses = sorted({a.strip() for a in addresses if a and a.strip()})
    if not addresses:
        return 0
    rows = [
        OutboxEmail(
            to=address,
            subject=subject[:200],
            body=body,
            kind=kind,
            personalisation=dict(fields or {}),
            key=None if key is None else (key if len(addresses) == 1 else f"{key}:{address}")[:120],
        )
        for address in addresses
    ]
    created = OutboxEmail.objects.bulk_create(rows, ignore_conflicts=True)
    deliver_after_commit()
    return len(created)


def queue_letter(
    *,
    address: Sequence[str],
    subject: str,
    body: str,
    kind: str,
    key: str | None = None,
    fields: Mapping[str, str] | None = None,
) -> int:
    """Store one letter (sent only through GOV.UK Notify) in the current transaction.

    ``address`` is the lines of the postal address, the last its postcode; Notify wants 3 to 7
    lines, so an address of fewer than 3 is not queued (0 is returned). Under SMTP the letter
    is ``failed`` at once ("NoLetterProvider"): the managers' page shows it to post by hand."""
    lines = [line.strip() for line in address if line and line.strip()]
    if len(lines) < 3:  # noqa: PLR2004 - Notify's minimum address
        return 0
    if len(lines) > 7:  # noqa: PLR2004 - Notify's maximum: the middle lines are joined
        lines = [*lines[:5], ", ".join(lines[5:-1]), lines[-1]]
    personalisation = {f"address_line_{n}": line for n, line in enumerate(lines, start=1)}
    personalisation.update(fields or {})
    rows = [
        OutboxEmail(
            channel=OutboxChannel.LETTER,
            to="",
            subject=subject[:200],
            body=body,
            kind=kind,
            personalisation=personalisation,
            key=None if key is None else key[:120],
        )
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


def _claim(limit: int) -> list[Claimed]:
    """Mark up to ``limit`` due rows ``sending`` (one attempt more) and return them. One
    conditional UPDATE: a delivery running at the same time skips the rows this one locked
    and claims others."""
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
            f"AND {due} RETURNING id, channel, kind, {qn('to')}, subject, body, "
            "personalisation, attempts",
            [OutboxState.SENDING, adapt(now), *due_params, int(limit), *due_params],
        )
        rows = sorted(cursor.fetchall())
    return [
        Claimed(
            pk=pk,
            channel=channel,
            kind=kind,
            to=to,
            subject=subject,
            body=body,
            # A raw cursor gives the JSON as text (psycopg 3 under Django, SQLite).
            personalisation=json.loads(fields) if isinstance(fields, str) else dict(fields or {}),
            attempts=attempts,
        )
        for pk, channel, kind, to, subject, body, fields, attempts in rows
    ]


def _error_name(exc: BaseException) -> str:
    if isinstance(exc, PermanentError | ServiceDown) and str(exc):
        return str(exc)[:100]
    return type(exc).__name__[:100]


def _failed(pk: int, attempts: int, exc: BaseException) -> None:
    now = timezone.now()
    error = _error_name(exc)
    changes: dict[str, Any]
    if attempts >= MAX_ATTEMPTS or isinstance(exc, PermanentError):
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


def _sent(item: Claimed, provider: str, provider_id: str | None) -> None:
    changes: dict[str, Any] = {
        "state": OutboxState.SENT,
        "sent_at": timezone.now(),
        "claimed_at": None,
        "last_error": "",
        "provider": provider,
        "provider_id": provider_id,
        "delivery_status": "created" if provider_id else "",
    }
    if not provider_id:
        # Handed over for good (SMTP): the text (a reset link, say) is not kept. Through
        # Notify it is kept until Notify says delivered, so "Try again" can send it again.
        changes.update(body="", personalisation={})
    OutboxEmail.objects.filter(pk=item.pk, state=OutboxState.SENDING).update(**changes)


def sender() -> Sender:
    """The provider ``CME_EMAIL_PROVIDER`` names."""
    if settings.CME_EMAIL_PROVIDER == "notify":
        from cme.outbox.notify import NotifySender

        return NotifySender()
    from cme.outbox.smtp import SmtpSender

    return SmtpSender()


def send_batch(limit: int = SEND_BATCH) -> int:
    """Claim and send up to ``limit`` due emails (over one SMTP connection, or one Notify
    session); return how many were claimed."""
    claimed = _claim(limit)
    if not claimed:
        return 0
    provider = sender()
    try:
        provider.open()
    except Exception as exc:  # the server is down or hangs: every claimed row backs off
        for item in claimed:
            _failed(item.pk, item.attempts, exc)
        return len(claimed)
    try:
        for n, item in enumerate(claimed):
            try:
                provider_id = provider.send(item)
            except ServiceDown as exc:  # one wait is enough: the rest back off without one
                for rest in claimed[n:]:
                    _failed(rest.pk, rest.attempts, exc)
                break
            except Exception as exc:  # a provider fault never loses the email
                _failed(item.pk, item.attempts, exc)
                continue
            _sent(item, provider.name, provider_id)
    finally:
        try:
            provider.close()
        except Exception:  # closing a broken connection: nothing left to do
            log.warning("could not close the %s connection", provider.name)
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
    """What a manager should see: failed, pending for longer than `LONG_PENDING`, or sent
    through Notify and read back as not delivered (a permanent failure, say)."""
    return (
        Q(state=OutboxState.FAILED)
        | Q(
            state__in=[OutboxState.PENDING, OutboxState.SENDING],
            created_at__lt=timezone.now() - LONG_PENDING,
        )
        | Q(state=OutboxState.SENT, delivery_status__in=NOT_DELIVERED_STATUSES)
    )


def retry(pk: int) -> bool:
    """A manager's "Try again": a failed (or long-pending, or not delivered by Notify) email
    back to pending now, its attempts reset; the delivery task is enqueued after commit. False
    if it was sent (and not read back as failed)."""
    updated = (
        OutboxEmail.objects.filter(pk=pk)
        .filter(not_delivered())
        .exclude(state=OutboxState.SENDING)
        .update(
            state=OutboxState.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            claimed_at=None,
            provider_id=None,
            delivery_status="",
            status_checked_at=None,
        )
    )
    if updated:
        deliver_after_commit()
    return bool(updated)
