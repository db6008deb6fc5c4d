"""The CME return's details on a case (issue 15): the DfE's reasons kept as data, the default
"Not recorded", the date the child became missing education, and corrections with a reason."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

import pytest
from django.test import Client
from django.urls import reverse

from casework.models import NOT_RECORDED, Case, Category, CmeReason, Event, EventKind
from casework.services import cases as svc
from casework.services.cme_details import ERROR_BECAME_CME_FUTURE, case_cme_details_change
from casework.services.triage import TriageError, referral_accept
from cme.models import AccessAction, AccessLog, User
from tests.conftest import TODAY
from tests.factories import CaseFactory, ReferralFactory
from tests.forms import day
from tests.support.pages import form_with_errors

pytestmark = pytest.mark.usefixtures("frozen")


def test_the_dfe_list_of_reasons_is_data_with_a_code_a_label_and_a_first_term(db: None) -> None:
    reasons = list(CmeReason.objects.all())
    assert len(reasons) == 20
    labels = [r.label for r in reasons]
    assert labels[0] == "Believed to have moved to another country"
    assert labels[-1] == "Waiting school start"
    assert "Not recorded" in labels
    assert "School dissatisfaction SEND" in labels
    assert {r.applies_from for r in reasons} == {date(2025, 9, 1)}
    assert CmeReason.objects.get(pk=NOT_RECORDED).label == "Not recorded"


def test_accepting_without_a_reason_records_not_recorded_and_the_date_received(
    officer: User,
) -> None:
    referral = ReferralFactory.create(date_received=date(2026, 11, 2))
    case = referral_accept(referral=referral, by=officer, category=Category.WASP)
    case.refresh_from_db()
    assert case.primary_reason_id == NOT_RECORDED
    assert case.became_cme_on == date(2026, 11, 2)


def test_accepting_with_a_reason_records_it(officer: User) -> None:
    case = referral_accept(
        referral=ReferralFactory.create(),
        by=officer,
        category=Category.WASP,
        primary_reason="moved-in-from-another-la",
    )
    case.refresh_from_db()
    assert case.primary_reason.label == "Moved in from another local authority"


def test_a_retired_reason_cannot_be_chosen_anew(officer: User) -> None:
    CmeReason.objects.filter(pk="other").update(applies_until=TODAY - timedelta(days=1))
    with pytest.raises(TriageError, match=svc.ERROR_REASON_NOT_IN_USE):
        referral_accept(
            referral=ReferralFactory.create(),
            by=officer,
            category=Category.WASP,
            primary_reason="other",
        )


def test_correcting_the_details_needs_a_reason_and_is_in_the_chronology_and_history(
    officer: User,
) -> None:
    case: Case = CaseFactory.create(became_cme_on=date(2026, 11, 20))
    change = partial(case_cme_details_change, case=case, by=officer)
    with pytest.raises(svc.CaseError, match=svc.ERROR_REASON_REQUIRED):
        change(became_cme_on=date(2026, 10, 1), primary_reason="other", reason="")
    with pytest.raises(svc.CaseError, match=ERROR_BECAME_CME_FUTURE):
        change(became_cme_on=TODAY + timedelta(days=1), primary_reason="other", reason="x")
    change(
        became_cme_on=date(2026, 10, 1),
        primary_reason="mental-health",
        reason="Mother says she stopped attending in October",
    )
    case.refresh_from_db()
    assert (case.became_cme_on, case.primary_reason_id) == (date(2026, 10, 1), "mental-health")
    event = Event.objects.get(case=case, kind=EventKind.CME_DETAILS)
    assert "1 October 2026 (was 20 November 2026)" in event.summary
    assert "Mental health (was Not recorded)" in event.summary
    assert event.detail == "Mother says she stopped attending in October"
    assert event.by == officer
    latest = case.history.first()
    assert latest.primary_reason_id == "mental-health"
    assert latest.history_user == officer


def test_the_details_page_shows_the_case_values_and_keeps_what_was_typed(
    officer_client: Client, officer: User
) -> None:
    case: Case = CaseFactory.create(became_cme_on=date(2026, 11, 20))
    url = reverse("cases:cme_details", args=[case.reference])
    html = officer_client.get(url).content.decode()
    assert 'value="20"' in html
    assert 'value="not-recorded" selected' in html
    assert AccessLog.objects.filter(action=AccessAction.VIEW_CASE, child_id=case.child_id).exists()
    details = {
        **day("became_cme_on", date(2026, 10, 1)),
        "primary_reason": "mental-health",
        "version": str(case.version),
    }
    response = officer_client.post(url, {**details, "reason": ""})
    form_with_errors(response, "Enter the reason", 'value="mental-health" selected')
    response = officer_client.post(url, {**details, "reason": "Told by the school"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.became_cme_on == date(2026, 10, 1)


def post_needs_the_primary_reason(
    client: Client, url: str, answers: dict[str, str], reason: dict[str, str]
) -> None:
    """Posted without the primary reason the page asks for it; with ``reason``, it redirects."""
    response = client.post(url, answers)
    assert "Select the primary reason" in response.content.decode()
    response = client.post(url, answers | reason)
    assert response.status_code == 302


def test_changing_the_category_on_the_page_needs_the_primary_reason(
    officer_client: Client,
) -> None:
    case: Case = CaseFactory.create()
    url = reverse("cases:category", args=[case.reference])
    answers = {"category": "missing", "reason": "Not at the address", "version": "1"}
    post_needs_the_primary_reason(
        officer_client, url, answers, {"primary_reason": "moved-to-another-la"}
    )
    case.refresh_from_db()
    assert (case.category, case.primary_reason_id) == (Category.MISSING, "moved-to-another-la")
    assert (
        "primary reason Believed to have moved"
        in Event.objects.get(case=case, kind=EventKind.CATEGORY).summary
    )


def test_accepting_through_the_triage_page_needs_the_primary_reason(
    officer_client: Client,
) -> None:
    referral = ReferralFactory.create()
    url = reverse("triage:accept", args=[referral.reference])
    answers = {"accept-child": "new", "accept-category": "wasp"}
    post_needs_the_primary_reason(
        officer_client, url, answers, {"accept-primary_reason": "unsuitable-ehe"}
    )
    assert Case.objects.get(referral=referral).primary_reason_id == "unsuitable-ehe"
