"""The demo data `manage.py seed_demo` loads: schools, users for each role, the term
calendar, school returns of every kind, and children in every state of the casework
(referrals in triage and decided, cases open, overdue, escalated, untraceable, closed with
several outcomes, reopened, a merged pair), with their chronology.

Idempotent: every row is found by a stable key (a school's URN, a user's email, a term's
name, a closure's school and date, a fixed reference such as ``NP-DEMO-0001``,
``RF-DEMO-0001`` or ``CS-DEMO-0001``) and created only when it is missing, so a second run
creates nothing. Everything goes through the services (the same checks, events and rules as
the app) and is then dated relative to the day the demo is loaded.

Layering: ``demo`` sits beside ``config`` at the top: it may import every app, and no app\nimports it. Installed only where ``CME_DEMO`` is on (config/settings.py), never in production.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from cme.jobs import run_job
from demo.base import Seed
from demo.calendar import seed_calendar
from demo.casework import seed_open_cases
from demo.closed import seed_closed_cases
from demo.cnis import seed_cnis
from demo.ehe import seed_home_education
from demo.people import seed_users
from demo.returns import seed_joiners_and_leavers
from demo.schools import seed_schools
from demo.timetables import seed_absence_notifications, seed_part_time_timetables
from demo.transfers import seed_transfers
from demo.triage import seed_triage


@transaction.atomic
def seed(today: date) -> Seed:
    """Create whatever of the demo is missing; return what was created and found."""
    run = Seed(today=today)
    seed_schools(run)
    seed_users(run)
    seed_calendar(run)
    seed_joiners_and_leavers(run)
    seed_part_time_timetables(run)
    seed_absence_notifications(run)
    seed_open_cases(run)
    seed_closed_cases(run)
    seed_triage(run)
    seed_transfers(run)
    seed_cnis(run)
    seed_home_education(run)
    # The overnight check, so the officer's overdue cases have their notifications; a second
    # run flags and notifies nothing (the flag and the notification key are idempotent).
    run.created += run_job("overdue_enquiries", today=today).notified
    return run
