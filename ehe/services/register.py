"""Writes for the EHE register: a child comes onto it (from a ground (f) leaver return, a
referral triaged as home education, an officer, or the children-not-in-school register), the
LA's contacts with the family, and its view of whether the education appears suitable.

Every write is atomic, stamps who and when, and records an entry in the child's chronology.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from casework.events import record_event
from casework.matching import child_keys_save
from casework.matching.keys import name_keys, normalise_upn
from casework.models import Child, EventKind
from cme.models import User
from ehe import rules
from ehe.models import (
    Contact,
    ContactKind,
    HomeEducation,
    Parent,
    Source,
    Status,
    Suitability,
    SuitabilityView,
)
from ehe.signals import home_education_registered
from referrals.models import Referral
from schools.models import DeletionGround, LeaverReturn

ERROR_FUTURE = "The date must be today or in the past"
ERROR_NO_NAME = "Enter the child's first name and last name"
ERROR_NOT_ACTIVE = "This child is no longer on the home education register"
ERROR_REASONS = "Enter the reasons for the view"
ERROR_ENDED_BEFORE_START = "The date must be on or after the day home education started"

#: The child and address fields an entry is made from (a return, a referral, a form).
CHILD_FIELDS = ("first_name", "middle_names", "last_name", "date_of_birth", "gender", "upn")
ADDRESS_FIELDS = ("address_line_1", "address_line_2", "town", "postcode")


class EheError(Exception):
    """A change the register refuses; the message is safe to show to the officer."""


def _not_future(d: date) -> None:
    if d > timezone.localdate():
        raise EheError(ERROR_FUTURE)


def child_for(details: dict[str, Any], *, by: User | None) -> Child:
    """The child record these details are of: the active child with the same UPN, or with
    the same first and last name (as matching normalises them) and date of birth; else a new
    record. A looser likeness is left to triage's matching, where an officer decides."""
    first = str(details.get("first_name", "")).strip()
    last = str(details.get("last_name", "")).strip()
    if not (first and last):
        raise EheError(ERROR_NO_NAME)
    active = Child.objects.filter(merged_into__isnull=True)
    upn = normalise_upn(str(details.get("upn", "")))
    found = active.filter(upn=upn).order_by("pk").first() if upn else None
    dob = details.get("date_of_birth")
    if found is None and dob is not None:
        first_key, last_key, _ = name_keys(first, last)
        found = (
            active.filter(first_name_key=first_key, last_name_key=last_key, date_of_birth=dob)
            .order_by("pk")
            .first()
        )
    if found is not None:
        return found
    child = Child(**{f: details[f] for f in (*CHILD_FIELDS, *ADDRESS_FIELDS) if f in details})
    child.last_school = details.get("last_school")
    child.created_by = child.updated_by = by
    child_keys_save(child, save=False)
    child.save()
    return child


def _split_name(name: str) -> tuple[str, str]:
    parts = name.strip().rsplit(" ", 1)
    return ("", parts[0]) if len(parts) == 1 else (parts[0], parts[1])


@transaction.atomic
def home_education_register(
    *,
    child: Child,
    source: Source,
    by: User | None,
    started_on: date | None = None,
    address: dict[str, str] | None = None,
    parents: list[dict[str, Any]] | None = None,
    source_return: LeaverReturn | None = None,
    source_referral: Referral | None = None,
    registered_on: date | None = None,
) -> HomeEducation:
    """Put ``child`` on the EHE register (once: a child already on it keeps its entry, and a
    return or referral already registered changes nothing). The first contact is due
    `ehe.rules.first_contact_due` after today. Sends ``home_education_registered``."""
    child = Child.objects.select_for_update().get(pk=child.pk)
    already = HomeEducation.objects.filter(child=child, status=Status.ACTIVE).first()
    if already is not None:
        return already
    today = registered_on or timezone.localdate()
    address = address or {f: getattr(child, f) for f in ADDRESS_FIELDS}
    entry = HomeEducation(
        child=child,
        source=source,
        source_return=source_return,
        source_referral=source_referral,
        started_on=started_on,
        next_contact_due=rules.first_contact_due(today),
        created_by=by,
        updated_by=by,
        **{f: address.get(f, "") for f in ADDRESS_FIELDS},
    )
    entry.save()
    for person in parents or []:
        Parent.objects.create(home_education=entry, created_by=by, updated_by=by, **person)
    record_event(
        child=child,
        kind=EventKind.EHE,
        by=by,
        summary=f"Added to the home education register: {Source(source).label.lower()}",
        detail=f"Home education started on {started_on:%-d %B %Y}." if started_on else "",
    )
    home_education_registered.send(
        sender=HomeEducation, child_id=child.pk, started_on=started_on, by=by
    )
    return entry


