"""``seed_scale``'s school returns: the four kinds, each with its own table's row, lateness,
a status that ages (most old returns closed), and parents on some."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from demo.scale.context import ScaleRun, ref
from demo.scale.writer import Batches
from schools.models import (
    AbsenceNotification,
    AbsenceType,
    DeletionGround,
    DestinationType,
    JoinerReturn,
    LeaverReturn,
    ParentCarer,
    PartTimeReason,
    PartTimeTimetable,
    ReturnKind,
    ReturnStatus,
    SchoolReturn,
    Whereabouts,
)

RETURNS = 150_000  # per 100,000 children
MAX_AGE_DAYS = 5 * 365  # more recent returns than old ones, up to five years
UPN_SHARE = 0.9
OLD_AFTER_DAYS = 60  # an older return has usually been dealt with
OLD_CLOSED_SHARE = 0.85
PARENTS_SHARE = 0.6  # returns with one or two parents

JOINER_DUE_DAYS = 5  # a joiner return is due within five days of admission
JOINER_MATCHED_SHARE = 0.6
LEAVER_CONFIRMED_SHARE = 0.7  # in-area leavers whose admission is confirmed
PART_TIME_ENDED_SHARE = 0.8  # old timetables that have ended
SOCIAL_WORKER_SHARE = 0.2
EHCP_SHARE = 0.3
AFTER_LEAVE_SHARE = 0.2  # absences after a leave of absence
THRESHOLD_DAYS = 28  # an old absence reached the threshold this long after it started

OTHER_LA_NAME = "Elsewhere City Council"

DESTINATION_WEIGHTS = {
    DestinationType.IN_AREA: 55,
    DestinationType.OUT_OF_AREA: 25,
    DestinationType.ABROAD: 6,
    DestinationType.NONE: 10,
    DestinationType.UNKNOWN: 4,
}
GROUND = {
    DestinationType.IN_AREA: DeletionGround.A,
    DestinationType.OUT_OF_AREA: DeletionGround.G,
    DestinationType.ABROAD: DeletionGround.G,
    DestinationType.NONE: DeletionGround.F,
    DestinationType.UNKNOWN: DeletionGround.I,
}


@dataclass
class Draft:
    """One return being made up: what every kind shares, and what its own kind adds."""

    run: ScaleRun
    event_day: date  # admission, deletion, start of the timetable or of the absence
    age: int  # days since the event
    old: bool  # older than OLD_AFTER_DAYS
    status: ReturnStatus
    in_area: Sequence[int]  # the in-area schools (a leaver's destination)


@dataclass(frozen=True)
class Detail:
    """A kind's own row, the day the return was sent, its status and lateness."""

    fields: dict[str, Any]
    submitted: date
    status: ReturnStatus
    is_late: bool = False


def _joiner(d: Draft) -> Detail:
    rng = d.run.rng
    late_days = rng.choice([0] * 9 + [rng.randint(6, 30)])
    status = d.status
    if status != ReturnStatus.CLOSED and rng.random() < JOINER_MATCHED_SHARE:
        status = ReturnStatus.MATCHED
    fields = {
        "admission_date": d.event_day,
        "year_group": f"Year {rng.randint(0, 11)}",
        "previous_school_name": "",
    }
    submitted = d.event_day + timedelta(days=min(late_days or rng.randint(0, 5), d.age))
    late = late_days > JOINER_DUE_DAYS and (submitted - d.event_day).days > JOINER_DUE_DAYS
    return Detail(fields, submitted, status, late)


def _leaver(d: Draft) -> Detail:
    rng = d.run.rng
    dest = rng.choices(list(DESTINATION_WEIGHTS), list(DESTINATION_WEIGHTS.values()))[0]
    ground = GROUND[dest]
    ground_met = d.event_day - timedelta(days=rng.randint(0, 5))
    in_area = dest == DestinationType.IN_AREA
    dest_school = rng.choice(d.in_area) if in_area else None
    status = d.status
    if dest == DestinationType.UNKNOWN and status != ReturnStatus.CLOSED:
        status = ReturnStatus.REFERRED
    fields = {
        "ground": ground,
        "ground_met_date": ground_met,
        "deletion_date": d.event_day,
        "destination_type": dest,
        "destination_school_id": dest_school,
        "destination_la": OTHER_LA_NAME if dest == DestinationType.OUT_OF_AREA else "",
        "destination_country": "Poland" if dest == DestinationType.ABROAD else "",
        "destination_start_date": d.event_day + timedelta(days=rng.randint(1, 10))
        if in_area
        else None,
        "parent_notice_date": ground_met if ground == DeletionGround.F else None,
        "absence_start_date": ground_met - timedelta(days=30)
        if ground == DeletionGround.I
        else None,
        "s2s_lost_pupil_uploaded": dest == DestinationType.UNKNOWN,
        "admission_confirmed": in_area and rng.random() < LEAVER_CONFIRMED_SHARE,
    }
    late_days = rng.choice([0] * 19 + [rng.randint(1, 10)])
    submitted = d.event_day + timedelta(days=min(late_days, d.age))
    return Detail(fields, submitted, status, submitted > d.event_day)


