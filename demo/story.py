"""Helpers for the casework demo: each step goes through the service that does it for real,
so the rows, the events and the chronology are the ones the app would have made; `dated`
then puts each step on the day the story says it happened.

Idempotency: a story is keyed by its referral's fixed reference (``RF-DEMO-0001``). A story
whose referral exists is skipped whole: everything runs in one transaction, so a story is
either all there or not started.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from casework.models import Case, Category, Child, EnquiryResult, EnquiryType, Outcome
from casework.services.cases import (
    case_category_change,
    case_note_add,
    enquiry_record,
    investigation_complete,
)
from casework.services.closing import case_close, case_reopen
from casework.services.merge import child_merge
from casework.services.triage import (
    referral_accept,
    referral_mark_duplicate,
    referral_reject_not_cme,
)
from demo.base import Seed, aware, dated
from demo.people import MANAGER, OFFICER, DemoUser
from demo.schools import DemoSchool
from demo.values import Age, resolve
from referrals.models import (
    Channel,
    NotCmeReason,
    ParentKnows,
    Referral,
    ReferralPerson,
    ReferrerType,
)
from referrals.services import referral_submit


def child(
    first: str,
    last: str,
    dob: date | Age | None,
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


def from_school(
    by: DemoUser, school: DemoSchool, parent: dict[str, Any], **more: Any
) -> dict[str, Any]:
    """A story's referral fields for a signed-in referral by `by`, for `school`."""
    return {
        "referrer_type": ReferrerType.SCHOOL,
        "by": by,
        "school": school.urn,
        **more,
        "people": [parent],
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


# ------------------------------------------------------------------------------ stories


@dataclass(frozen=True)
class Told:
    """A story so far: its referral and, once accepted, its case."""

    referral: Referral
    case: Case | None

    @property
    def open_case(self) -> Case:
        if self.case is None:  # a step on a case in a story with none: a mistake in a table
            raise ValueError(f"{self.referral.reference} has no case")
        return self.case


class Step:
    """One thing that happens in a story, `days` working days before today."""

    days: int

    def apply(self, seed: Seed, told: Told) -> None:
        raise NotImplementedError


@dataclass(frozen=True)
class Enquire(Step):
    days: int
    enquiry_type: EnquiryType
    result: EnquiryResult
    contact: str = ""
    notes: str = ""

    def apply(self, seed: Seed, told: Told) -> None:
        on = seed.working_ago(self.days)
        enquire(seed, told.open_case, on, self.enquiry_type, self.result, self.contact, self.notes)


@dataclass(frozen=True)
class Note(Step):
    days: int
    text: str

    def apply(self, seed: Seed, told: Told) -> None:
        note(seed, told.open_case, seed.working_ago(self.days), self.text)


@dataclass(frozen=True)
class Close(Step):
    days: int
    outcome: Outcome
    details: dict[str, Any] = field(default_factory=dict)

    def apply(self, seed: Seed, told: Told) -> None:
        on = seed.working_ago(self.days)
        close(seed, told.open_case, on, self.outcome, **resolve(seed, self.details))


@dataclass(frozen=True)
class ChangeCategory(Step):
    days: int
    category: Category
    reason: str

    def apply(self, seed: Seed, told: Told) -> None:
        with dated(aware(seed.working_ago(self.days), 16, 0)):
            case_category_change(
                case=told.open_case,
                by=seed.users[OFFICER.email],
                category=self.category,
                reason=self.reason,
            )


@dataclass(frozen=True)
class Investigated(Step):
    days: int

    def apply(self, seed: Seed, told: Told) -> None:
        with dated(aware(seed.working_ago(self.days), 12, 0)):
            investigation_complete(case=told.open_case, by=seed.users[OFFICER.email])


@dataclass(frozen=True)
class Reopen(Step):
    days: int
    reason: str

    def apply(self, seed: Seed, told: Told) -> None:
        with dated(aware(seed.working_ago(self.days), 10, 0)):
            case_reopen(case=told.open_case, by=seed.users[OFFICER.email], reason=self.reason)


@dataclass(frozen=True)
class MergeInto(Step):
    """A manager merges this story's child into the child of the case `kept`."""

    days: int
    kept: str  # a case reference
    reason: str
    # Why the two are one child when they may be twins or siblings (casework.twins).
    twin_or_sibling_reason: str = ""

    def apply(self, seed: Seed, told: Told) -> None:
        case = told.open_case
        with dated(aware(seed.working_ago(self.days), 9, 30)):
            child_merge(
                kept=Case.objects.get(reference=self.kept).child,
                merged=case.child,
                by=seed.users[MANAGER.email],
                reason=self.reason,
                twin_or_sibling_reason=self.twin_or_sibling_reason,
            )
        case.refresh_from_db()


@dataclass(frozen=True)
class NotCme(Step):
    days: int
    reason: NotCmeReason
    notes: str

    def apply(self, seed: Seed, told: Told) -> None:
        with dated(aware(seed.working_ago(self.days), 10, 45)):
            referral_reject_not_cme(
                referral=told.referral,
                by=seed.users[OFFICER.email],
                reason=self.reason,
                notes=self.notes,
            )


@dataclass(frozen=True)
class DuplicateOf(Step):
    days: int
    case: str  # the reference of the case it duplicates

    def apply(self, seed: Seed, told: Told) -> None:
        with dated(aware(seed.working_ago(self.days), 15, 0)):
            referral_mark_duplicate(
                referral=told.referral,
                by=seed.users[OFFICER.email],
                case=Case.objects.get(reference=self.case),
            )


@dataclass(frozen=True)
class Story:
    """A referral received `received` working days ago, accepted as the case `case` (if
    given, in `category`), then its `steps`, in order. ``child`` is what ``child()`` gives;
    ``referral`` the rest of ``refer()``'s fields; ``accept`` overrides ``accept()``'s."""

    reference: str
    received: int
    referral: dict[str, Any]
    child: dict[str, Any]
    case: str = ""
    category: Category = Category.WASP
    accept: dict[str, Any] = field(default_factory=dict)
    steps: tuple[Step, ...] = ()


def tell(seed: Seed, story: Story) -> None:
    """Run the story once: nothing if its referral exists (see the module's docstring)."""
    received = seed.working_ago(story.received)
    referral = refer(
        seed,
        story.reference,
        received_on=received,
        **resolve(seed, story.referral),
        **resolve(seed, story.child),
    )
    if referral is None:
        return
    case = None
    if story.case:
        case = accept(
            seed, referral, story.case, on=received, category=story.category, **story.accept
        )
    told = Told(referral, case)
    for step in story.steps:
        step.apply(seed, told)
