"""The referrer is told the case's outcome: by email, by a letter through GOV.UK Notify if
they gave only a postal address, not at all if they gave neither (casework.services.closing)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from casework.models import Case, Outcome
from casework.services import closing
from cme import outbox
from cme.models import OutboxChannel, OutboxEmail, OutboxState, User
from tests.factories import CaseFactory
from tests.integration.notify_stub import NotifyStub, outbox_through

pytestmark = pytest.mark.django_db

ADDRESS = "1 High Street\nExampleton\nEX1 1AA"


@pytest.fixture
def notify(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[NotifyStub]:
    with outbox_through(settings, monkeypatch) as stub:
        yield stub


def closed_for(officer: User, **referral: Any) -> Case:
    """An officer's case on a referral with ``referral``'s fields, closed (the child died)."""
    case: Case = CaseFactory.create(
        allocated_to=officer, **{f"referral__{name}": value for name, value in referral.items()}
    )
    closing.case_close(case=case, by=officer, outcome=Outcome.DIED)
    return case


def test_a_referrer_with_only_a_postal_address_is_posted_the_outcome_through_notify(
    notify: NotifyStub, officer: User
) -> None:
    case = closed_for(
        officer, referrer_name="Pat Referrer", referrer_email="", referrer_address=ADDRESS
    )
    row = OutboxEmail.objects.get()
    assert row.channel == OutboxChannel.LETTER
    assert row.kind == "referrer_outcome_letter"
    assert outbox.send_due() == 1
    (sent,) = notify.posts("/v2/notifications/letter")
    fields = sent.body["personalisation"]
    assert [fields[f"address_line_{n}"] for n in range(1, 5)] == [
        "Pat Referrer",
        "1 High Street",
        "Exampleton",
        "EX1 1AA",
    ]
    assert fields["reference"] == case.referral.reference
    assert case.referral.reference in fields["body"]
    assert case.child.last_name not in fields["subject"]
    row.refresh_from_db()
    assert row.state == OutboxState.SENT


def test_a_referrer_with_an_email_and_an_address_is_emailed_not_posted(
    notify: NotifyStub, officer: User
) -> None:
    closed_for(officer, referrer_email="pat@example.org", referrer_address=ADDRESS)
    outbox.send_due()
    assert len(notify.posts("/v2/notifications/email")) == 1
    assert notify.posts("/v2/notifications/letter") == []


@pytest.mark.parametrize("anonymous", [False, True])
def test_a_referrer_with_neither_or_anonymous_is_not_written_to(
    officer: User, anonymous: bool
) -> None:
    closed_for(
        officer,
        anonymous=anonymous,
        referrer_email="",
        referrer_address=ADDRESS if anonymous else "",
    )
    assert OutboxEmail.objects.count() == 0


def test_the_case_page_shows_what_the_referrer_was_sent_and_notifys_status(
    notify: NotifyStub, officer: User
) -> None:
    from django.urls import reverse

    from cme.outbox.notify import poll_status
    from tests.conftest import client_for

    case = closed_for(officer, referrer_email="pat@example.org")
    other = closed_for(officer, referrer_email="sam@example.org")
    outbox.send_due()
    row = OutboxEmail.objects.get(to="pat@example.org")
    notify.set_status(str(row.provider_id), "permanent-failure")
    poll_status()
    page = (
        client_for(officer).get(reverse("cases:referral", args=[case.reference])).content.decode()
    )
    assert "What the referrer was sent" in page
    assert f"Your CME referral {case.referral.reference}: outcome" in page
    assert "Not delivered: the address does not exist" in page
    assert other.referral.reference not in page
