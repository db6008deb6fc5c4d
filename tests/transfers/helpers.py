"""A case worth transferring, the directory, and a sent transfer, for the transfer tests."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from casework.models import Case, CaseStatus, Enquiry, EnquiryResult, EnquiryType, Outcome
from cme.models import User
from tests.factories import CaseFactory, ChildFactory, ReferralFactory
from transfers.models import LocalAuthority, Transfer, TransferTrigger
from transfers.services import transfer_send

#: Names a hostile or careless system might send: markup, entities, quotes, unicode.
HOSTILE_FIRST = "Zoë <script>alert('x')</script>"
HOSTILE_LAST = 'O\'Brien & Sons "Ltd" ]]> Łódź 👩\u200d👧'


def other_la(code: str = "888", name: str = "Otherborough Council") -> LocalAuthority:
    return LocalAuthority.objects.get_or_create(
        code=code, defaults={"name": name, "cme_email": f"cme@la{code}.example.gov.uk"}
    )[0]


def moved_case(officer: User, **child: Any) -> Case:
    """A case closed as moved to another LA, with two enquiries and safeguarding flags."""
    referral = ReferralFactory.create(
        status="accepted",
        decided_at=timezone.now(),
        reasons=["moved_away", "abuse_neglect"],
        last_school_name="Alder Primary School",
    )
    case = CaseFactory.create(
        referral=referral,
        child=ChildFactory.create(
            child_protection_plan=True,
            young_carer=True,
            upn="",
            **child,
        ),
        allocated_to=officer,
        status=CaseStatus.CLOSED,
        outcome=Outcome.MOVED_OTHER_LA,
        outcome_la="Otherborough Council",
        outcome_la_accepted=True,
        closed_at=timezone.now(),
        became_cme_on=date(2026, 9, 14),
        escalated_at=timezone.now() - timedelta(days=2),
        escalation_reason="Child protection plan",
    )
    for days, kind, contact, result, notes in (
        (
            5,
            EnquiryType.HOME_VISIT,
            "Neighbour at no. 12",
            EnquiryResult.INFORMATION,
            "Said the family moved to Otherborough <last month> & left no address",
        ),
        (3, EnquiryType.HEALTH, "GP surgery", EnquiryResult.FOUND, "Registered with a GP there"),
    ):
        Enquiry.objects.create(
            case=case,
            enquiry_type=kind,
            made_on=timezone.localdate() - timedelta(days=days),
            made_by=officer,
            contact=contact,
            result=result,
            notes=notes,
        )
    return case


def send(case: Case, by: User, la: LocalAuthority | None = None) -> tuple[Transfer, str]:
    transfer, token = transfer_send(
        case=case,
        by=by,
        to_la=la or other_la(),
        trigger=TransferTrigger.MOVED,
        reasons="The family's new address is in Otherborough",
        submission_token=uuid.uuid4(),
    )
    assert token is not None
    return transfer, token


def transfer_row(officer: User, **fields: Any) -> Transfer:
    """A transfer row without its files (the list shows no file)."""
    return Transfer.objects.create(
        reference=f"TR-{uuid.uuid4().hex[:4].upper()}-TEST",
        case=CaseFactory.create(),
        to_la=other_la(),
        trigger=TransferTrigger.WHEREABOUTS,
        reasons="Moved",
        sent_at=timezone.now(),
        sent_by=officer,
        answer_due=timezone.localdate() - timedelta(days=1),
        ctf_name="x",
        pdf_name="y",
        token_hash=uuid.uuid4().hex,
        link_expires_at=timezone.now() + timedelta(days=28),
        submission_token=uuid.uuid4(),
        **fields,
    )
