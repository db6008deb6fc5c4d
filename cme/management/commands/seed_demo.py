"""`manage.py seed_demo`: the demo data that `make run` serves.

Idempotent: every row is found by a stable key (a school's URN, a user's email, a term's name,
a closure's school and date, a return's fixed reference such as ``NP-DEMO-0001``) and created
only when it is missing, so a second run changes nothing. Returns are submitted through
``schools.services.return_submit`` under their fixed reference (the membership check, the
compulsory-school-age warning and whatever reacts to a submission, such as the referral rules,
are the service's), all in one transaction; the demo then dates each return a few days back.
Dates are relative to the day the demo is loaded: delete ``var/db.sqlite3`` (or ``make clean``)
for a fresh one.

Demo accounts have a known password, so the command refuses to run on a production
configuration (a real ``DJANGO_SECRET_KEY`` and ``DEBUG`` off) unless given ``--force``.

Layering note: this is the one module in ``cme/`` that imports from the packages to its right
(demo data spans every layer). Nothing imports it.

    manage.py seed_demo               create whatever is missing, then print the sign-ins
    manage.py seed_demo --print-only  print the sign-ins only (scripts/run-dev.sh)
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from cme.models import Role, User
from cme.statutory import national_curriculum_year, school_days_threshold_date, upn_check_letter
from schools import services as schools_services
from schools.models import (
    AbsenceNotification,
    AbsenceType,
    Closure,
    DeletionGround,
    DestinationType,
    Gender,
    JoinerReturn,
    LeaverReturn,
    PartTimeReason,
    PartTimeTimetable,
    Phase,
    ReturnStatus,
    ReviewOutcome,
    School,
    SchoolMembership,
    SchoolReturn,
    SchoolType,
    Term,
    TimetableReview,
    Whereabouts,
)
from schools.selectors import term_calendar_for
from schools.services import (
    joiner_is_late,
    leaver_is_late,
    return_submit,
    timetable_review_record,
)

DEMO_PASSWORD_DEFAULT = "demo-password-2026"  # noqa: S105 (demo accounts only; see --force)
DEMO_URL = "http://127.0.0.1:8000"

IN_AREA_LA = "999"
OTHER_LA = "888"
OTHER_LA_NAME = "Otherborough Council"


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEMO_PASSWORD_DEFAULT


# --------------------------------------------------------------------------------- schools


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


# ----------------------------------------------------------------------------------- users


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


def sign_in_table(password: str | None = None) -> str:
    """The demo sign-ins as a plain-text table (also shown by scripts/run-dev.sh)."""
    password = password or demo_password()
    rows = [("Email", "Role", "Password")]
    rows += [(u.email, u.role_label, password) for u in DEMO_USERS]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]

    def line(r: tuple[str, str, str]) -> str:
        return "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    body = [line(rows[0]), rule, *(line(r) for r in rows[1:])]
    return "\n".join(
        [
            f"CME casework is at {DEMO_URL}  (sign in at {DEMO_URL}/sign-in/)",
            "",
            "Demo sign-ins:",
            *body,
            "",
            f"The admin site ({DEMO_URL}/admin/) is for the administrator only.",
        ]
    )


# ------------------------------------------------------------------------- term calendar

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


# -------------------------------------------------------------------------------- helpers


def _years_ago(today: date, years: int, days: int = 0) -> date:
    """`years` years and `days` days before `today` (29 February becomes 28 February)."""
    try:
        d = today.replace(year=today.year - years)
    except ValueError:
        d = today.replace(year=today.year - years, day=28)
    return d - timedelta(days=days)


def _weekday_on_or_before(d: date) -> date:
    while d.weekday() >= 5:
        d -= timedelta(days=1)
    return d


def _weekday_on_or_after(d: date) -> date:
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d


def _year_group(dob: date, on: date) -> str:
    n = national_curriculum_year(dob, on)
    if n == 0:
        return "Reception"
    if n < 0:
        return "Nursery"
    return f"Year {n}"


def _upn(establishment: int, year: int, serial: int) -> str:
    """A UPN with a correct DfE check letter (LA 999 is not a real LA code)."""
    rest = f"{IN_AREA_LA}{establishment:04d}{year % 100:02d}{serial:03d}"
    return upn_check_letter(rest) + rest


def _aware(on: date, hour: int = 10, minute: int = 30) -> datetime:
    """`on` at a plausible office time, never in the future."""
    moment = timezone.make_aware(datetime.combine(on, time(hour, minute)))
    return min(moment, timezone.now())


@contextmanager
def _fixed_reference(reference: str) -> Iterator[None]:
    """Have `return_submit` give `reference` instead of a random one, so that everything that
    reacts to the submission (the referral rules) sees the demo's stable reference."""
    original = schools_services.new_reference
    schools_services.new_reference = lambda prefix: reference
    try:
        yield
    finally:
        schools_services.new_reference = original


