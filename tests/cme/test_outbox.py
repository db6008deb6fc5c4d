"""The email outbox (issue 12, A1): requests queue emails, a task sends them with retries."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from typing import NoReturn

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks

from casework.models import Case, Outcome
from casework.services import cases as svc
from casework.services import closing
from cme import outbox
from cme.models import Notification, OutboxEmail, OutboxState, Role, User
from cme.notifications import deliver_pending
from tests.concurrency import at_once
from tests.conftest import client_for
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(officer: User) -> Case:
    return CaseFactory.create(allocated_to=officer, referral__referrer_email="referrer@example.org")


class Refused(smtplib.SMTPConnectError):
    def __init__(self) -> None:
        super().__init__(421, "refused")


@pytest.fixture
def smtp_down(monkeypatch: pytest.MonkeyPatch) -> None:
    """The mail backend fails to send (as an SMTP server refusing or timing out would)."""

    def fail(self: object, messages: object) -> NoReturn:
        raise Refused()

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", fail)


def test_escalating_sends_no_email_in_the_request_and_tells_managers_in_the_app(
    case: Case,
    officer: User,
    manager: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    enqueued: list[str] = []
    monkeypatch.setattr("cme.tasks.enqueue", lambda task, *a, **k: enqueued.append(task.name))
    with django_capture_on_commit_callbacks(execute=True):
        svc.case_escalate(case=case, by=officer, reason="CP plan", social_care_referred=True)
    assert mail.outbox == []  # the request only queued it
    assert enqueued == ["cme.tasks.deliver_notifications"]
    (note,) = Notification.objects.filter(user=manager)
    assert note.url == reverse("cases:detail", args=[case.reference])
    assert case.reference in note.title
    deliver_pending()
    assert [m.to for m in mail.outbox] == [[manager.email]]
    assert case.child.last_name not in str(mail.outbox[0].subject) + str(mail.outbox[0].body)


def test_closing_queues_the_referrers_email_and_the_task_sends_it_once(
    case: Case,
    officer: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("cme.tasks.enqueue", lambda task, *a, **k: True)
    with django_capture_on_commit_callbacks(execute=True):
        closing.case_close(case=case, by=officer, outcome=Outcome.DIED)
    assert mail.outbox == []
    row = OutboxEmail.objects.get()
    assert row.to == "referrer@example.org"
    assert row.state == OutboxState.PENDING
    assert outbox.send_due() == 1
    assert outbox.send_due() == 0
    assert [m.to for m in mail.outbox] == [["referrer@example.org"]]
    row.refresh_from_db()
    assert row.state == OutboxState.SENT
    assert row.sent_at
    assert row.attempts == 1


def test_a_triage_decision_queues_the_referrers_email(
    officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from casework.services.triage import referral_reject_not_cme
    from referrals.models import NotCmeReason
    from tests.factories import ReferralFactory

    referral = ReferralFactory.create(referrer_email="hv@example.org", anonymous=False)
    referral_reject_not_cme(referral=referral, by=officer, reason=next(iter(NotCmeReason)))
    assert mail.outbox == []
    assert OutboxEmail.objects.filter(to="hv@example.org", state=OutboxState.PENDING).count() == 1
    outbox.send_due()
    assert [m.to for m in mail.outbox] == [["hv@example.org"]]


def test_a_failed_attempt_backs_off_then_fails_after_the_maximum(smtp_down: None) -> None:
    outbox.queue_email("someone@example.org", "Subject", "Body")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
            assert outbox.send_due() == 1
            row = OutboxEmail.objects.get()
            assert row.attempts == attempt
            assert row.last_error == "Refused"
            if attempt < outbox.MAX_ATTEMPTS:
                assert row.state == OutboxState.PENDING
                wait = timedelta(minutes=2 ** (attempt - 1))
                assert row.next_attempt_at == timezone.now() + wait
                assert outbox.send_due() == 0  # not due yet
                traveller.shift(wait)
    assert row.state == OutboxState.FAILED
    assert outbox.send_due() == 0
    assert mail.outbox == []


def test_a_row_left_sending_by_a_dead_worker_is_claimed_again() -> None:
    outbox.queue_email("someone@example.org", "Subject", "Body")
    OutboxEmail.objects.update(state=OutboxState.SENDING, claimed_at=timezone.now(), attempts=1)
    assert outbox.send_due() == 0  # a live claim is left alone
    with time_machine.travel(timezone.now() + outbox.STALE_CLAIM + timedelta(seconds=1)):
        assert outbox.send_due() == 1
    assert OutboxEmail.objects.get().state == OutboxState.SENT
    assert len(mail.outbox) == 1


def test_two_deliveries_at_once_send_each_email_once(transactional_db: None) -> None:
    for n in range(30):
        outbox.queue_email(f"p{n}@example.org", f"Subject {n}", "Body")
    OutboxEmail.objects.update(state=OutboxState.PENDING, sent_at=None, attempts=0)
    mail.outbox = []
    if connection.vendor == "postgresql":  # SQLite has one writer at a time: sequential
        counts = at_once(lambda: outbox.send_batch(limit=7) + outbox.send_due())
    else:
        counts = [outbox.send_batch(limit=7) + outbox.send_due() for _ in range(2)]
    assert sum(counts) == 30
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"p{n}@example.org" for n in range(30))


def test_the_same_key_is_queued_once() -> None:
    outbox.queue_email("a@example.org", "S", "B", key="k:1")
    outbox.queue_email("a@example.org", "S", "B", key="k:1")
    assert OutboxEmail.objects.count() == 1


# ------------------------------------------------------------- "Emails not delivered" page


def _failed(n: int) -> list[OutboxEmail]:
    return OutboxEmail.objects.bulk_create(
        [
            OutboxEmail(
                to=f"p{i}@example.org",
                subject=f"Your CME referral R{i}: outcome",
                body="x",
                state=OutboxState.FAILED,
                attempts=8,
                last_error="ConnectionRefusedError",
            )
            for i in range(n)
        ]
    )


@pytest.mark.parametrize("rows", [1, 25])
def test_managers_see_the_emails_not_delivered_in_constant_queries(
    manager_client: Client, rows: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    _failed(rows)
    OutboxEmail.objects.create(to="ok@example.org", subject="Sent one", state=OutboxState.SENT)
    with django_assert_max_num_queries(12):
        response = manager_client.get(reverse("emails_not_delivered"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "ConnectionRefusedError" in page
    assert "p0@example.org" in page
    assert "Your CME referral R0: outcome" in page
    assert "Sent one" not in page


def test_a_long_pending_email_is_listed_too(manager_client: Client) -> None:
    row = OutboxEmail.objects.create(to="slow@example.org", subject="Slow", attempts=3)
    assert "Slow" not in manager_client.get(reverse("emails_not_delivered")).content.decode()
    OutboxEmail.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert "Slow" in manager_client.get(reverse("emails_not_delivered")).content.decode()


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SCHOOL_STAFF, Role.ADMINISTRATOR])
def test_only_managers_see_the_page_or_try_again(role: Role) -> None:
    (row,) = _failed(1)
    client = client_for(UserFactory.create(role=role))
    assert client.get(reverse("emails_not_delivered")).status_code == 403
    assert client.post(reverse("emails_retry", args=[row.pk])).status_code == 403
    row.refresh_from_db()
    assert row.state == OutboxState.FAILED


def test_try_again_sends_a_failed_email(
    manager_client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    (row,) = _failed(1)
    assert manager_client.get(reverse("emails_retry", args=[row.pk])).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):  # the task runs (eager in tests)
        response = manager_client.post(reverse("emails_retry", args=[row.pk]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.state == OutboxState.SENT
    assert row.attempts == 1
    assert [m.to for m in mail.outbox] == [["p0@example.org"]]
    # Sent: a second "Try again" changes nothing.
    manager_client.post(reverse("emails_retry", args=[row.pk]))
    assert len(mail.outbox) == 1


def test_the_dashboard_links_to_the_page_when_emails_failed(manager_client: Client) -> None:
    _failed(2)
    page = manager_client.get(reverse("dashboard:dashboard")).content.decode()
    assert reverse("emails_not_delivered") in page
