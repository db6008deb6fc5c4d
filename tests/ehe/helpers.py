"""Shared builders for the EHE tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from cme.models import User
from ehe.models import HomeEducation, Source
from ehe.services.register import child_for, home_education_register

PARENT: dict[str, Any] = {
    "title": "Ms",
    "first_name": "Priya",
    "last_name": "Patel",
    "relationship": "Mother",
    "email": "priya@example.com",
}


def on_register(by: User | None, *, restricted: bool = False, **details: Any) -> HomeEducation:
    values: dict[str, Any] = {
        "first_name": "Maya",
        "last_name": "Patel",
        "date_of_birth": date(2016, 3, 14),
        "address_line_1": "12 Oak Road",
        "town": "Exampleton",
        "postcode": "EX1 2AB",
        **details,
    }
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
