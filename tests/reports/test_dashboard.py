"""The managers' dashboard: who may see it, what it shows, and what it costs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries, Settings

from casework.models import Category
from cme.models import AccessAction, AccessLog, User
from reports.figures import board_figures
from reports.views.dashboard import period_dates
from tests.conftest import client_for
from tests.reports.conftest import NOW
from tests.reports.test_figures import case, local, referral

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_july")]
URL = "/dashboard/"


def test_the_url() -> None:
    assert reverse("dashboard:dashboard") == URL


def test_manager_sees_the_dashboard(manager_client: Client) -> None:
    assert manager_client.get(URL).status_code == 200


def test_officer_cannot_see_the_dashboard(officer_client: Client) -> None:
    assert officer_client.get(URL).status_code == 403


def test_school_staff_cannot_see_the_dashboard(client_a: Client) -> None:
    assert client_a.get(URL).status_code == 403


def test_anonymous_is_sent_to_sign_in() -> None:
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_data_pack_is_for_managers_only(officer_client: Client, manager_client: Client) -> None:
    url = reverse("dashboard:data_pack")
    assert officer_client.get(url).status_code == 403
    response = manager_client.get(url + "?period=last_month&suppress=on")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "cme-figures-2026-06-01-to-2026-06-30.csv" in response["Content-Disposition"]
    assert "Small numbers suppressed,yes" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("?period=last_month", "2026-06-01 to 2026-06-30, unsuppressed"),
        ("?period=last_month&suppress=on", "2026-06-01 to 2026-06-30, small numbers suppressed"),
    ],
)
def test_each_data_pack_download_is_recorded_in_the_access_log(
    manager: User, manager_client: Client, query: str, detail: str
) -> None:
    url = reverse("dashboard:data_pack")
    assert manager_client.get(url + query).status_code == 200
    row = AccessLog.objects.get()
    assert (row.action, row.user, row.detail) == (AccessAction.EXPORT_FIGURES_CSV, manager, detail)
    assert row.path == url  # never the query string
    assert row.child_id is None


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("this_month", (date(2026, 7, 1), date(2026, 7, 15))),
        ("last_month", (date(2026, 6, 1), date(2026, 6, 30))),
        ("this_year", (date(2026, 1, 1), date(2026, 7, 15))),
    ],
)
def test_period_choices(period: str, expected: tuple[date, date]) -> None:
    assert period_dates(period, date(2026, 7, 15)) == expected


def test_january_last_month_is_the_previous_december() -> None:
    assert period_dates("last_month", date(2027, 1, 10)) == (date(2026, 12, 1), date(2026, 12, 31))


def test_headlines_are_the_report_figures_unsuppressed_with_the_change(
    manager_client: Client,
) -> None:
    for day in (1, 2, 3):
        case(date(2026, 6, day))  # 3 open (a small number, not hidden here)
    case(date(2025, 6, 2))  # open since last year: the previous open count is 1
    case(date(2026, 6, 4), category=Category.MISSING, closed_at=local(date(2026, 6, 5)))

    response = manager_client.get(URL + "?period=last_month")

    assert response.status_code == 200
    cards = {c.headline.key: c for c in response.context["cards"]}
    figures = board_figures(date(2026, 6, 1), date(2026, 6, 30))
    for h in figures.headlines:
        assert (cards[h.key].headline.value, cards[h.key].headline.previous) == (
            h.value,
            h.previous,
        )
    assert cards["open_now"].headline.value == 4
    assert cards["open_now"].change == 3
    html = response.content.decode()
    assert "small numbers are not hidden here" in html
    assert "&lt;5</" not in html.replace('"&lt;5"', "")
    assert "A year earlier: 1." in html
    assert "Up 3." in html


def test_links_into_the_register_are_pre_filtered(manager_client: Client) -> None:
    html = manager_client.get(URL).content.decode()
    assert 'href="/register/?overdue=on"' in html
    assert 'href="/register/?category=missing"' in html
    assert 'href="/register/?category=wasp"' in html


def test_the_trend_table_and_chart_show_twelve_months(manager_client: Client) -> None:
    referral(local(date(2026, 7, 2)))
    referral(local(date(2026, 7, 3)))

    response = manager_client.get(URL)

    html = response.content.decode()
    assert html.count("<rect data-bar ") == 24  # two bars a month
    assert "August 2025" in html
    assert "July 2026" in html
    assert "2 referrals" in html
    assert response.context["chart"]["max"] == 2


def test_the_chart_uses_the_app_font_and_has_a_colour_key(manager_client: Client) -> None:
    html = manager_client.get(URL).content.decode()
    svg = html[html.index('<svg role="img" aria-labelledby="trend-title') :]
    svg = svg[: svg.index("</svg>")]
    head = svg[: svg.index(">")]
    assert 'font-family="arial, sans-serif"' in head
    assert "style=" not in svg  # the CSP drops inline styles: none are relied on
    legend = svg[svg.index("<g data-legend") : svg.index("</g>")]
    assert 'fill="#1d70b8"' in legend
    assert "Referrals received" in legend
    assert 'fill="#f47738"' in legend
    assert "Open cases at month end" in legend
    assert 'style="' not in html[html.index("<figure") : html.index("</figure>")]


def test_an_unknown_period_falls_back_to_this_month(manager_client: Client) -> None:
    response = manager_client.get(URL + "?period=forever")
    assert response.context["period"] == "this_month"


def _queries(client: Client, n: int) -> int:
    for i in range(n):
        case(date(2026, 7, 1) + timedelta(days=i % 14), child__looked_after=bool(i % 2))
        referral(local(date(2026, 7, 1) + timedelta(days=i % 14)))
    cache.clear()  # the figures are shared for a few minutes: work them out again
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx.captured_queries)


def test_the_dashboard_costs_the_same_queries_with_5_or_50_cases(manager: User) -> None:
    small = _queries(client_for(manager), 5)
    large = _queries(client_for(manager), 45)
    assert small == large
    assert small <= 26  # the report's queries, plus session, user and notifications


@pytest.mark.parametrize("rows", [2, 30])
def test_the_dashboard_runs_a_constant_number_of_queries(
    manager_client: Client, rows: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for i in range(rows):
        case(date(2026, 7, 1) + timedelta(days=i % 14), child__looked_after=bool(i % 2))
        referral(local(date(2026, 7, 1) + timedelta(days=i % 14)))
    # session, user, the figures (7: the cache was empty), the unread count, the session save
    # (+ 4 savepoints), the count of emails not delivered (issue 12, A1)
    # (+ 4 savepoints), the count of emails not delivered (issue 12, A1); issue 15: the latest
    # census day and published file, and (the cache was empty) the comparison's 3 queries
    with django_assert_max_num_queries(20):
        response = manager_client.get(URL)
    assert response.status_code == 200
    cards = {c.headline.key: c.headline.value for c in response.context["cards"]}
    assert cards["cases_opened"] == rows
    # The referrals, and the one each case was opened from.
    assert f"Jul 2026: {2 * rows} referrals" in response.content.decode()


def test_the_figures_are_shared_for_a_few_minutes_and_say_when_they_were_worked_out(
    manager: User, settings: Settings
) -> None:
    settings.CME_DASHBOARD_CACHE_SECONDS = 300
    client = client_for(manager)
    case(date(2026, 7, 1))
    first = client.get(URL)
    assert "Figures as at midday, worked out again every 5 minutes." in first.content.decode()
    opened = {h.key: h.value for h in first.context["figures"].headlines}["cases_opened"]
    case(date(2026, 7, 2))
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(URL)
    assert {h.key: h.value for h in again.context["figures"].headlines}["cases_opened"] == opened
    assert not [q for q in ctx.captured_queries if "casework_case" in q["sql"]]
    with time_machine.travel(NOW, tick=False) as t:
        t.shift(timedelta(minutes=5, seconds=1))
        later = client.get(URL)
    assert {h.key: h.value for h in later.context["figures"].headlines}[
        "cases_opened"
    ] == opened + 1
