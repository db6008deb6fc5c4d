"""Browser journeys (issue 7, items 1-2): what school staff, CME officers and managers and the
public do, end to end in headless Chromium, with axe-core on every page type they visit.

Screenshots: test-artifacts/e2e/<journey>-<step>.png.
"""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django import Settings

from casework.models import Case, CaseStatus, Outcome
from referrals.models import Referral
from schools.models import LeaverReturn, ReturnStatus
from tests.e2e.conftest import AssertAccessible, Look, Shot, SignIn
from tests.e2e.steps import (
    accept_and_send,
    check_radio,
    check_radios,
    continue_to_check_answers,
    expect_error_summary,
    fill_date,
    fill_in,
    fill_parent,
    fill_pupil,
)

pytestmark = pytest.mark.e2e


# -- 1: a leaver return with an unknown destination, through triage, to the outcome ----------


def test_leaver_return_to_outcome(
    people: dict[str, Any],
    sign_in: SignIn,
    shot: Shot,
    assert_accessible: AssertAccessible,
    look: Look,
) -> None:
    journey = "leaver"
    today = timezone.localdate()

    # School staff sign in and start a leaver return.
    school_page = sign_in(people["staff"], check=assert_accessible)
    expect(school_page).to_have_title(re.compile("Alder Primary School|Home"))
    expect(school_page.get_by_text("Alder Primary School").first).to_be_visible()
    look(school_page, journey, "01-school-home", "school home")

    school_page.get_by_role("button", name="Tell us about a pupil leaving").click()
    expect(school_page.locator("h1")).to_be_visible()
    assert_accessible(school_page, "leaver form")

    # First sent with errors: the GOV.UK error summary, and what was typed is kept.
    school_page.get_by_label("First name").fill("Kai")
    school_page.get_by_role("button", name="Continue").click()
    expect_error_summary(school_page, "Enter the last name")
    expect(school_page.get_by_label("First name")).to_have_value("Kai")
    look(school_page, journey, "02-leaver-form-errors", "leaver form with errors")
    # The summary's link takes the person to the question.
    school_page.locator(".govuk-error-summary").get_by_role(
        "link", name="Enter the last name"
    ).click()
    expect(school_page.get_by_label("Last name")).to_be_focused()

    fill_pupil(school_page, "Kai Whitlock", 10, "M", "4 Ash Grove", "EX1 4AG")
    # Ground (h): did not come back within 10 school days of a leave of absence.
    check_radio(school_page, "ground", "h")
    fill_date(school_page, "leave_end_date", today - timedelta(days=35))
    school_page.locator("[name=enquiries_h]").fill("Phoned both parents; home visit, house empty")
    check_radio(school_page, "la_enquiries_confirmed_h", "yes")
    fill_date(school_page, "ground_met_date", today - timedelta(days=3))
    fill_date(school_page, "deletion_date", today)
    check_radio(school_page, "moving", "not_known")
    check_radio(school_page, "destination_type", "unknown")
    check_radio(school_page, "s2s_lost_pupil_uploaded", "yes")
    fill_parent(school_page, "Dana Whitlock", "Mother", "07700 900321")
    continue_to_check_answers(school_page)

    expect(school_page.get_by_text("Whitlock").first).to_be_visible()
    look(school_page, journey, "03-check-answers", "check your answers (leaver)")
    panel = accept_and_send(school_page)

    leaver = LeaverReturn.objects.get()
    expect(panel).to_contain_text(leaver.reference)
    look(school_page, journey, "04-confirmation", "return confirmation")
    # The unknown destination raised a referral at once (signal; Celery is eager).
    assert leaver.status == ReturnStatus.REFERRED
    referral = Referral.objects.get()

    # The officer finds it in triage and accepts it.
    officer_page = sign_in(people["officer"])
    expect(officer_page).to_have_url(re.compile(r"/my-cases/$"))
    assert_accessible(officer_page, "my cases")
    officer_page.goto("/triage/")
    look(officer_page, journey, "05-triage", "triage list")
    officer_page.get_by_role("link", name=re.compile(r"Kai Whitlock")).click()
    expect(officer_page.locator("h1")).to_contain_text("Kai Whitlock")
    look(officer_page, journey, "06-referral", "referral detail")
    check_radio(officer_page, "accept-child", "new")
    check_radio(officer_page, "accept-category", "missing")
    officer_page.get_by_label("Primary reason the child is missing education").select_option(
        label="Moved in from another local authority"
    )
    officer_page.get_by_role("button", name="Accept and open a case").click()
    officer_page.wait_for_url(re.compile(r"/triage/$"))
    expect(officer_page.locator(".govuk-notification-banner")).to_be_visible()
    case = Case.objects.get(referral=referral)

    # The manager allocates it to the officer.
    manager_page = sign_in(people["manager"])
    manager_page.goto(f"/cases/{case.reference}/")
    expect(manager_page.locator("h1").first).to_be_visible()
    look(manager_page, journey, "07-case", "case page")
    manager_page.get_by_role("button", name="Allocate", exact=True).click()  # not yet allocated
    manager_page.get_by_label("Officer").select_option(str(people["officer"].pk))
    assert_accessible(manager_page, "allocate form")
    manager_page.get_by_role("button", name="Allocate").click()
    expect(manager_page.locator(".govuk-notification-banner")).to_contain_text("Case allocated")
    case.refresh_from_db()
    assert case.allocated_to == people["officer"]

    # The officer logs three enquiries ...
    officer_page.goto(f"/cases/{case.reference}/")
    for n, (kind, result) in enumerate(
        [
            ("home_visit", "no_response"),
            ("parent_contact", "no_response"),
            ("other_las", "information"),
        ],
        start=1,
    ):
        officer_page.get_by_role("button", name="Record enquiry").click()
        check_radio(officer_page, "enquiry_type", kind)
        fill_date(officer_page, "made_on", today)
        officer_page.get_by_label("Who was contacted").fill(f"Contact {n}")
        check_radio(officer_page, "result", result)
        if n == 1:
            look(officer_page, journey, "08-enquiry-form", "enquiry form")
        officer_page.get_by_role("button", name="Save enquiry").click()
        expect(officer_page.locator(".govuk-notification-banner")).to_contain_text(
            "Enquiry recorded"
        )
    assert case.enquiries.count() == 3

    # ... completes the initial investigation ...
    officer_page.goto(f"/cases/{case.reference}/")
    officer_page.get_by_role("button", name="Complete initial investigation").click()
    assert_accessible(officer_page, "confirm form (initial investigation)")
    officer_page.get_by_role("button", name="Complete initial investigation").click()
    expect(officer_page.locator(".govuk-notification-banner")).to_be_visible()

    # ... and closes the case: on the roll of a school in another local authority.
    officer_page.get_by_role("button", name="Close with an outcome").click()
    check_radio(officer_page, "outcome", Outcome.ON_ROLL_OTHER_LA)
    officer_page.get_by_label("School's name").fill("Northfield Academy")
    officer_page.get_by_label("Local authority", exact=True).fill("Leeds City Council")
    look(officer_page, journey, "09-close-form", "close form")
    officer_page.get_by_role("button", name="Record outcome").click()
    expect(officer_page.locator(".govuk-notification-banner")).to_contain_text("Outcome recorded")
    shot(officer_page, journey, "10-case-closed")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.outcome == Outcome.ON_ROLL_OTHER_LA

    officer_page.goto("/register/")
    look(officer_page, journey, "11-register", "register")

    # The school sees the outcome.
    school_page.goto("/school/")
    expect(school_page.get_by_text(Outcome.ON_ROLL_OTHER_LA.label).first).to_be_visible()
    school_page.goto("/school/returns/")
    row = school_page.get_by_role("row").filter(has_text=leaver.reference)
    expect(row).to_contain_text("Closed")
    expect(row).to_contain_text(Outcome.ON_ROLL_OTHER_LA.label)
    look(school_page, journey, "12-submissions", "submissions list")


