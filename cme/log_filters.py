"""Logging filters (settings.LOGGING)."""

from __future__ import annotations

import logging
import re
from http import HTTPStatus


class NoTracebackFor4xx(logging.Filter):
    """A 4xx response (403 from PermissionDenied, 404, 400) is logged by django.request with
    the exception that made it, so each one printed a traceback: nothing went wrong in the
    code. Keep the one line ("Forbidden (Permission denied): /path"), drop the traceback.
    A 5xx keeps its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if (
            isinstance(status, int)
            and HTTPStatus.BAD_REQUEST <= status < HTTPStatus.INTERNAL_SERVER_ERROR
        ):
            record.exc_info = None
            record.exc_text = None
        return True


#: Paths whose segments are a secret: the other LA's transfer download link (ADR 015) and
#: Django's password-reset link. Each match keeps its prefix; the secret is replaced.
TOKEN_PATHS = (
    re.compile(r"(/transfers/download/)[^/\s?#\"']+"),
    re.compile(r"(/password-reset/)(?!sent/|done/)[^/\s?#\"']+/[^/\s?#\"']+"),
)
#: A query string can carry a search (a child's name) or a code: never logged.
QUERY = re.compile(r"\?[^\s\"']*")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """``text`` with every token in a link path, and every query string, replaced."""
    for pattern in TOKEN_PATHS:
        text = pattern.sub(rf"\g<1>{REDACTED}", text)
    return QUERY.sub(f"?{REDACTED}", text)


class RedactTokenURLs(logging.Filter):
    """A request line or path in a log record (django.request's "Gone: /path", the CSRF
    failure, runserver's request lines) loses the link tokens and query strings it carries.
    On the console handler, so it applies to every logger; the formatted message replaces
    the record's message and arguments when anything was redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = ()
        return True
