"""The school census days of 2025/26 (DfE school census guide), for the migration that seeds
them and for putting them back after a test database is flushed (reports.apps). Later years
are entered by the administrator in the admin (or a data migration)."""

from __future__ import annotations

from datetime import date
from typing import Any

CENSUS_DAYS_2025_26: list[tuple[int, str, date]] = [
    (2025, "autumn", date(2025, 10, 2)),
    (2025, "spring", date(2026, 1, 15)),
    (2025, "summer", date(2026, 5, 21)),
]


def seed_census_days(model: Any) -> None:
    for year, term, day in CENSUS_DAYS_2025_26:
        model.objects.get_or_create(academic_year=year, term=term, defaults={"census_date": day})
