"""Marking a child's record restricted (a family in a refuge, say) and lifting it.

A restricted record hides the child's address in lists and exports, and asks every officer
for a reason before it opens (cme.audit). Managers decide; the change is an Event on the
chronology, and the history table records who changed the flag and when.
"""

from __future__ import annotations

from django.db import transaction

from casework.events import record_event
from casework.models import Child, EventKind
from cme.models import Role, User

ERROR_NOT_A_MANAGER = "Only a CME manager can restrict a record or lift a restriction"
ERROR_REASON_REQUIRED = "Enter the reason"
ERROR_NO_CHANGE = "The record is already like that"


class RestrictionError(Exception):
    """A refused change; the message is safe to show to the manager."""


@transaction.atomic
def child_set_restricted(*, child: Child, restricted: bool, reason: str, by: User) -> Child:
    if by.role != Role.MANAGER:
        raise RestrictionError(ERROR_NOT_A_MANAGER)
    reason = reason.strip()
    if not reason:
        raise RestrictionError(ERROR_REASON_REQUIRED)
    locked = Child.objects.select_for_update().get(pk=child.pk)
    if locked.restricted == restricted:
        raise RestrictionError(ERROR_NO_CHANGE)
    locked.restricted = restricted
    locked.updated_by = by
    # The history row names the manager even when this runs outside a request.
    locked._history_user = by  # type: ignore[attr-defined]
    # save(), not update(): the history row is the audit trail of who restricted the record.
    locked.save(update_fields=["restricted", "updated_by", "updated_at"])
    record_event(
        child=locked,
        kind=EventKind.RESTRICTED if restricted else EventKind.UNRESTRICTED,
        summary="Record restricted: address withheld" if restricted else "Restriction lifted",
        detail=reason,
        by=by,
    )
    return locked