def register_from_leaver_return(leaver: LeaverReturn) -> HomeEducation | None:
    """Ground (f), PRR 2024 reg 9(1)(f): the parent has told the school in writing that the
    child is home educated; the school's leaver return puts the child on the EHE register.
    Any other ground: None. Idempotent on the return."""
    if leaver.ground != DeletionGround.F:
        return None
    existing = HomeEducation.objects.filter(source_return=leaver).first()
    if existing is not None:
        return existing
    details = {f: getattr(leaver, f) for f in (*CHILD_FIELDS, *ADDRESS_FIELDS)}
    details["last_school"] = leaver.school
    child = child_for(details, by=None)
    parents = []
    for p in leaver.parents.all():
        first, last = (p.forename, p.surname) if p.surname else _split_name(p.name)
        parents.append(
            {
                "title": p.title,
                "first_name": first,
                "last_name": last,
                "relationship": p.relationship,
                "phone": p.phone,
                "email": p.email,
                "lives_with_child": p.lives_with_pupil and not p.address,
                "address_line_1": "" if p.lives_with_pupil and not p.address else p.address,
            }
        )
    new_address = {f: getattr(leaver, f) for f in ADDRESS_FIELDS}
    moved = leaver.new_postcode.replace(" ", "").upper() != leaver.postcode.replace(" ", "").upper()
    if leaver.new_address and leaver.new_postcode and moved:
        new_address = {"address_line_1": leaver.new_address, "postcode": leaver.new_postcode}
    return home_education_register(
        child=child,
        source=Source.LEAVER_RETURN,
        by=None,
        started_on=leaver.deletion_date,
        address=new_address,
        parents=parents,
        source_return=leaver,
    )


def on_return_submitted(sender: type, *, school_return: Any, **kwargs: Any) -> None:
    """Receiver for `schools.signals.return_submitted` (connected in EheConfig.ready)."""
    if isinstance(school_return, LeaverReturn):
        register_from_leaver_return(school_return)


def register_from_referral(referral: Referral, by: User | None) -> HomeEducation:
    """A referral triaged "home educated": the child (matched, or a new record) goes onto
    the register with the parents the referral names."""
    existing = HomeEducation.objects.filter(source_referral=referral).first()
    if existing is not None:
        return existing
    details: dict[str, Any] = {f: getattr(referral, f) for f in ADDRESS_FIELDS}
    details |= {
        "first_name": referral.first_name,
        "middle_names": referral.other_names[:100],
        "last_name": referral.last_name,
        "date_of_birth": referral.date_of_birth,
        "gender": referral.gender,
        "upn": referral.upn,
        "last_school": referral.last_school,
    }
    child = child_for(details, by=by)
    parents = []
    for p in referral.people.filter(kind="parent"):
        first, last = _split_name(p.name)
        parents.append(
            {"first_name": first, "last_name": last, "relationship": p.relationship}
            | {"phone": p.phone}
        )
    return home_education_register(
        child=child, source=Source.REFERRAL, by=by, parents=parents, source_referral=referral
    )


def on_referral_not_cme(
    sender: type, *, referral: Referral, reason: str, by: User | None, **kwargs: Any
) -> None:
    """Receiver for `casework.signals.referral_not_cme`."""
    from referrals.models import NotCmeReason

    if reason == NotCmeReason.HOME_EDUCATED:
        register_from_referral(referral, by)


def _locked_active(entry: HomeEducation) -> HomeEducation:
    locked = HomeEducation.objects.select_for_update().select_related("child").get(pk=entry.pk)
    if locked.status != Status.ACTIVE:
        raise EheError(ERROR_NOT_ACTIVE)
    return locked


