"""The demo's transfers between councils (issue 16 item 4): the LA directory; CS-DEMO-0008
(closed, moved to Otherborough) sent to Otherborough's CME team, who accepted; CS-DEMO-0002
(open, the family believed to be in Thirdshire) sent 15 working days ago and not answered,
so the reminder has run; and a transfer Otherborough sent us, uploaded: a referral in triage
with its history.

Idempotent: the directory by LA code, each transfer by a fixed submission token, the
received one by its sending LA and reference.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from casework.models import Case
from cme.jobs import run_job
from demo.base import Seed, aware, dated, years_ago
from demo.people import OFFICER
from transfers.ctf import write_transfer
from transfers.models import (
    LocalAuthority,
    ReceivedTransfer,
    Transfer,
    TransferStatus,
    TransferTrigger,
)
from transfers.receiving import received_key, transfer_receive
from transfers.records import TransferChild, TransferEnquiry, TransferLA, TransferMessage
from transfers.rules import transfer_answer_due, transfer_link_expires
from transfers.services import transfer_record_answer, transfer_send

#: (code, name, CME team email): neighbours of the demo's Exampleshire (LA 999).
DIRECTORY = (
    ("888", "Otherborough Council", "cme@otherborough.example.gov.uk"),
    ("777", "Thirdshire County Council", "missing.education@thirdshire.example.gov.uk"),
    ("666", "Northmoor City Council", "cme.team@northmoor.example.gov.uk"),
)
_NS = uuid.UUID("6f1c2b1e-2d4e-4b8a-9a37-0c5e2f6d9a10")


def _send(
    seed: Seed, case_ref: str, la_code: str, trigger: TransferTrigger, reasons: str, sent: date
) -> Transfer:
    token = uuid.uuid5(_NS, case_ref)
    found = Transfer.objects.filter(submission_token=token).first()
    if found is not None:
        seed.count(False)
        return found
    moment = aware(sent)
    with dated(moment):
        transfer, _ = transfer_send(
            case=Case.objects.get(reference=case_ref),
            by=seed.users[OFFICER.email],
            to_la=LocalAuthority.objects.get(code=la_code),
            trigger=trigger,
            reasons=reasons,
            submission_token=token,
        )
    Transfer.objects.filter(pk=transfer.pk).update(
        sent_at=moment,
        created_at=moment,
        answer_due=transfer_answer_due(sent),
        link_expires_at=aware(transfer_link_expires(sent), 23, 59),
    )
    transfer.refresh_from_db()
    seed.count(True)
    return transfer


def _received(seed: Seed) -> None:
    """Otherborough's transfer to us, as its CTF would arrive (made here: no real child)."""
    sent = seed.working_ago(3)
    message = TransferMessage(
        reference="TR-DEMO-0888",
        case_reference="OB-CME-2291",
        sent_on=sent,
        from_la=TransferLA("888", "Otherborough Council", "cme@otherborough.example.gov.uk"),
        to_la=TransferLA(settings.CME_LA_CODE, settings.CME_LA_NAME),
        child=TransferChild(
            first_name="Kai",
            last_name="Doherty-Nowak",
            date_of_birth=years_ago(seed.today, 9, 40),
            gender="M",
            address_line_1="Flat 7, Riverside Court",
            town="Exampleton",
            postcode="EX3 9QT",
            last_school_name="Otherborough Juniors",
        ),
        officer_name="Priya Shah",
        officer_email="priya.shah@otherborough.example.gov.uk",
        officer_phone="01632 960 118",
        trigger=TransferTrigger.WHEREABOUTS,
        transfer_reasons="Housing say the family took a tenancy in Exampleton last month.",
        category="wasp",
        became_cme_on=seed.ago(40),
        referral_reasons=(("failed_transition", "Failed transition between schools"),),
        flags=(("child_in_need", "Child in need or has a social worker"),),
        enquiries=(
            TransferEnquiry(
                seed.ago(20),
                "housing",
                "Housing",
                "information",
                "Information received",
                "Otherborough Homes",
                "Tenancy ended; forwarding address in Exampleton.",
            ),
            TransferEnquiry(
                seed.ago(12),
                "home_visit",
                "Home visit",
                "not_found",
                "Not found",
                "",
                "Old address empty.",
            ),
        ),
    )
    if ReceivedTransfer.objects.filter(key=received_key(message)).exists():
        seed.count(False)
        return
    with dated(aware(sent, 14)):
        transfer_receive(
            data=write_transfer(message, now=timezone.now()), by=seed.users[OFFICER.email]
        )
    seed.count(True)


def seed_transfers(seed: Seed) -> None:
    for code, name, email in DIRECTORY:
        _, created = LocalAuthority.objects.get_or_create(
            code=code, defaults={"name": name, "cme_email": email}
        )
        seed.count(created)
    officer = seed.users[OFFICER.email]
    accepted = _send(
        seed,
        "CS-DEMO-0008",
        "888",
        TransferTrigger.MOVED,
        "Mother confirmed the family's new address in Otherborough; Otherborough's CME "
        "officer agreed by phone to take the case on.",
        seed.working_ago(24),
    )
    if accepted.status == TransferStatus.SENT:
        with dated(aware(seed.working_ago(21))):
            transfer_record_answer(
                transfer=accepted,
                by=officer,
                status=TransferStatus.ACCEPTED,
                notes="Email from Otherborough's CME team: Sophie is on their register.",
            )
        Transfer.objects.filter(pk=accepted.pk).update(answered_at=aware(seed.working_ago(21)))
    _send(
        seed,
        "CS-DEMO-0002",
        "777",
        TransferTrigger.WHEREABOUTS,
        "A relative says the family moved to Thirdshire; no school there has them on roll yet.",
        seed.today - timedelta(days=22),
    )
    _received(seed)
    # The reminder has run: the officer and the manager are told Thirdshire has not answered.
    seed.created += run_job("transfer_answers", today=seed.today).notified
