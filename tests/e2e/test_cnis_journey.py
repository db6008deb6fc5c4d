"""Browser journey (issue 17 items 3 and 4, CME_CNIS_ENABLED on): a special school sends a
ground (f) leaver return for a pupil the LA placed there; a manager gives consent; the school
sees the decision. An officer registers a child not in school and downloads the register.

Screenshots: test-artifacts/e2e/cnis-<step>.png.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pytest_django import Settings

from cnis.models import ConsentRequest, ConsentStatus, RegisterEntry, Source
from ehe.models import HomeEducation
from schools.models import LeaverReturn, School, SchoolType
from tests.e2e.conftest import AssertAccessible, Shot, SignIn
from tests.e2e.steps import (
    accept_and_send,
    check_radio,
    continue_to_check_answers,
    fill_date,
    fill_parent,
    fill_pupil,
)
from tests.factories import SchoolFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def journey_school(transactional_db: None, settings: Settings) -> School:
    settings.CME_CNIS_ENABLED = True
    return SchoolFactory.create(
        urn=100020, name="Willow Special School", school_type=SchoolType.SPECIAL
    )


@pytest.fixture
def journey_staff_name() -> str:
    return "Wendy Willow"


def test_consent_to_home_education_and_the_register(
    people: dict[str, Any], sign_in: SignIn, shot: Shot, assert_accessible: AssertAccessible
) -> None:
    journey = "cnis"
    today = timezone.localdate()

    # The school sends a ground (f) leaver return, answering the consent questions.
    school = sign_in(people["staff"])
    school.get_by_role("button", name="Tell us about a pupil leaving").click()
    fill_pupil(school, "Rosa Delgado", 11, "F", "9 Poplar Row", "EX5 1PR")
    check_radio(school, "ground", "f")
    # The two questions are revealed under ground (f) only.
    expect(school.locator("input[name=la_arranged_place]").first).to_be_visible()
    fill_date(school, "parent_notice_date", today - timedelta(days=2))
    check_radio(school, "la_arranged_place", "yes")
    check_radio(school, "s47_enquiries", "no")
    shot(school, journey, "01-leaver-consent-questions")
    assert_accessible(school, "leaver form, consent questions revealed")
    fill_date(school, "ground_met_date", today - timedelta(days=1))
    fill_date(school, "deletion_date", today)
    check_radio(school, "moving", "no")
    fill_parent(school, "Marta Delgado", "Mother", "07700 900777")
    continue_to_check_answers(school)
    accept_and_send(school)
    leaver = LeaverReturn.objects.get()
    consent = ConsentRequest.objects.get(leaver=leaver)
    assert consent.status == ConsentStatus.PENDING

    # The manager decides, first with a missing reason (the error summary).
    manager = sign_in(people["manager"])
    manager.get_by_role("link", name="Consent").click()
    expect(manager.locator("h1")).to_contain_text("Consent to home education")
    shot(manager, journey, "02-consent-list")
    assert_accessible(manager, "consent requests")
    manager.get_by_role("link", name=leaver.reference).click()
    check_radio(manager, "decision", "granted")
    fill_date(manager, "decided_on", today)
    manager.get_by_role("button", name="Record the decision").click()
    expect(manager.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(manager, "consent decision with errors")
    manager.get_by_label("Reasons for the decision").fill(
        "The placement team agrees; the parent's plan meets the child's needs."
    )
    manager.get_by_role("button", name="Record the decision").click()
    expect(manager.locator(".govuk-notification-banner")).to_contain_text("Decision recorded")
    shot(manager, journey, "03-consent-decided")
    assert_accessible(manager, "consent decided")
    # Granted, the deletion goes on: Rosa comes onto the EHE register and, through it, onto
    # the children-not-in-school register (ehe.signals.home_education_registered).
    rosa = HomeEducation.objects.get().child
    assert rosa.last_name == "Delgado"
    assert RegisterEntry.objects.get(child=rosa).eligibility_source == Source.EHE_REGISTER

    # The school sees the decision on its return.
    school.get_by_role("link", name="Submissions", exact=True).click()
    school.get_by_role("link", name=re.compile(leaver.reference)).first.click()
    expect(school.get_by_text("The local authority consented to home education")).to_be_visible()
    shot(school, journey, "04-school-sees-decision")
    assert_accessible(school, "return with the LA's decision")

    # An officer registers a child not in school and downloads the register.
    officer = sign_in(people["officer"])
    officer.get_by_role("link", name="Not in school").click()
    assert_accessible(officer, "children not in school register")
    officer.get_by_role("button", name="Register a child").click()
    officer.get_by_label("First name").fill("Eli")
    officer.get_by_label("Last name").fill("Mensah")
    fill_date(officer, "date_of_birth", today.replace(year=today.year - 9, day=1))
    officer.get_by_label("Address line 1").fill("2 Cherry Walk")
    officer.get_by_label("Town or city").fill("Exampleton")
    officer.get_by_label("Postcode").fill("EX6 2CW")
    check_radio(officer, "lives_in_area", "yes")
    check_radio(officer, "eligibility", "not_registered")
    check_radio(officer, "source", "parent")
    assert_accessible(officer, "register a child")
    officer.get_by_role("button", name="Register the child").click()
    expect(officer.locator("h1")).to_contain_text("Eli Mensah")
    entry = RegisterEntry.objects.get(child__last_name="Mensah")
    shot(officer, journey, "05-entry")
    assert_accessible(officer, "register entry")
    officer.get_by_role("link", name="Add a parent").click()
    officer.get_by_label("Parent's full name").fill("Ama Mensah")
    officer.get_by_label("Parent's address").fill("2 Cherry Walk, Exampleton")
    check_radio(officer, "provides_education", "yes")
    officer.get_by_label("Hours a week of education from this parent").fill("20")
    check_radio(officer, "source", "parent")
    assert_accessible(officer, "add a parent")
    officer.get_by_role("button", name="Add the parent").click()
    expect(officer.get_by_role("cell", name="Ama Mensah")).to_be_visible()

    officer.goto("/not-in-school/")
    with officer.expect_download() as download_info:
        officer.get_by_role("link", name="Download CSV").click()
    path = download_info.value.path()
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    eli = next(row for row in rows[1:] if row[0] == f"CNIS-{entry.pk}")
    assert re.search("Ama Mensah; 2 Cherry Walk, Exampleton; yes; 20", eli[7])
    assert len(rows) == 3  # the header, Rosa (from the EHE register) and Eli