# -- 2: an anonymous public referral -------------------------------------------------------


def test_anonymous_public_referral(page: Page, look: Look) -> None:
    journey = "public"
    page.goto("/referral/")
    expect(page).to_have_title(re.compile("Tell us about a child who may be missing education"))
    look(page, journey, "01-form", "public referral form")

    check_radios(page, referrer_type="public", anonymous="yes")
    fill_in(
        page,
        {
            "First name": "Rosa",
            "Last name": "Lind",
            "Address line 1": "9 Elm Court",
            "Town or city": "Exampleton",
        },
    )
    page.locator("input[name=reasons]").first.check()
    check_radio(page, "parent_knows", "unknown")
    continue_to_check_answers(page)

    look(page, journey, "02-check", "public referral check your answers")
    panel = accept_and_send(page)

    referral = Referral.objects.get()
    assert referral.anonymous is True
    assert referral.referrer_name == ""
    expect(panel).to_contain_text(referral.reference)
    look(page, journey, "03-sent", "public referral confirmation")


# -- 4: a form sent with errors keeps what was typed and goes through once corrected --------


def test_form_with_errors_keeps_answers(page: Page, shot: Shot, look: Look) -> None:
    journey = "errors"
    page.goto("/referral/")
    check_radios(page, referrer_type="agency", anonymous="no")
    fill_in(
        page,
        {
            "Your email address": "not-an-email",
            "First name": "Tomasz",
            "Postcode (optional)": "EX2 9ZZ",
        },
    )
    page.get_by_role("button", name="Continue").click()

    expect_error_summary(
        page,
        "Enter your full name",
        "Enter an email address in the correct format, like name@example.com",
        "Select at least one reason for the referral",
    )
    expect(page.get_by_label("First name")).to_have_value("Tomasz")
    expect(page.get_by_label("Postcode (optional)")).to_have_value("EX2 9ZZ")
    expect(page.locator("input[name=referrer_type][value=agency]")).to_be_checked()
    expect(page.get_by_label("Your email address")).to_have_value("not-an-email")
    look(page, journey, "01-errors", "public referral form with errors")

    fill_in(page, {"Your full name": "Nadia Health", "Your email address": "nadia@nhs.example"})
    page.locator("input[name=reasons]").first.check()
    check_radio(page, "parent_knows", "no")
    continue_to_check_answers(page)
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    shot(page, journey, "02-corrected")
    accept_and_send(page)
    assert Referral.objects.get().referrer_name == "Nadia Health"


