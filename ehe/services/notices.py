"""The school attendance order route (Education Act 1996 s437-s443), from unsuitable home
education to a CME case and an order.

1. (CWSA 2026, where in force: ``CME_CNIS_ENABLED``) the preliminary notice.
2. s437(1): where it appears the child is not receiving suitable education, a notice
   requiring the parent to satisfy the authority within a period of not less than 15 days
   beginning with the day of service (s437(2)).
3. No satisfactory answer by the end of the period: the child is missing education; a CME
   case opens with the DfE reason "Unsuitable elective home education".
4. s438(2): a notice of intention to serve a school attendance order, naming the school
   the authority intends to name and any suitable alternatives; the parent has 15 days
   beginning with its service to choose one (s438(3), (4)).
5. s437(3): the order, naming the parent's choice, or after the 15 days the authority's.
6. s440: amendment to name another school; s442: revocation. (The school then deletes the
   pupil under PRR 2024 reg 9(1)(d) or (e).)

Each notice is dated, its period computed (`ehe.rules`), its letter a PDF made from the
record (ehe.letters), queued to each parent with an address or email (cme.outbox), and
recorded in the child's chronology with what was sent and when.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from casework.events import record_event
from casework.models import CaseStatus, Category, EventKind
from casework.services.triage import TriageError, referral_accept, referral_mark_duplicate
from cme.models import User
from ehe import rules
from ehe.models import (
    Answer,
    HomeEducation,
    Notice,
    NoticeKind,
    Status,
    Suitability,
    SuitabilityView,
)
from ehe.services.register import EheError, _locked_active
from ehe.services.sending import queue_notice, served_summary
from referrals.models import Channel, Reason, Referral, ReferrerType
from referrals.services import referral_submit
from schools.models import School

#: The DfE primary reason a case opened by this route is given (casework/reasons_data.py).
UNSUITABLE_EHE = "unsuitable-ehe"

ERROR_NOT_NOW = "That notice cannot be served at this stage"
ERROR_NOT_UNSUITABLE = (
    "Record the authority's view that the education does not appear suitable first (s437(1))"
)
ERROR_PRELIMINARY_FIRST = "Serve the preliminary notice, and wait for its period to end, first"
ERROR_SCHOOL = "Select the school to name"
ERROR_ORDER_TOO_SOON = (
    "The parent has 15 days, counting the day the notice of intention was served, to choose "
    "a school (s438(3)): the order can be served from {first:%-d %B %Y}"
)
ERROR_NOT_SATISFIED_TOO_SOON = (
    "The parent has until the end of {end:%-d %B %Y} to satisfy the authority: record "
    "that they did not after that day"
)
ERROR_CHOICE_LATE = "The parent's choice came after the 15 days ended ({end:%-d %B %Y})"
ERROR_ALREADY_ANSWERED = "This notice's answer is already recorded"
ERROR_ANSWER = "That answer does not fit this notice"
ERROR_SERVED_FUTURE = "The date of service must be today or in the past"
ERROR_REASON = "Enter the reason"
ERROR_BEFORE_LAST_STEP = (
    "The date of service must be on or after {day:%-d %B %Y}, the date of the step before"
)
ERROR_SAME_SCHOOL = "Select a school other than the one the order names now"
ERROR_CASE = "The CME case could not be opened: {why}"

#: Kinds whose parent's answer is awaited: (answers allowed).
ANSWERS = {
    NoticeKind.PRELIMINARY: (Answer.SATISFIED, Answer.NOT_SATISFIED),
    NoticeKind.S437_1: (Answer.SATISFIED, Answer.NOT_SATISFIED),
    NoticeKind.INTENTION: (Answer.CHOSE_SCHOOL, Answer.NO_CHOICE),
}


def _latest(notices: Iterable[Notice], *kinds: str) -> Notice | None:
    found = [n for n in notices if n.kind in kinds]
    return max(found, key=lambda n: (n.served_on, n.pk)) if found else None


def order_in_force(notices: Sequence[Notice]) -> Notice | None:
    """The order (or its latest amendment) unless revoked since."""
    latest = _latest(notices, NoticeKind.ORDER, NoticeKind.AMENDMENT, NoticeKind.REVOCATION)
    return None if latest is None or latest.kind == NoticeKind.REVOCATION else latest


def servable_kinds(entry: HomeEducation, notices: Sequence[Notice]) -> list[str]:
    """The notices the officer may serve next, in the order of the route. After a
    revocation the route starts again (only the notices served since count)."""
    if entry.status != Status.ACTIVE:
        return []
    if order_in_force(notices) is not None:
        return [NoticeKind.AMENDMENT, NoticeKind.REVOCATION]
    revoked = _latest(notices, NoticeKind.REVOCATION)
    since = [n for n in notices if revoked is None or n.pk > revoked.pk]
    s437 = _latest(since, NoticeKind.S437_1)
    intention = _latest(since, NoticeKind.INTENTION)
    if intention is not None and (s437 is None or intention.pk > s437.pk):
        # s438(3)-(5): after the 15 days the authority names its school, chosen or not.
        waiting = intention.answer == Answer.WAITING and not _period_over_today(intention)
        return [] if waiting else [NoticeKind.ORDER]
    if s437 is not None and s437.answer != Answer.SATISFIED:
        return [NoticeKind.INTENTION] if s437.answer == Answer.NOT_SATISFIED else []
    return _first_notice(entry, since)


def _period_over_today(notice: Notice) -> bool:
    ends = notice.period_ends_on
    return ends is not None and rules.period_over(ends, timezone.localdate())


def _first_notice(entry: HomeEducation, notices: Sequence[Notice]) -> list[str]:
    """s437(1) needs it to appear that the education is not suitable (or the children not in
    school register to have asked); with the CWSA 2026 in force the preliminary notice, and
    its period, come first."""
    if entry.suitability != Suitability.NOT_SUITABLE and not entry.notice_route_reason:
        return []
    if not settings.CME_CNIS_ENABLED:
        return [NoticeKind.S437_1]
    pre = _latest(notices, NoticeKind.PRELIMINARY)
    if pre is None or pre.answer == Answer.SATISFIED:
        return [NoticeKind.PRELIMINARY]
    return [] if pre.answer == Answer.WAITING else [NoticeKind.S437_1]


def _check_servable(entry: HomeEducation, notices: list[Notice], kind: NoticeKind) -> None:
    if kind in servable_kinds(entry, notices):
        return
    if kind in (NoticeKind.S437_1, NoticeKind.PRELIMINARY) and not (
        entry.suitability == Suitability.NOT_SUITABLE or entry.notice_route_reason
    ):
        raise EheError(ERROR_NOT_UNSUITABLE)
    if kind == NoticeKind.S437_1 and settings.CME_CNIS_ENABLED:
        raise EheError(ERROR_PRELIMINARY_FIRST)
    intention = _latest(notices, NoticeKind.INTENTION)
    if kind == NoticeKind.ORDER and intention is not None and intention.period_ends_on:
        first = intention.period_ends_on + timedelta(days=1)
        raise EheError(ERROR_ORDER_TOO_SOON.format(first=first))
    raise EheError(ERROR_NOT_NOW)


def _period(
    kind: NoticeKind, served_on: date, period_days: int | None
) -> tuple[int | None, date | None]:
    if kind == NoticeKind.S437_1:
        days = period_days or rules.S437_MIN_DAYS
        try:
            return days, rules.s437_period_end(served_on, days)
        except ValueError as exc:
            raise EheError(str(exc)) from exc
    if kind == NoticeKind.INTENTION:
        return rules.S438_CHOICE_DAYS, rules.s438_choice_end(served_on)
    if kind == NoticeKind.PRELIMINARY:
        return rules.preliminary_notice_days(), rules.preliminary_period_end(served_on)
    return None, None


def _order_school(
    entry: HomeEducation,
    notices: list[Notice],
    kind: NoticeKind,
    served_on: date,
    school: School | None,
) -> School | None:
    """s438(3)-(5): the order names the parent's choice if made in time, else the school the
    notice of intention named; and is served only once the 15 days have run out (unless the
    parent chose). s440: an amendment names another school."""
    if kind == NoticeKind.ORDER:
        intention = _latest(notices, NoticeKind.INTENTION)
        if intention is None or intention.period_ends_on is None:
            raise EheError(ERROR_NOT_NOW)
        if intention.answer != Answer.CHOSE_SCHOOL and not rules.period_over(
            intention.period_ends_on, served_on
        ):
            first = intention.period_ends_on + timedelta(days=1)
            raise EheError(ERROR_ORDER_TOO_SOON.format(first=first))
        return school or intention.school
    if kind == NoticeKind.AMENDMENT:
        current = order_in_force(notices)
        if school is None:
            raise EheError(ERROR_SCHOOL)
        if current is not None and current.school_id == school.pk:
            raise EheError(ERROR_SAME_SCHOOL)
        return school
    if kind == NoticeKind.INTENTION and school is None:
        raise EheError(ERROR_SCHOOL)
    return school


@transaction.atomic
def notice_serve(
    *,
    entry: HomeEducation,
    kind: NoticeKind,
    served_on: date,
    by: User,
    period_days: int | None = None,
    school: School | None = None,
    alternatives: Sequence[School] = (),
    details: str = "",
) -> Notice:
    """Serve one notice of the route on the parents (see the module's docstring for the
    order of the route and the sections)."""
    entry = _locked_active(entry)
    notices = list(entry.notices.all())
    _check_servable(entry, notices, kind)
    if served_on > timezone.localdate():
        raise EheError(ERROR_SERVED_FUTURE)
    last_step = max(
        (d for n in notices for d in (n.served_on, n.answered_on) if d is not None), default=None
    )
    if last_step is not None and served_on < last_step:
        raise EheError(ERROR_BEFORE_LAST_STEP.format(day=last_step))
    if kind == NoticeKind.REVOCATION and not details.strip():
        raise EheError(ERROR_REASON)
    days, ends = _period(kind, served_on, period_days)
    school = _order_school(entry, notices, kind, served_on, school)
    notice = Notice.objects.create(
        home_education=entry,
        kind=kind,
        served_on=served_on,
        period_days=days,
        period_ends_on=ends,
        school=school,
        answer=Answer.WAITING if kind in ANSWERS else Answer.NONE_NEEDED,
        details=details,
        created_by=by,
        updated_by=by,
    )
    if alternatives:
        notice.alternatives.set([s for s in alternatives if school is None or s.pk != school.pk])
    letters, emails = queue_notice(entry, notice)
    notice.letters_queued, notice.emails_queued = letters, emails
    notice.save(update_fields=["letters_queued", "emails_queued"])
    record_event(
        child=entry.child,
        case=entry.case,
        kind=EventKind.NOTICE,
        by=by,
        summary=served_summary(notice, letters, emails)[:300],
        detail=details,
    )
    return notice


def _open_cme_case(entry: HomeEducation, notice: Notice, by: User) -> None:
    """s437(3)(a): the parent did not satisfy the authority within the period: the child is
    missing education. A referral from the EHE team opens a case (casework's triage service)
    with the DfE reason "Unsuitable elective home education"; a child with a case already
    open gets the referral on that case."""
    child = entry.child
    referral = Referral(
        channel=Channel.SIGNED_IN,
        referrer_type=ReferrerType.LA_SERVICE,
        referrer_user=by,
        referrer_name=by.full_name,
        referrer_organisation="Elective home education",
        first_name=child.first_name,
        last_name=child.last_name,
        other_names=child.middle_names,
        date_of_birth=child.date_of_birth,
        gender=child.gender,
        upn=child.upn,
        last_school=child.last_school,
        reasons=[Reason.OTHER],
        details=(
            f"A notice under s437(1) of the Education Act 1996 was served on "
            f"{notice.served_on:%-d %B %Y}; the parent did not satisfy the authority by the end "
            f"of {notice.period_ends_on:%-d %B %Y} that the child is receiving suitable education."
        ),
        **{f: getattr(entry, f) for f in ("address_line_1", "address_line_2", "town", "postcode")},
    )
    referral = referral_submit(referral=referral, by=by)
    open_case = child.cases.filter(status=CaseStatus.OPEN).first()
    try:
        if open_case is not None:
            referral_mark_duplicate(referral=referral, by=by, case=open_case)
            case = open_case
        else:
            case = referral_accept(
                referral=referral,
                by=by,
                child=child,
                category=Category.WASP,
                primary_reason=UNSUITABLE_EHE,
            )
    except TriageError as exc:
        raise EheError(ERROR_CASE.format(why=exc)) from exc
    entry.case = case


@transaction.atomic
def notice_answer(
    *,
    notice: Notice,
    answer: Answer,
    answered_on: date,
    by: User,
    school: School | None = None,
    details: str = "",
) -> Notice:
    """The parent's answer to a notice, or its absence once the period is over.

    s437(1), preliminary: satisfied (the view becomes "appears suitable") or, only after
    the period's last day, not satisfied (for s437(1): the CME case opens). s438: a school
    chosen within the 15 days (it is named in the order), or no choice after them."""
    entry = _locked_active(notice.home_education)
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.answer != Answer.WAITING:
        raise EheError(ERROR_ALREADY_ANSWERED)
    if answer not in ANSWERS.get(NoticeKind(notice.kind), ()):
        raise EheError(ERROR_ANSWER)
    if answered_on > timezone.localdate():
        raise EheError(ERROR_SERVED_FUTURE)
    end = notice.period_ends_on
    assert end is not None  # noqa: S101 - every notice awaiting an answer has a period
    if answer in (Answer.NOT_SATISFIED, Answer.NO_CHOICE) and not rules.period_over(
        end, answered_on
    ):
        raise EheError(ERROR_NOT_SATISFIED_TOO_SOON.format(end=end))
    if answer == Answer.CHOSE_SCHOOL:
        if school is None:
            raise EheError(ERROR_SCHOOL)
        if rules.period_over(end, answered_on):
            raise EheError(ERROR_CHOICE_LATE.format(end=end))
        notice.school = school
    notice.answer = answer
    notice.answered_on = answered_on
    notice.details = "\n".join(p for p in (notice.details, details) if p)
    notice.updated_by = by
    notice.save()
    if answer == Answer.SATISFIED:
        # The dated view history keeps it too (the census counts read the view then).
        SuitabilityView.objects.create(
            home_education=entry,
            suitability=Suitability.SUITABLE,
            formed_on=answered_on,
            reasons=f"The parent satisfied the authority ({notice.get_kind_display()})",
            created_by=by,
            updated_by=by,
        )
        entry.suitability = Suitability.SUITABLE
        entry.suitability_on = answered_on
        entry.notice_route_reason = ""
    if answer == Answer.NOT_SATISFIED and notice.kind == NoticeKind.S437_1:
        _open_cme_case(entry, notice, by)
    entry.updated_by = by
    entry.save()
    record_event(
        child=entry.child,
        case=entry.case,
        kind=EventKind.NOTICE,
        by=by,
        summary=f"{notice.get_kind_display()}: {Answer(answer).label.lower()} "
        f"({answered_on:%-d %B %Y})"
        + (f"; school chosen: {school.name}" if school is not None else ""),
        detail=details,
    )
    return notice
