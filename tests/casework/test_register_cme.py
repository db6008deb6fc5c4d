"""The register in the termly CME return's groups (issue 15): filters by primary reason, sex
and time missing education, and the export's columns for them."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from casework.census import YEAR_GROUPS, duration_label, year_group_label
from casework.models import Case
from cme.statutory import national_curriculum_year_dobs
from tests.casework.register_rows import cells
from tests.conftest import TODAY
from tests.factories import CaseFactory

pytestmark = pytest.mark.usefixtures("frozen")


def test_the_duration_band_of_one_case_is_by_completed_weeks() -> None:
    on = date(2025, 10, 2)
    assert duration_label(date(2025, 9, 19), on) == "Less than 2 weeks"  # 13 days
    assert duration_label(date(2025, 9, 18), on) == "2 to 4 weeks"  # 14 days
    assert duration_label(date(2024, 9, 27), on) == "26 to 52 weeks"  # 370 days
    assert duration_label(date(2024, 9, 26), on) == "Over 52 weeks"  # 371 days
    assert duration_label(None, on) == "Unknown"
    assert duration_label(date(2025, 10, 3), on) == "Unknown"


def test_the_register_filters_and_exports_by_the_return_groups(officer_client: Client) -> None:
    girl: Case = CaseFactory.create(
        child__gender="F", primary_reason_id="mental-health", became_cme_on=TODAY
    )
    boy: Case = CaseFactory.create(child__gender="M", became_cme_on=date(2026, 10, 1))
    url = reverse("cases:register")
    html = officer_client.get(url, {"sex": "Female"}).content.decode()
    assert girl.reference in html
    assert boy.reference not in html
    html = officer_client.get(url, {"cme_reason": "not-recorded"}).content.decode()
    assert boy.reference in html
    assert girl.reference not in html
    html = officer_client.get(url, {"duration": "4 to 8 weeks"}).content.decode()
    assert boy.reference in html  # 53 days on 23 November 2026
    assert girl.reference not in html
    response = officer_client.get(reverse("cases:register_csv"), {"sex": "Male"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))  # type: ignore[attr-defined]
    assert rows[0][-4:] == [
        "Sex",
        "Primary reason",
        "Became missing education",
        "Missing education for",
    ]
    assert rows[1][-4:] == ["Male", "Not recorded", "2026-10-01", "4 to 8 weeks"]


def test_the_register_shows_the_return_groups_today_and_at_a_chosen_census_date(
    officer_client: Client,
) -> None:
    # Born 1 March 2015: Year 7 in 2026/27 (today, 23 November 2026), Year 6 on 15 January
    # 2026; missing education since 1 December 2025: 51 weeks today, 6 weeks at that census.
    case: Case = CaseFactory.create(
        child__gender="X",
        child__date_of_birth=date(2015, 3, 1),
        primary_reason_id="mental-health",
        received_on=date(2025, 12, 1),
        became_cme_on=date(2025, 12, 1),
    )
    url = reverse("cases:register")
    today = cells(officer_client.get(url).content.decode(), case.reference)
    assert today[2] == "1 Mar 2015 (11)Unknown, Year 7"
    assert today[3] == "CME-WASPMental healthMissing education for 26 to 52 weeks"
    html = officer_client.get(url, {"census": "2026-01-15"}).content.decode()
    at_census = cells(html, case.reference)
    assert at_census[2] == "1 Mar 2015 (11)Unknown, Year 6"  # the age is today's
    assert at_census[3] == "CME-WASPMental healthMissing education for 4 to 8 weeks"
    assert "at the census date, 15 January 2026" in html
    # The year group filter and column agree: the same group at the same day.
    html = officer_client.get(url, {"census": "2026-01-15", "nc_year": "6"}).content.decode()
    assert case.reference in html
    html = officer_client.get(url, {"census": "2026-01-15", "nc_year": "7"}).content.decode()
    assert case.reference not in html
    # The export's year group is the same group at the same day.
    response = officer_client.get(reverse("cases:register_csv"), {"census": "2026-01-15"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))  # type: ignore[attr-defined]
    year = rows[0].index("Year group")
    assert [r[year] for r in rows[1:]] == ["Year 6"]


@pytest.mark.parametrize("rows", [1, 50])
def test_the_register_at_a_census_date_runs_a_constant_number_of_queries(
    officer_client: Client, rows: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    reasons = ["mental-health", "other", "not-recorded"]
    for i in range(rows):
        CaseFactory.create(
            received_on=date(2025, 12, 1),
            became_cme_on=date(2025, 12, 1),
            primary_reason_id=reasons[i % len(reasons)],
        )
    # The same bound as the register without a census date (tests/casework/test_register.py).
    with django_assert_max_num_queries(15):
        response = officer_client.get(reverse("cases:register"), {"census": "2026-01-15"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == rows


def test_the_year_group_of_one_child_is_the_return_group() -> None:
    on = date(2026, 1, 15)
    assert year_group_label(date(2015, 3, 1), on) == "Year 6"
    assert year_group_label(date(2021, 8, 31), on) == "Reception"
    assert year_group_label(date(2021, 9, 1), on) == "Unknown"  # nursery age
    assert year_group_label(date(2009, 8, 31), on) == "Unknown"  # Year 12
    assert year_group_label(None, on) == "Unknown"
    for label, year in YEAR_GROUPS:
        oldest, youngest = national_curriculum_year_dobs(year, on)
        assert year_group_label(oldest, on) == year_group_label(youngest, on) == label
