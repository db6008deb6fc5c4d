"""Browser journey (issue 16 item 4): an officer closes a case as moved to another local
authority, sends that LA's CME team a transfer (form, check your answers), sees it sent,
downloads the PDF summary and records the answer; the other LA's team opens the emailed
link, confirms its address and downloads the CTF; an officer of that LA (on this product)
uploads the CTF and finds a referral in triage with the sending LA's history. axe on each
page state.

Screenshots: test-artifacts/e2e/transfer-<step>.png.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django import Settings

from casework.models import Enquiry, EnquiryResult, EnquiryType, Outcome
from cme.models import OutboxEmail, Role
from referrals.models import Referral, ReferrerType
from tests.e2e.conftest import AssertAccessible, Shot, SignIn
from tests.factories import CaseFactory, ChildFactory, ReferralFactory, UserFactory
from tests.transfers.helpers import moved_case, send
from transfers.models import LocalAuthority, Transfer, TransferStatus

pytestmark = pytest.mark.e2e

JOURNEY = "transfer"


def _banner(page: Page, text: str) -> None:
    expect(page.locator(".govuk-notification-banner")).to_contain_text(text)


def test_an_officer_transfers_a_child_and_the_other_la_receives_it(
    sign_in: SignIn,
    shot: Shot,
    assert_accessible: AssertAccessible,
    settings: Settings,
    tmp_path: Path,
    live_server: Any,
) -> None:
    officer = UserFactory.create(
        email="olive@la.example.gov.uk", full_name="Olive Officer", role=Role.OFFICER
    )
    LocalAuthority.objects.create(
        code="888", name="Otherborough Council", cme_email="cme@otherborough.example.gov.uk"
    )
    case = CaseFactory.create(
        allocated_to=officer,
        referral=ReferralFactory.create(
            status="accepted", decided_at=timezone.now(), reasons=["moved_away"]
        ),
        child=ChildFactory.create(
            first_name="Zoë", last_name="O'Brien <Smith> & Co", child_protection_plan=True
        ),
    )
    Enquiry.objects.create(
        case=case,
        enquiry_type=EnquiryType.HOME_VISIT,
        made_on=timezone.localdate() - timedelta(days=2),
        made_by=officer,
        contact="Neighbour",
        result=EnquiryResult.INFORMATION,
        notes="The family moved to Otherborough",
    )

    page = sign_in(officer)
    page.goto(f"/cases/{case.reference}/")
    page.get_by_role("button", name="Close with an outcome").click()
    page.locator(f"input[name=outcome][value='{Outcome.MOVED_OTHER_LA}']").check()
    page.get_by_label("Local authority the child moved to").fill("Otherborough Council")
    page.get_by_label("The other local authority has been notified").check()
    page.get_by_role("button", name="Record outcome").click()
    _banner(page, "Outcome recorded")

    page.get_by_role("button", name="Transfers to another LA").click()
    expect(page.locator("h1")).to_have_text("Transfers to another local authority")
    shot(page, JOURNEY, "01-case-transfers")
    assert_accessible(page, "a case's transfers")

    page.get_by_role("button", name="Send a transfer").click()
    expect(page.get_by_label("Local authority the child has moved to")).to_have_value(
        str(LocalAuthority.objects.get(code="888").pk)
    )
    page.get_by_role("button", name="Continue").click()  # no reasons: the error summary
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter why you are transferring the child")
    shot(page, JOURNEY, "02-form-error")
    assert_accessible(page, "send form with an error")
    page.get_by_label("Why are you transferring the child?").fill(
        "Their GP and a neighbour say the family now lives in Otherborough"
    )
    page.get_by_role("button", name="Continue").click()

    expect(page.locator("h1")).to_have_text("Check the transfer before you send it")
    expect(page.locator("main")).to_contain_text("O'Brien <Smith> & Co")
    expect(page.locator("main")).to_contain_text("Child protection plan")
    expect(page.get_by_role("table", name="The enquiries made to find the child")).to_contain_text(
        "The family moved to Otherborough"
    )
    shot(page, JOURNEY, "03-check")
    assert_accessible(page, "check the transfer")
    page.get_by_role("button", name="Send transfer").click()

    transfer = Transfer.objects.get(case=case)
    _banner(page, f"Transfer {transfer.reference} sent to Otherborough Council")
    expect(page.locator("main")).to_contain_text("Sent")
    shot(page, JOURNEY, "04-sent")
    assert_accessible(page, "transfer sent")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Download the PDF summary")).click()
    pdf = Path(download_info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert download_info.value.suggested_filename == f"{transfer.reference}.pdf"

    page.get_by_role("button", name="Record their answer").click()
    page.locator("input[name=status][value='rejected']").check()
    page.get_by_role("button", name="Record answer").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select why")
    shot(page, JOURNEY, "05-answer-error")
    assert_accessible(page, "answer form with an error")
    page.locator("input[name=status][value='accepted']").check()
    page.get_by_role("textbox", name="Notes (optional)").fill("Email from their CME officer")
    page.get_by_role("button", name="Record answer").click()
    _banner(page, "Answer recorded")
    expect(page.locator("main")).to_contain_text("Accepted")
    shot(page, JOURNEY, "06-accepted")
    assert_accessible(page, "transfer accepted")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED

    # The other LA's CME team: the emailed link, its address confirmed, the CTF downloaded.
    # Delivered through the outbox (SMTP here: Django's test mailbox), naming no child.
    assert OutboxEmail.objects.get(kind="transfer_sent").state == "sent"
    (email,) = [m for m in mail.outbox if m.to == ["cme@otherborough.example.gov.uk"]]
    body, subject = str(email.body), str(email.subject)
    assert "O'Brien" not in body + subject
    link = re.search(r"https?://\S+/transfers/download/\S+/", body)
    assert link is not None
    browser = page.context.browser
    assert browser is not None
    other = browser.new_context(locale="en-GB")
    theirs = other.new_page()
    # The link is on CME_SITE_URL; the test's server is elsewhere: the same path there.
    theirs.goto(live_server.url + "/" + link.group(0).split("://", 1)[1].split("/", 1)[1])
    expect(theirs.locator("h1")).to_have_text("Download a CME transfer")
    assert_accessible(theirs, "the other LA's download page")
    theirs.get_by_label("Your CME team's email address").fill("someone@else.example.com")
    theirs.get_by_role("button", name="Download the CTF (XML)").click()
    expect(theirs.locator(".govuk-error-summary")).to_contain_text("this link was sent to")
    theirs.get_by_label("Your CME team's email address").fill("CME@otherborough.example.gov.uk")
    with theirs.expect_download() as ctf_info:
        theirs.get_by_role("button", name="Download the CTF (XML)").click()
    ctf = tmp_path / "transfer.xml"
    ctf.write_bytes(Path(ctf_info.value.path()).read_bytes())
    other.close()

    # Otherborough runs this product too: its officer uploads the CTF.
    settings.CME_LA_CODE = "888"
    settings.CME_LA_NAME = "Otherborough Council"
    theirs_officer = UserFactory.create(
        email="tom@otherborough.example.gov.uk", full_name="Tom Theirs", role=Role.OFFICER
    )
    them = sign_in(theirs_officer)
    them.goto("/transfers/")
    them.get_by_role("button", name="Upload a transfer you received").click()
    assert_accessible(them, "upload a received transfer")
    them.get_by_label("Upload the transfer's common transfer file (CTF)").set_input_files(str(ctf))
    them.get_by_role("button", name="Upload transfer").click()
    referral = Referral.objects.get(referrer_type=ReferrerType.OTHER_LA)
    _banner(them, f"referral {referral.reference} is in triage")
    expect(them.locator("h1")).to_contain_text("O'Brien <Smith> & Co")
    main = them.locator("main")
    expect(main).to_contain_text("Another local authority (Exampleshire County Council)")
    expect(main).to_contain_text("Moved away, destination not known")
    expect(main).to_contain_text("Child protection plan")
    expect(main).to_contain_text("The family moved to Otherborough")
    expect(main).to_contain_text(f"Transfer {transfer.reference} from Exampleshire County Council")
    shot(them, JOURNEY, "07-referral-in-triage")
    assert_accessible(them, "the received transfer in triage")

    # The same file again: the same referral, not a second one.
    them.goto("/transfers/received/upload/")
    them.get_by_label("Upload the transfer's common transfer file (CTF)").set_input_files(str(ctf))
    them.get_by_role("button", name="Upload transfer").click()
    _banner(them, f"it is referral {referral.reference}")
    assert Referral.objects.filter(referrer_type=ReferrerType.OTHER_LA).count() == 1
    them.goto("/triage/")
    expect(them.locator("main")).to_contain_text("O'Brien <Smith> & Co")
    shot(them, JOURNEY, "08-triage")


def test_the_download_link_pauses_after_too_many_wrong_addresses(
    page: Page, shot: Shot, assert_accessible: AssertAccessible, settings: Settings
) -> None:
    settings.CME_TRANSFER_DOWNLOAD_GUESSES = "2/h"
    officer = UserFactory.create(role=Role.OFFICER)
    _transfer, token = send(moved_case(officer), officer)
    page.goto(f"/transfers/download/{token}/")
    for _ in range(2):
        page.get_by_label("Your CME team's email address").fill("guess@else.example.com")
        page.get_by_role("button", name="Download the PDF summary").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The wrong email address has been entered too many times")
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary
    expect(page.get_by_text("You can try again after")).to_be_visible()
    expect(page.get_by_label("Your CME team's email address")).to_have_count(0)
    assert page.title().startswith("Error: Download a CME transfer")
    shot(page, JOURNEY, "link-paused")
    assert_accessible(page, "the download link, paused after wrong addresses")
