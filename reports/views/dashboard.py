"""The managers' dashboard: the board report's headline figures and trend, unsuppressed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from cme.access import managers_only
from cme.audit import log_access
from cme.models import AccessAction, OutboxEmail
from cme.outbox import not_delivered
from reports.csv_pack import csv_pack
from reports.figures import BoardFigures, Headline, Trend, board_figures, dashboard_figures
from reports.figures.comparison import ROUNDING_NOTE, Comparison, comparison
from reports.models import CensusDate, PublishedUpload
from reports.suppression import suppress

#: ?period= choices and their labels, the first the default.
PERIODS: dict[str, str] = {
    "this_month": "This month",
    "last_month": "Last month",
    "this_year": "This year",
}

#: Chart geometry (SVG user units).
CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM = 720, 240, 20, 200


def period_dates(period: str, today: date) -> tuple[date, date]:
    """First and last days of a chosen period; the current ones end today."""
    first_of_month = today.replace(day=1)
    if period == "last_month":
        last = first_of_month - timedelta(days=1)
        return last.replace(day=1), last
    if period == "this_year":
        return date(today.year, 1, 1), today
    return first_of_month, today


@dataclass(frozen=True)
class Card:
    headline: Headline
    change: int | float | None
    url: str


def _cards(figures: BoardFigures) -> list[Card]:
    register = reverse("cases:register")
    links = {
        "open_now": register,
        "overdue": f"{register}?overdue=on",
        "untraceable": f"{register}?category=missing",
        "cases_opened": f"{register}?"
        + urlencode({"received_after": figures.start, "received_before": figures.end}),
        "new_referrals": reverse("triage:list"),
    }
    cards = []
    for h in figures.headlines:
        change = None
        if isinstance(h.value, int | float) and isinstance(h.previous, int | float):
            change = round(h.value - h.previous, 1)
        cards.append(Card(headline=h, change=change, url=links.get(h.key, "")))
    return cards


def _count(value: int | str) -> int:
    """A trend count (the dashboard's figures are never suppressed; a "<5" would draw as 0)."""
    return value if isinstance(value, int) else 0


def _chart(trend: Trend) -> dict[str, Any]:
    """Bar positions for the inline SVG: referrals and open cases side by side per month."""
    top = max([*map(_count, trend.referrals), *map(_count, trend.open_cases), 1])
    slot = CHART_WIDTH / len(trend.months)
    bar = slot * 0.35
    scale = (CHART_BOTTOM - CHART_TOP) / top
    bars = []
    for i, (month, referrals, open_cases) in enumerate(
        zip(trend.months, map(_count, trend.referrals), map(_count, trend.open_cases), strict=True)
    ):
        x = i * slot + slot * 0.15
        bars.append(
            {
                "month": month,
                "label_x": round(i * slot + slot / 2, 1),
                "referrals": referrals,
                "open_cases": open_cases,
                "rx": round(x, 1),
                "ox": round(x + bar, 1),
                "rh": round(referrals * scale, 1),
                "oh": round(open_cases * scale, 1),
                "ry": round(CHART_BOTTOM - referrals * scale, 1),
                "oy": round(CHART_BOTTOM - open_cases * scale, 1),
            }
        )
    return {
        "bars": bars,
        "bar_width": round(bar, 1),
        "max": top,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "baseline": CHART_BOTTOM,
        "top": CHART_TOP,
        "legend_x": CHART_WIDTH - 360,  # the key, top right: two swatches with their words
    }


def _chosen(request: HttpRequest) -> tuple[str, date, date]:
    period = request.GET.get("period", "")
    if period not in PERIODS:
        period = next(iter(PERIODS))
    start, end = period_dates(period, timezone.localdate())
    return period, start, end


def cached_dashboard_figures(start: date, end: date) -> BoardFigures:
    """The dashboard's figures, shared by every manager for CME_DASHBOARD_CACHE_SECONDS: they
    are county-wide aggregates (tens of milliseconds of SQL over every case and referral), and
    the page says when they were worked out."""
    key = f"cme:dashboard:{start.isoformat()}:{end.isoformat()}"
    figures = cache.get(key)
    if not isinstance(figures, BoardFigures):
        figures = dashboard_figures(start, end)
        cache.set(key, figures, settings.CME_DASHBOARD_CACHE_SECONDS)
    return figures


def cached_comparison() -> Comparison | None:
    """The rate beside England's and the region's at the latest census day (shared by every
    manager for CME_DASHBOARD_CACHE_SECONDS, like the figures)."""
    census = (
        CensusDate.objects.filter(census_date__lte=timezone.localdate())
        .order_by("-census_date")
        .first()
    )
    if census is None:
        return None
    latest = PublishedUpload.objects.values_list("pk", flat=True).first()
    key = f"cme:comparison:{census.pk}:{latest}"
    found = cache.get(key)
    if not isinstance(found, Comparison):
        found = comparison(census)
        cache.set(key, found, settings.CME_DASHBOARD_CACHE_SECONDS)
    return found


@managers_only
def dashboard(request: HttpRequest) -> HttpResponse:
    period, start, end = _chosen(request)
    figures = cached_dashboard_figures(start, end)
    tables = {t.key: t for t in figures.tables}
    return render(
        request,
        "reports/dashboard.html",
        {
            "figures": figures,
            "cards": _cards(figures),
            "chart": _chart(figures.trend),
            "trend_rows": zip(
                figures.trend.months,
                figures.trend.referrals,
                figures.trend.open_cases,
                strict=True,
            ),
            "categories": tables["cases_by_category"],
            "periods": PERIODS,
            "period": period,
            "cache_minutes": settings.CME_DASHBOARD_CACHE_SECONDS // 60,
            # The outbox's undelivered emails (issue 12, A1): one COUNT, linked to the page.
            "emails_not_delivered": OutboxEmail.objects.filter(not_delivered()).count(),
            # Issue 15: beside England and the region, for the latest census day.
            "comparison": cached_comparison(),
            "rounding_note": ROUNDING_NOTE,
        },
    )


@managers_only
def data_pack(request: HttpRequest) -> HttpResponse:
    """The CSV data pack for the chosen period; ``?suppress=on`` gives the board's copy."""
    _, start, end = _chosen(request)
    figures = board_figures(start, end)
    suppressed = request.GET.get("suppress") == "on"
    if suppressed:
        figures = suppress(figures)
    # A stored run's file is recorded as a ReportDownload; this pack has no run, so the access
    # log (which the audit pages read) records it, unsuppressed small numbers above all.
    log_access(
        request,
        AccessAction.EXPORT_FIGURES_CSV,
        detail=f"{start:%Y-%m-%d} to {end:%Y-%m-%d}, "
        + ("small numbers suppressed" if suppressed else "unsuppressed"),
    )
    response = HttpResponse(csv_pack(figures), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="cme-figures-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}.csv"'
    )
    return response
