"""The LA's term dates for 2025/26 and 2026/27, and a few closure days."""

from __future__ import annotations

from datetime import date

from demo.base import Seed
from demo.people import ADMIN
from demo.schools import ALDER, BIRCH, DemoSchool
from schools.models import Closure, Term

# The LA's term dates, half-terms as separate terms (INSET days are closures, below).
LA_TERMS: tuple[tuple[str, date, date], ...] = (
    ("Autumn 1 2025", date(2025, 9, 3), date(2025, 10, 24)),
    ("Autumn 2 2025", date(2025, 11, 3), date(2025, 12, 19)),
    ("Spring 1 2026", date(2026, 1, 5), date(2026, 2, 13)),
    ("Spring 2 2026", date(2026, 2, 23), date(2026, 3, 27)),
    ("Summer 1 2026", date(2026, 4, 13), date(2026, 5, 22)),
    ("Summer 2 2026", date(2026, 6, 1), date(2026, 7, 22)),
    ("Autumn 1 2026", date(2026, 9, 2), date(2026, 10, 23)),
    ("Autumn 2 2026", date(2026, 11, 2), date(2026, 12, 18)),
    ("Spring 1 2027", date(2027, 1, 4), date(2027, 2, 12)),
    ("Spring 2 2027", date(2027, 2, 22), date(2027, 3, 25)),  # Good Friday is 26 March
    ("Summer 1 2027", date(2027, 4, 12), date(2027, 5, 28)),
    ("Summer 2 2027", date(2027, 6, 7), date(2027, 7, 21)),
)

# (school or None for every school, date, reason)
CLOSURES: tuple[tuple[DemoSchool | None, date, str], ...] = (
    (None, date(2025, 11, 3), "INSET day"),
    (None, date(2026, 11, 2), "INSET day"),
    (ALDER, date(2026, 5, 7), "Polling station (local elections)"),
    (ALDER, date(2027, 1, 4), "INSET day"),
    (BIRCH, date(2026, 9, 2), "INSET day"),
)


def seed_calendar(seed: Seed) -> None:
    admin = seed.users[ADMIN.email]
    for name, start, end in LA_TERMS:
        _, created = Term.objects.get_or_create(
            school=None,
            name=name,
            defaults={"start": start, "end": end, "created_by": admin, "updated_by": admin},
        )
        seed.count(created)
    for demo_school, on, reason in CLOSURES:
        school = seed.schools[demo_school.urn] if demo_school else None
        _, created = Closure.objects.get_or_create(
            school=school,
            date=on,
            defaults={"reason": reason, "created_by": admin, "updated_by": admin},
        )
        seed.count(created)
