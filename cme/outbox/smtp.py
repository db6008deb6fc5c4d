"""The SMTP provider (the default): Django's email backend, one connection per batch, each
connect and send bounded by ``EMAIL_TIMEOUT``."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from cme.models import OutboxChannel
from cme.outbox.core import Claimed, PermanentError


class SmtpSender:
    name = "smtp"

    def __init__(self) -> None:
        self.connection = get_connection(timeout=settings.EMAIL_TIMEOUT)

    def open(self) -> None:
        self.connection.open()

    def send(self, item: Claimed) -> str | None:
        if item.channel == OutboxChannel.LETTER:
            # Letters go only through GOV.UK Notify: failed at once, for a manager to post.
            raise PermanentError("NoLetterProvider")
        EmailMessage(
            item.subject,
            item.body,
            settings.DEFAULT_FROM_EMAIL,
            [item.to],
            connection=self.connection,
        ).send()
        return None

    def close(self) -> None:
        self.connection.close()
