"""Helpers the school views (and the referral intake) share: which school the person is acting
for, the drafts and one-time tokens of their forms, and a return's page."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404, HttpRequest, QueryDict

from cme.access import acting_user
from schools.forms import RETURN_FORMS
from schools.models import ReturnKind, School
from schools.selectors import schools_for_user

SESSION_SCHOOL = "current_school_id"


def current_school(request: HttpRequest) -> School:
    """The school a member of staff is acting for now (the switcher sets it)."""
    schools = schools_for_user(acting_user(request))
    chosen = request.session.get(SESSION_SCHOOL)
    school = schools.filter(pk=chosen).first() if chosen else None
    if school is None:
        school = schools.first()
    if school is None:
        # A school account with no school is a set-up mistake an administrator must fix.
        raise Http404("No school is linked to this account")
    return school


def draft_key(kind: ReturnKind, school: School) -> str:
    return f"return-draft:{kind.value}:{school.pk}"


def save_draft(request: HttpRequest, key: str, data: QueryDict) -> None:
    request.session[key] = {k: v for k, v in data.lists() if k != "csrfmiddlewaretoken"}


def load_draft(request: HttpRequest, key: str) -> QueryDict | None:
    stored: dict[str, list[Any]] | None = request.session.get(key)
    if stored is None:
        return None
    data = QueryDict(mutable=True)
    for k, values in stored.items():
        data.setlist(k, values)
    return data


#: The check page's hidden field carrying the submission's one-time token.
TOKEN_FIELD = "submission_token"  # noqa: S105 - a field name, not a secret


def submission_token(request: HttpRequest, key: str) -> uuid.UUID:
    """The one-time token of the draft under ``key``: the one the check page posted, else the
    session's (made once per draft), so a double click or a retry sends one submission."""
    posted = request.POST.get(TOKEN_FIELD, "") if request.method == "POST" else ""
    try:
        return uuid.UUID(posted)
    except ValueError:
        pass
    stored = request.session.get(f"{key}:token")
    if stored is None:
        stored = str(uuid.uuid4())
        request.session[f"{key}:token"] = stored
    return uuid.UUID(stored)


def forget_token(request: HttpRequest, key: str) -> None:
    request.session.pop(f"{key}:token", None)


def detail_context(school_return: object) -> dict[str, object]:
    from schools.holds import hold_notes
    from schools.models import SchoolReturn

    assert isinstance(school_return, SchoolReturn)  # noqa: S101
    detail = school_return.detail()
    form_class = RETURN_FORMS[ReturnKind(school_return.kind)]
    return {
        "object": school_return,
        "detail": detail,
        "sections": form_class.summary_of(detail),
        "hold_notes": hold_notes(detail),
        "reviews": list(detail.reviews.select_related("created_by"))  # type: ignore[attr-defined]
        if school_return.kind == ReturnKind.PART_TIME
        else [],
    }
