"""s434A Education Act 1996 (inserted by the Children's Wellbeing and Schools Act 2026): a
school must not delete a pupil for home education (ground (f)) without the LA's consent where
the pupil attends a special school at which the LA arranged the place, or is subject to s47
(Children Act 1989) enquiries or action. Behind CME_CNIS_ENABLED (commencement needs
regulations).

The leaver return is held (schools.holds) while a manager decides: no referral, no EHE
register entry, until consent is given (`consent_decide`, which releases it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from casework.matching.keys import normalise_upn
from casework.models import Child
from cme.models import User
from cme.notifications import insert_notifications, managers, notify
from cnis.models import ConsentRequest, ConsentStatus
from schools.models import DeletionGround, LeaverReturn, ReturnStatus, SchoolReturn, SchoolType
from schools.services import return_release, return_status_set

#: What the school sees beside its return while it waits (never why: the LA's child
#: protection record is not the school's to learn from this page).
HELD_DETAIL = "Waiting for the local authority's consent to home education (s434A)"
GRANTED_DETAIL = "The local authority consented to home education on {on:%-d %B %Y}"
REFUSED_DETAIL = (
    "The local authority refused consent to home education on {on:%-d %B %Y}: "
    "keep the pupil on the admission register"
)
ERROR_DECIDED = "A decision has already been made on this request"
ERROR_NOT_A_DECISION = "Choose whether consent is given or refused"


class ConsentError(Exception):
    pass


def cnis_enabled() -> bool:
    return bool(getattr(settings, "CME_CNIS_ENABLED", False))


@dataclass(frozen=True)
class ConsentGrounds:
    la_placed_special_school: bool
    s47_by_school: bool
    s47_by_la: bool
    child: Child | None

    @property
    def any(self) -> bool:
        return self.la_placed_special_school or self.s47_by_school or self.s47_by_la


def matching_child(leaver: LeaverReturn) -> Child | None:
    """The LA's active record of the leaver's child: the same UPN, or the same names and
    date of birth (case-insensitive). The first such record, or None."""
    same = Q(
        first_name__iexact=leaver.first_name,
        last_name__iexact=leaver.last_name,
        date_of_birth=leaver.date_of_birth,
    )
    upn = normalise_upn(leaver.upn)
    if upn:
        same |= Q(upn=upn)
    return Child.objects.filter(same, merged_into__isnull=True).order_by("pk").first()


def consent_grounds(leaver: LeaverReturn) -> ConsentGrounds:
    """s434A(1): which of the conditions for consent this leaver meets. The special-school
    condition needs both the school's type and the school's answer that the LA arranged
    the place; s47 is the school's answer or the LA's own child protection plan flag."""
    child = matching_child(leaver)
    return ConsentGrounds(
        la_placed_special_school=(
            leaver.school.school_type == SchoolType.SPECIAL and leaver.la_arranged_place is True
        ),
        s47_by_school=leaver.s47_enquiries is True,
        s47_by_la=bool(child is not None and child.child_protection_plan),
        child=child,
    )


def needs_consent(leaver: LeaverReturn) -> bool:
    return cnis_enabled() and leaver.ground == DeletionGround.F and consent_grounds(leaver).any


def consent_hold(school_return: SchoolReturn) -> str | None:
    """The hold check (registered in CnisConfig.ready): a ground (f) leaver that needs the
    LA's consent becomes a consent request, in return_submit's transaction, and is held."""
    if not cnis_enabled() or not isinstance(school_return, LeaverReturn):
        return None
    if school_return.ground != DeletionGround.F:
        return None
    grounds = consent_grounds(school_return)
    if not grounds.any:
        return None
    request, created = ConsentRequest.objects.get_or_create(
        leaver=school_return,
        defaults={
            "la_placed_special_school": grounds.la_placed_special_school,
            "s47_by_school": grounds.s47_by_school,
            "s47_by_la": grounds.s47_by_la,
            "child": grounds.child,
            "created_by": school_return.created_by,
            "updated_by": school_return.created_by,
        },
    )
    if created:
        # The title is an email subject: a reference, never a name.
        notify(
            managers(),
            key=f"cnis-consent-{request.pk}",
            title=f"Consent to home education asked for: return {school_return.reference}",
            body="A school has asked for the local authority's consent before removing a "
            "pupil from its admission register for home education (s434A).",
            url=reverse("cnis:consent_detail", args=[request.pk]),
        )
    return HELD_DETAIL


def consent_note(school_return: SchoolReturn) -> list[tuple[str, str]]:
    """The hold note (registered in CnisConfig.ready): the decision the school sees."""
    request = ConsentRequest.objects.filter(leaver_id=school_return.pk).first()
    if request is None:
        return []
    if request.status == ConsentStatus.PENDING:
        return [("Local authority's consent", HELD_DETAIL)]
    assert request.decided_on is not None  # noqa: S101 - a constraint
    template = GRANTED_DETAIL if request.status == ConsentStatus.GRANTED else REFUSED_DETAIL
    return [
        ("Local authority's consent", template.format(on=request.decided_on)),
        ("Reasons", request.reasons),
    ]


@transaction.atomic
def consent_decide(
    *, request: ConsentRequest, status: ConsentStatus, reasons: str, decided_on: date, by: User
) -> ConsentRequest:
    """A manager's decision, with reasons and date. Granted: the leaver return goes on (the
    referral rules and the EHE register hear of it now). Refused: the return is closed and
    the school told to keep the pupil on roll."""
    if status not in (ConsentStatus.GRANTED, ConsentStatus.REFUSED):
        raise ConsentError(ERROR_NOT_A_DECISION)
    locked = ConsentRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != ConsentStatus.PENDING:
        raise ConsentError(ERROR_DECIDED)
    locked.status = status
    locked.reasons = reasons
    locked.decided_on = decided_on
    locked.decided_by = by
    locked.updated_by = by
    locked.updated_at = timezone.now()
    locked._history_user = by  # type: ignore[attr-defined]
    locked.save()
    leaver = LeaverReturn.objects.select_related("school").get(pk=locked.leaver_id)
    # The school's staff are told (in the app, and by email after commit): a reference only.
    insert_notifications(
        [
            {
                "school_id": leaver.school_id,
                "key": f"cnis-consent-decided-{locked.pk}",
                "title": f"Decision on home education for return {leaver.reference}",
                "body": "The local authority has decided whether it consents to the pupil's "
                "name being removed for home education. See the return for the decision.",
                "url": reverse("schools:return_detail", args=[leaver.reference]),
            }
        ]
    )
    if status == ConsentStatus.GRANTED:
        return_release(school_return=leaver, detail=GRANTED_DETAIL.format(on=decided_on), by=by)
    else:
        return_status_set(
            school_return=leaver,
            status=ReturnStatus.CLOSED,
            detail=REFUSED_DETAIL.format(on=decided_on),
            by=by,
        )
    return locked
