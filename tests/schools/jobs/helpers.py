"""What the tests of the schools checks share (tests/schools/jobs, tests/referrals/test_jobs.py).

The absence and transition tests count on the LA's calendar: summer 2026: first half term 13 April to 22 May, with the
early May bank holiday (Monday 4 May) and an INSET day (Friday 15 May) inside it; half-term
week 25 to 29 May (25 May a bank holiday); second half term 1 June to 22 July.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from cme.models import Notification
from referrals.jobs import raise_pending_referrals
from schools.models import (
    AbsenceNotification,
    DestinationType,
    JoinerReturn,
    LeaverReturn,
    School,
    SchoolReturn,
)
from tests.factories import (
    AbsenceNotificationFactory,
    ClosureFactory,
    JoinerReturnFactory,
    LeaverReturnFactory,
    TermFactory,
)

LONDON = ZoneInfo("Europe/London")
EARLY_MAY_BANK_HOLIDAY = date(2026, 5, 4)
INSET_DAY = date(2026, 5, 15)
#: The late-returns and part-time tests' day.
TODAY = date(2026, 11, 23)  # a Monday


@contextmanager
def at(day: date, hour: int = 7) -> Iterator[None]:
    with time_machine.travel(
        datetime(day.year, day.month, day.day, hour, 0, tzinfo=LONDON), tick=False
    ):
        yield


@contextmanager
def on(day: date) -> Iterator[None]:
    """Frozen at 06:30 on `day`, when beat runs the checks."""
    with time_machine.travel(
        datetime(day.year, day.month, day.day, 6, 30, tzinfo=LONDON), tick=False
    ):
        yield


def run_check(name: str, *args: str) -> str:
    out = StringIO()
    call_command("run_check", name, *args, stdout=out)
    return out.getvalue()


def run_and_raise(name: str, *args: str) -> str:
    """The check, then (a real run) its follow-up work, as the outbox task does after the
    commit: the referrals the sweep flagged are raised in bulk (raise_pending_referrals)."""
    out = StringIO()
    call_command("run_check", name, *args, stdout=out)
    if "--dry-run" not in args:
        raise_pending_referrals()
    return out.getvalue()


def dry_run(
    check: str, day: date, flagged: Sequence[SchoolReturn], passed_over: Sequence[SchoolReturn] = ()
) -> None:
    """Run `check` with --dry-run on `day`: it lists the references of the returns it would
    flag (and not of those it passes over), counts them, and tells no one."""
    with on(day):
        out = run_check(check, "--dry-run")
    for school_return in flagged:
        assert school_return.reference in out
    for school_return in passed_over:
        assert school_return.reference not in out
    assert f"would flag {len(flagged)}" in out
    assert not Notification.objects.exists()


@pytest.fixture
def calendar(db: None) -> None:
    TermFactory.create(name="Summer 1 2026", start=date(2026, 4, 13), end=date(2026, 5, 22))
    TermFactory.create(name="Summer 2 2026", start=date(2026, 6, 1), end=date(2026, 7, 22))
    ClosureFactory.create(date=INSET_DAY)


def absence(school: School, **fields: object) -> AbsenceNotification:
    with on(date(2026, 4, 22)):
        return AbsenceNotificationFactory.create(school=school, **fields)


def leaver_to(school: School, to: School, **fields: object) -> LeaverReturn:
    values: dict[str, object] = {
        "first_name": "Maya",
        "last_name": "Patel",
        "date_of_birth": date(2016, 3, 14),
        "ground_met_date": date(2026, 5, 8),
        "deletion_date": date(2026, 5, 8),
        "destination_type": DestinationType.IN_AREA,
        "destination_school": to,
        "destination_school_name": "",
        "destination_la": "",
        **fields,
    }
    with on(date(2026, 5, 8)):
        return LeaverReturnFactory.create(school=school, **values)


def joiner_at(school: School, **fields: object) -> JoinerReturn:
    values: dict[str, object] = {
        "first_name": "Maya",
        "last_name": "Patel",
        "date_of_birth": date(2016, 3, 14),
        "admission_date": date(2026, 5, 11),
        **fields,
    }
    with on(date(2026, 5, 12)):
        return JoinerReturnFactory.create(school=school, **values)
