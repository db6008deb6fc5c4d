"""Helpers for the casework demo: each step goes through the service that does it for real,
so the rows, the events and the chronology are the ones the app would have made; `dated`
then puts each step on the day the story says it happened.

Idempotency: a story is keyed by its referral's fixed reference (``RF-DEMO-0001``). A story
whose referral exists is skipped whole: everything runs in one transaction, so a story is
either all there or not started.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from casework.models import Case, Category, Child, EnquiryResult, EnquiryType, Outcome
from casework.services.cases import case_note_add, enquiry_record
from casework.services.closing import case_close
from casework.services.triage import referral_accept
from demo.base import Seed, aware, dated
from demo.people import MANAGER, OFFICER, DemoUser
from referrals.models import Channel, ParentKnows, Referral, ReferralPerson, ReferrerType
from referrals.services import referral_submit


def child(
    first: str,
    last: str,
    dob: date | None,
    gender: str,
    address: str = "",
    town: str = "Exampleton",
    postcode: str = "",
    **more: Any,
) -> dict[str, Any]:
    """The child's fields on a referral (``more``: reasons, flags, last school, details...)."""
    return {
        "first_name": first,
        "last_name": last,
        "date_of_birth": dob,
        "gender": gender,
        "address_line_1": address,
        "town": town if address else "",
        "postcode": postcode,
        **more,
    }


def parent_person(name: str, relationship: str, phone: str = "", email: str = "") -> dict[str, Any]:
    return {
        "kind": ReferralPerson.Kind.PARENT,
        "name": name,
        "relationship": relationship,
        "phone": phone,
        "email": email,
    }


def refer(
    seed: Seed,
    reference: str,
    *,
    received_on: date,
    referrer_type: ReferrerType,
    channel: Channel = Channel.PUBLIC,
    by: DemoUser | None = None,
    school: int | None = None,
    people: list[dict[str, Any]] | None = None,
    at: tuple[int, int] = (9, 40),
    **fields: Any,
) -> Referral | None:
    """Submit the referral `reference` once, received on `received_on`; None if it exists.

    ``by`` (a demo user) makes it a signed-in referral from that user, for ``school`` (URN).
    """
    if Referral.objects.filter(reference=reference).exists():
        seed.count(False)
        return None
    user = seed.users[by.email] if by else None
    referral = Referral(
        channel=Channel.SIGNED_IN if user else channel,
        referrer_type=referrer_type,
        referrer_user=user,
        referring_school=seed.schools[school] if school else None,
        parent_knows=fields.pop("parent_knows", ParentKnows.YES),
        **fields,
    )
    if user:
        referral.referrer_name = referral.referrer_name or user.full_name
        referral.referrer_email = referral.referrer_email or user.email
    with dated(aware(received_on, *at)):
        referral_submit(referral=referral, people=people, by=user, reference=reference)
    referral.refresh_from_db()
    seed.count(True)
    return referral


def accept(
    seed: Seed,
    referral: Referral,
    case_reference: str,
    *,
    on: date,
    category: Category,
    by: DemoUser = MANAGER,
    officer: DemoUser | None = OFFICER,
    into: Child | None = None,
) -> Case:
    """Accept the referral as CME on `on` (a manager allocating it to `officer`, if given)."""
    with dated(aware(on, 11, 15)):
        case = referral_accept(
            referral=referral,
            by=seed.users[by.email],
            child=into,
            category=category,
            officer=seed.users[officer.email] if officer else None,
            reference=case_reference,
        )
    case.refresh_from_db()
    return case


def enquire(
    seed: Seed,
    case: Case,
    on: date,
    enquiry_type: EnquiryType,
    result: EnquiryResult,
    contact: str = "",
    notes: str = "",
    by: DemoUser = OFFICER,
) -> None:
    with dated(aware(on, 14, 0)):
        enquiry_record(
            case=case,
            by=seed.users[by.email],
            enquiry_type=enquiry_type,
            made_on=on,
            result=result,
            contact=contact,
            notes=notes,
        )


def note(seed: Seed, case: Case, on: date, text: str, by: DemoUser = OFFICER) -> None:
    with dated(aware(on, 16, 5)):
        case_note_add(case=case, by=seed.users[by.email], text=text)


def close(
    seed: Seed, case: Case, on: date, outcome: Outcome, by: DemoUser = OFFICER, **details: Any
) -> None:
    with dated(aware(on, 15, 30)):
        case_close(case=case, by=seed.users[by.email], outcome=outcome, **details)
