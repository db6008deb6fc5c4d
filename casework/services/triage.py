"""Triage decisions on a new referral: accept (open a case), not CME, or duplicate.

Each decision locks the referral, checks it is still NEW, and tells the referrer by email
through the outbox (cme.outbox: sent by a Celery task after the transaction commits). Emails carry the reference only: no child's details travel
by email.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from casework.events import record_case_event, record_event
from casework.matching import child_keys_save
from casework.models import NOT_RECORDED, Case, CaseStatus, Category, Child, CmeReason, EventKind
from casework.services.cases import CaseError, checked_reason, tell_managers_escalated
from casework.signals import referral_not_cme
from casework.twins import twin_or_sibling_differences
from cme.formats import govuk_datetime
from cme.models import User
from cme.outbox import queue_email
from cme.references import save_with_reference
from cme.statutory import compulsory_school_age, enquiry_due_date
from referrals.models import NotCmeReason, Referral, ReferralStatus
from referrals.vocabulary import FLAG_FIELDS
from schools.models import ReturnStatus
from schools.services import return_status_set

logger = logging.getLogger(__name__)

CASE_REFERENCE_PREFIX = "CS"
ERROR_NOT_NEW = "This referral has already been decided"
ERROR_CHILD_HAS_OPEN_CASE = (
    "This child already has an open case: mark the referral as a duplicate of that case"
)
ERROR_CHILD_MERGED = "This child record has been merged into another: choose that record"
ERROR_CASE_NOT_OPEN = "A referral can only be a duplicate of an open case"
ERROR_NO_NAME = "A new child record needs the child's first or last name"
ERROR_TWIN_REASON_REQUIRED = (
    "Enter why you are sure this is the same child and not a twin or sibling"
)
ERROR_BELOW_CSA = (
    "The child is not of compulsory school age until {start:%-d %B %Y}, so cannot be "
    "missing education before then: decide 'not CME' (not of compulsory school age), or "
    "accept the referral on or after that day"
)
#: What the school sees beside a return whose referral was decided "not CME".
NOT_CME_DETAIL = "Not missing education"

#: Vulnerability flags the referral carries onto the child (OR: a flag is never cleared here).
CHILD_FLAGS = FLAG_FIELDS
#: Fields copied from the referral onto a new child record.
_CHILD_DETAILS = (*Referral.CHILD_IDENTITY_FIELDS, *Referral.CHILD_ADDRESS_FIELDS, "last_school")


class TriageError(Exception):
    pass


def _locked_new(referral: Referral) -> Referral:
    locked = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("source_return__school")
        .get(pk=referral.pk)
    )
    if locked.status != ReferralStatus.NEW:
        raise TriageError(ERROR_NOT_NEW)
    return locked


def _decide(referral: Referral, status: ReferralStatus, by: User) -> None:
    referral.status = status
    referral.decided_at = timezone.now()
    referral.decided_by = by
    referral.updated_by = by


def _copy_flags(referral: Referral, child: Child) -> None:
    for flag in CHILD_FLAGS:
        if getattr(referral, flag):
            setattr(child, flag, True)


#: The outbox key of the referrer's triage email: a referral is decided once.
REFERRAL_DECIDED_KEY = "referral-decided:"


def _email_after_commit(
    subject: str, body: str, recipients: list[str], *, fields: dict[str, str], key: str
) -> None:
    """Queue in the email outbox (cme.outbox): written in this transaction, sent by a Celery
    task after it commits; a mail server failure never undoes, breaks or delays a decision.
    ``fields`` fill a GOV.UK Notify template of its own, where the council has one; ``key``
    (once per referral) lets the case page show it and its delivery status."""
    queue_email(recipients, subject, body, kind="referrer_triage", fields=fields, key=key)


def _tell_referrer(referral: Referral, subject: str, body: str) -> None:
    if referral.anonymous or not referral.referrer_email:
        return
    _email_after_commit(
        subject,
        f"Thank you for your referral {referral.reference} to the Children Missing "
        f"Education team.\n\n{body}\n\nPlease quote {referral.reference} if you contact us.",
        [referral.referrer_email],
        fields={"reference": referral.reference, "decision": body},
        key=f"{REFERRAL_DECIDED_KEY}{referral.pk}",
    )


def _child_from_referral(referral: Referral, by: User) -> Child:
    if not (referral.first_name.strip() or referral.last_name.strip()):
        raise TriageError(ERROR_NO_NAME)
    child = Child(**{f: getattr(referral, f) for f in _CHILD_DETAILS})
    child.created_by = child.updated_by = by
    child_keys_save(child, save=False)
    return child


def _record_source_return(referral: Referral, child: Child, case: Case) -> None:
    """The school return a referral was raised from belongs in the child's chronology,
    at the time the school sent it."""
    school_return = referral.source_return
    if school_return is None:
        return
    record_event(
        child=child,
        case=case,
        kind=EventKind.RETURN,
        summary=f"{school_return.get_kind_display()} return {school_return.reference} "
        f"from {school_return.school.name}",
        detail=school_return.status_detail,
        occurred_at=school_return.submitted_at,
    )


def _escalation_reason(child: Child) -> str:
    why = []
    if child.child_protection_plan:
        why.append("the child has a child protection plan")
    if child.looked_after:
        why.append("the child is looked after")
    return " and ".join(why)


def _refuse_below_compulsory_school_age(child: Child) -> None:
    """Education Act 1996 s436A, s8(2): only a child of compulsory school age can be missing
    education, and it begins on the prescribed day (31 March, 31 August, 31 December) on or
    after the 5th birthday. Before then no case may count the child as CME-WASP or
    CME-missing (issue 12, A8)."""
    if child.date_of_birth is None:
        return
    start, _ = compulsory_school_age(child.date_of_birth)
    if timezone.localdate() < start:
        raise TriageError(ERROR_BELOW_CSA.format(start=start))


def _twin_or_sibling_link(referral: Referral, child: Child, reason: str) -> str:
    """The note that records why a possible twin or sibling is the referred child ('' when
    the child is not one); refused without a reason."""
    differs = twin_or_sibling_differences(referral, child)
    if not differs:
        return ""
    reason = reason.strip()
    if not reason:
        raise TriageError(ERROR_TWIN_REASON_REQUIRED)
    return (
        f"Linked to a possible twin or sibling (record {child.pk}; {'; '.join(differs)}). "
        f"Reason: {reason}"
    )


@transaction.atomic
def referral_accept(
    *,
    referral: Referral,
    by: User,
    child: Child | None = None,
    category: Category,
    officer: User | None = None,
    reference: str | None = None,
    twin_or_sibling_reason: str = "",
    primary_reason: CmeReason | str = NOT_RECORDED,
) -> Case:
    """Accept a referral as CME: open a case on a new child record or on the matched child.

    A matched child who may be a twin or sibling of the referred child (same surname,
    address or date of birth, another first name: casework.twins) is the same child only
    with ``twin_or_sibling_reason``, kept with the decision (its chronology entry and the
    referral's decision notes).

    The initial investigation is due ``enquiry_due_date`` (10 working days) from the day
    the referral was received (``date_received`` when an officer recorded it, else the day
    it was submitted). A child with a child protection plan or looked after is
    escalated at once (DOMAIN.md: "Escalation at once") and the managers are told.
    ``officer``, given by a manager, allocates the case in the same transaction.
    ``reference`` gives the case a fixed reference instead of a random one (the demo data).
    ``primary_reason`` is the DfE's primary reason (issue 15), "Not recorded" where the
    caller does not yet ask for one; the child became missing education, by default, on the
    day the referral was received.
    """
    referral = _locked_new(referral)
    try:
        reason = checked_reason(primary_reason)
    except CaseError as exc:
        raise TriageError(str(exc)) from exc
    linked = ""
    if child is None:
        child = _child_from_referral(referral, by)
    else:
        child = Child.objects.select_for_update().get(pk=child.pk)
        if child.merged_into_id is not None:
            raise TriageError(ERROR_CHILD_MERGED)
        if child.cases.filter(status=CaseStatus.OPEN).exists():
            raise TriageError(ERROR_CHILD_HAS_OPEN_CASE)
        linked = _twin_or_sibling_link(referral, child, twin_or_sibling_reason)
    _refuse_below_compulsory_school_age(child)
    _copy_flags(referral, child)
    child.updated_by = by
    child.save()

    now = timezone.now()
    # An officer recording a phone referral gives the day it was received (issue 12, A15).
    received_on = referral.date_received or timezone.localdate(referral.received_at)
    case = Case(
        child=child,
        referral=referral,
        category=category,
        status=CaseStatus.OPEN,
        received_on=received_on,
        became_cme_on=received_on,
        primary_reason=reason,
        due_date=enquiry_due_date(received_on),
        created_by=by,
        updated_by=by,
    )
    escalation = _escalation_reason(child)
    if escalation:
        case.escalated_at = now
        case.escalation_reason = f"Escalated at once: {escalation}."
    save_with_reference(case, CASE_REFERENCE_PREFIX, reference=reference)

    _record_source_return(referral, child, case)
    record_event(
        child=child,
        case=case,
        kind=EventKind.REFERRAL,
        summary=f"Referral {referral.reference} received ({referral.get_referrer_type_display()})",
        occurred_at=referral.received_at,
    )
    record_case_event(
        case,
        EventKind.DECISION,
        by,
        f"Referral {referral.reference} accepted as {Category(category).label}",
        linked,
    )
    record_case_event(
        case,
        EventKind.CASE_OPENED,
        by,
        f"Case {case.reference} opened: initial investigation due {case.due_date:%-d %B %Y}",
    )
    if escalation:
        record_case_event(case, EventKind.ESCALATED, by, case.escalation_reason)
        tell_managers_escalated(
            case, "opened", f"Case {case.reference} was escalated when it was opened: {escalation}."
        )

    _decide(referral, ReferralStatus.ACCEPTED, by)
    referral.decision_notes = linked
    referral.save()
    if officer is not None:
        from casework.services.allocation import AllocationError, case_allocate

        try:
            case = case_allocate(case=case, officer=officer, by=by)
        except AllocationError as exc:
            raise TriageError(str(exc)) from exc
    _tell_referrer(
        referral,
        f"CME referral {referral.reference}: we have opened enquiries",
        "We have opened enquiries to find out whether the child is receiving a suitable "
        "education. We will tell you the outcome.",
    )
    return case


@transaction.atomic
def referral_reject_not_cme(
    *, referral: Referral, by: User, reason: NotCmeReason, notes: str = ""
) -> Referral:
    """Decide that the child is not missing education, with the reason."""
    referral = _locked_new(referral)
    _decide(referral, ReferralStatus.NOT_CME, by)
    referral.not_cme_reason = reason
    referral.decision_notes = notes
    referral.save()
    referral_not_cme.send(sender=Referral, referral=referral, reason=reason, by=by)
    if referral.source_return is not None:
        # The school's list must not go on saying "Referred to CME" (issue 12, A11).
        return_status_set(
            school_return=referral.source_return,
            status=ReturnStatus.CLOSED,
            detail=f"{NOT_CME_DETAIL}: {NotCmeReason(reason).label.lower()}",
            by=by,
        )
    _tell_referrer(
        referral,
        f"CME referral {referral.reference}: our decision",
        "We have looked at your referral and decided that the child is not missing "
        f"education: {NotCmeReason(reason).label.lower()}.",
    )
    return referral


@transaction.atomic
def referral_mark_duplicate(*, referral: Referral, by: User, case: Case) -> Referral:
    """Record the referral as a further referral on a child's open case."""
    referral = _locked_new(referral)
    case = Case.objects.select_for_update().select_related("child").get(pk=case.pk)
    if case.status != CaseStatus.OPEN:
        raise TriageError(ERROR_CASE_NOT_OPEN)
    _decide(referral, ReferralStatus.DUPLICATE, by)
    referral.decision_notes = f"Duplicate of case {case.reference}"
    referral.save()
    case.further_referrals.add(referral)
    # What the new referral says about the child's vulnerability still counts.
    child = case.child
    _copy_flags(referral, child)
    child.updated_by = by
    child.save()
    _record_source_return(referral, child, case)
    record_case_event(
        case,
        EventKind.REFERRAL,
        by,
        f"Further referral received: {referral.reference}",
        f"Received {govuk_datetime(referral.received_at)}; "
        f"recorded as a duplicate of case {case.reference}.",
    )
    _tell_referrer(
        referral,
        f"CME referral {referral.reference}: enquiries already open",
        "We are already making enquiries about this child. We have added your referral to them.",
    )
    return referral
