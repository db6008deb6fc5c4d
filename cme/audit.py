"""The access log (who saw which child's record, or the register, and when) and the session
grant that opens a restricted record (issue 6; DOMAIN.md: "keep an audit of access").

The log is append-only: nothing here, or anywhere in the app, updates or deletes a row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

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


#: For a model whose pages show children without naming one record (a school return):
#: how to find those children. The app that links them registers it in its AppConfig.ready()
#: (casework: a return's children are those of the cases its referrals opened), since the
#: core imports no app (DESIGN.md).
ChildFinder = Callable[[models.Model], Iterable[int]]
_child_finders: dict[type[models.Model], ChildFinder] = {}


def register_child_finder(model: type[models.Model], finder: ChildFinder) -> None:
    _child_finders[model] = finder


def children_of(obj: models.Model) -> list[int] | None:
    """The ids of the children ``obj`` shows, or None when no app says how to find them."""
    for cls in type(obj).__mro__:
        finder = _child_finders.get(cls)
        if finder is not None:
            return sorted(set(finder(obj)))
    return None


def log_access(
    request: HttpRequest,
    action: AccessAction,
    *,
    child_id: int | None = None,
    child_ids: Iterable[int] | None = None,
    obj: models.Model | None = None,
    reason: str = "",
    detail: str = "",
) -> None:
    """Record one view or export by the signed-in user: one row per child seen (``child_id``,
    ``child_ids``, or the children a registered finder gives for ``obj``), in one INSERT;
    one row with no child when there is none. Only the path is kept: a query string may
    hold a name typed into a filter, which the log has no need of."""
    ids: list[int | None]
    if child_ids is not None:
        ids = [*sorted(set(child_ids))]
    elif child_id is not None:
        ids = [child_id]
    else:
        found = children_of(obj) if obj is not None else None
        ids = list(found) if found else []
    user = acting_user(request)
    rows = [
        AccessLog(
            user=user,
            action=action,
            object_type=(obj._meta.model_name or "") if obj is not None else "",
            object_id=obj.pk if obj is not None else None,
            child_id=each,
            reason=reason,
            detail=detail[:200],
            path=request.path[:300],
        )
        for each in (ids or [None])
    ]
    AccessLog.objects.bulk_create(rows)


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
