"""Restricted records (a family in a refuge): a reason before the record opens, and the
address never in a list or an export (issue 6)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from casework.models import Case, Child, EventKind
from casework.services.restriction import (
    ERROR_NOT_A_MANAGER,
    ERROR_REASON_REQUIRED,
    RestrictionError,
    child_set_restricted,
)
from cme.audit import WITHHELD
from cme.models import AccessAction, AccessLog, User
from tests.conftest import NOW
from tests.factories import CaseFactory, ChildFactory, ReferralFactory
from tests.support.people import person

pytestmark = pytest.mark.usefixtures("frozen")

ADDRESS = "12 Hidden Lane"
POSTCODE = "RF1 1GE"


@pytest.fixture
def case(officer: User) -> Case:
    child = ChildFactory.create(
        first_name="Maya",
        last_name="Patel",
        address_line_1=ADDRESS,
        postcode=POSTCODE,
        restricted=True,
    )
    # Due today, so that it is listed on My cases too.
    case: Case = CaseFactory.create(
        child=child,
        allocated_to=officer,
        due_date=date(2026, 11, 23),
        referral__address_line_1=ADDRESS,
        referral__postcode=POSTCODE,
    )
    return case


def open_url(child_id: int, next_url: str) -> str:
    return reverse("cases:open_restricted", args=[child_id]) + f"?next={next_url}"


@pytest.mark.parametrize("page", ["case", "child", "chronology", "referral"])
def test_an_officer_is_asked_for_a_reason_before_the_record_opens(
    officer_client: Client, case: Case, page: str
) -> None:
    url = {
        "case": reverse("cases:detail", args=[case.reference]),
        "child": reverse("cases:child", args=[case.child_id]),
        "chronology": reverse("cases:chronology", args=[case.child_id]),
        "referral": reverse("triage:detail", args=[case.referral.reference]),
    }[page]
    response = officer_client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("cases:open_restricted", args=[case.child_id]))
    form = officer_client.get(response["Location"])
    html = form.content.decode()
    assert "This record is restricted: why do you need to open it?" in html
    for secret in (ADDRESS, POSTCODE, "Patel"):
        assert secret not in html
    assert not AccessLog.objects.exclude(action=AccessAction.OPEN_RESTRICTED).exists()


def test_after_a_reason_the_officer_sees_the_record_and_the_log_keeps_the_reason(
    officer: User, officer_client: Client, case: Case
) -> None:
    child_url = reverse("cases:child", args=[case.child_id])
    response = officer_client.post(
        reverse("cases:open_restricted", args=[case.child_id]),
        {"reason": "Home visit planned with the refuge", "next": child_url},
    )
    assert response.status_code == 302
    assert response["Location"] == child_url
    page = officer_client.get(child_url)
    assert page.status_code == 200
    assert ADDRESS in page.content.decode()
    # The grant lasts the session: the case page opens without asking again.
    assert officer_client.get(reverse("cases:detail", args=[case.reference])).status_code == 200
    opened = AccessLog.objects.get(action=AccessAction.OPEN_RESTRICTED)
    assert (opened.user, opened.child_id, opened.reason) == (
        officer,
        case.child_id,
        "Home visit planned with the refuge",
    )


def test_a_reason_is_required(officer_client: Client, case: Case) -> None:
    response = officer_client.post(
        reverse("cases:open_restricted", args=[case.child_id]), {"reason": "  "}
    )
    assert response.status_code == 200
    assert "Enter the reason" in response.content.decode()
    assert not AccessLog.objects.exists()


def test_the_grant_is_for_that_child_only(
    officer_client: Client, case: Case, officer: User
) -> None:
    other = CaseFactory.create(child=ChildFactory.create(restricted=True), allocated_to=officer)
    officer_client.post(reverse("cases:open_restricted", args=[case.child_id]), {"reason": "Visit"})
    assert officer_client.get(reverse("cases:child", args=[other.child_id])).status_code == 302


def test_the_grant_ends_with_the_session(officer: User, case: Case) -> None:
    from tests.conftest import client_for

    first = client_for(officer)
    first.post(reverse("cases:open_restricted", args=[case.child_id]), {"reason": "Visit"})
    assert first.get(reverse("cases:child", args=[case.child_id])).status_code == 200
    assert client_for(officer).get(reverse("cases:child", args=[case.child_id])).status_code == 302


def test_next_must_stay_on_this_site(officer_client: Client, case: Case) -> None:
    response = officer_client.post(
        reverse("cases:open_restricted", args=[case.child_id]),
        {"reason": "Visit", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("cases:child", args=[case.child_id])


def test_the_register_and_my_cases_never_show_the_address(
    officer_client: Client, case: Case
) -> None:
    for url in (reverse("cases:register"), reverse("cases:my_cases")):
        html = officer_client.get(url).content.decode()
        assert "Patel" in html  # the child is listed...
        assert ADDRESS not in html  # ...without the address
        assert POSTCODE not in html


def test_the_exports_never_carry_the_address(officer_client: Client, case: Case) -> None:
    response = officer_client.get(reverse("cases:register_csv"))
    text = response.getvalue().decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert any("Patel" in row for row in rows)
    assert ADDRESS not in text
    assert POSTCODE not in text
    workbook = load_workbook(io.BytesIO(officer_client.get(reverse("cases:register_xlsx")).content))
    cells = [str(c) for row in workbook.active.iter_rows(values_only=True) for c in row]
    assert "Patel" in cells
    assert ADDRESS not in cells
    assert POSTCODE not in cells


def test_triage_matches_withhold_a_restricted_childs_address(
    officer_client: Client, case: Case
) -> None:
    referral = ReferralFactory.create(
        **person("Maya Patel", postcode=POSTCODE, date_of_birth=case.child.date_of_birth)
    )
    html = officer_client.get(reverse("triage:detail", args=[referral.reference])).content.decode()
    assert WITHHELD in html
    # The new referral's own postcode is shown once, in its summary, not in the match table.
    assert html.count(POSTCODE) == 1


def test_a_manager_restricts_and_lifts_with_a_reason(manager: User, manager_client: Client) -> None:
    child = ChildFactory.create()
    url = reverse("cases:restrict", args=[child.pk])
    assert manager_client.post(url, {"reason": ""}).status_code == 200
    assert manager_client.post(url, {"reason": "Family moved into a refuge"}).status_code == 302
    child.refresh_from_db()
    assert child.restricted
    event = child.events.get()
    assert (event.kind, event.by, event.detail) == (
        EventKind.RESTRICTED,
        manager,
        "Family moved into a refuge",
    )
    # Lifting it means opening the restricted record first.
    assert manager_client.post(url, {"reason": "Left the refuge"}).status_code == 302
    assert Child.objects.get(pk=child.pk).restricted


def test_officers_cannot_restrict(officer: User, officer_client: Client) -> None:
    child = ChildFactory.create()
    assert officer_client.get(reverse("cases:restrict", args=[child.pk])).status_code == 403
    with pytest.raises(RestrictionError, match=ERROR_NOT_A_MANAGER):
        child_set_restricted(child=child, restricted=True, reason="Refuge", by=officer)


def test_the_service_needs_a_reason(manager: User) -> None:
    with pytest.raises(RestrictionError, match=ERROR_REASON_REQUIRED):
        child_set_restricted(child=ChildFactory.create(), restricted=True, reason=" ", by=manager)


def test_a_further_referral_about_a_restricted_child_opens_only_with_a_reason(
    officer: User, officer_client: Client, case: Case
) -> None:
    from casework.services.triage import referral_mark_duplicate

    further = ReferralFactory.create(address_line_1=ADDRESS, postcode=POSTCODE)
    referral_mark_duplicate(referral=further, by=officer, case=case)
    assert list(case.further_referrals.all()) == [further]
    url = reverse("triage:detail", args=[further.reference])
    response = officer_client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("cases:open_restricted", args=[case.child_id]))
    assert not AccessLog.objects.filter(action=AccessAction.VIEW_REFERRAL).exists()
    officer_client.post(
        reverse("cases:open_restricted", args=[case.child_id]), {"reason": "Home visit"}
    )
    html = officer_client.get(url).content.decode()
    assert ADDRESS in html
    row = AccessLog.objects.get(action=AccessAction.VIEW_REFERRAL)
    assert (row.child_id, row.object_id) == (case.child_id, further.pk)


def test_duplicates_recorded_before_the_link_existed_are_linked_by_the_migration(
    case: Case,
) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("casework.migrations.0008_case_further_referrals")
    earlier = ReferralFactory.create(
        status="duplicate", decided_at=NOW, decision_notes=f"Duplicate of case {case.reference}"
    )
    unrelated = ReferralFactory.create(
        status="duplicate", decided_at=NOW, decision_notes="Duplicate of case CS-NONE"
    )
    migration.link_duplicates(apps, None)
    assert list(case.further_referrals.all()) == [earlier]
    assert not unrelated.further_of.exists()
