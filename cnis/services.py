"""Writes for the children-not-in-school register (ss436B-436G). Every change goes through a
function here, in a transaction, and is in the history (simple_history)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from casework.models import Child
from cme.models import User
from cme.outbox import queue_email
from cme.statutory import is_compulsory_school_age
from cnis.models import (
    ChangeNotice,
    Eligibility,
    EntryParent,
    Provider,
    ProviderRequest,
    RegisterEntry,
    Source,
    VisitOutcome,
)
from cnis.rules import is_eligible, parent_information_due, provider_request_due
from ehe.signals import notice_route_requested
from schools.models import SchoolReturn

ERROR_NOT_ELIGIBLE = (
    "The child is not eligible for the register: they must live in the area, be of "
    "compulsory school age and not be a registered pupil (or be registered but educated "
    "elsewhere or part-time)"
)
ERROR_BEFORE_REGISTRATION = "The date must be on or after the day the child was registered"
ERROR_NO_EMAIL = "Add the provider's email address before sending a request"
ERROR_ALREADY_ANSWERED = "The provider has already answered this request"
REASON_VISIT_REFUSED = "The parent refused the first home visit (children not in school)"
REASON_INFORMATION_NOT_GIVEN = (
    "The parent did not give the information the local authority asked for (s436C)"
)

#: Registered pupils whose school arranged education elsewhere or part-time (s436B(2)(b)).
REGISTERED_ELIGIBILITY = frozenset({Eligibility.EDUCATED_ELSEWHERE, Eligibility.PART_TIME})


class RegisterError(Exception):
    pass


def _stamp(row: Any, by: User | None) -> None:
    row.updated_by = by
    if row.pk is None:
        row.created_by = by
    row._history_user = by


@transaction.atomic
def register_child(
    *,
    child: Child,
    eligibility: Eligibility,
    source: Source,
    by: User | None,
    registered_on: date | None = None,
    lives_in_area: bool = True,
    source_return: SchoolReturn | None = None,
) -> RegisterEntry:
    """s436B: put an eligible child on the register (the entry already there, if any)."""
    on = registered_on or timezone.localdate()
    existing = RegisterEntry.objects.filter(child=child).first()
    if existing is not None:
        return existing
    if not is_eligible(
        lives_in_area=lives_in_area,
        date_of_birth=child.date_of_birth,
        on=on,
        registered_pupil=eligibility in REGISTERED_ELIGIBILITY,
        school_arranged_elsewhere_or_part_time=eligibility in REGISTERED_ELIGIBILITY,
    ):
        raise RegisterError(ERROR_NOT_ELIGIBLE)
    entry = RegisterEntry(
        child=child,
        eligibility=eligibility,
        eligibility_source=source,
        registered_on=on,
        source_return=source_return,
    )
    _stamp(entry, by)
    entry.save()
    return entry


def on_home_education_registered(
    sender: Any, *, child_id: int, started_on: date | None, by: User | None, **kwargs: Any
) -> None:
    """Receiver for ehe.signals.home_education_registered (CnisConfig.ready): a home
    educated child of compulsory school age comes onto the register too, while the duties
    are in force."""
    from cnis.consent import cnis_enabled

    if not cnis_enabled():
        return
    child = Child.objects.filter(pk=child_id, merged_into__isnull=True).first()
    today = timezone.localdate()
    if child is None or child.date_of_birth is None:
        return
    if not is_compulsory_school_age(child.date_of_birth, today):
        return
    register_child(
        child=child,
        eligibility=Eligibility.HOME_EDUCATED,
        source=Source.EHE_REGISTER,
        by=by,
        registered_on=today,
    )


def _on_or_after_registration(entry: RegisterEntry, when: date) -> None:
    if when < entry.registered_on:
        raise RegisterError(ERROR_BEFORE_REGISTRATION)


@transaction.atomic
def parent_add(
    *,
    entry: RegisterEntry,
    name: str,
    address: str,
    provides_education: bool,
    hours_per_week: Decimal | None,
    source: Source,
    by: User,
) -> EntryParent:
    """s436C(2)(b)-(d): a parent, whether they educate the child, and for how long. The
    same parent (name and address) sent again, a double click, is the one already there."""
    same = entry.parents.filter(name=name, address=address).first()
    if same is not None:
        return same
    parent = EntryParent(
        entry=entry,
        name=name,
        address=address,
        provides_education=provides_education,
        hours_per_week=hours_per_week if provides_education else None,
        source=source,
    )
    _stamp(parent, by)
    parent.save()
    return parent


@transaction.atomic
def provider_add(*, entry: RegisterEntry, by: User, **fields: Any) -> Provider:
    """s436C(2)(e): another provider of the child's education (the same name and address
    sent again is the one already there)."""
    same = entry.providers.filter(name=fields["name"], address=fields["address"]).first()
    if same is not None:
        return same
    provider = Provider(entry=entry, **fields)
    _stamp(provider, by)
    provider.save()
    return provider


@transaction.atomic
def change_record(
    *, entry: RegisterEntry, notified_on: date, details: str, by: User
) -> ChangeNotice:
    """s436D: the parent's notification of a change, with its date."""
    _on_or_after_registration(entry, notified_on)
    same = entry.changes.filter(notified_on=notified_on, details=details).first()
    if same is not None:
        return same
    notice = ChangeNotice(entry=entry, notified_on=notified_on, details=details)
    _stamp(notice, by)
    notice.save()
    return notice


