"""Fault drill (issue 12 A1): the mail server hangs or refuses; the web keeps answering.

A tiny SMTP server runs on a thread here (a socket server: aiosmtpd is not installed) in two
faulty modes: it accepts the TCP connection and never answers, or nothing listens (the port
refuses). With Django's SMTP backend pointed at it and a short ``EMAIL_TIMEOUT``, an
escalation and a case close each answer within 1 s and are committed; their emails wait in
the outbox with the error recorded. Then the server speaks minimal SMTP and the delivery task
runs (twice): each email is delivered exactly once.

The delivery is the Celery task the request enqueues after commit; the test settings run
tasks eagerly (in the request), so here the enqueue is recorded and the task is run as a
worker would run it, after the request.
"""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from cme.models import Notification, OutboxEmail, OutboxState, Role
from cme.tasks import deliver_notifications
from tests.factories import UserFactory
from tests.integration.drill import escalate_and_close, nine_escalations_then_pages

pytestmark = pytest.mark.integration


class SmtpServer(socketserver.ThreadingTCPServer):
    """``mode`` "hang": accept and never answer; "ok": minimal SMTP, messages recorded."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.messages: list[bytes] = []
        self.release = threading.Event()
        super().__init__(("127.0.0.1", 0), _Handler)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def stop(self) -> None:
        self.release.set()
        self.shutdown()
        self.server_close()


class _Handler(socketserver.StreamRequestHandler):
    server: SmtpServer

    def handle(self) -> None:
        if self.server.mode == "hang":
            self.server.release.wait(timeout=60)  # holds the connection, says nothing
            return
        self.wfile.write(b"220 drill ESMTP\r\n")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line.strip().split(b" ", 1)[0].upper()
            if verb in (b"EHLO", b"HELO"):
                self.wfile.write(b"250 drill\r\n")
            elif verb in (b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                self.wfile.write(b"250 OK\r\n")
            elif verb == b"DATA":
                self.wfile.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk)
                self.server.messages.append(b"".join(data))
                self.wfile.write(b"250 OK queued\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 Bye\r\n")
                return
            else:
                self.wfile.write(b"502 Not implemented\r\n")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again: connecting is refused


@pytest.fixture
def smtp(settings: Any, transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Point Django's SMTP backend at a port; record the tasks the requests enqueue."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_TIMEOUT = 0.5
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    enqueued: list[str] = []
    monkeypatch.setattr("cme.tasks.enqueue", lambda task, *a, **k: enqueued.append(task.name))
    servers: list[SmtpServer] = []

    def point_at(mode: str) -> SmtpServer | None:
        if mode == "refuse":
            settings.EMAIL_PORT = _closed_port()
            return None
        server = SmtpServer(mode)
        servers.append(server)
        settings.EMAIL_PORT = server.port
        return server

    yield type("Smtp", (), {"point_at": staticmethod(point_at), "enqueued": enqueued})
    for server in servers:
        server.stop()


def _run_the_task_as_a_worker() -> None:
    deliver_notifications.apply().get()


@pytest.mark.parametrize("fault", ["hang", "refuse"])
def test_a_hanging_or_refusing_mail_server_never_holds_a_request(smtp: Any, fault: str) -> None:
    manager = UserFactory.create(role=Role.MANAGER)
    officer = UserFactory.create(role=Role.OFFICER)
    smtp.point_at(fault)
    escalated, closed = escalate_and_close(officer)
    assert smtp.enqueued, "the delivery task is enqueued after commit"

    # The worker tries: the server hangs (timeout) or refuses; nothing is lost.
    started = time.monotonic()
    _run_the_task_as_a_worker()
    assert time.monotonic() - started < 10
    rows = list(OutboxEmail.objects.order_by("to"))
    assert sorted(r.to for r in rows) == sorted([manager.email, "referrer@example.org"])
    for row in rows:
        assert row.state == OutboxState.PENDING
        assert row.attempts == 1
        assert row.last_error  # the exception's class name, e.g. TimeoutError
        assert "@" not in row.last_error
    expected = {
        "hang": ("TimeoutError", "SMTPServerDisconnected"),
        "refuse": ("ConnectionRefusedError",),
    }
    assert {r.last_error for r in rows} <= set(expected[fault]) | {"timeout"}

    # The server is back: the retry (once due) delivers each email once, however often the
    # task runs.
    working = smtp.point_at("ok")
    OutboxEmail.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    _run_the_task_as_a_worker()
    _run_the_task_as_a_worker()
    assert len(working.messages) == 2
    assert OutboxEmail.objects.filter(state=OutboxState.SENT).count() == 2
    recipients = b"".join(working.messages)
    assert escalated.reference.encode() in recipients
    assert closed.referral.reference.encode() in recipients


def test_pages_keep_answering_while_the_mail_server_hangs(smtp: Any) -> None:
    """Nine escalations took the service down (issue 12, A1): none waits now."""
    UserFactory.create(role=Role.MANAGER)
    officer = UserFactory.create(role=Role.OFFICER)
    smtp.point_at("hang")
    nine_escalations_then_pages(officer)
    # The managers' emails wait (as notifications for the outbox), none sent, none lost.
    assert Notification.objects.filter(emailed_at__isnull=True, email_wanted=True).count() == 9
    _run_the_task_as_a_worker()
    assert OutboxEmail.objects.filter(state=OutboxState.PENDING, attempts=1).count() == 9
