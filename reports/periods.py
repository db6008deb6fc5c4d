"""The periods a board report covers: last month, last quarter, the last 12 months, or
dates a manager chooses (at most MAX_MONTHS)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.core.exceptions import ValidationError

#: The longest period a report may cover.
MAX_MONTHS = 24


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def last_month(today: date) -> tuple[date, date]:
    first = today.replace(day=1) - timedelta(days=1)
    return month_bounds(first.year, first.month)


def last_quarter(today: date) -> tuple[date, date]:
    """The calendar quarter (January to March, April to June, ...) before the one holding today."""
    q_start_month = 3 * ((today.month - 1) // 3) + 1
    end = date(today.year, q_start_month, 1) - timedelta(days=1)
    start = date(end.year, end.month - 2, 1)
    return start, end


def last_12_months(today: date) -> tuple[date, date]:
    _, end = last_month(today)
    start = date(end.year - 1, end.month, 1) + timedelta(days=32)
    return start.replace(day=1), end


def months_spanned(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def validate_period(start: date, end: date, *, today: date) -> None:
    if start > end:
        raise ValidationError("The start date must be on or before the end date", code="order")
    if end > today:
        raise ValidationError("The end date must be today or in the past", code="future")
    if months_spanned(start, end) > MAX_MONTHS:
        raise ValidationError(f"A report can cover at most {MAX_MONTHS} months", code="too_long")
