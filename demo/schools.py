"""The demo schools: three in the LA (999), two in the neighbouring one (888)."""

from __future__ import annotations

from dataclasses import dataclass

from demo.base import IN_AREA_LA, OTHER_LA, Seed, fields_of
from schools.models import Phase, School, SchoolType


@dataclass(frozen=True)
class DemoSchool:
    urn: int
    name: str
    school_type: str
    gias_type: str
    phase: str
    la_code: str
    postcode: str


ALDER = DemoSchool(
    100001,
    "Alder Primary School",
    SchoolType.MAINTAINED,
    "Community school",
    Phase.PRIMARY,
    IN_AREA_LA,
    "EX4 2QT",
)
BIRCH = DemoSchool(
    100002,
    "Birch Academy",
    SchoolType.ACADEMY,
    "Academy converter",
    Phase.SECONDARY,
    IN_AREA_LA,
    "EX4 6LB",
)
CEDAR = DemoSchool(
    100003,
    "Cedar Centre",
    SchoolType.PRU,
    "Pupil referral unit",
    Phase.NOT_APPLICABLE,
    IN_AREA_LA,
    "EX2 8PD",
)
ELMFIELD = DemoSchool(
    200001,
    "Elmfield Primary School",
    SchoolType.MAINTAINED,
    "Community school",
    Phase.PRIMARY,
    OTHER_LA,
    "OB1 3RW",
)
HAWTHORN = DemoSchool(
    200002,
    "Hawthorn High School",
    SchoolType.ACADEMY,
    "Academy sponsor led",
    Phase.SECONDARY,
    OTHER_LA,
    "OB2 7HN",
)
DEMO_SCHOOLS = (ALDER, BIRCH, CEDAR, ELMFIELD, HAWTHORN)


def seed_schools(seed: Seed) -> None:
    for s in DEMO_SCHOOLS:
        defaults = {name: value for name, value in fields_of(s).items() if name != "urn"}
        school, created = School.objects.get_or_create(urn=s.urn, defaults=defaults)
        seed.schools[s.urn] = school
        seed.count(created)
