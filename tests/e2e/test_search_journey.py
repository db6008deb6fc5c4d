"""Find a child, end to end (issue 14 item 3): an officer searches from the header with a typo
in the surname, sees what matched, and opens the record; school staff never see the search.
axe-core on every page on the way. Screenshots: test-artifacts/e2e/find-a-child-<step>.png.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from casework.matching import child_keys_save
from casework.models import Child
from cme.models import AccessAction, AccessLog, Role, User
from tests.e2e.conftest import AssertAccessible, Shot, SignIn
from tests.e2e.steps import expect_error_summary
from tests.factories import ChildFactory, MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.e2e

JOURNEY = "find-a-child"


@pytest.fixture
def amira(transactional_db: None) -> Child:
    for first, last in (("Oliver", "Whitlock"), ("Sara", "Khan"), ("Zofia", "Kowalska")):
        child_keys_save(ChildFactory.create(first_name=first, last_name=last))
    return child_keys_save(
        ChildFactory.create(first_name="Amira", last_name="Khan", date_of_birth=date(2015, 3, 27))
    )


@pytest.fixture
def officer(transactional_db: None) -> User:
    return UserFactory.create(email="olive@la.gov.uk", full_name="Olive Officer", role=Role.OFFICER)


def test_an_officer_finds_a_child_from_the_header_despite_a_typo(
    officer: User,
    amira: Child,
    sign_in: SignIn,
    shot: Shot,
    assert_accessible: AssertAccessible,
) -> None:
    page = sign_in(officer)
    header = page.get_by_role("navigation", name="Menu")
    header.get_by_role("link", name="Find a child").click()
    expect(page).to_have_title(re.compile("^Find a child"))
    expect(header.get_by_role("link", name="Find a child")).to_have_attribute(
        "aria-current", "page"
    )
    shot(page, JOURNEY, "01-form")
    assert_accessible(page, "find a child")

    # Nothing typed: the GOV.UK error summary, focused, linking to the first field.
    page.get_by_role("button", name="Search").click()
    expect_error_summary(page, "Enter a name, date of birth, UPN, NHS number or postcode")
    assert_accessible(page, "find a child with an error")

    # A mistake in the date: the error, and what was typed is kept.
    page.get_by_label("Name", exact=True).fill("Amira Kahn")
    for part, value in (("0", "27"), ("1", "13"), ("2", "2015")):  # a 13th month
        page.locator(f"[name=date_of_birth_{part}]").fill(value)
    page.get_by_role("button", name="Search").click()
    expect_error_summary(page, "The date of birth must be a real date")
    expect(page.get_by_label("Name", exact=True)).to_have_value("Amira Kahn")
    shot(page, JOURNEY, "02-form-errors")
    assert_accessible(page, "find a child with a wrong date")

    page.locator("[name=date_of_birth_1]").fill("3")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("h1")).to_have_text("Children found")
    # The terms were POSTed: none of them is in the URL.
    assert "Kahn" not in page.url
    assert "2015" not in page.url
    results = page.locator("#results")
    first = results.locator("tbody tr").first
    expect(first).to_contain_text("Amira Khan")
    expect(first).to_contain_text("Surname sounds the same")
    expect(first).to_contain_text("Same date of birth")
    # The form stays filled, to search again.
    expect(page.get_by_label("Name", exact=True)).to_have_value("Amira Kahn")
    shot(page, JOURNEY, "03-results")
    assert_accessible(page, "find a child: results")

    first.get_by_role("link", name="Amira Khan").click()
    expect(page.locator("h1")).to_contain_text("Amira Khan")
    shot(page, JOURNEY, "04-child")
    assert_accessible(page, "the child's record, opened from the search")

    search = AccessLog.objects.get(action=AccessAction.SEARCH_CHILDREN, child_id=amira.pk)
    assert search.user == officer
    assert search.search_terms == {"name": "Amira Kahn", "date_of_birth": "2015-03-27"}
    assert AccessLog.objects.filter(action=AccessAction.VIEW_CHILD, child_id=amira.pk).exists()


def test_school_staff_never_see_find_a_child(transactional_db: None, sign_in: SignIn) -> None:
    school = SchoolFactory.create(urn=100001, name="Alder Primary School")
    staff = UserFactory.create(
        email="alice@alder.sch.uk", full_name="Alice Alder", role=Role.SCHOOL_STAFF
    )
    MembershipFactory.create(user=staff, school=school)
    page = sign_in(staff)
    expect(page.get_by_role("link", name="Find a child")).to_have_count(0)
    response = page.goto(reverse("cases:find_child"))
    assert response is not None
    assert response.status == 403
