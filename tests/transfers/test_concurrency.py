"""Races the database decides: the reminder sweep run twice at once, and the same received
transfer uploaded twice at once. On PostgreSQL the two overlap, each in its own connection;
SQLite has one writer at a time, so there they run one after the other: the same
assertions, without the overlap (as tests/casework/test_jobs.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TypeVar

from django.db import connection
from django.utils import timezone

from cme.jobs import run_job
from cme.models import Notification, Role
from referrals.models import Referral
from tests.concurrency import at_once as _at_once
from tests.factories import UserFactory
from tests.transfers.helpers import transfer_row
from transfers.ctf import write_transfer
from transfers.models import ReceivedTransfer
from transfers.receiving import transfer_receive
from transfers.records import TransferChild, TransferLA, TransferMessage

T = TypeVar("T")


def at_once(work: Callable[[], T]) -> list[T]:
    if connection.vendor == "postgresql":
        return _at_once(work, 2)
    return [work(), work()]


def test_two_sweeps_at_once_remind_once(transactional_db: None) -> None:
    officer = UserFactory.create(role=Role.OFFICER)
    manager = UserFactory.create(role=Role.MANAGER)
    rows = [transfer_row(officer) for _ in range(8)]
    results = at_once(lambda: run_job("transfer_answers", today=timezone.localdate()))
    flagged = sorted(ref for result in results for ref in result.flagged)
    assert flagged == sorted(t.reference for t in rows)  # each once, by one run or the other
    assert sum(result.notified for result in results) == 2
    assert Notification.objects.filter(user=manager).count() == 1
    assert Notification.objects.filter(user=officer).count() == 1


def test_the_same_transfer_uploaded_at_once_makes_one_referral(
    transactional_db: None, settings: object
) -> None:
    officer = UserFactory.create(role=Role.OFFICER)
    data = write_transfer(
        TransferMessage(
            reference="TR-RACE-0001",
            case_reference="CS-1",
            sent_on=date(2026, 12, 1),
            from_la=TransferLA("888", "Otherborough Council"),
            to_la=TransferLA("999", "Exampleshire County Council"),
            child=TransferChild(first_name="Ada", last_name="Race"),
        ),
        now=datetime(2026, 12, 1, 9, tzinfo=timezone.get_default_timezone()),
    )
    results = at_once(lambda: transfer_receive(data=data, by=officer))
    assert sorted(created for _, created in results) == [False, True]
    assert results[0][0].referral_id == results[1][0].referral_id
    assert ReceivedTransfer.objects.count() == 1
    assert Referral.objects.count() == 1
    assert timedelta(0) <= timezone.now() - Referral.objects.get().received_at
