"""The access log (who saw which child's record, or the register, and when) and the session
grant that opens a restricted record (issue 6; DOMAIN.md: "keep an audit of access").

The log is append-only: nothing here, or anywhere in the app, updates or deletes a row.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import models
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from cme.access import acting_user
from cme.models import AccessAction, AccessLog, User

#: Session key: the ids of the restricted children this session has given a reason to open.
#: It goes with the session (sign-out, expiry), so the grant never outlives it.
SESSION_RESTRICTED = "restricted_child_ids"

WITHHELD = "Address withheld (restricted record)"


def log_access(
    request: HttpRequest,
    action: AccessAction,
    *,
    child_id: int | None = None,
    obj: models.Model | None = None,
    reason: str = "",
    detail: str = "",
) -> AccessLog:
    """Record one view or export by the signed-in user. Only the path is kept: a query string
    may hold a name typed into a filter, which the log has no need of."""
    return AccessLog.objects.create(
        user=acting_user(request),
        action=action,
        object_type=(obj._meta.model_name or "") if obj is not None else "",
        object_id=obj.pk if obj is not None else None,
        child_id=child_id,
        reason=reason,
        detail=detail[:200],
        path=request.path[:300],
    )


def restricted_granted(request: HttpRequest, child_id: int) -> bool:
    return child_id in request.session.get(SESSION_RESTRICTED, [])


def grant_restricted(request: HttpRequest, child_id: int, reason: str) -> None:
    """Open a restricted record for the rest of this session, recording why."""
    log_access(request, AccessAction.OPEN_RESTRICTED, child_id=child_id, reason=reason)
    granted = [i for i in request.session.get(SESSION_RESTRICTED, []) if i != child_id]
    request.session[SESSION_RESTRICTED] = [*granted, child_id]


def restricted_gate(
    request: HttpRequest, child_id: int, restricted: bool
) -> HttpResponseRedirect | None:
    """The reason page first for a restricted record not yet opened in this session; None
    when the page may be shown."""
    if not restricted or restricted_granted(request, child_id):
        return None
    url = reverse("cases:open_restricted", kwargs={"child_id": child_id})
    return HttpResponseRedirect(f"{url}?{urlencode({'next': request.path})}")



def record_history(instances: Sequence[models.Model], *, by: User | None = None) -> None:
    """A history row for each of ``instances``, as they are in memory, in one INSERT.

    For rows changed by ``QuerySet.update()``, which sends no signal, so django-simple-history
    misses it: a service that updates with a conditional UPDATE (optimistic locking) and has
    brought its in-memory object up to date calls this to keep the audit trail whole.
    """
    if not instances:
        return
    model = type(instances[0])
    manager = getattr(model, model._meta.simple_history_manager_attribute)  # type: ignore[attr-defined]
    manager.bulk_history_create(list(instances), update=True, default_user=by)
