"""Filling in and reading the GOV.UK forms in tests: one way to post a date, override answers
and read the errors back, shared by the return and referral tests."""

from __future__ import annotations

import html
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import Model
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse


def page(response: TestResponse) -> str:
    """The page's text with entities decoded, so that assertions read as the user does."""
    return html.unescape(response.content.decode())


def day(name: str, value: date) -> dict[str, str]:
    """A GdsDateField's three inputs (day, month, year)."""
    return {
        f"{name}_0": str(value.day),
        f"{name}_1": str(value.month),
        f"{name}_2": str(value.year),
    }


def blank(*names: str) -> dict[str, str]:
    """Date fields left empty: each one's three inputs sent blank."""
    return {f"{name}_{part}": "" for name in names for part in range(3)}


def answered(data: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """`data` with `overrides` applied: None removes a field (a date's three inputs too), a date
    fills in a date field's three inputs, anything else is the field's value."""
    for key, value in overrides.items():
        if value is None:
            for name in (key, f"{key}_0", f"{key}_1", f"{key}_2"):
                data.pop(name, None)
        elif isinstance(value, date):
            data.update(day(key, value))
        else:
            data[key] = value
    return data


def answers(defaults: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """A form's answers: its `defaults` with `overrides` applied, both read as `answered` reads
    them (so a date fills in a date field's three inputs)."""
    return answered(answered({}, defaults), overrides)


def errors(response: TestResponse) -> dict[str, list[str]]:
    """The form's errors by field, asserting that the page re-rendered rather than redirected."""
    assert response.status_code == 200, response.get("Location")
    return {k: list(v) for k, v in response.context["form"].errors.items()}


def shows(content: str, *texts: str) -> None:
    """Assert that the page's `content` holds each of `texts` (the missing ones are named)."""
    assert [text for text in texts if text not in content] == []


def refused(response: TestResponse) -> str:
    """The page's text, asserting that the form re-rendered with the GOV.UK error summary."""
    assert response.status_code == 200, response.get("Location")
    content = page(response)
    assert "There is a problem" in content
    return content


def refused_unsaved(response: TestResponse, message: str, model: type[Model]) -> str:
    """The refused form's text, asserting that it names `message` and nothing of `model` was
    saved."""
    content = refused(response)
    assert message in content
    assert not model._default_manager.exists()
    return content


def child_answers(
    name: tuple[str, str], born: date, address_line_1: str, postcode: str, **more: str
) -> dict[str, str]:
    """The child's name, date of birth and address as the return, referral and register forms
    ask them (in Exampleton unless `town` says otherwise), with `more` answers."""
    first_name, last_name = name
    return {
        "first_name": first_name,
        "last_name": last_name,
        **day("date_of_birth", born),
        "address_line_1": address_line_1,
        "town": "Exampleton",
        "postcode": postcode,
        **more,
    }


def parent_answers(name: str, phone: str, relationship: str = "Mother") -> dict[str, str]:
    """The first parent or carer the forms ask about."""
    return {
        "parent_1_name": name,
        "parent_1_relationship": relationship,
        "parent_1_phone": phone,
    }
