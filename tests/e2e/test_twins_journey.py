"""Browser journey (issue 14, item 2): a possible twin in triage and in a merge, with axe on
each page state. The officer sees the twin flagged with what differs and not chosen, the
children we know at the address (a restricted one masked), is stopped without a reason and
links the referral with one; the manager is warned before merging the twins.

Screenshots: test-artifacts/e2e/twins-<step>.png.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from casework.matching import child_keys_save
from casework.models import Case, Child, ChildMerge
from casework.services.triage import ERROR_TWIN_REASON_REQUIRED
from cme.models import Role
from tests.e2e.conftest import AssertAccessible, Shot, SignIn
from tests.factories import ChildFactory, ReferralFactory, UserFactory

pytestmark = pytest.mark.e2e

JOURNEY = "twins"
DOB = date(2015, 5, 3)
HOME = {"address_line_1": "7 Wren Street", "postcode": "EX4 6TU", "date_of_birth": DOB}


def known(first: str, last: str, **kwargs: Any) -> Child:
    fields = {**HOME, **kwargs}
    return child_keys_save(ChildFactory.create(first_name=first, last_name=last, **fields))


def test_a_twin_is_linked_only_with_a_reason_and_merged_only_after_a_warning(
    sign_in: SignIn, shot: Shot, assert_accessible: AssertAccessible
) -> None:
    officer = UserFactory.create(email="olive@la.gov.uk", full_name="Olive", role=Role.OFFICER)
    manager = UserFactory.create(email="manny@la.gov.uk", full_name="Manny", role=Role.MANAGER)
    zara = known("Zara", "Khan")
    known("Priya", "Shah", date_of_birth=date(2010, 1, 1), restricted=True)
    referral = ReferralFactory.create(first_name="Amir", last_name="Khan", **HOME)

    page = sign_in(officer)
    page.goto(f"/triage/{referral.reference}/")
    row = page.locator("tr", has_text="Zara Khan")
    expect(row.locator(".govuk-tag", has_text="Possible twin or sibling")).to_be_visible()
    expect(row).to_contain_text("First name: Amir / Zara")
    expect(
        page.get_by_role("heading", name="2 children we know live at this address")
    ).to_be_visible()
    expect(page.get_by_role("link", name="a restricted record")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Priya")
    twin = page.locator(f"input[name=accept-child][value='{zara.pk}']")
    expect(twin).not_to_be_checked()
    reason = page.get_by_label("Why are you sure this is the same child and not a twin or sibling?")
    expect(reason).to_be_hidden()  # revealed only when the twin is chosen
    shot(page, JOURNEY, "01-referral")
    assert_accessible(page, "referral with a possible twin")

    twin.check()
    expect(reason).to_be_visible()
    page.locator("input[name=accept-category][value='wasp']").check()
    page.get_by_label("Primary reason the child is missing education").select_option(label="Other")
    assert_accessible(page, "the twin chosen, the reason revealed")
    page.get_by_role("button", name="Accept and open a case").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name=ERROR_TWIN_REASON_REQUIRED)).to_be_visible()
    expect(summary).to_be_focused()
    expect(page.locator(f"input[name=accept-child][value='{zara.pk}']")).to_be_checked()
    expect(reason).to_be_visible()
    shot(page, JOURNEY, "02-no-reason")
    assert_accessible(page, "referral: the reason missing")

    reason.fill("Her school confirmed the referrer misspelt Zara")
    page.get_by_role("button", name="Accept and open a case").click()
    page.wait_for_url(re.compile(r"/triage/$"))
    assert Case.objects.get(referral=referral).child == zara

    # A manager compares Zara with a record of her twin brother.
    amir = known("Amir", "Khan")
    boss = sign_in(manager)
    boss.goto(reverse("cases:merge_confirm", args=[zara.pk, amir.pk]))
    expect(boss.locator(".govuk-warning-text", has_text="may be twins or siblings")).to_be_visible()
    shot(boss, JOURNEY, "03-merge-warning")
    assert_accessible(boss, "merge of a possible twin")
    boss.get_by_label("Why are these records the same child?").fill("Same UPN")
    boss.get_by_label(re.compile("not twins or siblings")).check()
    boss.get_by_role("button", name="Merge records").click()
    expect(boss.locator(".govuk-error-summary")).to_be_focused()
    expect(boss.get_by_label("Why are these records the same child?")).to_have_value("Same UPN")
    assert_accessible(boss, "merge of a possible twin: the second reason missing")
    assert not ChildMerge.objects.exists()
