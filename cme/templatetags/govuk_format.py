"""Template filters for GOV.UK style times and numbers (a builtin: no {% load %} needed).

``{{ when|govuk_time }}`` -> 6:12am / midday / midnight;
``{{ when|govuk_datetime:"j M Y" }}`` -> 2 Dec 2026 at 6:12am;
``{{ n|hours }}`` -> 20 hours / 12.5 hours; ``{{ n|number }}`` -> 20 / 12.5;
``{% govuk_table_head "When" "Who" %}`` -> a table's <thead>, a column header for each.
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

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


@register.simple_tag
def govuk_table_head(*headers: str, hidden: str = "") -> SafeString:
    """A GOV.UK table's head row, as the Design System's govukTable ``head`` gives: every
    header a column header (scope="col"), so that screen readers announce it with each cell.
    ``hidden`` adds a last header that only screen readers read (an action column's:
    ``hidden="Action"``)."""
    cells = format_html_join(
        "", '<th scope="col" class="govuk-table__header">{}</th>', ((h,) for h in headers)
    )
    if hidden:
        cells += format_html(
            '<th scope="col" class="govuk-table__header">'
            '<span class="govuk-visually-hidden">{}</span></th>',
            hidden,
        )
    return format_html(
        '<thead class="govuk-table__head"><tr class="govuk-table__row">{}</tr></thead>', cells
    )
