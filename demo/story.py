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
from typing import Any, ClassVar

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
from cme.models import User
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
    """The child's fields on a referral (``more``: reasons, flags, last school, details...;
    the last school's name is the demo school's unless given)."""
    if "last_school" in more:
        more.setdefault("last_school_name", more["last_school"].name)
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


@dataclass(frozen=True)
class Step:
    """One thing that happens in a story, `days` working days before today: done by `by`
    at `at` (hour, minute) that day, through the service `do` calls."""

    days: int
    at: ClassVar[tuple[int, int]]
    by: ClassVar[DemoUser] = OFFICER

    def apply(self, seed: Seed, told: Told) -> None:
        on = seed.working_ago(self.days)
        with dated(aware(on, *self.at)):
            self.do(seed, told, on, seed.users[self.by.email])

    def do(self, seed: Seed, told: Told, on: date, by: User) -> None:
        raise NotImplementedError


@dataclass(frozen=True)
class Enquire(Step):
    enquiry_type: EnquiryType
    result: EnquiryResult
    contact: str = ""
    notes: str = ""
    at = (14, 0)

    def do(self, seed: Seed, told: Told, on: date, by: User) -> None:
        enquiry_record(
            case=told.open_case,
            by=by,
            enquiry_type=self.enquiry_type,
            made_on=on,
            result=self.result,
            contact=self.contact,
            notes=self.notes,
        )


@dataclass(frozen=True)
class Note(Step):
    text: str
    at = (16, 5)

    def do(self, seed: Seed, told: Told, on: date, by: User) -> None:
        case_note_add(case=told.open_case, by=by, text=self.text)


@dataclass(frozen=True)
class Close(Step):
    outcome: Outcome
    details: dict[str, Any] = field(default_factory=dict)
    at = (15, 30)

    def do(self, seed: Seed, told: Told, on: date, by: User) -> None:
        details = resolve(seed, self.details)
        case_close(case=told.open_case, by=by, outcome=self.outcome, **details)


@dataclass(frozen=True)
class ChangeCategory(Step):
    category: Category
    reason: str
    at = (16, 0)

    def do(self, seed: Seed, told: Told, on: date, by: User) -> None:
        case_category_change(case=told.open_case, by=by, category=self.category, reason=self.reason)


@dataclass(frozen=True)
class Investigated(Step):
    at = (12, 0)

    def do(self, seed: Seed, told: Told, on: date, by: User) -> None:
        investigation_complete(case=told.open_case, by=by)


@dataclass(frozen=True)
class Reopen(Step):
    reason: str
    at = (10, 0)

    def do(self, seed: Seed, told: Told, on: date, by: User) -> None:
        case_reopen(case=told.open_case, by=by, reason=self.reason)


@dataclass(frozen=True)
class MergeInto(Step):
    """A manager merges this story's child into the child of the case `kept`."""

    kept: str  # a case reference
    reason: str
    # Why the two are one child when they may be twins or siblings (casework.twins).
    twin_or_sibling_reason: str = ""
    at = (9, 30)
    by = MANAGER

    def do(self, seed: Seed, told: Told, on: date, by: User) -> None:
        child_merge(
            kept=Case.objects.get(reference=self.kept).child,
            merged=told.open_case.child,
            by=by,
            reason=self.reason,
            twin_or_sibling_reason=self.twin_or_sibling_reason,
        )

    def apply(self, seed: Seed, told: Told) -> None:
        super().apply(seed, told)
        told.open_case.refresh_from_db()


@dataclass(frozen=True)
class NotCme(Step):
    reason: NotCmeReason
    notes: str
    at = (10, 45)

    def do(self, seed: Seed, told: Told, on: date, by: User) -> None:
        referral_reject_not_cme(referral=told.referral, by=by, reason=self.reason, notes=self.notes)


@dataclass(frozen=True)
class DuplicateOf(Step):
    case: str  # the reference of the case it duplicates
    at = (15, 0)

    def do(self, seed: Seed, told: Told, on: date, by: User) -> None:
        duplicated = Case.objects.get(reference=self.case)
        referral_mark_duplicate(referral=told.referral, by=by, case=duplicated)


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
