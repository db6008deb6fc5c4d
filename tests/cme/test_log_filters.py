"""No link token or query string reaches the log: the transfer download link and the
password-reset link are secrets in their path (ADR 015)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cme.log_filters import RedactTokenURLs, redact
from cme.models import User
from tests.transfers.helpers import moved_case, send
from transfers.models import Transfer


@pytest.mark.parametrize(
    ("line", "logged"),
    [
        ("Gone: /transfers/download/abc-DEF_123/", "Gone: /transfers/download/[redacted]/"),
        (
            '"POST /transfers/download/abc-DEF_123/?x=1 HTTP/1.1" 429 10',
            '"POST /transfers/download/[redacted]/?[redacted] HTTP/1.1" 429 10',
        ),
        ("Not Found: /password-reset/MQ/c3-abc123/", "Not Found: /password-reset/[redacted]/"),
        ("GET /register/?q=Smith&page=2", "GET /register/?[redacted]"),
        ("Not Found: /password-reset/sent/", "Not Found: /password-reset/sent/"),
        ("Not Found: /transfers/TR-0001/", "Not Found: /transfers/TR-0001/"),
    ],
)
def test_tokens_in_paths_and_query_strings_are_replaced(line: str, logged: str) -> None:
    assert redact(line) == logged


def test_the_filter_rewrites_a_record_with_arguments() -> None:
    record = logging.LogRecord(
        "django.request", logging.WARNING, "", 0, "%s: %s", ("Gone", "/transfers/download/t/"), None
    )
    assert RedactTokenURLs().filter(record)
    assert record.getMessage() == "Gone: /transfers/download/[redacted]/"


@pytest.fixture
def console() -> Iterator[io.StringIO]:
    """What the settings' console handler (every logger's) writes, while the test runs."""
    handlers = [
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.StreamHandler)
        and any(isinstance(f, RedactTokenURLs) for f in h.filters)
    ]
    assert handlers, "settings.LOGGING's console handler redacts token URLs"
    stream = io.StringIO()
    old = [h.setStream(stream) for h in handlers]
    yield stream
    for handler, previous in zip(handlers, old, strict=True):
        if previous is not None:
            handler.setStream(previous)


@pytest.mark.django_db
def test_a_transfer_link_answered_with_an_error_is_logged_without_its_token(
    officer: User, console: io.StringIO
) -> None:
    transfer, token = send(moved_case(officer), officer)
    Transfer.objects.filter(pk=transfer.pk).update(
        link_expires_at=timezone.now() - timedelta(seconds=1)
    )
    url = reverse("transfers:download", args=[token])
    assert Client().get(url).status_code == 410  # django.request logs "Gone: <path>"
    assert Client(enforce_csrf_checks=True).post(url, {}).status_code == 403  # CSRF failure
    logged = console.getvalue()
    assert "Gone: /transfers/download/[redacted]/" in logged
    assert "Forbidden (CSRF cookie not set.): /transfers/download/[redacted]/" in logged
    assert token not in logged