def _parent(
    name: str,
    relationship: str,
    phone: str,
    email: str = "",
    address: str = "",
    lives_with_pupil: bool = True,
) -> dict[str, Any]:
    return {
        "name": name,
        "relationship": relationship,
        "phone": phone,
        "email": email,
        "address": address,
        "lives_with_pupil": lives_with_pupil,
    }


@dataclass
class Seeder:
    today: date
    created: int = 0
    existing: int = 0

    def __post_init__(self) -> None:
        self.schools: dict[int, School] = {}
        self.users: dict[str, User] = {}

    # -- dates: office days relative to today

    def ago(self, days: int) -> date:
        """`days` before today, moved back to the Friday when that is a weekend."""
        return _weekday_on_or_before(self.today - timedelta(days=days))

    def ahead(self, days: int) -> date:
        """`days` after today, moved on to the Monday when that is a weekend."""
        return _weekday_on_or_after(self.today + timedelta(days=days))

    # -- counting

    def _count(self, created: bool) -> None:
        if created:
            self.created += 1
        else:
            self.existing += 1

    # -- reference data

    def seed_schools(self) -> None:
        for s in DEMO_SCHOOLS:
            school, created = School.objects.get_or_create(
                urn=s.urn,
                defaults={
                    "name": s.name,
                    "school_type": s.school_type,
                    "gias_type": s.gias_type,
                    "phase": s.phase,
                    "la_code": s.la_code,
                    "postcode": s.postcode,
                },
            )
            self.schools[s.urn] = school
            self._count(created)

    def seed_users(self) -> None:
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
            self.users[u.email] = user
            self._count(created)
            for s in u.schools:
                _, created = SchoolMembership.objects.get_or_create(
                    user=user, school=self.schools[s.urn], defaults={"created_by": user}
                )
                self._count(created)

    def seed_calendar(self) -> None:
        admin = self.users[ADMIN.email]
        for name, start, end in LA_TERMS:
            _, created = Term.objects.get_or_create(
                school=None,
                name=name,
                defaults={"start": start, "end": end, "created_by": admin, "updated_by": admin},
            )
            self._count(created)
        for demo_school, on, reason in CLOSURES:
            school = self.schools[demo_school.urn] if demo_school else None
            _, created = Closure.objects.get_or_create(
                school=school,
                date=on,
                defaults={"reason": reason, "created_by": admin, "updated_by": admin},
            )
            self._count(created)

    # -- returns

    def _pupil(
        self,
        first: str,
        last: str,
        dob: date,
        gender: str,
        address: str,
        town: str,
        postcode: str,
        upn: str = "",
        middle: str = "",
    ) -> dict[str, Any]:
        return {
            "first_name": first,
            "middle_names": middle,
            "last_name": last,
            "date_of_birth": dob,
            "gender": gender,
            "upn": upn,
            "address_line_1": address,
            "town": town,
            "postcode": postcode,
        }

    def submit(
        self,
        reference: str,
        school_return: SchoolReturn,
        *,
        school: DemoSchool,
        by: DemoUser,
        submitted_on: date,
        parents: list[dict[str, Any]],
        status: ReturnStatus | None = None,
        status_detail: str = "",
    ) -> tuple[SchoolReturn, bool]:
        """Submit a return through the service once, under a fixed reference and date."""
        found = SchoolReturn.objects.filter(reference=reference).first()
        if found is not None:
            self._count(False)
            return found.detail(), False
        with _fixed_reference(reference):
            return_submit(
                school_return=school_return,
                school=self.schools[school.urn],
                by=self.users[by.email],
                parents=parents,
            )
        # The service dates the return "now": the demo's arrived over the past weeks, with
        # lateness decided on the day each was sent.
        school_return.submitted_at = _aware(submitted_on)
        school_return.created_at = school_return.submitted_at
        if isinstance(school_return, JoinerReturn):
            school_return.is_late = joiner_is_late(school_return.admission_date, submitted_on)
        elif isinstance(school_return, LeaverReturn):
            school_return.is_late = leaver_is_late(school_return.deletion_date, submitted_on)
        if school_return.status == ReturnStatus.RECEIVED:
            # Not when a rule has already moved it on (a referral raised on submission).
            school_return.status = status or ReturnStatus.RECEIVED
            school_return.status_detail = status_detail
        school_return.save()
        self._count(True)
        return school_return, True

    def seed_returns(self) -> None:
        self.seed_joiners_and_leavers()
        self.seed_part_time_timetables()
        self.seed_absence_notifications()

    def seed_joiners_and_leavers(self) -> None:
        t = self.today

        # NP-DEMO-0001: on time (due by the 5th day after admission).
        dob = _years_ago(t, 8, 140)
        self.submit(
            "NP-DEMO-0001",
            JoinerReturn(
                **self._pupil(
                    "Oliver",
                    "Bennett",
                    dob,
                    Gender.MALE,
                    "14 Orchard Close",
                    "Exampleton",
                    "EX4 3HD",
                    _upn(2001, 2022, 17),
                    "James",
                ),
                admission_date=self.ago(3),
                year_group=_year_group(dob, t),
                previous_school=self.schools[ELMFIELD.urn],
                previous_school_la=OTHER_LA_NAME,
            ),
            school=ALDER,
            by=STAFF_ALDER,
            submitted_on=self.ago(1),
            parents=[
                _parent("Laura Bennett", "Mother", "07700 900412", "laura.bennett@example.com"),
                _parent("Mark Bennett", "Father", "07700 900413"),
            ],
        )

        # NP-DEMO-0002: late (admitted three weeks ago, sent this week).
        dob = _years_ago(t, 12, 75)
        self.submit(
            "NP-DEMO-0002",
            JoinerReturn(
                **self._pupil(
                    "Amelia",
                    "Hughes",
                    dob,
                    Gender.FEMALE,
                    "Flat 3, 27 Station Road",
                    "Exampleton",
                    "EX4 1AZ",
                    _upn(4002, 2019, 231),
                    "Rose",
                ),
                admission_date=self.ago(21),
                year_group=_year_group(dob, t),
                previous_school_name="St Mary's Catholic High School",
                previous_school_la="Lancashire County Council",
            ),
            school=BIRCH,
            by=STAFF_BIRCH,
            submitted_on=self.ago(4),
            parents=[_parent("Joanne Hughes", "Mother", "07700 900588", "jo.hughes@example.com")],
        )

        # LV-DEMO-0001 and NP-DEMO-0003: a permanent exclusion from Birch to the PRU,
        # matched by the PRU's joiner return (the LA runs the PRU, so an officer entered it).
        dob = _years_ago(t, 14, 200)
        pupil = self._pupil(
            "Harry",
            "Patel",
            dob,
            Gender.MALE,
            "8 Willow Crescent",
            "Exampleton",
            "EX2 7JP",
            _upn(4002, 2017, 88),
        )
        parents = [_parent("Priya Patel", "Mother", "07700 900731", "priya.patel@example.com")]
        leaver, _ = self.submit(
            "LV-DEMO-0001",
            LeaverReturn(
                **pupil,
                ground=DeletionGround.O,
                ground_met_date=self.ago(15),
                deletion_date=self.ago(15),
                exclusion_date=self.ago(15),
                # Not moving: the new address is the current one (as the form records it).
                new_address="8 Willow Crescent, Exampleton",
                new_postcode="EX2 7JP",
                destination_type=DestinationType.IN_AREA,
                destination_school=self.schools[CEDAR.urn],
                destination_start_date=self.ago(12),
                admission_confirmed=True,
            ),
            school=BIRCH,
            by=STAFF_BIRCH,
            submitted_on=self.ago(15),
            parents=parents,
            status=ReturnStatus.MATCHED,
            status_detail="Matched to Cedar Centre's new pupil return NP-DEMO-0003",
        )
        assert isinstance(leaver, LeaverReturn)  # noqa: S101
        self.submit(
            "NP-DEMO-0003",
            JoinerReturn(
                **pupil,
                admission_date=self.ago(12),
                year_group=_year_group(dob, t),
                previous_school=self.schools[BIRCH.urn],
                matched_leaver=leaver,
            ),
            school=CEDAR,
            by=OFFICER,
            submitted_on=self.ago(11),
            parents=parents,
            status=ReturnStatus.MATCHED,
            status_detail="Matched to Birch Academy's leaver return LV-DEMO-0001",
        )

        # NP-DEMO-0004: a Reception child not yet of compulsory school age (a warning only).
        dob = _years_ago(t, 4, 60)
        self.submit(
            "NP-DEMO-0004",
            JoinerReturn(
                **self._pupil(
                    "Isla",
                    "Robertson",
                    dob,
                    Gender.FEMALE,
                    "3 Mill Lane",
                    "Little Ashby",
                    "EX5 9TT",
                ),
                admission_date=self.ago(4),
                year_group="Reception",
                previous_school_name="Little Acorns Day Nursery",
            ),
            school=ALDER,
            by=TRUST_LEAD,
            submitted_on=self.ago(2),
            parents=[_parent("Kirsty Robertson", "Mother", "07700 900164")],
        )

        # LV-DEMO-0002: ground (a), in-area, not yet matched (a PRU pupil going back to
        # mainstream school at Birch).
        self.submit(
            "LV-DEMO-0002",
            LeaverReturn(
                **self._pupil(
                    "Mohammed",
                    "Ali",
                    _years_ago(t, 13, 30),
                    Gender.MALE,
                    "52 Granby Street",
                    "Exampleton",
                    "EX1 5NR",
                    _upn(1100, 2018, 42),
                ),
                ground=DeletionGround.A,
                ground_met_date=self.ago(2),
                deletion_date=self.ago(2),
                new_address="52 Granby Street, Exampleton",
                new_postcode="EX1 5NR",
                destination_type=DestinationType.IN_AREA,
                destination_school=self.schools[BIRCH.urn],
                destination_start_date=self.ago(2),
                admission_confirmed=True,
            ),
            school=CEDAR,
            by=OFFICER,
            submitted_on=self.ago(2),
            parents=[_parent("Aisha Ali", "Mother", "07700 900925")],
            status_detail="Waiting for Birch Academy's new pupil return",
        )

        # LV-DEMO-0003: ground (a), out of area, submitted after the deletion (late).
        self.submit(
            "LV-DEMO-0003",
            LeaverReturn(
                **self._pupil(
                    "Freya",
                    "Davies",
                    _years_ago(t, 9, 210),
                    Gender.FEMALE,
                    "19 Church Walk",
                    "Exampleton",
                    "EX4 4PL",
                    _upn(2001, 2021, 9),
                ),
                ground=DeletionGround.A,
                ground_met_date=self.ago(11),
                deletion_date=self.ago(10),
                new_address="41 Meadow View, Otherborough",
                new_postcode="OB1 4GE",
                destination_type=DestinationType.OUT_OF_AREA,
                destination_school=self.schools[ELMFIELD.urn],
                destination_school_name=ELMFIELD.name,
                destination_la=OTHER_LA_NAME,
                destination_start_date=self.ago(11),
                admission_confirmed=True,
            ),
            school=ALDER,
            by=STAFF_ALDER,
            submitted_on=self.ago(6),
            parents=[_parent("Sian Davies", "Mother", "07700 900350", "sian.d@example.com")],
        )

        # LV-DEMO-0004: ground (g), moving abroad.
        self.submit(
            "LV-DEMO-0004",
            LeaverReturn(
                **self._pupil(
                    "Kacper",
                    "Nowak",
                    _years_ago(t, 15, 100),
                    Gender.MALE,
                    "6 Albert Terrace",
                    "Exampleton",
                    "EX2 4DS",
                    _upn(4002, 2016, 150),
                ),
                ground=DeletionGround.G,
                ground_met_date=self.ago(20),
                deletion_date=self.ago(19),
                ground_details="Family returned to Poland; mother confirmed by email.",
                new_address="ul. Lipowa 12, 31-000 Kraków",
                destination_type=DestinationType.ABROAD,
                destination_country="Poland",
                destination_start_date=self.ago(18),
            ),
            school=BIRCH,
            by=TRUST_LEAD,
            submitted_on=self.ago(19),
            parents=[
                _parent("Agnieszka Nowak", "Mother", "+48 600 000 123", "a.nowak@example.com")
            ],
        )

        # LV-DEMO-0005: ground (f), elective home education (no school).
        self.submit(
            "LV-DEMO-0005",
            LeaverReturn(
                **self._pupil(
                    "Noah",
                    "Williams",
                    _years_ago(t, 10, 20),
                    Gender.MALE,
                    "2 Beech Grove",
                    "Little Ashby",
                    "EX5 2RB",
                    _upn(2001, 2020, 64),
                ),
                ground=DeletionGround.F,
                parent_notice_date=self.ago(7),
                ground_met_date=self.ago(7),
                deletion_date=self.ago(7),
                destination_type=DestinationType.NONE,
            ),
            school=ALDER,
            by=STAFF_ALDER,
            submitted_on=self.ago(7),
            parents=[
                _parent("Emma Williams", "Mother", "07700 900277", "emma.w@example.com"),
                _parent("Tom Williams", "Father", "07700 900278"),
            ],
        )

        # LV-DEMO-0006: ground (i), 20 school days' continuous absence, destination not
        # known: uploaded to s2s and referred to the CME team.
        absence_start = self.ago(40)
        calendar = term_calendar_for(self.schools[BIRCH.urn], absence_start, t)
        twentieth = school_days_threshold_date(calendar, absence_start, 20)
        ground_met = min(twentieth or self.ago(5), self.ago(1))
        deletion = min(_weekday_on_or_after(ground_met + timedelta(days=1)), self.ago(0))
        self.submit(
            "LV-DEMO-0006",
            LeaverReturn(
                **self._pupil(
                    "Poppy",
                    "Evans",
                    _years_ago(t, 14, 300),
                    Gender.FEMALE,
                    "Flat 11, Kingfisher House",
                    "Exampleton",
                    "EX1 2WW",
                    _upn(4002, 2018, 77),
                    "Louise",
                ),
                ground=DeletionGround.I,
                absence_start_date=absence_start,
                ground_met_date=ground_met,
                deletion_date=deletion,
                enquiries_made=(
                    "Phoned mother and both emergency contacts (no answer, voicemail full). "
                    "Letters sent first class. Two home visits by the attendance officer: "
                    "flat appears empty, neighbour thinks the family moved out. Asked the "
                    "sibling's primary school: sibling also absent."
                ),
                la_enquiries_confirmed=True,
                destination_type=DestinationType.UNKNOWN,
                s2s_lost_pupil_uploaded=True,
            ),
            school=BIRCH,
            by=STAFF_BIRCH,
            submitted_on=deletion,
            parents=[_parent("Danielle Evans", "Mother", "07700 900619")],
            status=ReturnStatus.REFERRED,
            status_detail="Destination not known: referred to the CME team",
        )

    def seed_part_time_timetables(self) -> None:
        t = self.today

        # PT-DEMO-0001: active, as agreed.
        self.submit(
            "PT-DEMO-0001",
            PartTimeTimetable(
                **self._pupil(
                    "Jack",
                    "O'Connor",
                    _years_ago(t, 7, 45),
                    Gender.MALE,
                    "23 Rowan Drive",
                    "Exampleton",
                    "EX4 5FS",
                    _upn(2001, 2023, 5),
                ),
                start_date=self.ago(10),
                planned_end_date=self.ahead(32),
                hours_per_week=Decimal("15.0"),
                reason=PartTimeReason.MEDICAL,
                reason_details="Recovering from surgery; mornings only on consultant's advice.",
                parent_agreed=True,
                parent_agreed_date=self.ago(12),
                next_review_date=self.ahead(11),
            ),
            school=ALDER,
            by=STAFF_ALDER,
            submitted_on=self.ago(10),
            parents=[_parent("Claire O'Connor", "Mother", "07700 900840")],
        )

        # PT-DEMO-0002: reviewed, continuing with more hours (status under review).
        timetable, created = self.submit(
            "PT-DEMO-0002",
            PartTimeTimetable(
                **self._pupil(
                    "Ava",
                    "Kowalska",
                    _years_ago(t, 13, 160),
                    Gender.FEMALE,
                    "7 Hazel Court",
                    "Exampleton",
                    "EX2 6QA",
                    _upn(4002, 2018, 190),
                ),
                start_date=self.ago(45),
                planned_end_date=self.ahead(20),
                hours_per_week=Decimal("12.5"),
                reason=PartTimeReason.SEMH,
                reason_details="Anxiety-based school avoidance; CAMHS involved.",
                parent_agreed=True,
                parent_agreed_date=self.ago(47),
                next_review_date=self.ago(3),
                social_worker_involved=True,
            ),
            school=BIRCH,
            by=STAFF_BIRCH,
            submitted_on=self.ago(44),
            parents=[_parent("Marta Kowalska", "Mother", "07700 900555")],
        )
        if created:
            assert isinstance(timetable, PartTimeTimetable)  # noqa: S101
            timetable_review_record(
                timetable=timetable,
                review=TimetableReview(
                    review_date=self.ago(3),
                    outcome=ReviewOutcome.CHANGED,
                    hours_per_week=Decimal("17.5"),
                    next_review_date=self.ahead(11),
                    parent_agreed=True,
                    notes="Attending well; afternoons added on Tuesdays and Thursdays.",
                ),
                by=self.users[STAFF_BIRCH.email],
            )

        # PT-DEMO-0003: reviewed once, then ended: back to full time (closed).
        timetable, created = self.submit(
            "PT-DEMO-0003",
            PartTimeTimetable(
                **self._pupil(
                    "Leo",
                    "Shah",
                    _years_ago(t, 11, 250),
                    Gender.MALE,
                    "31 Sycamore Road",
                    "Exampleton",
                    "EX4 8BU",
                    _upn(4002, 2020, 33),
                ),
                start_date=self.ago(70),
                planned_end_date=self.ago(14),
                hours_per_week=Decimal("20.0"),
                reason=PartTimeReason.REINTEGRATION,
                reason_details="Returning after a long hospital stay.",
                parent_agreed=True,
                parent_agreed_date=self.ago(72),
                next_review_date=self.ago(42),
            ),
            school=BIRCH,
            by=TRUST_LEAD,
            submitted_on=self.ago(70),
            parents=[_parent("Nadia Shah", "Mother", "07700 900702", "nadia.shah@example.com")],
        )
        if created:
            assert isinstance(timetable, PartTimeTimetable)  # noqa: S101
            by = self.users[TRUST_LEAD.email]
            timetable_review_record(
                timetable=timetable,
                review=TimetableReview(
                    review_date=self.ago(42),
                    outcome=ReviewOutcome.CONTINUE,
                    next_review_date=self.ago(14),
                    notes="Settling back in; keep to 20 hours until the planned end.",
                ),
                by=by,
            )
            timetable_review_record(
                timetable=timetable,
                review=TimetableReview(
                    review_date=self.ago(14),
                    outcome=ReviewOutcome.ENDED,
                    notes="Full-time from Monday, agreed with mother.",
                ),
                by=by,
            )

    def seed_absence_notifications(self) -> None:
        t = self.today

        # CA-DEMO-0001: unauthorised absence, whereabouts known.
        self.submit(
            "CA-DEMO-0001",
            AbsenceNotification(
                **self._pupil(
                    "Grace",
                    "Mitchell",
                    _years_ago(t, 9, 15),
                    Gender.FEMALE,
                    "10 Larch Avenue",
                    "Exampleton",
                    "EX4 7EE",
                    _upn(2001, 2021, 55),
                ),
                first_day_of_absence=self.ago(12),
                absence_type=AbsenceType.UNAUTHORISED,
                last_contact_date=self.ago(5),
                last_contact_details="Mother answered the phone: Grace is at home and "
                "refusing to come in. Meeting offered.",
                whereabouts=Whereabouts.KNOWN,
                enquiries=["phone", "home_visit"],
                enquiry_notes="Home visit on day 5: Grace seen at the door.",
            ),
            school=ALDER,
            by=STAFF_ALDER,
            submitted_on=self.ago(4),
            parents=[_parent("Hayley Mitchell", "Mother", "07700 900190")],
        )

        # CA-DEMO-0002: unauthorised absence, whereabouts unknown.
        self.submit(
            "CA-DEMO-0002",
            AbsenceNotification(
                **self._pupil(
                    "Alfie",
                    "Turner",
                    _years_ago(t, 12, 320),
                    Gender.MALE,
                    "44 Brook Street",
                    "Exampleton",
                    "EX1 3LY",
                    _upn(4002, 2019, 140),
                ),
                first_day_of_absence=self.ago(25),
                absence_type=AbsenceType.UNAUTHORISED,
                last_contact_date=self.ago(26),
                last_contact_details="Last seen in school; no contact since.",
                whereabouts=Whereabouts.UNKNOWN,
                enquiries=[
                    "phone",
                    "email_letter",
                    "home_visit",
                    "emergency_contacts",
                    "siblings_schools",
                ],
                enquiry_notes="House appears empty; post piling up. Grandmother does not "
                "know where the family is.",
            ),
            school=BIRCH,
            by=STAFF_BIRCH,
            submitted_on=self.ago(3),
            parents=[
                _parent("Kelly Turner", "Mother", "07700 900466"),
                _parent(
                    "Jean Turner",
                    "Grandmother",
                    "07700 900467",
                    address="5 Elm Row, Exampleton EX1 6AB",
                    lives_with_pupil=False,
                ),
            ],
        )

        # CA-DEMO-0003: not back after authorised leave of absence, whereabouts known.
        self.submit(
            "CA-DEMO-0003",
            AbsenceNotification(
                **self._pupil(
                    "Maisie",
                    "Cooper",
                    _years_ago(t, 6, 90),
                    Gender.FEMALE,
                    "9 Foxglove Way",
                    "Little Ashby",
                    "EX5 1NJ",
                    _upn(2001, 2024, 12),
                ),
                first_day_of_absence=self.ago(15),
                absence_type=AbsenceType.AFTER_LEAVE,
                leave_end_date=self.ago(15) - timedelta(days=1),
                last_contact_date=self.ago(6),
                last_contact_details="Father emailed: the family is still with relatives in "
                "Ireland after a bereavement; return date not confirmed.",
                whereabouts=Whereabouts.KNOWN,
                enquiries=["phone", "email_letter"],
            ),
            school=ALDER,
            by=TRUST_LEAD,
            submitted_on=self.ago(5),
            parents=[_parent("Ryan Cooper", "Father", "07700 900833", "ryan.c@example.com")],
        )

    def run(self) -> None:
        self.seed_schools()
        self.seed_users()
        self.seed_calendar()
        self.seed_returns()


class Command(BaseCommand):
    help = "Create the demo schools, users, term dates and returns (idempotent); print sign-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--print-only", action="store_true", help="Only print the demo sign-ins."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even though the settings look like production (known passwords!).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["print_only"]:
            production_like = (
                not settings.DEBUG and settings.SECRET_KEY != settings.INSECURE_DEV_SECRET_KEY
            )
            if production_like and not options["force"]:
                raise CommandError(
                    "Refusing to create demo accounts with a known password: DJANGO_SECRET_KEY "
                    "is set and DEBUG is off, so this looks like production. Use --force if "
                    "this really is a demo environment."
                )
            seeder = Seeder(today=timezone.localdate())
            with transaction.atomic():
                seeder.run()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo data: {seeder.created} created, {seeder.existing} already there."
                )
            )
            self.stdout.write("")
        self.stdout.write(sign_in_table())
