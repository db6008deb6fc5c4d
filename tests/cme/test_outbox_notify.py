"""GOV.UK Notify as the outbox's provider (docs/decisions/011-notify.md), against a stand-in
that checks each request against Notify's contract (tests/integration/notify_stub.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework.models import Case, Outcome
from casework.services import cases as svc
from casework.services import closing
from cme import outbox
from cme.models import OutboxChannel, OutboxEmail, OutboxState, User
from cme.notifications import deliver_pending
from cme.outbox.notify import poll_status
from tests.conftest import client_for
from tests.factories import CaseFactory
from tests.integration.notify_stub import (
    EMAIL_TEMPLATE,
    LETTER_TEMPLATE,
    NotifyStub,
    outbox_through,
)

pytestmark = pytest.mark.django_db

ADDRESS = ["Ms A Referrer", "1 High Street", "Exampletown", "EX1 1AA"]


@pytest.fixture
def notify(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[NotifyStub]:
    with outbox_through(settings, monkeypatch) as stub:
        yield stub


@pytest.fixture
def case(officer: User) -> Case:
    return CaseFactory.create(allocated_to=officer, referral__referrer_email="referrer@example.org")


def test_a_closure_email_goes_to_notify_with_its_template_fields_and_a_valid_token(
    notify: NotifyStub, case: Case, officer: User
) -> None:
    closing.case_close(case=case, by=officer, outcome=Outcome.DIED)
    assert outbox.send_due() == 1
    (sent,) = notify.posts("/v2/notifications/email")
    row = OutboxEmail.objects.get()
    assert sent.body["email_address"] == "referrer@example.org"
    assert sent.body["template_id"] == EMAIL_TEMPLATE
    assert sent.body["reference"] == f"cme-outbox-{row.pk}"
    fields = sent.body["personalisation"]
    assert fields["subject"] == f"Your CME referral {case.referral.reference}: outcome"
    assert case.referral.reference in fields["body"]
    assert fields["reference"] == case.referral.reference
    assert fields["outcome"] == Outcome.DIED.label
    assert sent.claims["iss"] == notify.service_id
    assert row.state == OutboxState.SENT
    assert row.provider == "notify"
    assert row.provider_id in notify.notifications
    assert row.delivery_status == "created"
    assert mail.outbox == []  # not SMTP
    assert outbox.send_due() == 0
    assert len(notify.requests) == 1


def test_a_template_named_for_the_kind_is_used_instead_of_the_generic_one(
    notify: NotifyStub, case: Case, officer: User, settings: Any
) -> None:
    closure = "9a7c0d1e-0000-4000-8000-00000000c105"
    settings.NOTIFY_TEMPLATES = {"closure": closure}
    closing.case_close(case=case, by=officer, outcome=Outcome.DIED)
    outbox.send_due()
    (sent,) = notify.posts("/v2/notifications/email")
    assert sent.body["template_id"] == closure


def test_an_escalation_and_a_password_reset_carry_their_kinds_fields(
    notify: NotifyStub, case: Case, officer: User, manager: User
) -> None:
    svc.case_escalate(case=case, by=officer, reason="CP plan", social_care_referred=True)
    deliver_pending()
    response = Client().post(reverse("password_reset"), {"email": officer.email})
    assert response.status_code == 302
    outbox.send_due()
    sent = {r.body["email_address"]: r.body for r in notify.posts("/v2/notifications/email")}
    escalation = sent[manager.email]["personalisation"]
    assert escalation["url"].endswith(reverse("cases:detail", args=[case.reference]))
    assert case.reference in escalation["title"]
    assert OutboxEmail.objects.get(to=manager.email).kind == "escalation"
    reset = sent[officer.email]["personalisation"]
    assert reset["reset_link"].startswith("http")
    assert reset["reset_link"] in reset["body"]
    assert OutboxEmail.objects.get(to=officer.email).kind == "password_reset"


def test_a_letter_goes_to_notify_with_the_address_lines(notify: NotifyStub) -> None:
    queued = outbox.queue_letter(
        address=ADDRESS, subject="Your referral: outcome", body="We found the child.", kind="x"
    )
    assert queued == 1
    assert outbox.send_due() == 1
    (sent,) = notify.posts("/v2/notifications/letter")
    assert sent.body["template_id"] == LETTER_TEMPLATE
    fields = sent.body["personalisation"]
    assert [fields[f"address_line_{n}"] for n in range(1, 5)] == ADDRESS
    assert fields["subject"] == "Your referral: outcome"
    row = OutboxEmail.objects.get()
    assert row.channel == OutboxChannel.LETTER
    assert row.state == OutboxState.SENT
    assert row.provider_id in notify.notifications


def test_an_address_of_fewer_than_three_lines_queues_no_letter(notify: NotifyStub) -> None:
    assert (
        outbox.queue_letter(address=["Someone", "", "EX1 1AA"], subject="S", body="B", kind="") == 0
    )
    assert OutboxEmail.objects.count() == 0


def test_an_address_of_more_than_seven_lines_is_folded_into_seven() -> None:
    lines = [f"Line {n}" for n in range(1, 10)]
    outbox.queue_letter(address=lines, subject="S", body="B", kind="")
    fields = OutboxEmail.objects.get().personalisation
    assert fields["address_line_7"] == "Line 9"
    assert fields["address_line_6"] == "Line 6, Line 7, Line 8"
    assert "address_line_8" not in fields


def test_under_smtp_a_letter_fails_at_once_for_a_manager_to_post() -> None:
    outbox.queue_letter(address=ADDRESS, subject="S", body="B", kind="")
    outbox.send_due()
    row = OutboxEmail.objects.get()
    assert row.state == OutboxState.FAILED
    assert row.attempts == 1
    assert row.last_error == "NoLetterProvider"
    assert OutboxEmail.objects.filter(outbox.not_delivered()).count() == 1


def one_email_sent_once(notify: NotifyStub, mode: str) -> OutboxEmail:
    """One email queued and sent once while Notify answers as ``mode``: its row."""
    notify.mode = mode
    outbox.queue_email("someone@example.org", "Subject", "Body")
    assert outbox.send_due() == 1
    return OutboxEmail.objects.get()


def test_a_request_notify_refuses_fails_at_once_and_names_no_one(notify: NotifyStub) -> None:
    row = one_email_sent_once(notify, "400")
    assert row.state == OutboxState.FAILED
    assert row.attempts == 1
    assert row.last_error == "Notify 400 BadRequestError"
    assert outbox.send_due() == 0


def test_a_notify_500_backs_off_the_whole_batch_after_one_request(notify: NotifyStub) -> None:
    notify.mode = "500"
    for n in range(3):
        outbox.queue_email(f"person{n}@example.org", "Subject", "Body")
    assert outbox.send_due() == 3
    assert len(notify.requests) == 1  # one failure is enough: the rest wait without a call
    rows = list(OutboxEmail.objects.all())
    assert {r.state for r in rows} == {OutboxState.PENDING}
    assert {r.last_error for r in rows} == {"Notify 500 Exception"}
    assert all(r.next_attempt_at > timezone.now() for r in rows)


def test_a_hanging_notify_times_out_and_backs_off(notify: NotifyStub) -> None:
    row = one_email_sent_once(notify, "hang")
    assert row.state == OutboxState.PENDING
    assert row.last_error == "Notify ReadTimeout"


def _sent_through_notify(notify: NotifyStub, *addresses: str) -> dict[str, OutboxEmail]:
    for address in addresses:
        outbox.queue_email(address, "Subject", f"Body for {address}")
    outbox.send_due()
    return {row.to: row for row in OutboxEmail.objects.all()}


def test_the_status_poll_reads_back_each_final_status_once(notify: NotifyStub) -> None:
    rows = _sent_through_notify(notify, "a@example.org", "b@example.org", "c@example.org")
    notify.set_status(str(rows["a@example.org"].provider_id), "delivered")
    notify.set_status(str(rows["b@example.org"].provider_id), "permanent-failure")
    assert poll_status() == 3
    status = dict(OutboxEmail.objects.values_list("to", "delivery_status"))
    assert status == {
        "a@example.org": "delivered",
        "b@example.org": "permanent-failure",
        "c@example.org": "sending",
    }
    delivered = OutboxEmail.objects.get(to="a@example.org")
    assert delivered.body == ""  # arrived: the text is not kept
    assert OutboxEmail.objects.get(to="b@example.org").body  # kept for "Try again"
    gets = len([r for r in notify.requests if r.method == "GET"])
    assert poll_status() == 1  # only the one not final is asked about again
    assert len([r for r in notify.requests if r.method == "GET"]) == gets + 1
    not_delivered = OutboxEmail.objects.filter(outbox.not_delivered())
    assert list(not_delivered.values_list("to", flat=True)) == ["b@example.org"]


def test_the_status_poll_stops_while_notify_is_down_and_changes_nothing(
    notify: NotifyStub,
) -> None:
    _sent_through_notify(notify, "a@example.org", "b@example.org")
    notify.mode = "500"
    assert poll_status() == 0
    assert len([r for r in notify.requests if r.method == "GET"]) == 1
    assert set(OutboxEmail.objects.values_list("delivery_status", flat=True)) == {"created"}


def test_the_poll_task_does_nothing_under_smtp() -> None:
    from cme.tasks import poll_notify_status

    assert "not using GOV.UK Notify" in poll_notify_status.apply().get()


def test_a_permanent_failure_shows_on_the_managers_page_and_try_again_sends_it_again(
    notify: NotifyStub, manager: User
) -> None:
    rows = _sent_through_notify(notify, "gone@example.org")
    first = str(rows["gone@example.org"].provider_id)
    notify.set_status(first, "permanent-failure")
    poll_status()
    client = client_for(manager)
    page = client.get(reverse("emails_not_delivered")).content.decode()
    assert "gone@example.org" in page
    assert "Not delivered: the address does not exist" in page
    row = OutboxEmail.objects.get()
    response = client.post(reverse("emails_retry", args=[row.pk]))
    assert response.status_code == 302
    outbox.send_due()
    row.refresh_from_db()
    assert row.state == OutboxState.SENT
    assert row.provider_id not in (None, first)
    assert len(notify.posts("/v2/notifications/email")) == 2
    assert notify.posts("/v2/notifications/email")[1].body["personalisation"]["body"]


def test_notify_chosen_in_production_without_a_key_stops_the_settings_loading() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NOTIFY_", "DJANGO_", "CME_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="example.org",
        CME_EMAIL_PROVIDER="notify",
    )
    code = "import django; django.setup()"
    result = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "NOTIFY_API_KEY" in result.stderr
    env["NOTIFY_API_KEY"] = "cme-" + "0" * 8 + "-0000-4000-8000-" + "0" * 12
    assert (
        "NOTIFY_API_KEY"
        not in subprocess.run(  # noqa: S603
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
        ).stderr
    )


def test_managers_see_each_sent_emails_delivery_status_in_constant_queries(
    notify: NotifyStub, manager: User, django_assert_max_num_queries: Any
) -> None:
    rows = _sent_through_notify(notify, "a@example.org", "b@example.org", "c@example.org")
    notify.set_status(str(rows["a@example.org"].provider_id), "delivered")
    notify.set_status(str(rows["b@example.org"].provider_id), "temporary-failure")
    poll_status()
    outbox.queue_letter(address=ADDRESS, subject="Letter subject", body="B", kind="")
    outbox.send_due()
    client = client_for(manager)
    client.get(reverse("emails_sent"))  # the session and user, once
    with django_assert_max_num_queries(8):
        page = client.get(reverse("emails_sent")).content.decode()
    assert "Delivered" in page
    assert "Not delivered: the inbox was full or refused it" in page
    assert "Being delivered" in page  # c: Notify is still sending it
    assert "A letter by post" in page
    assert ADDRESS[1] not in page  # a letter's address is not listed
    assert "Body for" not in page


def test_an_email_sent_by_smtp_shows_as_handed_to_the_mail_server(manager: User) -> None:
    outbox.queue_email("someone@example.org", "Subject", "Body")
    outbox.send_due()
    page = client_for(manager).get(reverse("emails_sent")).content.decode()
    assert "Sent to the mail server" in page


def test_the_checks_refuse_a_key_or_template_of_the_wrong_shape(settings: Any) -> None:
    from cme.outbox.checks import notify_configured

    settings.CME_EMAIL_PROVIDER = "notify"
    settings.NOTIFY_API_KEY = "not-a-key"
    settings.NOTIFY_EMAIL_TEMPLATE_ID = "closure"
    settings.NOTIFY_LETTER_TEMPLATE_ID = ""
    settings.NOTIFY_TEMPLATES = {}
    assert {m.id for m in notify_configured()} == {"cme.E101", "cme.E102"}
    stub = NotifyStub()
    settings.NOTIFY_API_KEY = stub.api_key
    settings.NOTIFY_EMAIL_TEMPLATE_ID = EMAIL_TEMPLATE
    assert notify_configured() == []
    settings.CME_EMAIL_PROVIDER = "smtp"
    settings.NOTIFY_API_KEY = ""
    assert notify_configured() == []
