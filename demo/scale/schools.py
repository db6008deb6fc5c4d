"""``seed_scale``'s schools (most in the LA, a few over the border), each with its staff
member, and the LA's term dates and INSET days for six school years."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.conf import settings

from demo.scale.context import LAST, OTHER_LAS, ScaleRun
from demo.scale.writer import Writer, next_id
from schools.models import Closure, Phase, School, SchoolMembership, SchoolType, Term

SCHOOLS = 400  # per 100,000 children (at least 5)
IN_AREA_SHARE = 0.95  # the rest are in a neighbouring LA
SECONDARY_EVERY = 5  # one school in five is a secondary
CLOSED_SHARE = 0.02
SCHOOL_TYPE_WEIGHTS = {
    SchoolType.MAINTAINED: 50,
    SchoolType.ACADEMY: 42,
    SchoolType.SPECIAL: 6,
    SchoolType.PRU: 2,
}
YEARS_BACK = 5  # school years before this one, with their terms


def school_ids(run: ScaleRun) -> list[int]:
    """The ids the schools will have (their staff are written first)."""
    start = next_id(School)
    return list(range(start, start + run.n(SCHOOLS, minimum=5)))


def write_schools(
    run: ScaleRun, ids: Sequence[int], staff: Sequence[int], counts: dict[str, int]
) -> list[int]:
    """The schools and each one's staff membership; the ids of those in the LA."""
    rng = run.rng
    rows = []
    for i, pk in enumerate(ids):
        in_area = i < len(ids) * IN_AREA_SHARE
        secondary = i % SECONDARY_EVERY == 0
        kind = rng.choices(list(SCHOOL_TYPE_WEIGHTS), list(SCHOOL_TYPE_WEIGHTS.values()))[0]
        rows.append(
            {
                "id": pk,
                "urn": 800_000 + pk,
                "name": f"{rng.choice(LAST)} {'Academy' if secondary else 'Primary School'} {pk}",
                "school_type": kind,
                "phase": Phase.SECONDARY if secondary else Phase.PRIMARY,
                "la_code": settings.CME_LA_CODE if in_area else rng.choice(OTHER_LAS),
                "postcode": run.address()["postcode"],
                "is_open": rng.random() > CLOSED_SHARE,
                **run.audit(run.now),
            }
        )
    counts["schools"] = Writer(School).write(rows)
    mid = next_id(SchoolMembership)
    counts["memberships"] = Writer(SchoolMembership).write(
        {"id": mid + i, "user_id": staff[i], "school_id": pk, **run.audit(run.now)}
        for i, pk in enumerate(ids)
    )
    return [s["id"] for s in rows if s["la_code"] == settings.CME_LA_CODE]


def write_calendar(run: ScaleRun, counts: dict[str, int]) -> None:
    """The LA's terms and two INSET days a year, unless the LA already has its own."""
    terms: list[dict[str, Any]] = []
    closures: list[dict[str, Any]] = []
    tid, cid = next_id(Term), next_id(Closure)
    for y in range(run.today.year - YEARS_BACK, run.today.year + 1):
        for name, start, end in (
            (f"Autumn {y}", date(y, 9, 3), date(y, 12, 19)),
            (f"Spring {y + 1}", date(y + 1, 1, 6), date(y + 1, 3, 28)),
            (f"Summer {y + 1}", date(y + 1, 4, 14), date(y + 1, 7, 22)),
        ):
            terms.append({"id": tid, "name": name, "start": start, "end": end})
            tid += 1
        for d in (date(y, 9, 3), date(y + 1, 1, 6)):
            closures.append({"id": cid, "date": d, "reason": "INSET day"})
            cid += 1
    for model, rows, name in ((Term, terms, "terms"), (Closure, closures, "closures")):
        if not model._default_manager.filter(school__isnull=True).exists():
            counts[name] = Writer(model).write({**r, **run.audit(run.now)} for r in rows)
