"""A case as the transfer message its CTF and PDF carry (reads only)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from casework.models import Case
from cme.models import User
from referrals.models import Reason
from referrals.vocabulary import flags_of
from transfers.models import LocalAuthority, TransferTrigger
from transfers.records import TransferChild, TransferEnquiry, TransferLA, TransferMessage

_REASONS = dict(Reason.choices)


def our_la() -> TransferLA:
    return TransferLA(code=settings.CME_LA_CODE, name=settings.CME_LA_NAME)


def transfer_message(
    *,
    case: Case,
    reference: str,
    to_la: LocalAuthority,
    trigger: TransferTrigger | str,
    reasons: str,
    by: User,
) -> TransferMessage:
    """What a transfer of ``case`` to ``to_la`` says: the child, why, the enquiries made (all
    of them, oldest first) and the safeguarding flags."""
    child = case.child
    referral = case.referral
    codes = list(dict.fromkeys([*(referral.reasons or [])]))
    school = child.last_school
    return TransferMessage(
        reference=reference,
        case_reference=case.reference,
        sent_on=timezone.localdate(),
        from_la=TransferLA(code=settings.CME_LA_CODE, name=settings.CME_LA_NAME, email=by.email),
        to_la=TransferLA(code=to_la.code, name=to_la.name, email=to_la.cme_email),
        child=TransferChild(
            first_name=child.first_name,
            last_name=child.last_name,
            middle_names=child.middle_names,
            other_names=child.other_names,
            date_of_birth=child.date_of_birth,
            gender=child.gender,
            upn=child.upn,
            address_line_1=child.address_line_1,
            address_line_2=child.address_line_2,
            town=child.town,
            postcode=child.postcode,
            last_school_urn=str(school.urn) if school else "",
            last_school_name=school.name if school else referral.last_school_name,
        ),
        officer_name=by.full_name,
        officer_email=by.email,
        officer_phone=by.phone,
        trigger=str(trigger),
        transfer_reasons=reasons.strip(),
        category=case.category,
        became_cme_on=case.became_cme_on,
        outcome=case.outcome,
        referral_reasons=tuple((code, _REASONS.get(code, code)) for code in codes),
        flags=tuple((f.field, f.label) for f in flags_of(child)),
        escalated_on=timezone.localdate(case.escalated_at) if case.escalated_at else None,
        escalation_reason=case.escalation_reason,
        social_care_referred=case.social_care_referred_at is not None,
        restricted=child.restricted,
        enquiries=tuple(
            TransferEnquiry(
                made_on=e.made_on,
                kind=e.enquiry_type,
                kind_label=e.get_enquiry_type_display(),
                result=e.result,
                result_label=e.get_result_display(),
                contact=e.contact,
                notes=e.notes,
            )
            for e in case.enquiries.order_by("made_on", "id")
        ),
    )
