"""Browser journey (issue 16 item 2): school staff choose the previous school in a joiner
return through the school picker, with the keyboard alone in the accessible-autocomplete, and
again through the "Find school" step with the picker's script blocked and with JavaScript
disabled in the browser altogether; axe on each state of the page.

Screenshots: test-artifacts/e2e/school-picker-<step>.png.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from cme.models import Role
from schools.models import JoinerReturn, School
from tests.e2e.conftest import AssertAccessible, Shot, SignIn
from tests.e2e.steps import fill_date, fill_parent
from tests.factories import MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.e2e

JOURNEY = "school-picker"
START = "/school/returns/new/joiner/"


@pytest.fixture
def staff(transactional_db: None) -> Any:
    school = SchoolFactory.create(urn=990301, name="Alder Primary School")
    SchoolFactory.create(urn=990311, name="Rowan Primary", town="Exampleton", postcode="EX3 1AA")
    SchoolFactory.create(urn=990312, name="Rowan Academy", town="Sampleford", postcode="SA2 2BB")
    SchoolFactory.create_batch(20)
    user = UserFactory.create(email="sam@alder.sch.uk", full_name="Sam", role=Role.SCHOOL_STAFF)
    MembershipFactory.create(user=user, school=school)
    return user


def fill_pupil(page: Page) -> None:
    page.get_by_label("First name").fill("Maya")
    page.get_by_label("Last name").fill("Patel")
    fill_date(page, "date_of_birth", date(2016, 3, 14))
    fill_date(page, "admission_date", date.today())
    page.locator("input[name=gender][value='F']").check()
    page.get_by_label("Address line 1").fill("12 Oak Road")
    page.get_by_label("Town or city").fill("Exampleton")
    page.locator("[name=postcode]").fill("EX1 2AB")
    fill_parent(page, "Priya Patel", "Mother", "07700 900456")


def send(page: Page) -> JoinerReturn:
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_contain_text("Check your answers")
    expect(page.get_by_text("Rowan Academy").first).to_be_visible()
    page.get_by_role("button", name="Accept and send").click()
    expect(page.locator(".govuk-panel")).to_be_visible()
    return JoinerReturn.objects.get()


def find_rowan(page: Page, box: Locator) -> Locator:
    """Search for "rowan" with "Find school": the group of the matching schools, shown."""
    box.fill("rowan")
    page.get_by_role("button", name="Find school").click()
    group = page.get_by_role("group", name="Schools matching “rowan”: choose one")
    expect(group).to_be_visible()
    return group


def send_with_rowan_academy(page: Page) -> None:
    """Send the return: Rowan Academy is saved as the previous school."""
    saved = send(page)
    assert saved.previous_school == School.objects.get(urn=990312)


def test_a_previous_school_is_chosen_with_the_keyboard_in_the_autocomplete(
    staff: Any, sign_in: SignIn, shot: Shot, assert_accessible: AssertAccessible
) -> None:
    page = sign_in(staff)
    page.goto(START)
    picker = page.get_by_role("combobox", name="Previous school in this directory (optional)")
    expect(picker).to_be_visible()
    expect(page.get_by_role("button", name="Find school")).to_have_count(0)  # enhanced
    assert_accessible(page, "joiner form with the school picker")
    fill_pupil(page)

    picker.focus()
    page.keyboard.type("rowan", delay=30)
    options = page.get_by_role("option")
    expect(options).to_have_count(2)
    expect(options.first).to_contain_text("Rowan Academy (990312), Sampleford, SA2 2BB")
    shot(page, JOURNEY, "01-autocomplete-open")
    assert_accessible(page, "joiner form, the autocomplete's list open")
    page.keyboard.press("ArrowDown")
    expect(options.first).to_be_focused()
    page.keyboard.press("Enter")
    expect(picker).to_have_value("Rowan Academy (990312), Sampleford, SA2 2BB")
    expect(picker).to_be_focused()

    send_with_rowan_academy(page)


def test_a_previous_school_is_chosen_without_the_picker_script_through_find_school(
    staff: Any, sign_in: SignIn, shot: Shot, assert_accessible: AssertAccessible
) -> None:
    """The picker's script does not arrive (blocked, as a failed download or an old browser
    would leave it): the text box and "Find school" work on their own."""
    page = sign_in(staff)
    page.route(
        "**/static/js/school-picker.js",
        lambda route: route.fulfill(body="", content_type="text/javascript"),
    )
    page.goto(START)
    fill_pupil(page)
    group = find_rowan(page, page.get_by_label("Previous school in this directory (optional)"))

    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.get_by_label("First name")).to_have_value("Maya")  # kept
    shot(page, JOURNEY, "02-search-step-matches")
    assert_accessible(page, "joiner form, the search step's matches")
    group.get_by_label("Rowan Academy (990312), Sampleford, SA2 2BB").check()

    send_with_rowan_academy(page)


def test_a_joiner_return_is_sent_with_javascript_disabled_choosing_the_school_by_search(
    staff: Any, sign_in: SignIn, shot: Shot, assert_accessible: AssertAccessible
) -> None:
    """JavaScript switched off in the browser (no script at all runs, GOV.UK Frontend's
    included): sign in, the form, the "Find school" search step, check your answers, sent."""
    page = sign_in(staff, javascript=False)
    page.goto(START)
    assert_accessible(page, "joiner form without JavaScript")
    fill_pupil(page)
    box = page.get_by_label("Previous school in this directory (optional)")
    expect(box).to_have_attribute("type", "text")
    group = find_rowan(page, box)

    expect(page.get_by_label("Last name")).to_have_value("Patel")  # kept
    shot(page, JOURNEY, "03-no-javascript-matches")
    assert_accessible(page, "joiner form without JavaScript, the search step's matches")
    group.get_by_label("Rowan Academy (990312), Sampleford, SA2 2BB").check()

    send_with_rowan_academy(page)
