"""What every part of the demo shares: the run's context (today, the counts, the rows found
or made so far) and small helpers for dates, UPNs, pupils and parents."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Model
from django.utils import timezone

from casework.models import Case, CaseNote, Child, ChildMerge, Enquiry, Event
from casework.presenters import nc_year_label
from cme.models import User
from cme.statutory import SATURDAY, is_working_day, upn_check_letter
from referrals.models import Referral
from schools.models import School

DEMO_PASSWORD_DEFAULT = "demo-password-2026"  # noqa: S105 (demo accounts only; see --force)
DEMO_URL = "http://127.0.0.1:8000"

IN_AREA_LA = "999"
OTHER_LA = "888"
OTHER_LA_NAME = "Otherborough Council"


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEMO_PASSWORD_DEFAULT


# ---------------------------------------------------------------------------------- dates


def years_ago(today: date, years: int, days: int = 0) -> date:
    """`years` years and `days` days before `today` (29 February becomes 28 February)."""
    try:
        d = today.replace(year=today.year - years)
    except ValueError:
        d = today.replace(year=today.year - years, day=28)
    return d - timedelta(days=days)


def weekday_on_or_before(d: date) -> date:
    while d.weekday() >= SATURDAY:
        d -= timedelta(days=1)
    return d


def weekday_on_or_after(d: date) -> date:
    while d.weekday() >= SATURDAY:
        d += timedelta(days=1)
    return d


def working_day_on_or_before(d: date) -> date:
    """`d`, or the working day before it (weekends and bank holidays skipped)."""
    while not is_working_day(d):
        d -= timedelta(days=1)
    return d


def aware(on: date, hour: int = 10, minute: int = 30) -> datetime:
    """`on` at a plausible office time, never in the future."""
    moment = timezone.make_aware(datetime.combine(on, time(hour, minute)))
    return min(moment, timezone.now())


# Dates in the demo's tables, relative to the day it is loaded (demo.values resolves them).


@dataclass(frozen=True)
class Age:
    """A date of birth: `years` years and `days` days before today."""

    years: int
    days: int = 0


@dataclass(frozen=True)
class Ago:
    """`days` before today (moved back to the Friday at a weekend), less `less` days."""

    days: int
    less: int = 0


@dataclass(frozen=True)
class Ahead:
    """`days` after today (moved on to the Monday at a weekend)."""

    days: int


# ------------------------------------------------------------------------------- pupils


def year_group(dob: date, on: date) -> str:
    return nc_year_label(dob, on)


def upn(establishment: int, year: int, serial: int) -> str:
    """A UPN with a correct DfE check letter (LA 999 is not a real LA code)."""
    rest = f"{IN_AREA_LA}{establishment:04d}{year % 100:02d}{serial:03d}"
    return upn_check_letter(rest) + rest


@dataclass(frozen=True)
class Pupil:
    """The pupil fields every school return has."""

    first_name: str
    last_name: str
    date_of_birth: date | Age
    gender: str
    address_line_1: str
    town: str
    postcode: str
    upn: str = ""
    middle_names: str = ""


@dataclass(frozen=True)
class Parent:
    """A parent or carer on a school return."""

    name: str
    relationship: str
    phone: str
    email: str = ""
    address: str = ""
    lives_with_pupil: bool = True


def fields_of(row: Any) -> dict[str, Any]:
    """A dataclass's fields by name, as they are (``asdict`` would copy and convert them)."""
    return {f.name: getattr(row, f.name) for f in dataclass_fields(row)}


# ------------------------------------------------------------------------------ context


@dataclass
class Seed:
    """One run of the demo: today, what it created or found, and the rows it needs again."""

    today: date
    created: int = 0
    existing: int = 0
    schools: dict[int, School] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    def ago(self, days: int) -> date:
        """`days` before today, moved back to the Friday when that is a weekend."""
        return weekday_on_or_before(self.today - timedelta(days=days))

    def ahead(self, days: int) -> date:
        """`days` after today, moved on to the Monday when that is a weekend."""
        return weekday_on_or_after(self.today + timedelta(days=days))

    def working_ago(self, days: int) -> date:
        """`days` before today, moved back to a working day (not a weekend or bank holiday)."""
        return working_day_on_or_before(self.today - timedelta(days=days))

    def count(self, created: bool) -> None:
        if created:
            self.created += 1
        else:
            self.existing += 1


# The timestamps the services set to "now", by model: `dated` moves them to the demo's day.
_STAMPS: tuple[tuple[type[Model], tuple[str, ...]], ...] = (
    (Referral, ("received_at", "decided_at", "created_at", "updated_at")),
    (
        Case,
        (
            "created_at",
            "updated_at",
            "investigation_completed_at",
            "escalated_at",
            "social_care_referred_at",
            "closed_at",
        ),
    ),
    (Child, ("created_at", "updated_at")),
    (ChildMerge, ("created_at", "updated_at")),
    (Enquiry, ("created_at", "updated_at")),
    (CaseNote, ("created_at", "updated_at")),
    (Event, ("occurred_at",)),
)


@contextmanager
def dated(moment: datetime) -> Iterator[None]:
    """Date what the services called inside did "now" at `moment` instead.

    The services stamp their rows and chronology events with the current time; the demo's
    story happened over past weeks. Every timestamp set during the block (none set before
    it: a referral's received time, a return's submission) is moved to `moment`.
    """
    started = timezone.now()
    yield
    for model, names in _STAMPS:
        for name in names:
            model._default_manager.filter(**{f"{name}__gte": started}).update(**{name: moment})
