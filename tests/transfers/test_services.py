"""Sending a transfer, recording the other LA's answer, and receiving one as a referral."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
import time_machine
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from casework.models import CaseStatus, Event, EventKind
from cme.models import OutboxEmail, User
from cme.storage import private_storage
from referrals.models import Referral, ReferrerType
from schools.ctf.parser import parse_ctf
from tests.factories import CaseFactory
from tests.transfers.helpers import HOSTILE_FIRST, HOSTILE_LAST, moved_case, other_la, send
from transfers import receiving
from transfers import services as svc
from transfers.ctf import read_transfer
from transfers.models import (
    ReceivedTransfer,
    RejectionReason,
    Transfer,
    TransferStatus,
    TransferTrigger,
)

pytestmark = pytest.mark.django_db


def test_sending_stores_both_files_and_emails_a_link_that_names_no_child(
    officer: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    case = moved_case(officer, first_name="Ada", last_name="Quillfeather")
    transfer, token = send(case, officer)
    storage = private_storage()
    ctf = storage.open(transfer.ctf_name).read()
    pdf = storage.open(transfer.pdf_name).read()
    assert pdf.startswith(b"%PDF")
    read = read_transfer(ctf)
    assert read.message.reference == transfer.reference
    assert read.message.child.last_name == "Quillfeather"
    assert [e.kind for e in read.message.enquiries] == ["home_visit", "health"]
    assert ("child_protection_plan", "Child protection plan") in read.message.flags
    assert read.message.escalation_reason == "Child protection plan"
    (email,) = OutboxEmail.objects.filter(key=f"{svc.SENT_KEY}{transfer.pk}")
    assert email.to == "cme@la888.example.gov.uk"
    assert f"/transfers/download/{token}/" in email.body
    for personal in ("Ada", "Quillfeather", case.child.postcode):
        assert personal not in email.body
        assert personal not in email.subject
    assert transfer.token_hash == svc.token_hash(token) != token
    event = Event.objects.get(case=case, kind=EventKind.TRANSFER)
    assert event.summary == f"Transfer {transfer.reference} sent to Otherborough Council"


def test_the_pdf_shows_hostile_names_as_text(officer: User) -> None:
    import subprocess

    case = moved_case(officer, first_name=HOSTILE_FIRST, last_name=HOSTILE_LAST)
    transfer, _ = send(case, officer)
    pdf = private_storage().open(transfer.pdf_name).read()
    text = subprocess.run(
        ["/usr/bin/pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "<script>alert('x')</script>" in text  # shown, not run or dropped
    assert "O'Brien & Sons" in text


def test_the_same_submission_token_sends_once(officer: User) -> None:
    case = moved_case(officer)
    token = uuid.uuid4()
    kwargs = {
        "case": case,
        "by": officer,
        "to_la": other_la(),
        "trigger": TransferTrigger.MOVED,
        "reasons": "Moved",
        "submission_token": token,
    }
    first, link = svc.transfer_send(**kwargs)  # type: ignore[arg-type]
    again, none = svc.transfer_send(**kwargs)  # type: ignore[arg-type]
    assert again.pk == first.pk
    assert link
    assert none is None
    assert Transfer.objects.count() == 1
    assert OutboxEmail.objects.filter(kind="transfer_sent").count() == 1


def test_one_transfer_waits_for_an_answer_at_a_time(officer: User) -> None:
    case = moved_case(officer)
    first, _ = send(case, officer)
    with pytest.raises(svc.TransferError, match=first.reference):
        send(case, officer)


def test_a_closed_case_goes_only_if_it_closed_as_moved(officer: User) -> None:
    case = CaseFactory.create(
        status=CaseStatus.CLOSED, outcome="moved_abroad", closed_at=timezone.now()
    )
    with pytest.raises(svc.TransferError, match="not closed as moved"):
        send(case, officer)


def test_an_open_case_goes_when_the_whereabouts_are_believed_elsewhere(officer: User) -> None:
    case = CaseFactory.create(allocated_to=officer)
    transfer, _ = svc.transfer_send(
        case=case,
        by=officer,
        to_la=other_la(),
        trigger=TransferTrigger.WHEREABOUTS,
        reasons="A neighbour says they moved there",
        submission_token=uuid.uuid4(),
    )
    assert transfer.trigger == TransferTrigger.WHEREABOUTS


def test_never_to_ourselves(officer: User, settings: object) -> None:
    with pytest.raises(svc.TransferError, match="ours"):
        send(moved_case(officer), officer, other_la("999", "Exampleshire County Council"))


def test_the_answer_day_is_ten_working_days_after_sending(officer: User) -> None:
    # Sent Thursday 17 December 2026: Christmas and Boxing Day (substitute 28th) not counted.
    with time_machine.travel(date(2026, 12, 17), tick=False):
        transfer, _ = send(moved_case(officer), officer)
    assert transfer.answer_due == date(2027, 1, 5)


def test_answers_acknowledged_then_accepted(officer: User) -> None:
    transfer, _ = send(moved_case(officer), officer)
    svc.transfer_record_answer(transfer=transfer, by=officer, status=TransferStatus.ACKNOWLEDGED)
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACKNOWLEDGED
    assert transfer.acknowledged_at
    svc.transfer_record_answer(
        transfer=transfer, by=officer, status=TransferStatus.ACCEPTED, notes="Email from Jo"
    )
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED
    assert transfer.answered_at
    summaries = list(
        Event.objects.filter(kind=EventKind.TRANSFER)
        .order_by("id")
        .values_list("summary", flat=True)
    )
    assert summaries[-1] == f"Transfer {transfer.reference} accepted by Otherborough Council"
    assert transfer.history.count() == 3  # created, acknowledged, accepted
    with pytest.raises(svc.TransferError, match="already answered"):
        svc.transfer_record_answer(
            transfer=transfer,
            by=officer,
            status=TransferStatus.REJECTED,
            rejection_reason=RejectionReason.OTHER,
        )


def test_a_rejection_needs_its_coded_reason(officer: User) -> None:
    transfer, _ = send(moved_case(officer), officer)
    with pytest.raises(svc.TransferError, match="Select why"):
        svc.transfer_record_answer(transfer=transfer, by=officer, status=TransferStatus.REJECTED)
    svc.transfer_record_answer(
        transfer=transfer,
        by=officer,
        status=TransferStatus.REJECTED,
        rejection_reason=RejectionReason.NOT_RESIDENT,
    )
    transfer.refresh_from_db()
    assert transfer.get_rejection_reason_display().startswith("The child does not live")
    # Rejected: the case can be sent again (to another LA, say).
    send(transfer.case, officer, other_la("777", "Thirdshire Council"))


# ----------------------------------------------------------------------------- receiving


def _sent_ctf(officer: User, **child: str) -> bytes:
    transfer, _ = send(moved_case(officer, **child), officer)
    return bytes(private_storage().open(transfer.ctf_name).read())


def test_a_received_transfer_is_a_referral_with_the_history(
    officer: User, settings: object
) -> None:
    data = _sent_ctf(officer, first_name=HOSTILE_FIRST, last_name=HOSTILE_LAST)
    # The receiving LA is another install: its own LA code is the one the file was sent to.
    settings.CME_LA_CODE = "888"  # type: ignore[attr-defined]
    received, created = receiving.transfer_receive(data=data, by=officer)
    assert created
    referral = received.referral
    assert referral.referrer_type == ReferrerType.OTHER_LA
    assert referral.referrer_organisation == "Exampleshire County Council"
    assert referral.referrer_email == officer.email
    assert (referral.first_name, referral.last_name) == (HOSTILE_FIRST, HOSTILE_LAST)
    assert referral.reasons == ["moved_away", "abuse_neglect"]
    assert referral.child_protection_plan
    assert referral.young_carer
    assert "Home visit" in referral.enquiries_made
    assert "GP surgery" in referral.enquiries_made
    assert "Escalated on" in referral.details
    assert "Child protection plan" in referral.details
    assert referral.status == "new"
    assert received.from_la_code == "999"


def test_the_same_transfer_uploaded_twice_makes_one_referral(
    officer: User, settings: object
) -> None:
    data = _sent_ctf(officer)
    settings.CME_LA_CODE = "888"  # type: ignore[attr-defined]
    first, created = receiving.transfer_receive(data=data, by=officer)
    again, created_again = receiving.transfer_receive(data=data, by=officer)
    assert created
    assert not created_again
    assert again.referral_id == first.referral_id
    assert ReceivedTransfer.objects.count() == 1
    assert Referral.objects.filter(referrer_type=ReferrerType.OTHER_LA).count() == 1


def test_a_transfer_for_another_la_is_refused(officer: User) -> None:
    data = _sent_ctf(officer)  # sent to 888; we are 999
    with pytest.raises(svc.TransferError, match="not for us"):
        receiving.transfer_receive(data=data, by=officer)
    assert not ReceivedTransfer.objects.exists()


def test_the_standard_ctf_part_names_the_la_as_source(officer: User) -> None:
    ctf = parse_ctf(_sent_ctf(officer))
    assert (ctf.source.lea, ctf.source.name, ctf.dest.lea) == (
        "999",
        "Exampleshire County Council",
        "888",
    )
