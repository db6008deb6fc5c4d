"""axe-core (WCAG 2.0, 2.1 and 2.2 A and AA) on every page of the service, not only on the
pages the journeys happen to visit.

The URLs come from the access matrix (tests/cme/test_access_matrix.py): every named URL, its
arguments filled from the matrix's ``World``, opened in headless Chromium by the first persona
that ``EXPECTED`` says gets a 200 for it. Pages that no plain GET reaches in that world (a
"check your answers" page needs a draft, a receipt the session that sent it, the backup codes
follow set-up, the reason page needs a restricted record, a triage decision is POST only) are
reached through the step that leads to them; the forms on the way are also checked with their
errors shown.

What counts as checked is where the browser was when axe ran (that page's URL name), so a URL
name that is neither checked nor in ``NOT_PAGES`` fails the test: a new page cannot go live
unchecked. The violations of all pages are collected and reported together, once, at the end.

Screenshots: test-artifacts/e2e/every-page-<page>.png.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect

from casework.matching import child_keys_save
from cme.models import User
from ehe.models import Source
from ehe.services.register import home_education_register
from schools.models import School
from tests.cme.test_access_matrix import (
    EXPECTED,
    PERSONAS,
    World,
    build_world,
    kwargs_for,
    url_names,
)
from tests.factories import ChildFactory, ReferralFactory
from tests.schools.ctf.files import ctf_bytes
from transfers.models import Transfer
from transfers.services import token_hash

pytestmark = pytest.mark.e2e

JOURNEY = "every-page"

#: URL names that are not HTML pages, and why. Every other URL name must be checked.
NOT_PAGES: dict[str, str] = {
    "home": "redirect: sends each person on to their own start page (those are checked)",
    "logout": "sign-out: POST only, then a redirect to the sign-in page",
    "sso_start": "single sign-on (off here): a redirect to the council's provider; the "
    "journeys in test_sso_journey.py check the pages around it with axe",
    "sso_callback": "single sign-on (off here): the provider's answer, then a redirect or the "
    "refusal page, checked with axe in test_sso_journey.py",
    "healthz": "plain-text health check for the container",
    "notifications_read": "POST-only action (mark as read), then a redirect",
    "schools:switch_school": "POST-only action (choose a school), then a redirect",
    "cases:register_csv": "file download (CSV)",
    "cases:register_xlsx": "file download (XLSX)",
    "dashboard:data_pack": "file download (CSV)",
    "dashboard:cme_return_csv": "file download (CSV)",
    "dashboard:cme_return_submit": "POST-only action (mark the CME return as submitted), then a redirect",
    "reports:run_status": "JSON, polled by the report runs page",
    "reports:download_pdf": "file download (PDF)",
    "ehe:notice_pdf": "file download (PDF): a notice's letter",
    "reports:download_csv": "file download (CSV)",
    "emails_retry": "POST-only action (try an undelivered email again), then a redirect",
    "reports:retry": "POST-only action (build a failed report run again), then a redirect",
    "schools:return_s2s_confirm": "POST-only action (the s2s upload is done), then a redirect",
    "schools:ctf_start": "POST-only action (start a return from a CTF pupil), then a redirect",
    "schools:ctf_forget": "POST-only action (remove a CTF's pupils), then a redirect",
    "transfers:ctf": "file download (the transfer's CTF, XML)",
    "transfers:pdf": "file download (the transfer's PDF summary)",
    "cnis:register_csv": "file download (CSV)",
    "cnis:provider_request": "POST-only action (send an s436E request), then a redirect",
    "cnis:provider_answered": "POST-only action (the provider answered), then a redirect",
}


def url_name_of(page: Page) -> str:
    path = urlsplit(page.url).path
    try:
        return resolve(path).view_name
    except Resolver404:
        return f"(no URL name: {path})"


class Checker:
    """axe on a page as it is now. A failure is collected, not raised, so that one run lists
    the violations of every page; which URL names were checked, and as whom, is recorded."""

    def __init__(
        self,
        assert_accessible: Callable[[Any, str], None],
        shot: Callable[[Any, str, str], None],
    ) -> None:
        self.assert_accessible = assert_accessible
        self.shot = shot
        self.failures: list[str] = []
        self.checked: dict[str, list[str]] = {}  # URL name -> what was checked there
        self.by_persona: Counter[str] = Counter()

    def __call__(self, page: Page, persona: str, state: str = "") -> None:
        name = url_name_of(page)
        label = f"{name}{f' ({state})' if state else ''} as {persona}"
        try:
            self.assert_accessible(page, label)
        except pytest.fail.Exception as failed:
            self.failures.append(failed.msg or "")
        self.checked.setdefault(name, []).append(label)
        self.by_persona[persona] += 1
        self.shot(page, JOURNEY, re.sub(r"[^\w-]+", "-", label).strip("-"))

    def signing_in(self, persona: str) -> Callable[[Page, str], None]:
        """For ``sign_in(check=...)``: the sign-in and code pages, the first time only."""

        def check(page: Page, step: str) -> None:
            if url_name_of(page) not in self.checked:
                self(page, persona, step)

        return check


@pytest.fixture
def world(school_a: School, personas: dict[str, User], settings: Any, tmp_path: Any) -> World:
    """The matrix's world, made in the transactional database the live server reads (the
    users have the factories' DEFAULT_PASSWORD, which ``sign_in`` types)."""
    settings.CME_REPORT_STORAGE = str(tmp_path / "reports")
    settings.CME_CNIS_ENABLED = True  # the children-not-in-school pages are checked too
    return build_world(school_a=school_a, staff_a=personas["staff_a"], manager=personas["manager"])


