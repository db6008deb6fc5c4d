"""The fields of a child or a referral, written as a name and what else a test needs."""

from __future__ import annotations

from typing import Any


def person(name: str, **fields: Any) -> dict[str, Any]:
    """``first_name`` and ``last_name`` from "First Last", and the other fields as given:
    ``ChildFactory.create(**person("John Smith", postcode="EX2 3CC"))``."""
    first, last = name.split(" ")
    return {"first_name": first, "last_name": last, **fields}
