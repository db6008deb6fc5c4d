"""GOV.UK Notify as the outbox's provider (CME_EMAIL_PROVIDER=notify; docs/decisions/011).

Through the official client (notifications-python-client): each request signs a JWT with
the secret part of ``NOTIFY_API_KEY`` and times out after ``EMAIL_TIMEOUT`` seconds, as SMTP
does. Every message is a template (``NOTIFY_TEMPLATES`` per kind, else the generic
``NOTIFY_EMAIL_TEMPLATE_ID`` / ``NOTIFY_LETTER_TEMPLATE_ID``) filled with ``subject`` and
``body`` (the app's words, the same as under SMTP) and the kind's own fields. A 4xx other than
429 will never succeed as sent (BadRequestError, ValidationError, a revoked key): the row
fails at once. A 5xx, a 429, a timeout or a refused connection backs off with the batch.

`poll_status` (beat, `cme.tasks.poll_notify_status`) reads back what Notify did with what it
accepted: one query for the rows sent but not final, one UPDATE per status found.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from cme.models import OutboxChannel, OutboxEmail, OutboxState
from cme.outbox.core import FINAL_STATUSES, Claimed, PermanentError, ServiceDown

log = logging.getLogger(__name__)

#: Notify keeps a notification's data for 7 days: older rows are not asked about again.
NOTIFY_KEEPS = timedelta(days=7)
#: Rows read back per poll (each is one GET, at most ``EMAIL_TIMEOUT`` seconds).
POLL_BATCH = 200
#: Statuses after which the text is not kept (it arrived: nothing to send again).
ARRIVED = ("delivered", "received")


def client() -> NotificationsAPIClient:
    # The client ships py.typed but leaves its methods unannotated: the four calls are ignored.
    return NotificationsAPIClient(  # type: ignore[no-untyped-call]
        settings.NOTIFY_API_KEY,
        base_url=settings.NOTIFY_BASE_URL,
        timeout=settings.EMAIL_TIMEOUT,
    )


def classify(exc: APIError) -> Exception:
    """Notify's answer as the outbox's error: `PermanentError` or `ServiceDown`, named by
    the status and Notify's error class (never its message, which can quote the address)."""
    status = exc.status_code
    name = ""
    response = exc.response
    if response is not None:
        try:
            errors = response.json().get("errors") or []
            name = str(errors[0].get("error", ""))[:40] if errors else ""
        except (ValueError, AttributeError, IndexError):
            name = ""
    else:  # no answer at all: the cause is requests' Timeout, ConnectionError ...
        name = type(exc.__cause__).__name__ if exc.__cause__ else "RequestFailed"
    label = f"Notify {status} {name}".strip() if response is not None else f"Notify {name}"
    if response is not None and 400 <= status < 500 and status != 429:  # noqa: PLR2004
        return PermanentError(label)
    return ServiceDown(label)


def template_for(kind: str, channel: str) -> str:
    template = settings.NOTIFY_TEMPLATES.get(kind, "")
    if not template:
        template = (
            settings.NOTIFY_LETTER_TEMPLATE_ID
            if channel == OutboxChannel.LETTER
            else settings.NOTIFY_EMAIL_TEMPLATE_ID
        )
    if not template:  # configuration: fails at once, shown on the managers' page
        raise PermanentError("NoNotifyTemplate")
    return str(template)


class NotifySender:
    name = "notify"

    def open(self) -> None:
        if not settings.NOTIFY_API_KEY:
            raise ServiceDown("NoNotifyKey")
        self.client = client()

    def send(self, item: Claimed) -> str | None:
        template = template_for(item.kind, item.channel)
        personalisation = {"subject": item.subject, "body": item.body, **item.personalisation}
        reference = f"cme-outbox-{item.pk}"  # names no one: Notify shows it in its logs
        try:
            if item.channel == OutboxChannel.LETTER:
                answer = self.client.send_letter_notification(  # type: ignore[no-untyped-call]
                    template_id=template, personalisation=personalisation, reference=reference
                )
            else:
                answer = self.client.send_email_notification(  # type: ignore[no-untyped-call]
                    email_address=item.to,
                    template_id=template,
                    personalisation=personalisation,
                    reference=reference,
                    email_reply_to_id=settings.NOTIFY_EMAIL_REPLY_TO_ID or None,
                )
        except APIError as exc:
            raise classify(exc) from exc
        return str(answer["id"])

    def close(self) -> None:
        session = getattr(getattr(self, "client", None), "request_session", None)
        if session is not None:
            session.close()


def _to_poll(limit: int) -> list[tuple[int, str]]:
    since = timezone.now() - NOTIFY_KEEPS
    rows = (
        OutboxEmail.objects.filter(
            state=OutboxState.SENT,
            provider="notify",
            provider_id__isnull=False,
            sent_at__gte=since,
        )
        .exclude(delivery_status__in=FINAL_STATUSES)
        .order_by(F("status_checked_at").asc(nulls_first=True), "id")
        .values_list("pk", "provider_id")[:limit]
    )
    return [(pk, str(provider_id)) for pk, provider_id in rows]


def poll_status(limit: int = POLL_BATCH) -> int:
    """Read back Notify's status of up to ``limit`` rows sent but not final (least recently
    checked first); return how many were read. Idempotent: a status read twice is written
    twice. Notify down or hanging ends the poll (the next one carries on)."""
    if not settings.NOTIFY_API_KEY:
        return 0
    rows = _to_poll(limit)
    if not rows:
        return 0
    api = client()
    found: dict[str, list[int]] = defaultdict(list)
    try:
        for pk, provider_id in rows:
            try:
                answer: dict[str, Any] = api.get_notification_by_id(provider_id)  # type: ignore[no-untyped-call]
            except APIError as exc:
                error = classify(exc)
                log.warning("Notify status of email %s not read: %s", pk, error)
                if isinstance(error, ServiceDown):
                    break
                continue
            found[str(answer.get("status", ""))[:30]].append(pk)
    finally:
        api.request_session.close()
    now = timezone.now()
    with transaction.atomic():
        for status, pks in found.items():
            changes: dict[str, Any] = {"delivery_status": status, "status_checked_at": now}
            if status in ARRIVED:
                changes.update(body="", personalisation={})
            OutboxEmail.objects.filter(pk__in=pks, state=OutboxState.SENT).update(**changes)
    return sum(len(pks) for pks in found.values())
