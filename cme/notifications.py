"""Tell people things: in the app always, by email when asked. Idempotent by key."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from cme.models import Notification, Role, User

log = logging.getLogger(__name__)


def notify(
    users: Iterable[User],
    *,
    key: str,
    title: str,
    body: str = "",
    url: str = "",
    email: bool = True,
) -> list[Notification]:
    """Store a notification for each user who has not had one with `key`; email the new ones.

    `title` is also the email subject, so it must carry no personal data (a reference, not a
    name). Returns the notifications created now (none if they all existed).
    """
    targets = {u.pk: u for u in users if u.is_active}
    if not targets:
        return []
    rows = [Notification(user_id=pk, key=key, title=title, body=body, url=url) for pk in targets]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    # bulk_create with ignore_conflicts cannot say which rows it inserted; claim the unsent
    # ones with a conditional UPDATE instead, so two runs at once email each person once.
    now = timezone.now()
    created = list(
        Notification.objects.filter(key=key, user_id__in=targets, emailed_at__isnull=True)
    )
    claimed_ids = [
        n.pk
        for n in created
        if Notification.objects.filter(pk=n.pk, emailed_at__isnull=True).update(emailed_at=now)
    ]
    if email and claimed_ids:
        recipients = [targets[n.user_id] for n in created if n.pk in claimed_ids]
        transaction.on_commit(lambda: _send(recipients, title, body, url))
    return [n for n in created if n.pk in claimed_ids]


def _send(users: list[User], title: str, body: str, url: str) -> None:
    text = render_to_string(
        "emails/notification.txt",
        {
            "title": title,
            "body": body,
            "url": f"{settings.CME_SITE_URL}{url}" if url.startswith("/") else url,
            "SERVICE_NAME": settings.CME_SERVICE_NAME,
        },
    )
    for user in users:
        try:
            send_mail(f"{settings.CME_SERVICE_NAME}: {title}", text, None, [user.email])
        except Exception:  # a mail server fault must not undo the work that was done
            log.exception("notification email failed (notification key kept, user id %s)", user.pk)


def managers() -> list[User]:
    return list(User.objects.filter(role=Role.MANAGER, is_active=True))


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
