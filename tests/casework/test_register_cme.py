"""The register in the termly CME return's groups (issue 15): filters by primary reason, sex
and time missing education, and the export's columns for them."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from casework.census import duration_label
from casework.models import Case
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
