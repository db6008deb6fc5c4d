"""``seed_scale``'s people: LA officers and managers, one staff member per school, children."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from casework.matching import KEY_FIELDS, child_keys
from casework.models import Child
from cme.models import Role, User
from demo.scale.context import ScaleRun
from demo.scale.writer import Writer, next_id

OFFICERS = 40  # per 100,000 children (at least 2)
MANAGERS = 4  # (at least 1)

# A child's details come from one draw r in [0, 1): these shares have each.
X_GENDER_SHARE = 0.01  # gender drawn from "FFMMX" rather than "FM"
UPN_SHARE = 0.85
LAST_SCHOOL_SHARE = 0.9
# (flag, from, to): the flag is set when from <= r < to, so the bands do not overlap.
FLAG_BANDS: tuple[tuple[str, float, float], ...] = (
    ("ehcp_sen", 0.0, 0.04),
    ("child_in_need", 0.04, 0.07),
    ("looked_after", 0.07, 0.08),
    ("child_protection_plan", 0.08, 0.085),
    ("gypsy_roma_traveller", 0.085, 0.1),
    ("new_arrival_eal", 0.1, 0.14),
    ("young_carer", 0.14, 0.15),
    ("restricted", 0.15, 0.152),
)


@dataclass(frozen=True)
class Staff:
    """The users' ids: caseworkers (officers, then managers) and each school's staff member."""

    caseworkers: list[int]
    school_staff: list[int]  # school_staff[i] works at the i-th school


def write_users(run: ScaleRun, school_ids: Sequence[int], counts: dict[str, int]) -> Staff:
    """Officers and managers (unusable passwords: they cannot sign in), then school staff."""
    n_officers = run.n(OFFICERS, minimum=2)
    n_managers = run.n(MANAGERS, minimum=1)
    uid = next_id(User)
    officers = list(range(uid, uid + n_officers))
    managers = list(range(uid + n_officers, uid + n_officers + n_managers))
    staff_start = uid + n_officers + n_managers
    school_staff = [staff_start + i for i in range(len(school_ids))]
    users = []
    for pk in officers + managers:
        role = Role.OFFICER if pk in officers else Role.MANAGER
        users.append(
            _user(
                run,
                pk,
                f"{role}{pk}@scale.example.gov.uk",
                role,
                job_title="CME manager" if role == Role.MANAGER else "CME officer",
            )
        )
    for pk in school_staff:
        users.append(_user(run, pk, f"attendance{pk}@school.example.sch.uk", Role.SCHOOL_STAFF))
    counts["users"] = Writer(User).write(users)
    return Staff(caseworkers=officers + managers, school_staff=school_staff)


def _user(run: ScaleRun, pk: int, email: str, role: str, **more: Any) -> dict[str, Any]:
    first, last = run.person()
    return {
        "id": pk,
        "email": email,
        "full_name": f"{first} {last}",
        "role": role,
        "password": "!",  # unusable: load-test accounts cannot sign in
        "date_joined": run.now,
        **more,
    }


def write_children(
    run: ScaleRun, n_children: int, school_ids: Sequence[int], counts: dict[str, int]
) -> tuple[list[int], dict[int, date]]:
    """`n_children` children; their ids and dates of birth (for the referrals)."""
    start = next_id(Child)
    child_ids = list(range(start, start + n_children))
    dobs: dict[int, date] = {}
    counts["children"] = Writer(Child).write(_children(run, child_ids, school_ids, dobs))
    return child_ids, dobs


def _children(
    run: ScaleRun, child_ids: Sequence[int], school_ids: Sequence[int], dobs: dict[int, date]
) -> Iterator[dict[str, Any]]:
    rng = run.rng
    for pk in child_ids:
        first, last = run.person()
        dob = run.dob()
        dobs[pk] = dob
        r = rng.random()
        row = {
            "id": pk,
            "first_name": first,
            "last_name": last,
            "date_of_birth": dob,
            "gender": rng.choice("FFMMX" if r < X_GENDER_SHARE else "FM"),
            "upn": f"A{pk:012d}" if r < UPN_SHARE else "",
            "last_school_id": rng.choice(school_ids) if r < LAST_SCHOOL_SHARE else None,
            **{flag: low <= r < high for flag, low, high in FLAG_BANDS},
            **run.address(),
            **run.audit(run.now),
        }
        # The matcher's own keys (casework.matching.child_keys), as a saved child has them,
        # so that a benchmark over these children measures the real candidate query.
        keys = child_keys(Child(first_name=first, last_name=last, postcode=row["postcode"]))
        yield row | {name: getattr(keys, name) for name in KEY_FIELDS}