def _part_time(d: Draft) -> Detail:
    rng = d.run.rng
    planned_end = d.event_day + timedelta(days=rng.randint(28, 120))
    ended = planned_end if d.old and rng.random() < PART_TIME_ENDED_SHARE else None
    fields = {
        "start_date": d.event_day,
        "planned_end_date": planned_end,
        "hours_per_week": Decimal(rng.choice(["10.0", "12.5", "15.0", "20.0"])),
        "reason": rng.choice(list(PartTimeReason)),
        "parent_agreed": True,
        "parent_agreed_date": d.event_day,
        "next_review_date": d.event_day + timedelta(days=rng.choice([14, 28, 42])),
        "social_worker_involved": rng.random() < SOCIAL_WORKER_SHARE,
        "has_ehcp": rng.random() < EHCP_SHARE,
        "ended_on": ended,
    }
    return Detail(fields, d.event_day, d.status)


def _absence(d: Draft) -> Detail:
    rng = d.run.rng
    after_leave = rng.random() < AFTER_LEAVE_SHARE
    first_day = d.event_day - timedelta(days=rng.randint(5, 25))
    fields = {
        "first_day_of_absence": first_day,
        "absence_type": AbsenceType.AFTER_LEAVE if after_leave else AbsenceType.UNAUTHORISED,
        "leave_end_date": first_day - timedelta(days=1) if after_leave else None,
        "last_contact_date": first_day - timedelta(days=rng.randint(0, 3)),
        "whereabouts": rng.choices([Whereabouts.KNOWN, Whereabouts.UNKNOWN], [70, 30])[0],
        "enquiries": rng.sample(["phone", "email_letter", "home_visit"], 2),
        "threshold_reached_on": first_day + timedelta(days=THRESHOLD_DAYS) if d.old else None,
    }
    return Detail(fields, d.event_day, d.status)


@dataclass(frozen=True)
class KindSpec:
    model: type[SchoolReturn]
    prefix: str  # of the reference
    weight: int  # how common the kind is
    detail: Callable[[Draft], Detail]


KINDS: dict[ReturnKind, KindSpec] = {
    ReturnKind.JOINER: KindSpec(JoinerReturn, "NP", 40, _joiner),
    ReturnKind.LEAVER: KindSpec(LeaverReturn, "LV", 40, _leaver),
    ReturnKind.PART_TIME: KindSpec(PartTimeTimetable, "PT", 8, _part_time),
    ReturnKind.ABSENCE: KindSpec(AbsenceNotification, "CA", 12, _absence),
}


def write_returns(
    run: ScaleRun,
    n: int,
    school_ids: Sequence[int],
    in_area: Sequence[int],
    child_ids: Sequence[int],
    counts: dict[str, int],
) -> None:
    """`n` returns of the four kinds, with their parents."""
    batches = Batches(SchoolReturn, *(k.model for k in KINDS.values()), ParentCarer)
    for _ in range(n):
        _write_return(run, batches, school_ids, in_area, child_ids)
        batches.flush_if_full()
    batches.flush()
    counts["school returns"] = batches.count(SchoolReturn)
    for kind, spec in KINDS.items():
        counts[f"  {kind.label.lower()}"] = batches.count(spec.model)
    counts["parents and carers"] = batches.count(ParentCarer)


def _write_return(
    run: ScaleRun,
    batches: Batches,
    school_ids: Sequence[int],
    in_area: Sequence[int],
    child_ids: Sequence[int],
) -> None:
    rng = run.rng
    pk = batches.take_id(SchoolReturn)
    kind = rng.choices(list(KINDS), [k.weight for k in KINDS.values()])[0]
    spec = KINDS[kind]
    school = rng.choice(school_ids)
    age = int(rng.triangular(0, MAX_AGE_DAYS, 0))
    event_day = run.today - timedelta(days=age + 1)
    first, last = run.person()
    row: dict[str, Any] = {
        "id": pk,
        "reference": ref(spec.prefix, pk),
        "kind": kind,
        "school_id": school,
        "first_name": first,
        "last_name": last,
        "date_of_birth": run.dob(),
        "gender": rng.choice("FM"),
        "upn": f"A{rng.choice(child_ids):012d}" if rng.random() < UPN_SHARE else "",
        **run.address(),
    }
    old = age > OLD_AFTER_DAYS
    status = (
        ReturnStatus.CLOSED if old and rng.random() < OLD_CLOSED_SHARE else ReturnStatus.RECEIVED
    )
    detail = spec.detail(Draft(run, event_day, age, old, status, in_area))
    batches.add(spec.model, {"schoolreturn_ptr_id": pk, **detail.fields})
    submitted_at = run.at(min(detail.submitted, run.today))
    row.update(
        status=detail.status,
        is_late=detail.is_late,
        submitted_at=submitted_at,
        **run.audit(submitted_at),
    )
    if detail.is_late and old:
        row["late_notified_at"] = submitted_at + timedelta(days=1)
    batches.add(SchoolReturn, row)
    if rng.random() < PARENTS_SHARE:
        for position in range(1, rng.choice([2, 2, 3])):
            parent_first, _ = run.person()
            batches.add(
                ParentCarer,
                {
                    "id": batches.take_id(ParentCarer),
                    "school_return_id": pk,
                    "position": position,
                    "name": f"{parent_first} {last}",
                    "relationship": rng.choice(["Mother", "Father", "Carer"]),
                    "phone": f"07700 9{rng.randint(0, 99999):05d}",
                },
            )
