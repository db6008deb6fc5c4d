"""Fault drill for GOV.UK Notify (docs/decisions/011-notify.md): Notify hangs or answers 500;
the web keeps answering, and each email is sent exactly once when Notify is back.

The Notify stand-in (notify_stub.py) is a real HTTP server on a thread that checks every
request against Notify's contract. As in test_smtp_faults.py, the requests' enqueue is
recorded and the delivery task is run as a worker would run it, after the request.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from cme.models import OutboxEmail, OutboxState, Role
from cme.tasks import deliver_notifications, poll_notify_status
from tests.factories import UserFactory
from tests.integration.drill import escalate_and_close, nine_escalations_then_pages
from tests.integration.notify_stub import NotifyStub, outbox_through

pytestmark = pytest.mark.integration


@pytest.fixture
def notify(
    settings: Any, transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[NotifyStub, list[str]]]:
    enqueued: list[str] = []
    with outbox_through(settings, monkeypatch, enqueued) as stub:
        yield stub, enqueued


def _run_the_task_as_a_worker() -> None:
    deliver_notifications.apply().get()


@pytest.mark.parametrize("fault", ["hang", "500"])
def test_notify_hanging_or_failing_never_holds_a_request_and_each_email_goes_once(
    notify: tuple[NotifyStub, list[str]], fault: str
) -> None:
    stub, enqueued = notify
    manager = UserFactory.create(role=Role.MANAGER)
    officer = UserFactory.create(role=Role.OFFICER)
    stub.mode = fault
    escalated, closed = escalate_and_close(officer)
    assert enqueued, "the delivery task is enqueued after commit"
    assert stub.requests == []  # no request called Notify

    # The worker tries: Notify hangs (the client's timeout) or answers 500; nothing is lost,
    # and one failed call backs off the whole batch.
    started = time.monotonic()
    _run_the_task_as_a_worker()
    assert time.monotonic() - started < 5
    assert len(stub.requests) == 1
    rows = list(OutboxEmail.objects.order_by("to"))
    assert sorted(r.to for r in rows) == sorted([manager.email, "referrer@example.org"])
    expected = {"hang": "Notify ReadTimeout", "500": "Notify 500 Exception"}[fault]
    for row in rows:
        assert row.state == OutboxState.PENDING
        assert row.attempts == 1
        assert row.last_error == expected
        assert row.provider_id is None

    # Notify is back: once due, each email is sent once, however often the task runs.
    stub.mode = "ok"
    OutboxEmail.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    _run_the_task_as_a_worker()
    _run_the_task_as_a_worker()
    accepted = [n["body"] for n in stub.notifications.values()]  # Notify's 201s
    assert sorted(b["email_address"] for b in accepted) == sorted(
        [manager.email, "referrer@example.org"]
    )
    assert len(stub.posts("/v2/notifications/email")) == 3  # the failed one, then one each
    assert {r.state for r in OutboxEmail.objects.all()} == {OutboxState.SENT}
    assert {r.provider_id for r in OutboxEmail.objects.all()} == set(stub.notifications)
    bodies = " ".join(b["personalisation"]["body"] for b in accepted)
    assert escalated.reference in bodies
    assert closed.referral.reference in bodies

    # Delivered: the status poll (run twice, as beat may) reads it back once it is final.
    for notification_id in stub.notifications:
        stub.set_status(notification_id, "delivered")
    poll_notify_status.apply().get()
    poll_notify_status.apply().get()
    assert len([r for r in stub.requests if r.method == "GET"]) == 2
    assert set(OutboxEmail.objects.values_list("delivery_status", flat=True)) == {"delivered"}


def test_pages_keep_answering_while_notify_hangs(notify: tuple[NotifyStub, list[str]]) -> None:
    stub, _enqueued = notify
    UserFactory.create(role=Role.MANAGER)
    officer = UserFactory.create(role=Role.OFFICER)
    stub.mode = "hang"
    nine_escalations_then_pages(officer)
    _run_the_task_as_a_worker()  # one timeout, not nine
    assert len(stub.requests) == 1
    assert OutboxEmail.objects.filter(state=OutboxState.PENDING, attempts=1).count() == 9
