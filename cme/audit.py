"""The access log (who saw which child's record, or the register, and when) (issue 6; DOMAIN.md:
"keep an audit of access"). The session grant that opens a restricted record is casework's
(casework/restricted.py).

The log is append-only: nothing here, or anywhere in the app, updates or deletes a row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from django.db import models
from django.http import HttpRequest

from cme.access import acting_user
from cme.models import AccessAction, AccessLog, User

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
    search_terms: dict[str, str] | None = None,
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
            search_terms=search_terms,
        )
        for each in (ids or [None])
    ]
    AccessLog.objects.bulk_create(rows)


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
