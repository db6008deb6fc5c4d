"""The referrer is told the case's outcome: by email, by a letter through GOV.UK Notify if
they gave only a postal address, not at all if they gave neither (casework.services.closing)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from casework.models import Outcome
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


def test_a_referrer_with_only_a_postal_address_is_posted_the_outcome_through_notify(
    notify: NotifyStub, officer: User
) -> None:
    case = CaseFactory.create(
        allocated_to=officer,
        referral__referrer_name="Pat Referrer",
        referral__referrer_email="",
        referral__referrer_address=ADDRESS,
    )
    closing.case_close(case=case, by=officer, outcome=Outcome.DIED)
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
    case = CaseFactory.create(
        allocated_to=officer,
        referral__referrer_email="pat@example.org",
        referral__referrer_address=ADDRESS,
    )
    closing.case_close(case=case, by=officer, outcome=Outcome.DIED)
    outbox.send_due()
    assert len(notify.posts("/v2/notifications/email")) == 1
    assert notify.posts("/v2/notifications/letter") == []


@pytest.mark.parametrize("anonymous", [False, True])
def test_a_referrer_with_neither_or_anonymous_is_not_written_to(
    officer: User, anonymous: bool
) -> None:
    case = CaseFactory.create(
        allocated_to=officer,
        referral__anonymous=anonymous,
        referral__referrer_email="",
        referral__referrer_address=ADDRESS if anonymous else "",
    )
    closing.case_close(case=case, by=officer, outcome=Outcome.DIED)
    assert OutboxEmail.objects.count() == 0


def test_the_case_page_shows_what_the_referrer_was_sent_and_notifys_status(
    notify: NotifyStub, officer: User
) -> None:
    from django.urls import reverse

    from cme.outbox.notify import poll_status
    from tests.conftest import client_for

    case = CaseFactory.create(allocated_to=officer, referral__referrer_email="pat@example.org")
    other = CaseFactory.create(allocated_to=officer, referral__referrer_email="sam@example.org")
    closing.case_close(case=case, by=officer, outcome=Outcome.DIED)
    closing.case_close(case=other, by=officer, outcome=Outcome.DIED)
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