@pytest.fixture
def anonymous_page(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[Page]:
    context = browser.new_context(**browser_context_args)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def fill_date(page: Page, name: str, value: Any) -> None:
    page.locator(f"[name={name}_0]").fill(str(value.day))
    page.locator(f"[name={name}_1]").fill(str(value.month))
    page.locator(f"[name={name}_2]").fill(str(value.year))


def press(page: Page, button: str = "Continue") -> None:
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()


def test_every_page_is_accessible(
    world: World,
    personas: dict[str, User],
    sign_in: Callable[..., Any],
    anonymous_page: Page,
    assert_accessible: Callable[[Any, str], None],
    shot: Callable[[Any, str, str], None],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    check = Checker(assert_accessible, shot)
    pages: dict[str, Page] = {"anonymous": anonymous_page}

    def as_(persona: str) -> Page:
        """Each persona signs in once (LA users with their code) and keeps the page."""
        if persona not in pages:
            pages[persona] = sign_in(personas[persona], check=check.signing_in(persona))
        return pages[persona]

    # -- every URL name a plain GET reaches, as the first persona allowed to see it ----------
    patterns = url_names()
    for name, pattern in sorted(patterns.items()):
        expected = EXPECTED.get(name)
        if name in NOT_PAGES or expected is None:
            continue
        persona = next((p for p in PERSONAS if expected.get[p] == 200), None)
        if persona is None:
            continue  # reached through the steps below (or reported as unchecked)
        page = as_(persona)
        url = reverse(name, kwargs=kwargs_for(name, pattern, world))
        response = page.goto(url)
        status = response.status if response is not None else None
        if status != 200 or url_name_of(page) != name:
            check.failures.append(f"GET {name} ({url}) as {persona}: {status}, at {page.url}")
            continue
        check(page, persona)

    # The steps below change the world, so they come after every plain GET.
    staff = as_("staff_a")
    officer = as_("officer")
    manager = as_("manager")
    public = pages["anonymous"]
    today = timezone.localdate()

    # -- two-factor set-up with a wrong code, then the backup codes shown once after it ------
    staff.goto(reverse("two_factor_setup"))
    code = staff.get_by_label("Enter the 6-digit code your authenticator app shows")
    code.fill("000000")
    press(staff, "Confirm")
    check(staff, "staff_a", "wrong code")
    device = TOTPDevice.objects.get(user=personas["staff_a"], confirmed=False)
    # A wrong code throttles the device for a second: clear that, as if a little later.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    code.fill(f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}")
    press(staff, "Confirm")
    check(staff, "staff_a")

    # -- a school return: the form with errors, check your answers, the receipt -------------
    staff.goto(reverse("schools:return_start", kwargs={"kind": "joiner"}))
    press(staff)
    expect(staff.locator(".govuk-error-summary")).to_be_visible()
    check(staff, "staff_a", "with errors")
    staff.get_by_label("First name").fill("Kai")
    staff.get_by_label("Last name").fill("Whitlock")
    fill_date(staff, "date_of_birth", today.replace(year=today.year - 10, day=1))
    staff.locator("input[name=gender][value=M]").check()
    staff.get_by_label("Address line 1").fill("4 Ash Grove")
    staff.get_by_label("Town or city").fill("Exampleton")
    staff.locator("[name=postcode]").fill("EX1 4AG")
    fill_date(staff, "admission_date", today)
    staff.locator("[name=parent_1_name]").fill("Dana Whitlock")
    staff.locator("[name=parent_1_relationship]").fill("Mother")
    staff.locator("[name=parent_1_phone]").fill("07700 900321")
    press(staff)
    expect(staff.locator("h1")).to_contain_text("Check your answers")
    check(staff, "staff_a")
    press(staff, "Accept and send")
    expect(staff.locator(".govuk-panel")).to_be_visible()
    check(staff, "staff_a", "receipt")

    # -- a CTF upload: the refusal (error summary), then its pupils ------------------------
    school_a = world.returns["joiner"].school
    ctf = tmp_path / "joiners.xml"
    ctf.write_bytes(ctf_bytes("joiners.xml", urn_a=school_a.urn))
    staff.goto(reverse("schools:ctf_upload"))
    press(staff, "Upload file")
    expect(staff.locator(".govuk-error-summary")).to_be_visible()
    check(staff, "staff_a", "with errors")
    staff.get_by_label("Upload a common transfer file (CTF)").set_input_files(str(ctf))
    press(staff, "Upload file")
    expect(staff.locator("h1")).to_have_text("Pupils in the common transfer file")
    check(staff, "staff_a")

    # -- a referral by signed-in school staff, and one by the public: the same steps ---------
    for page, persona, start in (
        (staff, "staff_a", "referrals:new"),
        (public, "anonymous", "referrals:public_start"),
    ):
        page.goto(reverse(start))
        press(page)
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        check(page, persona, "with errors")
        if page.locator("input[name=referrer_type]").count():
            page.locator("input[name=referrer_type][value=public]").check()
        if page.locator("input[name=anonymous]").count():
            page.locator("input[name=anonymous][value=yes]").check()
        page.get_by_label("First name").fill("Rosa")
        page.get_by_label("Last name").fill("Lind")
        page.get_by_label("Address line 1").fill("9 Elm Court")
        page.get_by_label("Town or city").fill("Exampleton")
        page.locator("input[name=reasons]").first.check()
        page.locator("input[name=parent_knows][value=unknown]").check()
        press(page)
        expect(page.locator("h1")).to_contain_text("Check your answers")
        check(page, persona)
        press(page, "Accept and send")
        expect(page.locator(".govuk-panel")).to_be_visible()
        check(page, persona)

    # -- a restricted record: the reason page (and its error), then the record itself -------
    restricted = ChildFactory.create(restricted=True)
    officer.goto(reverse("cases:child", kwargs={"child_id": restricted.pk}))
    check(officer, "officer")
    press(officer, "Open the record")
    check(officer, "officer", "with errors")
    officer.get_by_label("This record is restricted: why do you need to open it?").fill(
        "Checking the address before a home visit"
    )
    press(officer, "Open the record")
    expect(officer.locator("h1")).to_contain_text(restricted.last_name)
    check(officer, "officer", "a restricted record, opened with a reason")

    # -- a restricted child's home education record (issue 17): the reason page, the record
    on_ehe = home_education_register(
        child=ChildFactory.create(restricted=True), source=Source.OFFICER, by=None
    )
    manager.goto(reverse("ehe:detail", kwargs={"entry_id": on_ehe.pk}))
    check(manager, "manager")
    manager.get_by_label("This record is restricted: why do you need to open it?").fill(
        "Checking the address before a home visit"
    )
    press(manager, "Open the record")
    expect(manager.locator("h1")).to_contain_text(on_ehe.child.last_name)
    check(manager, "manager", "a restricted home education record, opened with a reason")

    # -- the triage decisions (POST only) sent with errors: the referral page, at the
    # decision's URL, with the error summary. "Duplicate" needs a match with an open case:
    # a further referral of the world's case's child.
    child = child_keys_save(world.child)
    further = ReferralFactory.create(
        first_name=child.first_name,
        last_name=child.last_name,
        date_of_birth=child.date_of_birth,
        postcode=child.postcode,
    )
    for reference, button in (
        (world.referral.reference, "Accept and open a case"),
        (world.referral.reference, "Close as not CME"),
        (further.reference, "Add to the open case"),
    ):
        officer.goto(reverse("triage:detail", kwargs={"reference": reference}))
        press(officer, button)
        expect(officer.locator(".govuk-error-summary")).to_be_visible()
        check(officer, "officer", "with errors")

    # -- the merge search with results (the search is sent by POST) -------------------------
    manager.goto(reverse("cases:merge_search", kwargs={"child_id": world.child.pk}))
    manager.get_by_label("Name, date of birth or UPN").fill(world.other_child.last_name)
    press(manager, "Search")
    expect(manager.get_by_role("table")).to_be_visible()
    check(manager, "manager", "with results")

    # -- Find a child: the form with its error, then results (the search is sent by POST) ----
    officer.goto(reverse("cases:find_child"))
    press(officer, "Search")
    expect(officer.locator(".govuk-error-summary")).to_be_visible()
    check(officer, "officer", "with errors")
    officer.get_by_label("Name").fill(world.child.last_name)
    press(officer, "Search")
    expect(officer.locator("#results")).to_be_visible()
    check(officer, "officer", "with results")

    # -- transfers (issue 16 item 4): the send form with its errors, check your answers, the
    # answer form with its error, and the other LA's download page (a known token) -----------
    officer.goto(reverse("transfers:new", kwargs={"case_reference": world.case.reference}))
    press(officer)
    expect(officer.locator(".govuk-error-summary")).to_be_visible()
    check(officer, "officer", "with errors")
    officer.get_by_label("Local authority the child has moved to").select_option(
        label=str(world.transfer.to_la)
    )
    officer.get_by_label("Why are you transferring the child?").fill("Moved to Otherborough")
    press(officer)
    expect(officer.locator("h1")).to_have_text("Check the transfer before you send it")
    check(officer, "officer")
    officer.goto(reverse("transfers:answer", kwargs={"reference": world.transfer.reference}))
    press(officer, "Record answer")
    expect(officer.locator(".govuk-error-summary")).to_be_visible()
    check(officer, "officer", "with errors")
    Transfer.objects.filter(pk=world.transfer.pk).update(token_hash=token_hash("every-page"))
    public.goto(reverse("transfers:download", kwargs={"token": "every-page"}))
    check(public, "anonymous")
    press(public, "Download the PDF summary")
    expect(public.locator(".govuk-error-summary")).to_be_visible()
    check(public, "anonymous", "with errors")

    # -- a password reset link that works: the new password form, and its errors -----------
    reset_for = personas["staff_b"]
    token = default_token_generator.make_token(reset_for)
    uid = urlsafe_base64_encode(force_bytes(reset_for.pk))
    public.goto(reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token}))
    expect(public.get_by_label("New password", exact=True)).to_be_visible()
    check(public, "anonymous", "a working link")
    public.get_by_label("New password", exact=True).fill("short")
    press(public, "Change password")
    expect(public.locator(".govuk-error-summary")).to_be_visible()
    check(public, "anonymous", "with errors")

    # -- the error pages --------------------------------------------------------------------
    staff.goto(reverse("triage:list"))
    check(staff, "staff_a", "403 page")
    public.goto("/no-such-page/")
    check(public, "anonymous", "404 page")

    # -- every URL name checked, or said above why it is not a page ------------------------
    names = set(patterns)
    unchecked = sorted(names - set(check.checked) - set(NOT_PAGES))
    stale = sorted(set(NOT_PAGES) - names)
    summary = (
        f"every page: {len(names)} URL names, {len(names & set(check.checked))} checked, "
        f"{len(NOT_PAGES)} not pages; {check.by_persona.total()} page states checked "
        f"({', '.join(f'{p} {n}' for p, n in sorted(check.by_persona.items()))})"
    )
    with capsys.disabled():
        print(f"\n{summary}")
    problems = list(check.failures)
    if unchecked:
        problems.append(f"URL names neither checked nor in NOT_PAGES (check them): {unchecked}")
    if stale:
        problems.append(f"NOT_PAGES names URLs that no longer exist: {stale}")
    if problems:
        pytest.fail("\n\n".join([summary, *problems]), pytrace=False)
