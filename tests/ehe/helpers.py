"""Shared builders for the EHE tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from cme.models import User
from ehe.models import HomeEducation, Source, Suitability
from ehe.services.register import child_for, home_education_register, suitability_record
from tests.factories import MAYA

PARENT: dict[str, Any] = {
    "title": "Ms",
    "first_name": "Priya",
    "last_name": "Patel",
    "relationship": "Mother",
    "email": "priya@example.com",
}


def on_register(by: User | None, *, restricted: bool = False, **details: Any) -> HomeEducation:
    values: dict[str, Any] = {**MAYA, **details}
    child = child_for(values, by=by)
    if restricted:
        child.restricted = True
        child.save()
    return home_education_register(
        child=child,
        source=Source.OFFICER,
        by=by,
        started_on=date(2026, 9, 1),
        parents=[PARENT],
    )


def not_suitable(entry: HomeEducation, by: User, on: date, reasons: str) -> None:
    """Record the LA's view, formed on `on`, that the education does not appear suitable."""
    suitability_record(
        entry=entry, suitability=Suitability.NOT_SUITABLE, formed_on=on, reasons=reasons, by=by
    )
