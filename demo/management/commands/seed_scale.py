"""A large county's worth of data for load and query testing (issue 7 item 3).

``manage.py seed_scale --children 100000 [--seed 1]`` writes schools, LA staff, children,
school returns (all four kinds, some with parents), referrals, cases over five years with
their enquiries and chronology. Everything scales with ``--children`` (400 schools, 150,000
returns, 20,000 cases per 100,000 children) and the same seed gives the same data.

It is fast because it never calls a service or saves a model: rows are built as tuples with
ids assigned here, then written with PostgreSQL ``COPY`` (``executemany`` on SQLite, for the
tests), and the id sequences are reset at the end. So it bypasses the services' checks and
audit trail: it is test data, never a way to load real records.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from casework.models import (
    Case,
    CaseStatus,
    Category,
    Child,
    Enquiry,
    EnquiryResult,
    EnquiryType,
    Event,
    EventKind,
    Outcome,
)
from cme.models import Role, User
from cme.statutory import enquiry_due_date
from referrals.models import (
    Channel,
    NotCmeReason,
    Reason,
    Referral,
    ReferralStatus,
    ReferrerType,
)
from schools.models import (
    AbsenceNotification,
    AbsenceType,
    Closure,
    DeletionGround,
    DestinationType,
    JoinerReturn,
    LeaverReturn,
    ParentCarer,
    PartTimeReason,
    PartTimeTimetable,
    Phase,
    ReturnKind,
    ReturnStatus,
    School,
    SchoolMembership,
    SchoolReturn,
    SchoolType,
    Term,
    Whereabouts,
)

BATCH = 5000
_ALPHABET = "ABCDEFGHJKMNPQRTUVWXYZ2346789"
_SPACE = len(_ALPHABET) ** 8
_MULT = 1_000_003  # prime, so coprime to 29**8: i -> i * _MULT mod 29**8 is one-to-one

FIRST = [
    "Amelia",
    "Olivia",
    "Isla",
    "Ava",
    "Mia",
    "Ivy",
    "Lily",
    "Isabella",
    "Rosie",
    "Sophia",
    "Grace",
    "Freya",
    "Poppy",
    "Evie",
    "Ella",
    "Oliver",
    "George",
    "Noah",
    "Arthur",
    "Muhammad",
    "Leo",
    "Oscar",
    "Harry",
    "Archie",
    "Jack",
    "Henry",
    "Charlie",
    "Freddie",
    "Theo",
    "Thomas",
    "Aisha",
    "Zara",
    "Maja",
    "Kacper",
    "Jakub",
    "Fatima",
    "Yusuf",
    "Ibrahim",
    "Ayaan",
    "Ruby",
]
LAST = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Patel",
    "Khan",
    "Lewis",
    "James",
    "Phillips",
    "Mason",
    "Mitchell",
    "Rose",
    "Davis",
    "Rodriguez",
    "Cox",
    "Alexander",
    "Kowalski",
    "Nowak",
    "Ahmed",
    "Ali",
    "Hussain",
    "Begum",
    "Murphy",
    "Kelly",
]
STREETS = [
    "High Street",
    "Station Road",
    "Church Lane",
    "Park Avenue",
    "Mill Lane",
    "Victoria Road",
]
TOWNS = [
    "Exeter",
    "Exmouth",
    "Crediton",
    "Tiverton",
    "Honiton",
    "Cullompton",
    "Sidmouth",
    "Topsham",
]
OTHER_LAS = ["874", "875", "876", "877", "878"]


def _ref(prefix: str, n: int) -> str:
    """A reference in the services' format, one-to-one with ``n`` (so unique per prefix)."""
    x = (n * _MULT) % _SPACE
    chars = []
    for _ in range(8):
        x, r = divmod(x, len(_ALPHABET))
        chars.append(_ALPHABET[r])
    body = "".join(chars)
    return f"{prefix}-{body[:4]}-{body[4:]}"


