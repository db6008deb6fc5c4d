"""Sending a school return in tests: the start page, check your answers and the receipt, one
way for every kind of return."""

from __future__ import annotations

from typing import Any, TypeVar

from django.test import Client
from django.urls import reverse

from cme.models import User
from schools.models import LeaverReturn, School, SchoolReturn
from schools.services import return_submit
from tests.factories import MAYA, MAYAS_MOTHER, LeaverReturnFactory
from tests.forms import page

R = TypeVar("R", bound=SchoolReturn)


def start_url(kind: str) -> str:
    return reverse("schools:return_start", kwargs={"kind": kind})


def check_url(kind: str) -> str:
    return reverse("schools:return_check", kwargs={"kind": kind})


def return_pages(kind: str) -> tuple[str, str]:
    """The start page and the check your answers page of a kind of return."""
    return start_url(kind), check_url(kind)


def checked(client: Client, kind: str, data: dict[str, Any]) -> str:
    """Post the answers to the start page, which sends the person to check your answers; the
    text of that page."""
    response = client.post(start_url(kind), data)
    assert response.status_code == 302
    assert response["Location"] == check_url(kind)
    check = client.get(check_url(kind))
    assert check.status_code == 200
    content = page(check)
    assert "Check your answers" in content
    return content


def sent(client: Client, kind: str, model: type[R], school: School, by: User) -> R:
    """Send the checked answers: the one return saved, for `school` by `by`, its receipt
    naming its reference."""
    response = client.post(check_url(kind))
    saved = model.objects.get()
    assert response["Location"] == reverse("schools:return_submitted", args=[saved.reference])
    assert saved.school == school
    assert saved.created_by == by
    assert saved.reference in page(client.get(response["Location"]))
    return saved


def send(client: Client, kind: str, data: dict[str, Any], model: type[R]) -> R:
    """Post the answers and send them from check your answers: the one return saved."""
    assert client.post(start_url(kind), data).status_code == 302
    client.post(check_url(kind))
    return model.objects.get()


def leaver_submitted(
    school: School, by: User, *, parents: list[dict[str, Any]] | None = None, **fields: Any
) -> LeaverReturn:
    """A leaver return about Maya (her mother named unless `parents` says otherwise) sent
    through the service, as the check-your-answers page sends it."""
    saved = return_submit(
        school_return=LeaverReturnFactory.build(school=school, **{**MAYA, **fields}),
        school=school,
        by=by,
        parents=[MAYAS_MOTHER] if parents is None else parents,
    )
    assert isinstance(saved, LeaverReturn)
    return saved
