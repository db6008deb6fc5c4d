"""Values the demo's tables name before there is a run: dates relative to the day the demo
is loaded, and demo schools (their rows are made by the run). ``resolve`` turns them into the
real thing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from demo.base import Age, Ago, Ahead, Seed, years_ago
from demo.schools import DemoSchool


def resolve_value(seed: Seed, value: Any) -> Any:
    """The real value for one of the above, or a demo school; anything else as it is."""
    if isinstance(value, Age):
        return years_ago(seed.today, value.years, value.days)
    if isinstance(value, Ago):
        return seed.ago(value.days) - timedelta(days=value.less)
    if isinstance(value, Ahead):
        return seed.ahead(value.days)
    if isinstance(value, DemoSchool):
        return seed.schools[value.urn]
    return value


def resolve(seed: Seed, fields: dict[str, Any]) -> dict[str, Any]:
    return {name: resolve_value(seed, value) for name, value in fields.items()}


def on(seed: Seed, value: date | Ago | Ahead) -> date:
    """A date in a table, for this run."""
    resolved: date = resolve_value(seed, value)
    return resolved


__all__ = ["Age", "Ago", "Ahead", "on", "resolve", "resolve_value"]
