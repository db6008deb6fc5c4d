"""The demo schools: three in the LA (999), two in the neighbouring one (888).

Their URNs are 990001 to 990005, which no real establishment has: GIAS gives English
establishments URNs from 100000 and Welsh ones from 400000 (children's centres have five
digits); 500000 to 799999 are LAs' early-years providers (DfE early years census), and DfE
services use 900000, 900020 and 900030 for "outside England and Wales", "no URN" and "not
available". With a real URN (the demo once had City of London School for Girls' 100001) the
national GIAS file would move a demo school, and its returns, into a real LA (issue 16).
"""

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
    990001,
    "Alder Primary School",
    SchoolType.MAINTAINED,
    "Community school",
    Phase.PRIMARY,
    IN_AREA_LA,
    "EX4 2QT",
)
BIRCH = DemoSchool(
    990002,
    "Birch Academy",
    SchoolType.ACADEMY,
    "Academy converter",
    Phase.SECONDARY,
    IN_AREA_LA,
    "EX4 6LB",
)
CEDAR = DemoSchool(
    990003,
    "Cedar Centre",
    SchoolType.PRU,
    "Pupil referral unit",
    Phase.NOT_APPLICABLE,
    IN_AREA_LA,
    "EX2 8PD",
)
ELMFIELD = DemoSchool(
    990004,
    "Elmfield Primary School",
    SchoolType.MAINTAINED,
    "Community school",
    Phase.PRIMARY,
    OTHER_LA,
    "OB1 3RW",
)
HAWTHORN = DemoSchool(
    990005,
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