# -- the public referral form with the keyboard alone ---------------------------------------

#: The tab stops of the public form, in document order: every enabled control a person can
#: reach (the honeypot has tabindex=-1), one stop per radio group (the checked radio, or the
#: first when none is), then the submit button.
TAB_STOPS_JS = """() => {
  const form = document.getElementById('main-form');
  const stops = [];
  const groups = new Set();
  for (const el of form.querySelectorAll('input, select, textarea, button')) {
    if (el.type === 'hidden' || el.disabled || el.tabIndex < 0) continue;
    if (!(el.offsetWidth || el.offsetHeight || el.getClientRects().length)) continue;
    if (el.type === 'radio') {
      if (groups.has(el.name)) continue;
      groups.add(el.name);
      const checked = form.querySelector(`input[name="${el.name}"]:checked`);
      stops.push((checked || el).id);
      continue;
    }
    stops.push(el.id || el.textContent.trim());
  }
  return stops;
}"""
FOCUSED_JS = "() => document.activeElement.id || document.activeElement.textContent.trim()"


def test_public_referral_with_the_keyboard_alone(page: Page, shot: Shot) -> None:
    journey = "keyboard"
    page.goto("/referral/")
    stops: list[str] = page.evaluate(TAB_STOPS_JS)
    assert stops[0] == "id_referrer_type_1", stops
    assert stops[-1] == "Continue", stops

    # From the top of the page: the skip link first, then on to the form's first question.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('govuk-skip-link')")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_JS) == stops[0]:
            break
    else:
        pytest.fail("Tab never reached the form's first question")

    answers = {
        "id_first_name": "Ada",
        "id_last_name": "Quinn",
        "id_address_line_1": "3 Birch Lane",
        "id_town": "Exampleton",
        "id_postcode": "EX4 1QQ",
        "id_details": "Not seen at the school gate since half term.",
    }
    position = 0
    while True:
        focused = page.evaluate(FOCUSED_JS)
        assert focused == stops[position], f"focus on {focused!r}, expected {stops[position]!r}"
        if focused == "id_referrer_type_1":
            # Arrow keys move through a radio group: the fifth answer, "A member of the public".
            for _ in range(4):
                page.keyboard.press("ArrowDown")
            page.keyboard.press("Space")
            expect(page.locator("#id_referrer_type_5")).to_be_checked()
            expect(page.locator("#id_referrer_type_5")).to_be_focused()
        elif focused in ("id_anonymous_1", "id_parent_knows_1"):
            page.keyboard.press("Space")  # Yes: anonymous; Yes: the parents know
            expect(page.locator(f"#{focused}")).to_be_checked()
        elif focused == "id_reasons_1":
            page.keyboard.press("Space")
            expect(page.locator("#id_reasons_1")).to_be_checked()
        elif focused in answers:
            page.keyboard.type(answers[focused])
        if focused == "Continue":
            break
        page.keyboard.press("Tab")
        position += 1
    assert position == len(stops) - 1
    shot(page, journey, "01-filled")
    page.keyboard.press("Enter")

    expect(page.locator("h1")).to_contain_text("Check your answers")
    expect(page.get_by_text("Ada").first).to_be_visible()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_JS) == "Accept and send":
            break
    else:
        pytest.fail("Tab never reached the Accept and send button")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-panel")).to_be_visible()
    referral = Referral.objects.get()
    assert referral.anonymous is True
    assert referral.first_name == "Ada"
    assert referral.referrer_type == "public"
    assert referral.parent_knows == "yes"
    expect(page.locator(".govuk-panel")).to_contain_text(referral.reference)
    shot(page, journey, "02-sent")


