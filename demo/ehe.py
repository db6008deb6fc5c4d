"""The demo's home education register (issue 17): the ground (f) leaver the demo's returns
already put on it (LV-DEMO: Williams), a family visited whose education appears suitable, and
one whose education did not appear suitable, served a s437(1) notice whose period has ended.

Idempotent: each child is found by name and date of birth (ehe.services.register.child_for)
and a child already on the register keeps its entry; contacts, views and notices are added
only to an entry that has none. Everything goes through the ehe services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings

from demo.base import Age, Seed
from demo.people import EHE_OFFICER
from demo.values import resolve_value
from ehe.models import Answer, ContactKind, HomeEducation, NoticeKind, Source, Suitability
from ehe.services.notices import notice_answer, notice_serve
from ehe.services.register import (
    child_for,
    contact_record,
    home_education_register,
    suitability_record,
)


@dataclass(frozen=True)
class Family:
    """A child the EHE officer registered `started` days ago, then contacted `contacted` days
    ago (`contact`, with `with_whom`, `notes`) and formed a view of `formed` days ago."""

    first: str
    last: str
    age: Age
    started: int
    street: str
    contact: ContactKind
    contacted: int
    notes: str
    suitability: Suitability
    formed: int
    reasons: str
    with_whom: str = ""


SUITABLE = Family(
    "Isla",
    "Morgan",
    Age(9, 40),
    200,
    "7 Meadow Lane",
    ContactKind.HOME_VISIT,
    150,
    "A structured timetable, workbooks and a weekly science group.",
    Suitability.SUITABLE,
    150,
    "Full-time, efficient education suited to her age and ability.",
    with_whom="Mrs Morgan and Isla",
)
#: Served the notices (below) once the view is formed.
NOT_SUITABLE = Family(
    "Noah",
    "Fletcher",
    Age(12, 100),
    90,
    "3 Quarry Road",
    ContactKind.LETTER,
    60,
    "Asked for a description of the education. No reply.",
    Suitability.NOT_SUITABLE,
    40,
    "No information given after two letters and a visit with no answer.",
)


def _visited(seed: Seed, family: Family) -> HomeEducation | None:
    """The family's entry on the register with its contact and view; None if it was there."""
    officer = seed.users[EHE_OFFICER.email]
    details = {
        "first_name": family.first,
        "last_name": family.last,
        "date_of_birth": resolve_value(seed, family.age),
        "address_line_1": family.street,
        "town": "Exampleton",
        "postcode": "EX3 4HE",
    }
    child = child_for(details, by=officer)
    parent = {
        "title": "Mrs",
        "first_name": "Grace",
        "last_name": family.last,
        "relationship": "Mother",
    }
    started = seed.ago(family.started)
    entry = home_education_register(
        child=child,
        source=Source.OFFICER,
        by=officer,
        started_on=started,
        parents=[parent],
        registered_on=started,
    )
    new = not entry.contacts.exists()
    seed.count(new)
    if not new:
        return None
    contact_record(
        entry=entry,
        kind=family.contact,
        made_on=seed.ago(family.contacted),
        by=officer,
        with_whom=family.with_whom,
        notes=family.notes,
    )
    suitability_record(
        entry=entry,
        suitability=family.suitability,
        formed_on=seed.ago(family.formed),
        reasons=family.reasons,
        by=officer,
    )
    return entry


def seed_home_education(seed: Seed) -> None:
    officer = seed.users[EHE_OFFICER.email]
    _visited(seed, SUITABLE)
    unsuitable = _visited(seed, NOT_SUITABLE)
    if unsuitable is None:
        return
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
