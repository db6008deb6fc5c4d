"""The demo's home education register (issue 17): the ground (f) leaver the demo's returns
already put on it (LV-DEMO: Williams), a family visited whose education appears suitable, and
one whose education did not appear suitable, served a s437(1) notice whose period has ended.

Idempotent: each child is found by name and date of birth (ehe.services.register.child_for)
and a child already on the register keeps its entry; contacts, views and notices are added
only to an entry that has none. Everything goes through the ehe services.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings

from demo.base import Seed, years_ago
from demo.people import EHE_OFFICER
from ehe.models import Answer, ContactKind, HomeEducation, NoticeKind, Source, Suitability
from ehe.services.notices import notice_answer, notice_serve
from ehe.services.register import (
    child_for,
    contact_record,
    home_education_register,
    suitability_record,
)


def _entry(
    seed: Seed, first: str, last: str, dob: date, started: date, street: str
) -> HomeEducation:
    officer = seed.users[EHE_OFFICER.email]
    details = {
        "first_name": first,
        "last_name": last,
        "date_of_birth": dob,
        "address_line_1": street,
        "town": "Exampleton",
        "postcode": "EX3 4HE",
    }
    child = child_for(details, by=officer)
    parent = {"title": "Mrs", "first_name": "Grace", "last_name": last, "relationship": "Mother"}
    entry = home_education_register(
        child=child,
        source=Source.OFFICER,
        by=officer,
        started_on=started,
        parents=[parent],
        registered_on=started,
    )
    seed.count(not entry.contacts.exists())
    return entry


def seed_home_education(seed: Seed) -> None:
    officer = seed.users[EHE_OFFICER.email]
    suitable = _entry(
        seed, "Isla", "Morgan", years_ago(seed.today, 9, 40), seed.ago(200), "7 Meadow Lane"
    )
    if not suitable.contacts.exists():
        contact_record(
            entry=suitable,
            kind=ContactKind.HOME_VISIT,
            made_on=seed.ago(150),
            by=officer,
            with_whom="Mrs Morgan and Isla",
            notes="A structured timetable, workbooks and a weekly science group.",
        )
        suitability_record(
            entry=suitable,
            suitability=Suitability.SUITABLE,
            formed_on=seed.ago(150),
            reasons="Full-time, efficient education suited to her age and ability.",
            by=officer,
        )
    unsuitable = _entry(
        seed, "Noah", "Fletcher", years_ago(seed.today, 12, 100), seed.ago(90), "3 Quarry Road"
    )
    if not unsuitable.contacts.exists():
        contact_record(
            entry=unsuitable,
            kind=ContactKind.LETTER,
            made_on=seed.ago(60),
            by=officer,
            notes="Asked for a description of the education. No reply.",
        )
        suitability_record(
            entry=unsuitable,
            suitability=Suitability.NOT_SUITABLE,
            formed_on=seed.ago(40),
            reasons="No information given after two letters and a visit with no answer.",
            by=officer,
        )
        served = seed.ago(30)
        if settings.CME_CNIS_ENABLED:
            # The CWS Act 2026's preliminary notice comes first where it is in force.
            pre = notice_serve(
                entry=unsuitable, kind=NoticeKind.PRELIMINARY, served_on=seed.ago(40), by=officer
            )
            # Its period over with no satisfactory answer, the s437(1) notice the next day.
            assert pre.period_ends_on is not None  # noqa: S101 - a served notice has a period
            served = min(pre.period_ends_on + timedelta(days=1), seed.today)
            notice_answer(notice=pre, answer=Answer.NOT_SATISFIED, answered_on=served, by=officer)
        notice_serve(entry=unsuitable, kind=NoticeKind.S437_1, served_on=served, by=officer)
