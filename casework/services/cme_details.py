"""The CME return's details on a case (issue 15): the day the child became missing education
and the primary reason from the DfE's list. Changed with a reason, in the chronology and the
audit trail, through the same optimistic lock as every other change to a case."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from casework.events import record_case_event
from casework.models import Case, CmeReason, EventKind
from casework.services.cases import ERROR_REASON_REQUIRED, CaseError, _claim, checked_reason
from cme.models import User

ERROR_BECAME_CME_FUTURE = "The date the child became missing education must be today or in the past"
ERROR_NOTHING_CHANGED = "Change the date or the primary reason, or cancel"


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


@transaction.atomic
def case_cme_details_change(
    *,
    case: Case,
    by: User,
    became_cme_on: date,
    primary_reason: CmeReason | str,
    reason: str,
    version: int | None = None,
) -> Case:
    """Correct the day the child became missing education or the primary reason. A closed
    case can be corrected too: the return for a past census date counts it."""
    reason = reason.strip()
    if not reason:
        raise CaseError(ERROR_REASON_REQUIRED)
    if became_cme_on > timezone.localdate():
        raise CaseError(ERROR_BECAME_CME_FUTURE)
    chosen = checked_reason(primary_reason)
    changes: list[str] = []
    if became_cme_on != case.became_cme_on:
        was = f"{case.became_cme_on:%-d %B %Y}" if case.became_cme_on else "not recorded"
        changes.append(f"became missing education on {became_cme_on:%-d %B %Y} (was {was})")
    if chosen.pk != case.primary_reason_id:
        changes.append(f"primary reason {chosen.label} (was {case.primary_reason.label})")
    if not changes:
        raise CaseError(ERROR_NOTHING_CHANGED)
    _claim(case, version, became_cme_on=became_cme_on, primary_reason=chosen, updated_by=by)
    record_case_event(case, EventKind.CME_DETAILS, by, _first_upper("; ".join(changes)), reason)
    return case
