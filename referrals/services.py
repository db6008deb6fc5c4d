"""Writes for referrals: every door (public, signed-in, the system) ends in `referral_submit`."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from cme.models import User
from cme.references import new_reference, save_with_reference
from cme.text import text_lines
from referrals.models import (
    Channel,
    Reason,
    Referral,
    ReferralPerson,
    ReferralStatus,
    ReferrerType,
    SystemTrigger,
)
from schools.models import (
    AbsenceNotification,
    DeletionGround,
    DestinationType,
    LeaverReturn,
    SchoolReturn,
    Whereabouts,
)
from schools.rules import SCHOOL_DESTINATIONS, missing_key_leaver_information
from schools.services import returns_mark_referred

REFERENCE_PREFIX = "RF"

#: What an anonymous referrer asked us not to keep (the form clears them too; this is the backstop).
ANONYMOUS_CLEARED = (
    "referrer_name",
    "referrer_organisation",
    "referrer_email",
    "referrer_phone",
    "referrer_address",
)


@transaction.atomic
def referral_submit(
    *,
    referral: Referral,
    people: list[dict[str, Any]] | None = None,
    by: User | None = None,
    reference: str | None = None,
    submission_token: uuid.UUID | None = None,
) -> Referral:
    """Save a validated referral with its parents/carers and siblings, and give it a reference.

    The caller sets the channel (and, for the signed-in door, the referrer user and school).
    ``reference`` gives a fixed reference instead of a random one (the demo data only).
    """
    # Idempotent on the check page's token: a double click or a retry gets the first referral.
    if submission_token is not None:
        already = Referral.objects.filter(submission_token=submission_token).first()
        if already is not None:
            return already
        referral.submission_token = submission_token
    now = timezone.now()
    referral.received_at = now
    referral.status = ReferralStatus.NEW
    referral.created_by = by
    referral.updated_by = by
    if referral.anonymous:
        for name in ANONYMOUS_CLEARED:
            setattr(referral, name, "")
        referral.referrer_user = None
    try:
        save_with_reference(referral, REFERENCE_PREFIX, reference=reference)
    except IntegrityError:
        # The same token sent at the same moment: the other request's referral is the one.
        if submission_token is not None:
            already = Referral.objects.filter(submission_token=submission_token).first()
            if already is not None:
                return already
        raise
    for person in people or []:
        ReferralPerson.objects.create(referral=referral, **person)
    return referral


def leaver_trigger(leaver: LeaverReturn) -> SystemTrigger | None:
    """Which referral, if any, a leaver return raises.

    DOMAIN.md: a pupil deleted with an unknown destination is referred to CME at once,
    whatever the ground. Otherwise Ealing's key leaver information: if any is missing the
    child is potentially CME. `schools.rules.missing_key_leaver_information` owns that rule
    (the grounds it does not apply to, what counts as each item); the leaver form's warning
    uses it too.
    """
    if leaver.destination_type == DestinationType.UNKNOWN:
        return SystemTrigger.UNKNOWN_DESTINATION
    if missing_key_leaver_information(leaver):
        return SystemTrigger.MISSING_KEY_INFO
    return None


def _reasons_for(leaver: LeaverReturn, trigger: SystemTrigger) -> list[str]:
    reasons: list[str] = []
    if leaver.ground in (DeletionGround.H, DeletionGround.I):
        reasons.append(Reason.STOPPED_ATTENDING)
    if leaver.ground == DeletionGround.O:
        reasons.append(Reason.PERMANENT_EXCLUSION)
    if trigger == SystemTrigger.UNKNOWN_DESTINATION:
        reasons.append(Reason.MOVED_AWAY)
    elif leaver.destination_type in SCHOOL_DESTINATIONS:
        reasons.append(Reason.FAILED_TRANSITION)
    return reasons or [Reason.OTHER]


def _details_for(leaver: LeaverReturn, trigger: SystemTrigger) -> str:
    lines = [
        f"Raised from {leaver.school.name}'s leaver return {leaver.reference}: "
        f"{SystemTrigger(trigger).label.lower()}.",
        f"Ground: {leaver.get_ground_display()}.",
        f"Removed from the admission register on {leaver.deletion_date:%-d %B %Y}.",
    ]
    missing = missing_key_leaver_information(leaver)
    if trigger == SystemTrigger.MISSING_KEY_INFO and missing:
        lines.append("Missing: " + "; ".join(missing) + ".")
    if trigger == SystemTrigger.UNKNOWN_DESTINATION:
        # Sent without waiting for the s2s upload (issue 12 A12): say where that stands.
        lines.append(
            "The school has uploaded a lost pupil record to the s2s Lost Pupils Database."
            if leaver.s2s_lost_pupil_uploaded
            else "The school has not yet confirmed its s2s Lost Pupils Database upload."
        )
    if trigger == SystemTrigger.UNMATCHED_LEAVER:
        lines.append(
            f"No new pupil return from {leaver.destination_school or leaver.destination_school_name}"
            " within the transition period."
        )
    if leaver.ground_details:
        lines.append(leaver.ground_details)
    return "\n".join(lines)


def _absence_details_for(notification: AbsenceNotification, trigger: SystemTrigger) -> str:
    leave_end, last_contact = notification.leave_end_date, notification.last_contact_date
    return text_lines(
        f"Raised from {notification.school.name}'s absence notification "
        f"{notification.reference}: {SystemTrigger(trigger).label.lower()}.",
        f"{notification.get_absence_type_display()}; first day of absence "
        f"{notification.first_day_of_absence:%-d %B %Y}.",
        f"Leave of absence ended on {leave_end:%-d %B %Y}." if leave_end else "",
        f"Last contact on {last_contact:%-d %B %Y}." if last_contact else "",
        notification.last_contact_details,
    )


def _system_referral(
    school_return: SchoolReturn, detail: SchoolReturn, trigger: SystemTrigger
) -> Referral:
    """The referral the system raises for a return (`detail` is its kind-specific row),
    unsaved: the pupil, address and school from the return; reasons and details by kind."""
    referral = Referral(
        channel=Channel.SYSTEM,
        referrer_type=ReferrerType.SYSTEM,
        referrer_organisation=school_return.school.name,
        referring_school=school_return.school,
        source_return=school_return,
        trigger=trigger,
        first_name=school_return.first_name,
        last_name=school_return.last_name,
        other_names=school_return.middle_names,
        date_of_birth=school_return.date_of_birth,
        gender=school_return.gender,
        upn=school_return.upn,
        address_line_1=school_return.address_line_1,
        address_line_2=school_return.address_line_2,
        town=school_return.town,
        postcode=school_return.postcode,
        last_school=school_return.school,
        last_school_name=school_return.school.name,
    )
    if isinstance(detail, LeaverReturn):
        referral.reasons = _reasons_for(detail, trigger)
        referral.details = _details_for(detail, trigger)
        referral.enquiries_made = detail.enquiries_made
        if detail.new_address and detail.new_address != school_return.address:
            referral.details += f"\nNew address given: {detail.new_address} {detail.new_postcode}"
    elif isinstance(detail, AbsenceNotification):
        referral.reasons = [Reason.STOPPED_ATTENDING]
        referral.details = _absence_details_for(detail, trigger)
        referral.enquiries_made = detail.enquiry_notes
    else:
        referral.reasons = [Reason.STOPPED_ATTENDING]
    return referral


def _parents_of(school_return: SchoolReturn) -> list[dict[str, Any]]:
    return [
        {
            "kind": ReferralPerson.Kind.PARENT,
            "name": p.name,
            "relationship": p.relationship,
            "phone": p.phone,
            "email": p.email,
        }
        for p in school_return.parents.all()
    ]


def referral_raise_from_return(
    *, school_return: SchoolReturn, trigger: SystemTrigger
) -> Referral | None:
    """Raise the system referral for a return and mark the return "Referred to CME".

    Idempotent: one referral per return and trigger (the database enforces it); a second
    call returns None and changes nothing.
    """
    with transaction.atomic():
        if Referral.objects.filter(source_return=school_return, trigger=trigger).exists():
            return None
        detail = school_return.detail() if type(school_return) is SchoolReturn else school_return
        referral = _system_referral(school_return, detail, trigger)
        people = _parents_of(school_return)
        try:
            # A savepoint: a concurrent raise of the same referral loses the race quietly.
            with transaction.atomic():
                referral_submit(referral=referral, people=people, by=None)
        except IntegrityError:
            if Referral.objects.filter(source_return=school_return, trigger=trigger).exists():
                return None
            raise
        # The history row of the return's own kind (the table a save through it would write).
        returns_mark_referred([school_return, detail])
        return referral


def absence_trigger(notification: AbsenceNotification) -> SystemTrigger | None:
    """Which referral, if any, an absence notification raises when it is sent.

    Whereabouts unknown: a potential missing child, referred at once (issue 12 A9), as a
    leaver with an unknown destination is; the school is told the team "will treat this as a
    potential missing child". Whereabouts known: none yet (the continuous-absence job counts
    school days towards the deletion threshold).
    """
    if notification.whereabouts == Whereabouts.UNKNOWN:
        return SystemTrigger.ABSENCE_WHEREABOUTS_UNKNOWN
    return None


def referrals_raise_for_return(*, school_return: SchoolReturn) -> Referral | None:
    """Apply the rules that turn a just-submitted return into a referral (the signal receiver)."""
    trigger: SystemTrigger | None
    if isinstance(school_return, AbsenceNotification):
        trigger = absence_trigger(school_return)
    elif isinstance(school_return, LeaverReturn):
        trigger = leaver_trigger(school_return)
    else:
        return None
    if trigger is None:
        return None
    return referral_raise_from_return(school_return=school_return, trigger=trigger)


def on_return_submitted(sender: type, *, school_return: SchoolReturn, **kwargs: Any) -> None:
    """Receiver for `schools.signals.return_submitted` (connected in ReferralsConfig.ready)."""
    referrals_raise_for_return(school_return=school_return)


def referrals_raise_from_returns_bulk(
    school_returns: QuerySet[SchoolReturn], *, trigger: SystemTrigger, limit: int = 1000
) -> int:
    """`referral_raise_from_return` for many returns at once (the sweeps' follow-up work,
    docs/decisions/005-job-outbox.md); returns how many referrals were raised.

    ``school_returns`` are the returns still to refer (the caller excludes those with a
    referral for ``trigger``): up to ``limit`` are read with their school and parents in
    three queries, their referrals inserted with ONE bulk_create that skips any (return,
    trigger) a run at the same time inserted first (the unique constraint decides), then
    the parents and carers in one more, and the returns marked "Referred to CME" in one
    UPDATE (and their history rows in one INSERT). The same referral as
    `referral_raise_from_return` would raise, field for field.
    """
    rows = list(
        school_returns.select_related("school").prefetch_related("parents").order_by("pk")[:limit]
    )
    if not rows:
        return 0
    now = timezone.now()
    referrals: list[Referral] = []
    parents: dict[str, list[dict[str, Any]]] = {}
    for school_return in rows:
        referral = _system_referral(school_return, school_return, trigger)
        referral.received_at = now
        referral.status = ReferralStatus.NEW
        referral.reference = new_reference(REFERENCE_PREFIX)
        referrals.append(referral)
        parents[referral.reference] = _parents_of(school_return)
    made_for = {r.reference: r.source_return_id for r in referrals}
    with transaction.atomic():
        Referral.objects.bulk_create(referrals, ignore_conflicts=True, batch_size=500)
        # ignore_conflicts sets no pks: the rows inserted now are the references made now,
        # for the return each was made for (a reference that collided with an older
        # referral's is that one's: its return is raised on the next run, with another).
        created = [
            (pk, reference, source)
            for pk, reference, source in Referral.objects.filter(
                reference__in=list(parents)
            ).values_list("pk", "reference", "source_return_id")
            if made_for[reference] == source
        ]
        ReferralPerson.objects.bulk_create(
            [
                ReferralPerson(referral_id=pk, **person)
                for pk, reference, _ in created
                for person in parents[reference]
            ],
            batch_size=1000,
        )
        referred = {source for _, _, source in created}
        returns_mark_referred([r for r in rows if r.pk in referred])
    return len(created)
