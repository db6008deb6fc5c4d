"""Steps the browser journeys share: filling GOV.UK date and radio inputs, the pupil and
parent questions of a return, and sending a form through its check-your-answers page."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from cme.models import Role
from schools.models import School
from tests.factories import MembershipFactory, UserFactory


def fill_date(page: Page, name: str, value: date) -> None:
    page.locator(f"[name={name}_0]").fill(str(value.day))
    page.locator(f"[name={name}_1]").fill(str(value.month))
    page.locator(f"[name={name}_2]").fill(str(value.year))


def check_radio(page: Page, name: str, value: str) -> None:
    page.locator(f"input[name={name}][value='{value}']").check()


def expect_error_summary(page: Page, *messages: str) -> None:
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    for message in messages:
        expect(summary.get_by_role("link", name=message)).to_be_visible()
    # The GOV.UK error summary takes focus so that screen readers announce it.
    expect(summary).to_be_focused()


def fill_pupil(page: Page, name: str, age: int, gender: str, address: str, postcode: str) -> None:
    """The pupil's questions on a school return: "First Last", born on the first of this
    month ``age`` years ago, living in Exampleton."""
    first, last = name.split(" ")
    today = timezone.localdate()
    fill_in(page, {"First name": first, "Last name": last})
    fill_date(page, "date_of_birth", today.replace(year=today.year - age, day=1))
    check_radio(page, "gender", gender)
    fill_in(page, {"Address line 1": address, "Town or city": "Exampleton"})
    page.locator("[name=postcode]").fill(postcode)


def fill_parent(page: Page, name: str, relationship: str, phone: str) -> None:
    """The first parent or carer on a return."""
    page.locator("[name=parent_1_name]").fill(name)
    page.locator("[name=parent_1_relationship]").fill(relationship)
    page.locator("[name=parent_1_phone]").fill(phone)


def continue_to_check_answers(page: Page) -> None:
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_contain_text("Check your answers")


def accept_and_send(page: Page) -> Locator:
    """Send the checked answers; the confirmation panel, shown."""
    page.get_by_role("button", name="Accept and send").click()
    panel = page.locator(".govuk-panel")
    expect(panel).to_be_visible()
    return panel


def check_radios(page: Page, **choices: str) -> None:
    """Check, for each radio group named, the answer given."""
    for name, value in choices.items():
        check_radio(page, name, value)


def fill_in(page: Page, answers: dict[str, str]) -> None:
    """Type each answer into the field its label names."""
    for label, value in answers.items():
        page.get_by_label(label).fill(value)


def school_and_la_people(school: School, staff_name: str) -> dict[str, Any]:
    """The school, a member of its staff ("Alice Alder": alice@alder.sch.uk), and the LA's
    officer and manager (Olive, Manny)."""
    first, last = staff_name.lower().split(" ")
    staff = UserFactory.create(
        email=f"{first}@{last}.sch.uk", full_name=staff_name, role=Role.SCHOOL_STAFF
    )
    MembershipFactory.create(user=staff, school=school)
    return {
        "school": school,
        "staff": staff,
        "officer": UserFactory.create(
            email="olive@la.gov.uk", full_name="Olive Officer", role=Role.OFFICER
        ),
        "manager": UserFactory.create(
            email="manny@la.gov.uk", full_name="Manny Manager", role=Role.MANAGER
        ),
    }