def _key(name: str) -> str:
    return name.lower()


class _Writer:
    """Writes rows of one model's own table (an MTI child writes its ptr and own fields)."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = list(model._meta.local_concrete_fields)
        self.columns = [f.column for f in self.fields]
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        self.json = {f.attname for f in self.fields if isinstance(f, models.JSONField)}
        self.count = 0

    def tuples(self, rows: Iterable[dict[str, Any]]) -> Iterator[tuple[Any, ...]]:
        pg = connection.vendor == "postgresql"
        if pg:
            from psycopg.types.json import Jsonb

        for row in rows:
            values = []
            for f in self.fields:
                value = row.get(f.attname, self.defaults[f.attname])
                if pg:
                    if f.attname in self.json:
                        value = Jsonb(value)
                else:
                    value = f.get_db_prep_save(value, connection)
                values.append(value)
            yield tuple(values)

    def write(self, rows: Iterable[dict[str, Any]]) -> int:
        table = connection.ops.quote_name(self.model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        n = 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for values in self.tuples(rows):
                        copy.write_row(values)
                        n += 1
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"  # noqa: S608
                batch: list[tuple[Any, ...]] = []
                for values in self.tuples(rows):
                    batch.append(values)
                    if len(batch) >= BATCH:
                        cursor.executemany(sql, batch)
                        n += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
                    n += len(batch)
        self.count += n
        return n


def _next_id(model: type[models.Model]) -> int:
    top = model._default_manager.aggregate(m=models.Max("pk"))["m"]
    return (top or 0) + 1


@lru_cache(maxsize=4096)
def _due(received: date) -> date:
    return enquiry_due_date(received)


class Command(BaseCommand):
    help = "Write a large, realistic, deterministic data set for load testing (fast)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--children", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--force", action="store_true", help="Run on a non-empty database with DEBUG off"
        )

    def handle(self, *args: Any, children: int, seed: int, force: bool, **opts: Any) -> None:
        if children < 1:
            raise CommandError("--children must be at least 1")
        populated = any(m.objects.exists() for m in (School, Child, Case, Referral, SchoolReturn))
        if populated and not settings.DEBUG and not force:
            raise CommandError(
                "The database already holds data and DEBUG is off: refusing to add load-test "
                "data to it. Use --force if you really mean to."
            )
        started = time.monotonic()
        self.rng = random.Random(seed)
        self.scale = children / 100_000
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.tz = timezone.get_current_timezone()
        with transaction.atomic():
            counts = self._build(children)
            self._reset_sequences()
        elapsed = time.monotonic() - started
        for name, n in counts.items():
            self.stdout.write(f"  {name:<22} {n:>9,}")
        self.stdout.write(
            self.style.SUCCESS(f"seed_scale: {sum(counts.values()):,} rows in {elapsed:.1f} s")
        )

    # ------------------------------------------------------------------------------ build

    def _n(self, at_full_scale: int, minimum: int = 1) -> int:
        return max(minimum, round(at_full_scale * self.scale))

    def _at(self, day: date, hour: int | None = None) -> datetime:
        h = self.rng.randint(8, 17) if hour is None else hour
        return datetime(day.year, day.month, day.day, h, self.rng.randint(0, 59), tzinfo=self.tz)

    def _person(self) -> tuple[str, str]:
        return self.rng.choice(FIRST), self.rng.choice(LAST)

    def _address(self) -> dict[str, Any]:
        rng = self.rng
        return {
            "address_line_1": f"{rng.randint(1, 240)} {rng.choice(STREETS)}",
            "town": rng.choice(TOWNS),
            "postcode": f"EX{rng.randint(1, 39)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
            f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
        }

    def _dob(self) -> date:
        # Compulsory school age and a little either side (the returns warn, not refuse).
        return self.today - timedelta(days=self.rng.randint(4 * 365, 17 * 365))

    def _audit(self, when: datetime) -> dict[str, Any]:
        return {"created_at": when, "updated_at": when}

    def _build(self, n_children: int) -> dict[str, int]:
        counts: dict[str, int] = {}
        rng = self.rng
        today = self.today

        # --- users: 40 officers, 4 managers (scaled), one staff member per school
        n_schools = self._n(400, minimum=5)
        n_officers = self._n(40, minimum=2)
        n_managers = self._n(4, minimum=1)
        uid = _next_id(User)
        users = []
        officers = list(range(uid, uid + n_officers))
        managers = list(range(uid + n_officers, uid + n_officers + n_managers))
        for pk in officers + managers:
            role = Role.OFFICER if pk in officers else Role.MANAGER
            first, last = self._person()
            users.append(
                {
                    "id": pk,
                    "email": f"{role}{pk}@scale.example.gov.uk",
                    "full_name": f"{first} {last}",
                    "role": role,
                    "password": "!",  # unusable: load-test accounts cannot sign in
                    "date_joined": self.now,
                    "job_title": "CME manager" if role == Role.MANAGER else "CME officer",
                }
            )
        staff_start = uid + n_officers + n_managers
        school_ids = list(range(_next_id(School), _next_id(School) + n_schools))
        for i, _school_id in enumerate(school_ids):
            first, last = self._person()
            users.append(
                {
                    "id": staff_start + i,
                    "email": f"attendance{staff_start + i}@school.example.sch.uk",
                    "full_name": f"{first} {last}",
                    "role": Role.SCHOOL_STAFF,
                    "password": "!",
                    "date_joined": self.now,
                }
            )
        counts["users"] = _Writer(User).write(users)
        caseworkers = officers + managers

        # --- schools: most in the LA (999), a few just over the border
        schools = []
        for i, pk in enumerate(school_ids):
            in_area = i < n_schools * 0.95
            secondary = i % 5 == 0
            kind = rng.choices(
                [SchoolType.MAINTAINED, SchoolType.ACADEMY, SchoolType.SPECIAL, SchoolType.PRU],
                [50, 42, 6, 2],
            )[0]
            schools.append(
                {
                    "id": pk,
                    "urn": 800_000 + pk,
                    "name": f"{rng.choice(LAST)} {'Academy' if secondary else 'Primary School'}"
                    f" {pk}",
                    "school_type": kind,
                    "phase": Phase.SECONDARY if secondary else Phase.PRIMARY,
                    "la_code": settings.CME_LA_CODE if in_area else rng.choice(OTHER_LAS),
                    "postcode": self._address()["postcode"],
                    "is_open": rng.random() > 0.02,
                    **self._audit(self.now),
                }
            )
        counts["schools"] = _Writer(School).write(schools)
        in_area_schools = [s["id"] for s in schools if s["la_code"] == settings.CME_LA_CODE]
        mid = _next_id(SchoolMembership)
        counts["memberships"] = _Writer(SchoolMembership).write(
            {"id": mid + i, "user_id": staff_start + i, "school_id": pk, **self._audit(self.now)}
            for i, pk in enumerate(school_ids)
        )

        # --- the LA's terms for six school years, and two INSET days a year
        terms, closures = [], []
        tid, cid = _next_id(Term), _next_id(Closure)
        for y in range(today.year - 5, today.year + 1):
            for name, start, end in (
                (f"Autumn {y}", date(y, 9, 3), date(y, 12, 19)),
                (f"Spring {y + 1}", date(y + 1, 1, 6), date(y + 1, 3, 28)),
                (f"Summer {y + 1}", date(y + 1, 4, 14), date(y + 1, 7, 22)),
            ):
                terms.append(
                    {"id": tid, "name": name, "start": start, "end": end, **self._audit(self.now)}
                )
                tid += 1
            for d in (date(y, 9, 3), date(y + 1, 1, 6)):
                closures.append({"id": cid, "date": d, "reason": "INSET day"})
                cid += 1
        if not Term.objects.filter(school__isnull=True).exists():
            counts["terms"] = _Writer(Term).write(terms)
        if not Closure.objects.filter(school__isnull=True).exists():
            counts["closures"] = _Writer(Closure).write(
                {**c, **self._audit(self.now)} for c in closures
            )

        # --- children
        child_start = _next_id(Child)
        child_ids = list(range(child_start, child_start + n_children))
        child_dobs: dict[int, date] = {}

        def children_rows() -> Iterator[dict[str, Any]]:
            for pk in child_ids:
                first, last = self._person()
                dob = self._dob()
                child_dobs[pk] = dob
                r = rng.random()
                yield {
                    "id": pk,
                    "first_name": first,
                    "last_name": last,
                    "first_name_key": _key(first),
                    "last_name_key": _key(last),
                    "last_name_phonetic": last[:4].upper(),
                    "date_of_birth": dob,
                    "gender": rng.choice("FFMMX" if r < 0.01 else "FM"),
                    "upn": f"A{pk:012d}" if r < 0.85 else "",
                    "last_school_id": rng.choice(school_ids) if r < 0.9 else None,
                    "ehcp_sen": r < 0.04,
                    "child_in_need": 0.04 <= r < 0.07,
                    "looked_after": 0.07 <= r < 0.08,
                    "child_protection_plan": 0.08 <= r < 0.085,
                    "gypsy_roma_traveller": 0.085 <= r < 0.1,
                    "new_arrival_eal": 0.1 <= r < 0.14,
                    "young_carer": 0.14 <= r < 0.15,
                    "restricted": 0.15 <= r < 0.152,
                    **self._address(),
                    **self._audit(self.now),
                }

        counts["children"] = _Writer(Child).write(children_rows())

        # --- school returns (1.5 per child), the four kinds
        counts.update(self._returns(self._n(150_000), school_ids, in_area_schools, child_ids))

        # --- referrals (each case has its own), cases, enquiries, events
        counts.update(
            self._casework(self._n(20_000), child_ids, child_dobs, school_ids, caseworkers)
        )
        return counts

    def _returns(
        self, n: int, school_ids: list[int], in_area: list[int], child_ids: list[int]
    ) -> dict[str, int]:
        rng = self.rng
        today = self.today
        start = _next_id(SchoolReturn)
        parent_id = _next_id(ParentCarer)
        writers = {
            "base": _Writer(SchoolReturn),
            ReturnKind.JOINER: _Writer(JoinerReturn),
            ReturnKind.LEAVER: _Writer(LeaverReturn),
            ReturnKind.PART_TIME: _Writer(PartTimeTimetable),
            ReturnKind.ABSENCE: _Writer(AbsenceNotification),
            "parents": _Writer(ParentCarer),
        }
        prefix = {
            ReturnKind.JOINER: "NP",
            ReturnKind.LEAVER: "LV",
            ReturnKind.PART_TIME: "PT",
            ReturnKind.ABSENCE: "CA",
        }
        kinds = [ReturnKind.JOINER, ReturnKind.LEAVER, ReturnKind.PART_TIME, ReturnKind.ABSENCE]
        base: list[dict[str, Any]] = []
        detail: dict[Any, list[dict[str, Any]]] = {k: [] for k in kinds}
        parents: list[dict[str, Any]] = []

        def flush() -> None:
            writers["base"].write(base)
            for k in kinds:
                writers[k].write(detail[k])
                detail[k].clear()
            writers["parents"].write(parents)
            base.clear()
            parents.clear()

        for i in range(n):
            pk = start + i
            kind = rng.choices(kinds, [40, 40, 8, 12])[0]
            school = rng.choice(school_ids)
            age = int(rng.triangular(0, 5 * 365, 0))  # more recent returns than old ones
            event_day = today - timedelta(days=age + 1)
            first, last = self._person()
            row: dict[str, Any] = {
                "id": pk,
                "reference": _ref(prefix[kind], pk),
                "kind": kind,
                "school_id": school,
                "first_name": first,
                "last_name": last,
                "date_of_birth": self._dob(),
                "gender": rng.choice("FM"),
                "upn": f"A{rng.choice(child_ids):012d}" if rng.random() < 0.9 else "",
                **self._address(),
            }
            old = age > 60
            status = ReturnStatus.CLOSED if old and rng.random() < 0.85 else ReturnStatus.RECEIVED
            ptr = {"schoolreturn_ptr_id": pk}
            late_days = 0
            if kind == ReturnKind.JOINER:
                late_days = rng.choice([0] * 9 + [rng.randint(6, 30)])
                if status != ReturnStatus.CLOSED and rng.random() < 0.6:
                    status = ReturnStatus.MATCHED
                detail[kind].append(
                    {
                        **ptr,
                        "admission_date": event_day,
                        "year_group": f"Year {rng.randint(0, 11)}",
                        "previous_school_name": "",
                    }
                )
                submitted = event_day + timedelta(days=min(late_days or rng.randint(0, 5), age))
                row["is_late"] = late_days > 5 and (submitted - event_day).days > 5
            elif kind == ReturnKind.LEAVER:
                dest = rng.choices(
                    [
                        DestinationType.IN_AREA,
                        DestinationType.OUT_OF_AREA,
                        DestinationType.ABROAD,
                        DestinationType.NONE,
                        DestinationType.UNKNOWN,
                    ],
                    [55, 25, 6, 10, 4],
                )[0]
                ground = {
                    DestinationType.IN_AREA: DeletionGround.A,
                    DestinationType.OUT_OF_AREA: DeletionGround.G,
                    DestinationType.ABROAD: DeletionGround.G,
                    DestinationType.NONE: DeletionGround.F,
                    DestinationType.UNKNOWN: DeletionGround.I,
                }[dest]
                ground_met = event_day - timedelta(days=rng.randint(0, 5))
                dest_school = rng.choice(in_area) if dest == DestinationType.IN_AREA else None
                if dest == DestinationType.UNKNOWN and status != ReturnStatus.CLOSED:
                    status = ReturnStatus.REFERRED
                detail[kind].append(
                    {
                        **ptr,
                        "ground": ground,
                        "ground_met_date": ground_met,
                        "deletion_date": event_day,
                        "destination_type": dest,
                        "destination_school_id": dest_school,
                        "destination_la": "Elsewhere City Council"
                        if dest == DestinationType.OUT_OF_AREA
                        else "",
                        "destination_country": "Poland" if dest == DestinationType.ABROAD else "",
                        "destination_start_date": event_day + timedelta(days=rng.randint(1, 10))
                        if dest == DestinationType.IN_AREA
                        else None,
                        "parent_notice_date": ground_met if ground == DeletionGround.F else None,
                        "absence_start_date": ground_met - timedelta(days=30)
                        if ground == DeletionGround.I
                        else None,
                        "s2s_lost_pupil_uploaded": dest == DestinationType.UNKNOWN,
                        "admission_confirmed": dest == DestinationType.IN_AREA
                        and rng.random() < 0.7,
                    }
                )
                late_days = rng.choice([0] * 19 + [rng.randint(1, 10)])
                submitted = event_day + timedelta(days=min(late_days, age))
                row["is_late"] = submitted > event_day
            elif kind == ReturnKind.PART_TIME:
                planned_end = event_day + timedelta(days=rng.randint(28, 120))
                ended = planned_end if old and rng.random() < 0.8 else None
                detail[kind].append(
                    {
                        **ptr,
                        "start_date": event_day,
                        "planned_end_date": planned_end,
                        "hours_per_week": Decimal(rng.choice(["10.0", "12.5", "15.0", "20.0"])),
                        "reason": rng.choice(list(PartTimeReason)),
                        "parent_agreed": True,
                        "parent_agreed_date": event_day,
                        "next_review_date": event_day + timedelta(days=rng.choice([14, 28, 42])),
                        "social_worker_involved": rng.random() < 0.2,
                        "has_ehcp": rng.random() < 0.3,
                        "ended_on": ended,
                    }
                )
                submitted = event_day
            else:
                after_leave = rng.random() < 0.2
                first_day = event_day - timedelta(days=rng.randint(5, 25))
                detail[kind].append(
                    {
                        **ptr,
                        "first_day_of_absence": first_day,
                        "absence_type": AbsenceType.AFTER_LEAVE
                        if after_leave
                        else AbsenceType.UNAUTHORISED,
                        "leave_end_date": first_day - timedelta(days=1) if after_leave else None,
                        "last_contact_date": first_day - timedelta(days=rng.randint(0, 3)),
                        "whereabouts": rng.choices(
                            [Whereabouts.KNOWN, Whereabouts.UNKNOWN], [70, 30]
                        )[0],
                        "enquiries": rng.sample(["phone", "email_letter", "home_visit"], 2),
                        "threshold_reached_on": first_day + timedelta(days=28) if old else None,
                    }
                )
                submitted = event_day
            submitted_at = self._at(min(submitted, today))
            row.update(status=status, submitted_at=submitted_at, **self._audit(submitted_at))
            if row.get("is_late") and old:
                row["late_notified_at"] = submitted_at + timedelta(days=1)
            base.append(row)
            if rng.random() < 0.6:  # parents on some returns, one or two
                for position in range(1, rng.choice([2, 2, 3])):
                    pf, _ = self._person()
                    parents.append(
                        {
                            "id": parent_id,
                            "school_return_id": pk,
                            "position": position,
                            "name": f"{pf} {last}",
                            "relationship": rng.choice(["Mother", "Father", "Carer"]),
                            "phone": f"07700 9{rng.randint(0, 99999):05d}",
                        }
                    )
                    parent_id += 1
            if len(base) >= BATCH:
                flush()
        flush()
        out = {"school returns": writers["base"].count}
        for k in kinds:
            out[f"  {k.label.lower()}"] = writers[k].count
        out["parents and carers"] = writers["parents"].count
        return out

    def _casework(
        self,
        n_cases: int,
        child_ids: Sequence[int],
        child_dobs: dict[int, date],
        school_ids: list[int],
        caseworkers: list[int],
    ) -> dict[str, int]:
        rng = self.rng
        today = self.today
        ref_writer, case_writer = _Writer(Referral), _Writer(Case)
        enq_writer, event_writer = _Writer(Enquiry), _Writer(Event)
        rid, cid = _next_id(Referral), _next_id(Case)
        eid, evid = _next_id(Enquiry), _next_id(Event)
        # A fifth more referrals than cases: new, not CME, or duplicates, with no case.
        n_other = max(1, round(n_cases * 0.2))
        referrals: list[dict[str, Any]] = []
        cases: list[dict[str, Any]] = []
        enquiries: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        reasons = [r.value for r in Reason]
        outcomes = [o for o in Outcome if o != Outcome.UNTRACEABLE]
        outcome_weights = [30, 12, 14, 10, 10, 4, 10, 8, 1]
        enquiry_types = list(EnquiryType)
        n_open = max(1, round(n_cases * 0.1))

        def flush() -> None:
            ref_writer.write(referrals)
            case_writer.write(cases)
            enq_writer.write(enquiries)
            event_writer.write(events)
            for rows in (referrals, cases, enquiries, events):
                rows.clear()

        def event(
            child: int, case: int | None, kind: str, at: datetime, by: int | None, summary: str
        ) -> None:
            nonlocal evid
            events.append(
                {
                    "id": evid,
                    "child_id": child,
                    "case_id": case,
                    "kind": kind,
                    "occurred_at": at,
                    "by_id": by,
                    "summary": summary,
                }
            )
            evid += 1

        for i in range(n_cases + n_other):
            has_case = i < n_cases
            is_open = has_case and i % (n_cases // n_open if n_open else 1) == 0
            age = rng.randint(0, 120) if is_open else rng.randint(0, 5 * 365)
            received_on = today - timedelta(days=age)
            received_at = self._at(received_on)
            child = rng.choice(child_ids)
            first, last = self._person()
            channel = rng.choices(
                [Channel.PUBLIC, Channel.SIGNED_IN, Channel.SYSTEM], [15, 55, 30]
            )[0]
            if has_case:
                status = ReferralStatus.ACCEPTED
            else:
                status = rng.choice(
                    [
                        ReferralStatus.NEW,
                        ReferralStatus.NOT_CME,
                        ReferralStatus.NOT_CME,
                        ReferralStatus.DUPLICATE,
                    ]
                )
                if status == ReferralStatus.NEW:
                    received_at = self._at(today - timedelta(days=rng.randint(0, 3)))
            decided = status != ReferralStatus.NEW
            decided_by = rng.choice(caseworkers)
            referrals.append(
                {
                    "id": rid,
                    "reference": _ref("RF", rid),
                    "channel": channel,
                    "received_at": received_at,
                    "status": status,
                    "referrer_type": ReferrerType.SYSTEM
                    if channel == Channel.SYSTEM
                    else rng.choice(
                        [
                            ReferrerType.SCHOOL,
                            ReferrerType.AGENCY,
                            ReferrerType.LA_SERVICE,
                            ReferrerType.PUBLIC,
                        ]
                    ),
                    "referrer_name": ""
                    if channel == Channel.SYSTEM
                    else f"{first} {rng.choice(LAST)}",
                    "referring_school_id": rng.choice(school_ids)
                    if channel == Channel.SYSTEM
                    else None,
                    "first_name": first,
                    "last_name": last,
                    "date_of_birth": child_dobs.get(child),
                    "gender": rng.choice("FM"),
                    "last_school_id": rng.choice(school_ids),
                    "reasons": rng.sample(reasons, rng.choice([1, 1, 2, 3])),
                    "details": "Load-test referral.",
                    "decided_at": received_at + timedelta(hours=rng.randint(1, 48))
                    if decided
                    else None,
                    "decided_by_id": decided_by if decided else None,
                    "not_cme_reason": rng.choice(list(NotCmeReason))
                    if status == ReferralStatus.NOT_CME
                    else "",
                    **self._address(),
                    **self._audit(received_at),
                }
            )
            if has_case:
                officer = rng.choice(caseworkers) if rng.random() < 0.95 or not is_open else None
                due = _due(received_on)
                opened_at = received_at + timedelta(hours=rng.randint(1, 48))
                row: dict[str, Any] = {
                    "id": cid,
                    "reference": _ref("CS", cid),
                    "child_id": child,
                    "referral_id": rid,
                    "category": rng.choices([Category.WASP, Category.MISSING], [65, 35])[0],
                    "status": CaseStatus.OPEN if is_open else CaseStatus.CLOSED,
                    "allocated_to_id": officer,
                    "received_on": received_on,
                    "due_date": due,
                    **self._audit(opened_at),
                }
                # Most investigations finish on time; open ones past their due date are
                # sometimes still going (overdue).
                done_in = rng.choice([5, 7, 9, 10, 12, 20])
                completed_on = received_on + timedelta(days=done_in)
                if completed_on <= today and (not is_open or rng.random() < 0.7):
                    row["investigation_completed_at"] = self._at(completed_on)
                if rng.random() < 0.06:
                    row["escalated_at"] = opened_at + timedelta(days=rng.randint(1, 30))
                    row["escalation_reason"] = "Safeguarding concern: referred to the MASH."
                    row["social_care_referred_at"] = row["escalated_at"]
                if is_open:
                    row["review_date"] = today + timedelta(days=rng.randint(-10, 30))
                else:
                    outcome = rng.choices(outcomes, outcome_weights)[0]
                    closed_on = min(today, received_on + timedelta(days=rng.randint(10, 150)))
                    row.update(
                        outcome=outcome,
                        closed_at=self._at(closed_on),
                        outcome_school_id=rng.choice(school_ids)
                        if outcome in (Outcome.ON_ROLL_IN_AREA, Outcome.PLACE_STARTED)
                        else None,
                        outcome_la="Elsewhere City Council"
                        if outcome in (Outcome.ON_ROLL_OTHER_LA, Outcome.MOVED_OTHER_LA)
                        else "",
                        outcome_la_accepted=outcome == Outcome.MOVED_OTHER_LA,
                        outcome_country="Romania" if outcome == Outcome.MOVED_ABROAD else "",
                        # An old closed case was past compulsory age when flagged, sometimes.
                        csa_end_flagged_at=self._at(closed_on)
                        if outcome == Outcome.CEASED_COMPULSORY_AGE
                        else None,
                    )
                # Overdue before yesterday: already flagged by an earlier run of the job.
                if (
                    is_open
                    and due < today - timedelta(days=1)
                    and "investigation_completed_at" not in row
                ):
                    row["overdue_flagged_at"] = self._at(due + timedelta(days=1), hour=7)
                cases.append(row)
                event(
                    child,
                    None,
                    EventKind.REFERRAL,
                    received_at,
                    None,
                    f"Referral {_ref('RF', rid)} received",
                )
                event(
                    child,
                    cid,
                    EventKind.CASE_OPENED,
                    opened_at,
                    decided_by,
                    f"Case {row['reference']} opened",
                )
                if officer:
                    event(child, cid, EventKind.ALLOCATED, opened_at, decided_by, "Allocated")
                for _ in range(rng.choice([1, 2, 3, 3, 4, 5])):
                    made_on = min(today, received_on + timedelta(days=rng.randint(0, 14)))
                    made_by = officer or rng.choice(caseworkers)
                    kind = rng.choice(enquiry_types)
                    enquiries.append(
                        {
                            "id": eid,
                            "case_id": cid,
                            "enquiry_type": kind,
                            "made_on": made_on,
                            "made_by_id": made_by,
                            "contact": kind.label,
                            "result": rng.choices(list(EnquiryResult), [20, 35, 25, 20])[0],
                            **self._audit(self._at(made_on)),
                        }
                    )
                    event(
                        child,
                        cid,
                        EventKind.ENQUIRY,
                        self._at(made_on),
                        made_by,
                        f"Enquiry: {kind.label}",
                    )
                    eid += 1
                if row.get("escalated_at"):
                    event(
                        child, cid, EventKind.ESCALATED, row["escalated_at"], officer, "Escalated"
                    )
                if row.get("investigation_completed_at"):
                    event(
                        child,
                        cid,
                        EventKind.INVESTIGATION,
                        row["investigation_completed_at"],
                        officer,
                        "Initial investigation completed",
                    )
                if row.get("closed_at"):
                    event(
                        child,
                        cid,
                        EventKind.CLOSED,
                        row["closed_at"],
                        officer,
                        f"Closed: {Outcome(row['outcome']).label}",
                    )
                cid += 1
            rid += 1
            if len(referrals) >= BATCH:
                flush()
        flush()
        return {
            "referrals": ref_writer.count,
            "cases": case_writer.count,
            "enquiries": enq_writer.count,
            "events": event_writer.count,
        }

    def _reset_sequences(self) -> None:
        touched = [
            User,
            School,
            SchoolMembership,
            Term,
            Closure,
            Child,
            SchoolReturn,
            ParentCarer,
            Referral,
            Case,
            Enquiry,
            Event,
        ]
        statements = connection.ops.sequence_reset_sql(no_style(), touched)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
