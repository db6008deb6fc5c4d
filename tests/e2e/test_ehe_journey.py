"""Browser journey (issue 17): an EHE officer takes a child from a school's ground (f)
notification through enquiries and the authority's view, a s437(1) notice (its letter
downloaded as a PDF), to a CME case, a notice of intention and a school attendance order;
axe-core on every page on the way.

Screenshots: test-artifacts/e2e/ehe-<step>.png.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import Case
from cme.models import Role
from ehe.models import HomeEducation, NoticeKind
from schools.models import DeletionGround, DestinationType, LeaverReturn
from schools.services import return_submit
from tests.e2e.conftest import AssertAccessible, Look, SignIn
from tests.e2e.steps import fill_date
from tests.factories import LeaverReturnFactory, MembershipFactory, SchoolFactory, UserFactory
from tests.support.people import person

pytestmark = pytest.mark.e2e

PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"


@pytest.fixture
def ehe_officer(transactional_db: None) -> Any:
    return UserFactory.create(
        email="esme@la.gov.uk", full_name="Esme Educator", role=Role.EHE_OFFICER
    )


@pytest.fixture
def notification(transactional_db: None) -> LeaverReturn:
    """The school's leaver return: the parent has given written notice of home education."""
    school = SchoolFactory.create(urn=100001, name="Alder Primary School")
    SchoolFactory.create(urn=100005, name="Rowan Academy")
    staff = UserFactory.create(email="alice@alder.sch.uk", role=Role.SCHOOL_STAFF)
    MembershipFactory.create(user=staff, school=school)
    today = timezone.localdate()
    leaver = LeaverReturnFactory.build(
        **person("Maya Patel", date_of_birth=date(2016, 3, 14)),
        address_line_1="12 Oak Road",
        town="Exampleton",
        postcode="EX1 2AB",
        ground=DeletionGround.F,
        ground_met_date=today - timedelta(days=40),
        deletion_date=today - timedelta(days=40),
        parent_notice_date=today - timedelta(days=41),
        destination_type=DestinationType.NONE,
        destination_school_name="",
        destination_la="",
    )
    parents = [{"name": "Priya Patel", "relationship": "Mother", "phone": "07700 900456"}]
    saved = return_submit(school_return=leaver, school=school, by=staff, parents=parents)
    assert isinstance(saved, LeaverReturn)
    return saved


def test_an_ehe_officer_takes_a_child_from_notification_to_a_school_attendance_order(
    ehe_officer: Any,
    notification: LeaverReturn,
    sign_in: SignIn,
    assert_accessible: AssertAccessible,
    look: Look,
) -> None:
    journey = "ehe"
    today = timezone.localdate()
    page = sign_in(ehe_officer, javascript=False)
    page.goto("/")
    expect(page.locator("h1")).to_have_text("Home education")
    due = page.get_by_role("table").first
    expect(due).to_contain_text("Maya Patel")
    look(page, journey, "01-home", "the EHE officer's home")

    page.get_by_role("link", name="Maya Patel").click()
    expect(page.locator("h1")).to_have_text("Maya Patel")
    expect(page.get_by_text("A school's leaver return, ground (f)")).to_be_visible()
    look(page, journey, "02-record", "the child's home education record")

    # An enquiry: the form with its errors first, then the home visit.
    page.get_by_role("button", name="Record a contact or enquiry").click()
    page.get_by_role("button", name="Save contact").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "the contact form with errors")
    page.get_by_label("Home visit").check()
    page.get_by_label("What was said or seen").fill(
        "No books or work seen; parent declined to say more"
    )
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_text("Contact recorded")).to_be_visible()

    # The authority's view: the education does not appear suitable.
    page.get_by_role("button", name="Record the authority's view").click()
    page.get_by_label("Does not appear suitable").check()
    fill_date(page, "formed_on", today - timedelta(days=31))
    page.get_by_label("Reasons").fill("No evidence of any education after two visits")
    assert_accessible(page, "the view form")
    page.get_by_role("button", name="Save view").click()
    expect(page.get_by_text("Does not appear suitable").first).to_be_visible()

    # The s437(1) notice, served a month ago with the minimum period.
    page.get_by_role("button", name="Serve: Notice to satisfy the authority, s437(1)").click()
    fill_date(page, "served_on", today - timedelta(days=30))
    page.get_by_label("Days the parent has to satisfy the authority").fill("14")
    page.get_by_role("button", name="Serve notice").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("at least 15")
    assert_accessible(page, "the s437(1) notice form with errors")
    page.get_by_label("Days the parent has to satisfy the authority").fill("15")
    page.get_by_role("button", name="Serve notice").click()
    ends = today - timedelta(days=16)
    expect(page.get_by_role("table").first).to_contain_text(f"{ends:%-d %b %Y} (15 days)")
    look(page, journey, "03-s437-served", "the record with the notice served")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename.startswith("notice-s437_1-")
    text = subprocess.run(  # noqa: S603 - a fixed program on the file we downloaded
        [PDFTOTEXT, str(download.path()), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "section 437(1)" in text
    assert "Maya Patel" in text
    assert f"{ends:%A %-d %B %Y}" in text

    # No satisfactory answer by the end of the period: the child is missing education.
    page.get_by_role("link", name="Record the answer").click()
    assert_accessible(page, "the answer form")
    page.get_by_label("The parent did not satisfy the authority").check()
    fill_date(page, "answered_on", today - timedelta(days=15))
    page.get_by_role("button", name="Save answer").click()
    case = Case.objects.get(child__last_name="Patel")
    assert case.primary_reason_id == "unsuitable-ehe"
    expect(page.get_by_text(case.reference)).to_be_visible()

    # The notice of intention, naming Rowan Academy (entered by its URN), then the order.
    page.get_by_role(
        "button", name="Serve: Notice of intention to serve a school attendance order, s438"
    ).click()
    fill_date(page, "served_on", today - timedelta(days=15))
    page.locator("[name=school_q]").fill("100005")
    assert_accessible(page, "the notice of intention form")
    page.get_by_role("button", name="Serve notice").click()
    expect(page.get_by_role("table").first).to_contain_text("Rowan Academy")
    page.get_by_role("button", name="Serve: School attendance order, s437(3)").click()
    page.get_by_role("button", name="Serve notice").click()
    expect(page.get_by_text("School attendance order, s437(3) recorded")).to_be_visible()
    look(page, journey, "04-order", "the record with the school attendance order")

    entry = HomeEducation.objects.get()
    order = entry.notices.get(kind=NoticeKind.ORDER)
    assert order.school is not None
    assert order.school.name == "Rowan Academy"
    assert order.served_on == today