def _saved(entry: HomeEducation, by: User | None, summary: str, detail: str = "") -> None:
    """Save the changed entry (stamped) and tell the child's chronology what happened."""
    entry.updated_by = by
    entry.save()
    record_event(child=entry.child, kind=EventKind.EHE, by=by, summary=summary, detail=detail)


@transaction.atomic
def contact_record(
    *,
    entry: HomeEducation,
    kind: ContactKind,
    made_on: date,
    by: User,
    with_whom: str = "",
    notes: str = "",
    next_contact_on: date | None = None,
) -> Contact:
    """An enquiry or contact with the family. The next contact falls due on
    ``next_contact_on`` if given, else `ehe.rules.next_contact_due` after this one."""
    entry = _locked_active(entry)
    _not_future(made_on)
    contact = Contact.objects.create(
        home_education=entry,
        kind=kind,
        made_on=made_on,
        with_whom=with_whom,
        notes=notes,
        created_by=by,
        updated_by=by,
    )
    entry.next_contact_due = next_contact_on or rules.next_contact_due(made_on)
    _saved(
        entry,
        by,
        f"Home education contact: {ContactKind(kind).label} on {made_on:%-d %B %Y}",
        notes,
    )
    return contact


@transaction.atomic
def suitability_record(
    *, entry: HomeEducation, suitability: Suitability, formed_on: date, reasons: str, by: User
) -> SuitabilityView:
    """The LA's view, on ``formed_on``, of whether the education appears suitable (s437(1)
    turns on how it "appears" to the authority)."""
    entry = _locked_active(entry)
    _not_future(formed_on)
    if not reasons.strip():
        raise EheError(ERROR_REASONS)
    view = SuitabilityView.objects.create(
        home_education=entry,
        suitability=suitability,
        formed_on=formed_on,
        reasons=reasons,
        created_by=by,
        updated_by=by,
    )
    entry.suitability = suitability
    entry.suitability_on = formed_on
    label = Suitability(suitability).label.lower()
    _saved(entry, by, f"Home education: {label} (view formed {formed_on:%-d %B %Y})", reasons)
    return view


@transaction.atomic
def parent_add(*, entry: HomeEducation, by: User, **fields: Any) -> Parent:
    entry = _locked_active(entry)
    parent = Parent.objects.create(home_education=entry, created_by=by, updated_by=by, **fields)
    record_event(
        child=entry.child, kind=EventKind.EHE, by=by, summary="Home education: parent added"
    )
    return parent


@transaction.atomic
def home_education_end(
    *, entry: HomeEducation, ended_on: date, reason: str, by: User
) -> HomeEducation:
    """The child is no longer home educated (on a school roll, moved away, ceased compulsory
    school age): the entry leaves the register, kept for the record."""
    entry = _locked_active(entry)
    _not_future(ended_on)
    if entry.started_on and ended_on < entry.started_on:
        raise EheError(ERROR_ENDED_BEFORE_START)
    entry.status = Status.ENDED
    entry.ended_on = ended_on
    entry.end_reason = reason
    _saved(entry, by, f"Left the home education register on {ended_on:%-d %B %Y}", reason)
    return entry


@transaction.atomic
def notice_route_start(*, child_id: int, reason: str, by: User | None) -> HomeEducation:
    """Receiver side of ``notice_route_requested`` (the children-not-in-school register:
    information not given, or the first home visit refused): the child is on the EHE
    register (added if not) and marked for the s437 notice route, with the reason."""
    child = Child.objects.get(pk=child_id)
    entry = home_education_register(child=child, source=Source.CNIS, by=by)
    entry = _locked_active(entry)
    entry.notice_route_reason = reason[:300]
    _saved(entry, by, "Home education: the s437 notice route was started", reason)
    return entry


def on_notice_route_requested(
    sender: Any, *, child_id: int, reason: str, by: User | None = None, **kwargs: Any
) -> None:
    """Receiver for `ehe.signals.notice_route_requested` (connected in EheConfig.ready)."""
    notice_route_start(child_id=child_id, reason=reason, by=by)
