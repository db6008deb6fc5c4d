"""Counters that must hold whatever Redis is doing: kept in the database.

Each counted event is a `LimitHit` row (a scope, the key as an HMAC so no address or id is
stored as typed, and when). Counting the rows of a window is shared by every gunicorn worker
and survives Redis going down (fail safe). Rows older than the window are deleted as new ones
are written, so the table stays small.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from cme.models import LimitHit

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate(setting: str) -> tuple[int, timedelta]:
    """The setting named ``setting`` ("10/h", "20/2h", "5/15m"): how many in what window."""
    value = str(getattr(settings, setting))
    found = re.fullmatch(r"\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*", value)
    if found is None:
        raise ValueError(f"{setting} must look like 10/h, not {value!r}")
    count, multiple, unit = found.groups()
    return int(count), timedelta(seconds=int(multiple or 1) * _UNITS[unit])


def _digest(key: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), key.encode(), hashlib.sha256).hexdigest()


def hits(scope: str, key: str, window: timedelta) -> int:
    """How many events for ``key`` in the last ``window``."""
    since = timezone.now() - window
    return LimitHit.objects.filter(scope=scope, key=_digest(key), at__gte=since).count()


def hit(scope: str, key: str, window: timedelta) -> int:
    """Count one event for ``key``; the count in the window, this one included."""
    now = timezone.now()
    LimitHit.objects.filter(scope=scope, at__lt=now - window).delete()
    LimitHit.objects.create(scope=scope, key=_digest(key), at=now)
    return hits(scope, key, window)


def clear(scope: str, key: str) -> None:
    LimitHit.objects.filter(scope=scope, key=_digest(key)).delete()


def free_at(scope: str, key: str, window: timedelta) -> datetime | None:
    """When the oldest event in the window leaves it (one more is then allowed)."""
    since = timezone.now() - window
    oldest = (
        LimitHit.objects.filter(scope=scope, key=_digest(key), at__gte=since)
        .order_by("at")
        .values_list("at", flat=True)
        .first()
    )
    return None if oldest is None else oldest + window
