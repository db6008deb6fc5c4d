"""Browser journey (issue 15): a manager produces, checks and downloads the autumn term's
CME return, opens a check as the list of those children, and marks the return as submitted;
axe-core on every page on the way.

Screenshots: test-artifacts/e2e/cme-return-<step>.png.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from playwright.sync_api import expect

from casework.models import Case
from cme.models import AccessAction, AccessLog, Role
from reports.models import CensusSubmission
from tests.e2e.conftest import AssertAccessible, Shot, SignIn
from tests.factories import UserFactory
from tests.reports.census_population import build_population

pytestmark = pytest.mark.e2e


@pytest.fixture
def manager(transactional_db: None) -> Any:
    return UserFactory.create(email="manny@la.gov.uk", full_name="Manny Manager", role=Role.MANAGER)


@pytest.fixture
def population(transactional_db: None) -> dict[str, Case]:
    officer = UserFactory.create(
        email="olive@la.gov.uk", full_name="Olive Officer", role=Role.OFFICER
    )
    return build_population(officer)


def test_a_manager_produces_checks_and_downloads_the_autumn_return(
    manager: Any,
    population: dict[str, Case],
    sign_in: SignIn,
    shot: Shot,
    assert_accessible: AssertAccessible,
) -> None:
    journey = "cme-return"
    page = sign_in(manager)
    page.goto("/dashboard/")
    page.get_by_role("link", name="Termly children missing education return (DfE)").click()
    expect(page.locator("h1")).to_have_text("Termly children missing education return")
    page.get_by_label("Term").select_option(label="Autumn term 2025/26 (2 October 2025)")
    page.get_by_role("button", name="Show the return").click()
    total = page.locator("table[data-topic='Total']")
    expect(total).to_contain_text("5")
    expect(page.locator("table[data-topic='Sex']")).to_contain_text("Female")
    expect(page.get_by_text("Check these before you submit the return.")).to_be_visible()
    shot(page, journey, "01-return")
    assert_accessible(page, "the CME return")

    # A check opens as the register's list of exactly those children.
    checks = page.locator("#checks")
    checks.locator(
        ".govuk-summary-list__row", has_text="Children without a date of birth"
    ).get_by_role("link", name="See the children").click()
    expect(page.locator("h1")).to_contain_text("register")
    table = page.locator("table.govuk-table")
    expect(table).to_contain_text(population["c"].reference)
    expect(table).not_to_contain_text(population["a"].reference)
    shot(page, journey, "02-register-check")
    assert_accessible(page, "the register: children without a date of birth")
    page.go_back()

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download CSV").click()
    download = download_info.value
    assert download.suggested_filename == "cme-return-2025-10-02.csv"
    with open(download.path(), newline="", encoding="utf-8") as f:
        text = f.read()
    # The published columns of the DfE's cme_census.csv, the header line as the DfE writes it.
    assert text.split("\r\n")[0] == (
        "time_period,time_identifier,geographic_level,new_la_code,la_name,"
        "breakdown_topic,breakdown,child_count"
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][:3] == ["202526", "Autumn term", "Local authority"]
    assert rows[1][5:] == ["Total", "Total", "5"]
    assert AccessLog.objects.filter(action=AccessAction.EXPORT_FIGURES_CSV, user=manager).exists()

    page.get_by_role("button", name="Mark as submitted").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("marked as submitted")
    expect(page.locator("#children-counted")).to_contain_text(population["a"].reference)
    shot(page, journey, "03-submitted")
    assert_accessible(page, "the submitted return")
    submission = CensusSubmission.objects.get()
    assert submission.submitted_by == manager
    assert len(submission.children) == 5
