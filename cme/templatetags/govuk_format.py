"""Template filters for GOV.UK style times and numbers (a builtin: no {% load %} needed).

``{{ when|govuk_time }}`` -> 6:12am / midday / midnight;
``{{ when|govuk_datetime:"j M Y" }}`` -> 2 Dec 2026 at 6:12am;
``{{ n|hours }}`` -> 20 hours / 12.5 hours; ``{{ n|number }}`` -> 20 / 12.5.
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

from cme import formats

register = template.Library()


@register.filter
def govuk_time(value: datetime | time | None) -> str:
    return formats.govuk_time(value) if isinstance(value, (datetime, time)) else ""


@register.filter
def govuk_datetime(value: Any, fmt: str = "j F Y") -> str:
    """The date in Django's ``date`` format ``fmt``, then "at" and the GOV.UK time."""
    if not isinstance(value, datetime):
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{date_format(value, fmt)} at {formats.govuk_time(value)}"


@register.filter
def hours(value: Decimal | float | int | str | None) -> str:
    return formats.hours(value)


@register.filter
def number(value: Decimal | float | int | str | None) -> str:
    return formats.number(value)
