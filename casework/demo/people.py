"""The demo users, one for each role (school staff for one school and for a trust)."""

from __future__ import annotations

from dataclasses import dataclass

from casework.demo.base import Seed, demo_password
from casework.demo.schools import ALDER, BIRCH, DemoSchool
from cme.models import Role, User
from schools.models import SchoolMembership


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    job_title: str
    role: Role
    schools: tuple[DemoSchool, ...] = ()
    is_staff: bool = False

    @property
    def role_label(self) -> str:
        label = str(self.role.label)
        if self.schools:
            label += " (" + ", ".join(s.name for s in self.schools) + ")"
        return label


STAFF_ALDER = DemoUser(
    "staff@alder.example.sch.uk",
    "Sarah Thompson",
    "Attendance officer",
    Role.SCHOOL_STAFF,
    (ALDER,),
)
STAFF_BIRCH = DemoUser(
    "staff@birch.example.sch.uk", "Imran Hussain", "Head of attendance", Role.SCHOOL_STAFF, (BIRCH,)
)
TRUST_LEAD = DemoUser(
    "lead@trust.example.org.uk",
    "Gemma Clarke",
    "Trust attendance lead",
    Role.SCHOOL_STAFF,
    (ALDER, BIRCH),
)
OFFICER = DemoUser("officer@la.example.gov.uk", "Daniel Okafor", "CME officer", Role.OFFICER)
MANAGER = DemoUser(
    "manager@la.example.gov.uk", "Rachel Whitfield", "CME team manager", Role.MANAGER
)
ADMIN = DemoUser(
    "admin@la.example.gov.uk",
    "Paul Jenkins",
    "Systems administrator",
    Role.ADMINISTRATOR,
    is_staff=True,
)
DEMO_USERS = (STAFF_ALDER, STAFF_BIRCH, TRUST_LEAD, OFFICER, MANAGER, ADMIN)


def seed_users(seed: Seed) -> None:
    password = demo_password()
    for u in DEMO_USERS:
        user, created = User.objects.get_or_create(
            email=u.email,
            defaults={
                "full_name": u.full_name,
                "job_title": u.job_title,
                "role": u.role,
                "is_staff": u.is_staff,
            },
        )
        if created or not user.check_password(password):
            # A changed DEMO_PASSWORD takes effect; an unchanged one writes nothing.
            user.set_password(password)
            user.save(update_fields=["password"])
        seed.users[u.email] = user
        seed.count(created)
        for s in u.schools:
            _, created = SchoolMembership.objects.get_or_create(
                user=user, school=seed.schools[s.urn], defaults={"created_by": user}
            )
            seed.count(created)
