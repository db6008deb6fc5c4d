"""How times and numbers are written, in GOV.UK style (one place for every page and email).

GOV.UK style guide, "Times": "5:30pm", not "17:30" or "5.30 p.m."; "midnight" and "midday",
not "00:00" or "12 noon"; no minutes on the hour ("10am").
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal

from django.utils import timezone

#: The hour of midday: 12-hour clock times and "midday" (GOV.UK style).
NOON = 12


def govuk_time(value: datetime | time | None) -> str:
    """``6:12am``, ``6pm``, ``12:30pm``, ``midday``, ``midnight``; "" for None. An aware
    datetime is shown in the local time zone."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.time()
    hour, minute = value.hour, value.minute
    if (hour, minute) == (0, 0):
        return "midnight"
    if (hour, minute) == (NOON, 0):
        return "midday"
    clock = hour % NOON or NOON
    suffix = "am" if hour < NOON else "pm"
    return f"{clock}{suffix}" if minute == 0 else f"{clock}:{minute:02d}{suffix}"


def govuk_datetime(value: datetime | None, date_format: str = "%-d %B %Y") -> str:
    """``2 December 2026 at 6:12am`` (the date as ``date_format``, strftime), in local time."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value:{date_format}} at {govuk_time(value)}"


def number(value: Decimal | float | int | str | None) -> str:
    """A number without trailing zeros: 20.0 -> "20", 12.50 -> "12.5"; "" for None or ""."""
    if value is None or value == "":
        return ""
    d = Decimal(str(value))
    if d == d.to_integral_value():
        return str(d.quantize(Decimal(1)))
    return format(d.normalize(), "f")


def hours(value: Decimal | float | int | str | None) -> str:
    """``20 hours``, ``12.5 hours``, ``1 hour``; "" for None."""
    shown = number(value)
    if not shown:
        return ""
    return f"{shown} hour{'' if Decimal(shown) == 1 else 's'}"
