"""Writes for schools and their returns. Every state change goes through a function here."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cme.formats import govuk_time
from cme.models import User
from cme.references import save_with_reference
from cme.statutory import is_compulsory_school_age
from schools.holds import hold_reason
from schools.models import (
    DestinationType,
    JoinerReturn,
    LeaverReturn,
    ParentCarer,
    PartTimeTimetable,
    ReturnKind,
    ReturnStatus,
    ReviewOutcome,
    School,
    SchoolReturn,
    TimetableReview,
)
from schools.services.status import (
    JOINER_MATCHED_DETAIL,
    LEAVER_MATCHED_DETAIL,
    REFERRED_DETAIL,
    return_outcome_record,
    return_status_set,
    returns_link_matched,
    returns_mark_referred,
)
from schools.signals import return_submitted

__all__ = [
    "JOINER_MATCHED_DETAIL",
    "LEAVER_MATCHED_DETAIL",
    "REFERRED_DETAIL",
    "return_outcome_record",
    "return_status_set",
    "returns_link_matched",
    "returns_mark_referred",
]

_REFERENCE_PREFIX = {
    ReturnKind.JOINER: "NP",
    ReturnKind.LEAVER: "LV",
    ReturnKind.PART_TIME: "PT",
    ReturnKind.ABSENCE: "CA",
}

ERROR_NOT_A_MEMBER = "You do not act for this school"
ERROR_TIMETABLE_ENDED = "This part-time timetable has already ended"
ERROR_S2S_NOT_ASKED = "This return does not need an s2s Lost Pupils Database upload"
S2S_CONFIRMED_REASON = "The school confirmed the s2s Lost Pupils Database upload"

#: Issue 12 A12: school days a school has to confirm a lost pupil's s2s upload before the
#: late_returns job reminds its staff (setting CME_S2S_REMINDER_SCHOOL_DAYS).
S2S_REMINDER_SCHOOL_DAYS = 3


def s2s_reminder_school_days() -> int:
    return int(getattr(settings, "CME_S2S_REMINDER_SCHOOL_DAYS", S2S_REMINDER_SCHOOL_DAYS))


class ReturnError(Exception):
    pass


class StaleReviewError(ReturnError):
    """Another review of the timetable was saved after this one's form was opened."""


ERROR_STALE_REVIEW = (
    "Another review of this part-time timetable was saved on {saved:%-d %B %Y} at {time} "
    "by {by}, after you opened this page. Check the timetable's details above, which now "
    "include it. If your review is still needed, save it again."
)


def timetable_version(timetable: PartTimeTimetable) -> int:
    """The version of a timetable's reviews a review form was opened on: its latest
    review's id (0 before the first). A review saved since changes it."""
    latest = timetable.reviews.order_by("-pk").values_list("pk", flat=True).first()
    return latest or 0


def joiner_is_late(admission_date: date, submitted_on: date) -> bool:
    """Regulation 13(1): due by the end of the 5th day after entry on the admission register."""
    return submitted_on > admission_date + timedelta(days=settings.CME_JOINER_RETURN_DAYS)


def leaver_is_late(deletion_date: date, submitted_on: date) -> bool:
    """Regulation 13(3): due no later than the time the name is deleted from the register."""
    return submitted_on > deletion_date


@transaction.atomic
def return_submit(
    *,
    school_return: SchoolReturn,
    school: School,
    by: User,
    parents: list[dict[str, Any]] | None = None,
    reference: str | None = None,
    submitted_at: datetime | None = None,
    submission_token: uuid.UUID | None = None,
) -> SchoolReturn:
    """Save a validated return for `school`, submitted by `by`, with its parents/carers.

    The form has already validated the fields; here the school is checked against the
    submitter, lateness and the compulsory-school-age warning are decided, and a reference
    is given.

    ``reference`` and ``submitted_at`` are for loading known returns (the demo data): a
    fixed reference instead of a random one, and the moment the return was sent (lateness
    and the age warning are then decided on that day). Neither is given by the forms.
    """
    if not by.is_la_user and not school.memberships.filter(user=by).exists():
        raise ReturnError(ERROR_NOT_A_MEMBER)
    # Idempotent on the check page's token: a double click or a retry gets the first return.
    if submission_token is not None:
        already = _already_sent(submission_token, school)
        if already is not None:
            return already
        school_return.submission_token = submission_token
    now = submitted_at or timezone.now()
    today = timezone.localdate(now)
    school_return.school = school
    school_return.kind = _kind_of(school_return)
    school_return.submitted_at = now
    if submitted_at is not None:
        school_return.created_at = submitted_at
    school_return.created_by = by
    school_return.updated_by = by
    school_return.status = ReturnStatus.RECEIVED
    school_return.dob_outside_compulsory_age = not is_compulsory_school_age(
        school_return.date_of_birth, today
    )
    _decide_lateness(school_return, today, now)

    def save_with_parents(instance: SchoolReturn) -> None:
        instance.save()
        for position, parent in enumerate(parents or [], start=1):
            ParentCarer.objects.create(school_return=instance, position=position, **parent)

    try:
        save_with_reference(
            school_return,
            _REFERENCE_PREFIX[ReturnKind(school_return.kind)],
            reference=reference,
            save=save_with_parents,
        )
    except IntegrityError:
        # The same token sent at the same moment: the other request's return is the one.
        already = _already_sent(submission_token, school)
        if already is not None:
            return already
        raise
    held = hold_reason(school_return)
    if held is not None:
        # A later layer decides first (schools.holds): the reactions wait for return_release.
        return_status_set(
            school_return=school_return, status=ReturnStatus.RECEIVED, detail=held, by=by
        )
        return school_return
    return_submitted.send(sender=type(school_return), school_return=school_return)
    return school_return


