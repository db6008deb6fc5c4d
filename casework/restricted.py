"""The session grant that opens a restricted child's record (issue 6): a reason first, logged,
then the record stays open for the rest of the session."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from cme.audit import log_access
from cme.models import AccessAction

#: Session key: the ids of the restricted children this session has given a reason to open.
#: It goes with the session (sign-out, expiry), so the grant never outlives it.
SESSION_RESTRICTED = "restricted_child_ids"


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
