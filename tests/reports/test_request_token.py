"""The report request form is idempotent (issue 18): its one-time token, as on the returns'
and referrals' check pages. A double click, or a retry after a lost answer, sends the same
form twice: one run is recorded and built, and both answers show it. Two sends at the same
moment (two threads, PostgreSQL) record one as well."""

from __future__ import annotations

import re
import threading
import uuid

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cme.models import Role, User
from reports import periods
from reports import services as svc
from reports.models import ReportRun
from tests.concurrency import at_once
from tests.conftest import client_for
from tests.factories import UserFactory

RUNS = reverse("reports:runs")
TODAY = "2026-04-10 09:00 +01:00"


@pytest.fixture
def enqueued(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The runs sent to be built (instead of building them)."""
    sent: list[int] = []
    monkeypatch.setattr(svc, "_enqueue", sent.append)
    return sent


def _token(page: bytes) -> str:
    found = re.search(rb'<input type="hidden" name="submission_token" value="([^"]+)">', page)
    assert found, "the request form has no token"
    return found.group(1).decode()


def _ask(client: Client, token: str, **data: str) -> str:
    response = client.post(
        RUNS, {"period": "last_quarter", "audience": "board", "submission_token": token, **data}
    )
    assert response.status_code == 302
    assert response["Location"] == RUNS
    return str(response["Location"])


@time_machine.travel(TODAY, tick=False)
def test_each_form_shown_has_its_own_token(manager_client: Client) -> None:
    # Two tabs open on the page ask for two reports: a token per form, not per session.
    first = _token(manager_client.get(RUNS).content)
    second = _token(manager_client.get(RUNS).content)
    assert uuid.UUID(first) != uuid.UUID(second)


@time_machine.travel(TODAY, tick=False)
def test_the_same_form_sent_twice_records_and_builds_one_run(
    manager_client: Client, manager: User, enqueued: list[int]
) -> None:
    token = _token(manager_client.get(RUNS).content)
    _ask(manager_client, token)
    _ask(manager_client, token)  # a double click, or a retry after a lost answer
    run = ReportRun.objects.get()
    assert run.submission_token == uuid.UUID(token)
    assert run.requested_by == manager
    assert enqueued == [run.pk]
    page = manager_client.get(RUNS).content.decode()
    assert f"Report {run.pk} requested" in page  # both answers: the one run's message
    assert _token(page.encode()) != token  # the next request is a new one
    # Another form's token asks for another report.
    _ask(manager_client, _token(page.encode()), audience="internal")
    assert ReportRun.objects.count() == 2


@time_machine.travel(TODAY, tick=False)
def test_a_form_shown_again_with_its_errors_keeps_its_token(
    manager_client: Client, enqueued: list[int]
) -> None:
    token = _token(manager_client.get(RUNS).content)
    response = manager_client.post(RUNS, {"audience": "board", "submission_token": token})
    assert response.status_code == 200
    assert "Select the period the report should cover" in response.content.decode()
    assert _token(response.content) == token
    _ask(manager_client, token)
    _ask(manager_client, token)
    assert ReportRun.objects.count() == 1
    assert len(enqueued) == 1


@time_machine.travel(TODAY, tick=False)
def test_a_token_replayed_by_another_manager_asks_for_nothing_more(
    manager_client: Client, enqueued: list[int]
) -> None:
    token = _token(manager_client.get(RUNS).content)
    _ask(manager_client, token)
    other = client_for(UserFactory.create(role=Role.MANAGER))
    _ask(other, token, period="last_month")
    assert ReportRun.objects.count() == 1
    assert len(enqueued) == 1
    assert svc.report_already_requested(None) is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent inserts: PostgreSQL")
@pytest.mark.django_db(transaction=True)
@time_machine.travel(TODAY, tick=False)
def test_two_sends_at_the_same_moment_record_one_run(
    monkeypatch: pytest.MonkeyPatch, enqueued: list[int]
) -> None:
    """Both sends are held after their "asked already?" look-up until both have made it:
    both found nothing and both insert, so the database's unique token decides."""
    manager = UserFactory.create(role=Role.MANAGER)
    barrier = threading.Barrier(2)
    looked: list[object] = []
    lock = threading.Lock()
    real = svc.report_already_requested

    def held(token: uuid.UUID | None) -> ReportRun | None:
        found = real(token)
        with lock:
            first_two = len(looked) < 2
            looked.append(found)
        if first_two:
            barrier.wait(timeout=10)
        return found

    monkeypatch.setattr(svc, "report_already_requested", held)
    token = uuid.uuid4()
    start, end = periods.last_quarter(timezone.localdate())

    def send() -> int:
        return svc.report_request(by=manager, start=start, end=end, submission_token=token).pk

    first, second = at_once(send)
    assert looked[:2] == [None, None]  # both went on to insert
    assert first == second == ReportRun.objects.get().pk
    assert enqueued == [first]
