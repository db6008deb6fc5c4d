"""Logging filters (settings.LOGGING)."""

from __future__ import annotations

import logging
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