@transaction.atomic
def return_release(*, school_return: SchoolReturn, detail: str, by: User | None) -> SchoolReturn:
    """Let a held return (schools.holds) go on: the words the school now sees beside its
    status, then the usual reactions to a submitted return (the signal return_submit held
    back). Called once per hold by the layer that held it, when its decision allows."""
    return_status_set(
        school_return=school_return, status=ReturnStatus.RECEIVED, detail=detail, by=by
    )
    return_submitted.send(sender=type(school_return), school_return=school_return)
    return school_return


def _decide_lateness(school_return: SchoolReturn, today: date, now: datetime) -> None:
    """Regulation 13: is the return late, sent ``today``? (And a leaver sent with its s2s
    upload already made has it confirmed now.)"""
    if isinstance(school_return, JoinerReturn):
        school_return.is_late = joiner_is_late(school_return.admission_date, today)
    elif isinstance(school_return, LeaverReturn):
        school_return.is_late = leaver_is_late(school_return.deletion_date, today)
        if school_return.s2s_lost_pupil_uploaded and school_return.s2s_confirmed_at is None:
            school_return.s2s_confirmed_at = now


def _already_sent(submission_token: uuid.UUID | None, school: School) -> SchoolReturn | None:
    """The return already sent with this check page's token, if any."""
    if submission_token is None:
        return None
    return SchoolReturn.objects.filter(submission_token=submission_token, school=school).first()


def _kind_of(school_return: SchoolReturn) -> ReturnKind:
    if isinstance(school_return, JoinerReturn):
        return ReturnKind.JOINER
    if isinstance(school_return, LeaverReturn):
        return ReturnKind.LEAVER
    if isinstance(school_return, PartTimeTimetable):
        return ReturnKind.PART_TIME
    return ReturnKind.ABSENCE


@transaction.atomic
def leaver_s2s_upload_confirm(*, leaver: LeaverReturn, by: User) -> LeaverReturn:
    """The school tells us it has uploaded a lost pupil's record to the s2s Lost Pupils
    Database (issue 12 A12: a follow-up to a leaver with an unknown destination, which was
    sent and referred without waiting for it). Recorded in the return's history, with who
    and when; a second confirmation changes nothing."""
    locked = LeaverReturn.objects.select_for_update().get(pk=leaver.pk)
    if locked.destination_type != DestinationType.UNKNOWN:
        raise ReturnError(ERROR_S2S_NOT_ASKED)
    if locked.s2s_lost_pupil_uploaded:
        return locked
    locked.s2s_lost_pupil_uploaded = True
    locked.s2s_confirmed_at = timezone.now()
    locked.updated_by = by
    locked._history_user = by  # type: ignore[attr-defined]
    locked._change_reason = S2S_CONFIRMED_REASON  # type: ignore[attr-defined]
    locked.save(
        update_fields=["s2s_lost_pupil_uploaded", "s2s_confirmed_at", "updated_by", "updated_at"]
    )
    return locked


@transaction.atomic
def timetable_review_record(
    *,
    timetable: PartTimeTimetable,
    review: TimetableReview,
    by: User,
    version: int | None = None,
) -> TimetableReview:
    """Record a review of a part-time timetable and carry its changes onto the timetable.

    "Working together to improve school attendance" (2024): part-time timetables are
    time-limited and reviewed regularly; the LA is notified at each review.

    ``version``: the `timetable_version` the review form was opened on (the form sends
    it). Checked with the timetable locked, so of two people reviewing from the same page
    the second is told about the first review (StaleReviewError) instead of overriding it.
    None (the demo data) checks nothing.
    """
    timetable = PartTimeTimetable.objects.select_for_update().get(pk=timetable.pk)
    if timetable.ended_on is not None:
        raise ReturnError(ERROR_TIMETABLE_ENDED)
    if version is not None and version != timetable_version(timetable):
        latest = timetable.reviews.select_related("created_by").order_by("-pk").first()
        assert latest is not None  # noqa: S101 - a version other than the current one
        who = latest.created_by.full_name if latest.created_by else "someone else"
        saved = timezone.localtime(latest.created_at)
        raise StaleReviewError(
            ERROR_STALE_REVIEW.format(saved=saved, time=govuk_time(saved), by=who)
        )
    review.timetable = timetable
    review.created_by = by
    review.updated_by = by
    review.save()
    if review.outcome == ReviewOutcome.ENDED:
        timetable.ended_on = review.review_date
        timetable.status = ReturnStatus.CLOSED
        timetable.status_detail = "Back to full-time"
    else:
        if review.hours_per_week is not None:
            timetable.hours_per_week = review.hours_per_week
        if review.planned_end_date is not None:
            timetable.planned_end_date = review.planned_end_date
        if review.next_review_date is not None:
            timetable.next_review_date = review.next_review_date
        timetable.status = ReturnStatus.UNDER_REVIEW
        timetable.status_detail = f"Reviewed {review.review_date:%-d %B %Y}"
    timetable.updated_by = by
    timetable.save()
    return review
