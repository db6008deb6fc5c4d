"""The twelve-month trend: referrals received each month and cases open at each month end."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count

from casework.models import Case
from referrals.models import Referral
from reports.figures.common import Period, Trend, open_at


def _month_starts(end: date) -> list[date]:
    months = []
    year, month = end.year, end.month
    for _ in range(12):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def trend(end: date) -> Trend:
    months = _month_starts(end)
    periods = []
    for first in months:
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        periods.append(Period(first, min(last, end)))
    referrals = Referral.objects.aggregate(
        **{f"m{i}": Count("id", filter=p.at("received_at")) for i, p in enumerate(periods)}
    )
    open_cases = Case.objects.aggregate(
        **{f"m{i}": Count("id", filter=open_at(p.end)) for i, p in enumerate(periods)}
    )
    return Trend(
        months=months,
        referrals=[referrals[f"m{i}"] for i in range(12)],
        open_cases=[open_cases[f"m{i}"] for i in range(12)],
    )
