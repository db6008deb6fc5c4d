"""The reminder sweep: transfers not answered by their answer day, flagged once and
notified once (to the case's officer and the managers), however often it runs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cme.jobs import all_jobs, run_job
from cme.models import Notification, User
from tests.factories import UserFactory
from tests.transfers.helpers import moved_case, send
from transfers import services as svc
from transfers.models import Transfer, TransferStatus
from transfers.rules import transfer_answer_due

pytestmark = pytest.mark.django_db

SENT = date(2026, 12, 17)  # Thursday; answer due Tuesday 5 January 2027
DUE = date(2027, 1, 5)


def _sent(officer: User) -> Transfer:
    with time_machine.travel(SENT, tick=False):
        transfer, _ = send(moved_case(officer), officer)
    return transfer


def test_the_job_is_registered_with_a_time() -> None:
    from config.settings import CELERY_BEAT_SCHEDULE, CME_JOB_TIMES

    assert "transfer_answers" in all_jobs()
    assert CME_JOB_TIMES["transfer_answers"] == "07:30"
    assert CELERY_BEAT_SCHEDULE["transfer_answers"]["args"] == ("transfer_answers",)


def test_the_answer_day_itself_is_not_late_the_next_day_is(officer: User, manager: User) -> None:
    transfer = _sent(officer)
    assert transfer_answer_due(SENT) == DUE == transfer.answer_due
    assert run_job("transfer_answers", today=DUE).flagged == []
    assert run_job("transfer_answers", today=DUE + timedelta(days=1)).flagged == [
        transfer.reference
    ]


def test_run_twice_it_flags_and_notifies_once(officer: User, manager: User) -> None:
    transfer = _sent(officer)
    other_manager = UserFactory.create(role="manager")
    day = DUE + timedelta(days=1)
    assert run_job("transfer_answers", today=day, dry_run=True).flagged == [transfer.reference]
    assert not Notification.objects.exists()  # a dry run changes nothing
    first = run_job("transfer_answers", today=day)
    second = run_job("transfer_answers", today=day)
    third = run_job("transfer_answers", today=day + timedelta(days=1))
    assert first.flagged == [transfer.reference]
    assert first.notified == 3
    assert second.flagged == []
    assert second.notified == 0
    assert third.flagged == []
    notes = Notification.objects.order_by("user_id")
    assert {n.user_id for n in notes} == {officer.pk, manager.pk, other_manager.pk}
    for note in notes:
        assert transfer.reference in note.body
        assert transfer.case.child.last_name not in note.body + note.title


def test_an_answered_or_acknowledged_transfer(officer: User, manager: User) -> None:
    answered = _sent(officer)
    acknowledged = _sent(officer)
    svc.transfer_record_answer(transfer=answered, by=officer, status=TransferStatus.ACCEPTED)
    svc.transfer_record_answer(
        transfer=acknowledged, by=officer, status=TransferStatus.ACKNOWLEDGED
    )
    # Acknowledged is not a decision: the reminder still goes.
    assert run_job("transfer_answers", today=DUE + timedelta(days=1)).flagged == [
        acknowledged.reference
    ]


def test_the_reminder_links_to_the_late_transfers(
    officer: User, manager: User, manager_client: Client
) -> None:
    transfer = _sent(officer)
    run_job("transfer_answers", today=DUE + timedelta(days=1))
    note = Notification.objects.get(user=manager)
    assert note.url == reverse("transfers:list") + "?awaiting=overdue"
    with time_machine.travel(DUE + timedelta(days=1), tick=False):
        page = manager_client.get(note.url).content.decode()
    assert transfer.reference in page
    assert "No answer: due 5 Jan 2027" in page