@transaction.atomic
def provider_request_send(
    *, provider: Provider, by: User, sent_on: date | None = None
) -> ProviderRequest:
    """s436E: ask the provider for the information, by a deadline; the email goes through
    the outbox once this commits. The same provider asked twice the same day is one request."""
    if not provider.email:
        raise RegisterError(ERROR_NO_EMAIL)
    on = sent_on or timezone.localdate()
    request, created = ProviderRequest.objects.get_or_create(
        provider=provider,
        sent_on=on,
        defaults={"due_on": provider_request_due(on), "created_by": by, "updated_by": by},
    )
    if created:
        queue_email(
            provider.email,
            "Request for information: children not in school",
            request_body(provider, request),
            key=f"cnis-request-{request.pk}",
            kind="cnis_provider_request",
        )
    return request


def request_body(provider: Provider, request: ProviderRequest, *, chase: bool = False) -> str:
    # No child's name in an email to an outside provider: the reference is enough to answer.
    first = "We wrote to you on {sent:%-d %B %Y} and have not had an answer. " if chase else ""
    return (
        f"Dear {provider.name},\n\n"
        + first.format(sent=request.sent_on)
        + "Under section 436E of the Education Act 1996 the local authority asks you for "
        "information about the education you provide to a child on its register of children "
        f"not in school (reference CNIS-{provider.entry_id}). Please reply by "
        f"{request.due_on:%-d %B %Y}.\n"
    )


@transaction.atomic
def provider_request_answered(*, request: ProviderRequest, on: date, by: User) -> ProviderRequest:
    if request.answered_on is not None:
        raise RegisterError(ERROR_ALREADY_ANSWERED)
    request.answered_on = on
    _stamp(request, by)
    request.save()
    return request


def _locked(entry: RegisterEntry) -> RegisterEntry:
    return RegisterEntry.objects.select_for_update().get(pk=entry.pk)


def _entry_change(entry: RegisterEntry, on: date, by: User, **changes: Any) -> RegisterEntry:
    """A change to the entry dated ``on`` (not before the child was registered), stamped
    and saved."""
    _on_or_after_registration(entry, on)
    for name, value in changes.items():
        setattr(entry, name, value)
    _stamp(entry, by)
    entry.save()
    return entry


@transaction.atomic
def visit_request_record(*, entry: RegisterEntry, requested_on: date, by: User) -> RegisterEntry:
    """The request for a home visit (due within 15 days of registration: cnis.rules)."""
    return _entry_change(_locked(entry), requested_on, by, visit_requested_on=requested_on)


@transaction.atomic
def visit_outcome_record(
    *, entry: RegisterEntry, outcome: VisitOutcome, on: date, by: User
) -> RegisterEntry:
    """The first home visit's outcome; a refusal starts the s437 notice route (ehe)."""
    entry = _locked(entry)
    first = entry.visit_outcome == ""
    entry = _entry_change(entry, on, by, visit_outcome=outcome, visit_outcome_on=on)
    if first and outcome == VisitOutcome.REFUSED:
        notice_route_request(entry=entry, reason=REASON_VISIT_REFUSED, by=by)
    return entry


@transaction.atomic
def information_request_record(
    *, entry: RegisterEntry, requested_on: date, by: User
) -> RegisterEntry:
    """The LA asks the parent for the s436C information, with a deadline (cnis.rules)."""
    return _entry_change(
        entry,
        requested_on,
        by,
        information_requested_on=requested_on,
        information_due_on=parent_information_due(requested_on),
    )


@transaction.atomic
def information_received_record(
    *, entry: RegisterEntry, received_on: date, by: User
) -> RegisterEntry:
    return _entry_change(entry, received_on, by, information_received_on=received_on)


def notice_route_request(*, entry: RegisterEntry, reason: str, by: User | None) -> bool:
    """Send ehe.signals.notice_route_requested once for the entry (claimed with a
    conditional UPDATE, so a job and a person at the same moment send it once)."""
    now = timezone.now()
    claimed = RegisterEntry.objects.filter(
        pk=entry.pk, notice_route_requested_at__isnull=True
    ).update(notice_route_requested_at=now, notice_route_reason=reason[:200])
    if not claimed:
        return False
    entry.notice_route_requested_at = now
    entry.notice_route_reason = reason[:200]
    from cme.audit import record_history

    record_history([entry], by=by)
    notice_route_requested.send(sender=RegisterEntry, child_id=entry.child_id, reason=reason, by=by)
    return True