# -- 3: a manager asks for a board report, watches it build, downloads the PDF ---------------


def test_board_report(
    people: dict[str, Any],
    sign_in: SignIn,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    look: Look,
) -> None:
    """The build runs in a thread of its own (as a worker would, not eagerly inside the
    request) and waits after its first step until the page has shown that progress."""
    from django.db import connection, transaction

    from reports import services as report_services
    from reports.models import ReportRun, RunStatus

    journey = "report"
    settings.CME_REPORT_STORAGE = str(tmp_path / "reports")
    seen_progress = threading.Event()
    real_figures = report_services.get_figures

    def figures_after_the_page_has_looked(start: Any, end: Any) -> Any:
        seen_progress.wait(timeout=30)
        return real_figures(start, end)

    def build_in_a_worker(run_id: int) -> None:
        def work() -> None:
            try:
                report_services.report_build(run_id)
            finally:
                connection.close()

        transaction.on_commit(lambda: threading.Thread(target=work, daemon=True).start())

    monkeypatch.setattr(report_services, "get_figures", figures_after_the_page_has_looked)
    monkeypatch.setattr(report_services, "_enqueue", build_in_a_worker)

    page = sign_in(people["manager"])
    page.goto("/reports/")
    expect(page.locator("h1")).to_have_text("Board reports")
    look(page, journey, "01-reports", "report runs")
    page.locator("input[name=period][value=last_month]").check()
    page.locator("input[name=audience][value=board]").check()
    page.get_by_role("button", name="Build the report").click()

    # The row follows the build (the page polls status.json; no refresh).
    row = page.get_by_role("row").filter(has=page.locator(".govuk-tag"))
    expect(row).to_contain_text("Counting the figures (10%)", timeout=15_000)
    expect(row.locator("progress")).to_have_attribute("value", "10")
    look(page, journey, "02-building", "report runs, building")
    seen_progress.set()

    expect(row.locator(".govuk-tag")).to_have_text("Ready", timeout=30_000)
    run = ReportRun.objects.get()
    assert run.status == RunStatus.READY
    assert run.requested_by == people["manager"]
    look(page, journey, "03-ready", "report runs, ready")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"PDF of report {run.pk}").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
