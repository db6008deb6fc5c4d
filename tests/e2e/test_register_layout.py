"""Issue 12, A16: the register's columns fit its page at 1280 px (no horizontal scrolling, the
Due column on screen), with axe-core still clean."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import Category, Outcome
from cme.models import Role
from tests.factories import CaseFactory, ChildFactory, UserFactory

pytestmark = pytest.mark.e2e


def _wide_rows(officer: Any) -> None:
    """Rows as wide as the register's get: long names, every flag and tag in one cell."""
    today = timezone.localdate()
    for n in range(3):
        child = ChildFactory.create(
            first_name="Maximilian-Alexander",
            middle_names="Bartholomew",
            last_name=f"Fotheringham-Worthington{n}",
            date_of_birth=date(today.year - 17, 1, 1),  # past compulsory school age: a tag
            child_protection_plan=True,
            looked_after=True,
            ehcp_sen=True,
        )
        CaseFactory.create(
            child=child,
            category=Category.MISSING,
            outcome=Outcome.UNTRACEABLE if n == 0 else "",
            allocated_to=officer,
            received_on=today - timedelta(days=40),
            due_date=today - timedelta(days=20),  # overdue: a tag beside the date
        )


@pytest.mark.parametrize("width", [1280, 1920])
def test_register_fits_without_horizontal_scrolling(
    width: int, transactional_db: None, sign_in: Any, shot: Any, assert_accessible: Any
) -> None:
    officer = UserFactory.create(
        email="olivia@la.gov.uk",
        full_name="Olivia Featherstonehaugh-Smythe",
        role=Role.OFFICER,
    )
    call_command("seed_demo", "--force", stdout=StringIO())  # the demo's register, as tried
    _wide_rows(officer)
    page = sign_in(officer)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/register/")
    table = page.locator("table.govuk-table").first
    expect(table).to_be_visible()

    sizes = table.evaluate(
        """t => {
            const box = t.parentElement;
            return {table: t.scrollWidth, box: box.clientWidth, page: document.documentElement.scrollWidth,
                    viewport: window.innerWidth};
        }"""
    )
    shot(page, "register-layout", f"{width}")
    assert sizes["table"] <= sizes["box"], sizes
    assert sizes["page"] <= sizes["viewport"], sizes  # nor does the page itself scroll sideways

    due = table.get_by_role("columnheader", name="Due")
    expect(due).to_be_visible()
    expect(due).to_be_in_viewport()
    assert table.locator("tbody tr").count() >= 3
    assert_accessible(page, f"register at {width} px")
