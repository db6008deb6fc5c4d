"""The demo's children not in school (issue 17): a ground (f) leaver waiting for the LA's
consent (s434A) and two children on the register (ss436B-436G), one with a parent, an
online provider and a request sent to it, one from a part-time timetable.

Made only while CME_CNIS_ENABLED is on (the duties are not in force otherwise): run
``CME_CNIS_ENABLED=true make run`` to see them. Idempotent like the rest of the demo."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from casework.models import Child
from casework.services.children import child_record
from cnis.consent import HELD_DETAIL
from cnis.models import Eligibility, ProviderType, RegisterEntry, Source
from cnis.services import parent_add, provider_add, provider_request_send, register_child
from demo.base import Age, Ago, Parent, Pupil, Seed
from demo.people import OFFICER, STAFF_ALDER
from demo.schools import ALDER
from demo.sending import Sent, send
from demo.values import resolve_value
from schools.models import DeletionGround, DestinationType, LeaverReturn, PartTimeTimetable

#: LV-DEMO-CN01: ground (f), the school says s47 enquiries are open: waits for consent.
CONSENT_LEAVER = Sent(
    "LV-DEMO-CN01",
    LeaverReturn,
    Pupil("Isla", "Brennan", Age(11, 40), "F", "5 Larch Close", "Exampleton", "EX2 7QT"),
    {
        "ground": DeletionGround.F,
        "ground_met_date": Ago(1),
        "deletion_date": Ago(1),
        "parent_notice_date": Ago(3),
        "destination_type": DestinationType.NONE,
        "la_arranged_place": False,
        "s47_enquiries": True,
    },
    ALDER,
    STAFF_ALDER,
    Ago(1),
    [Parent("Siobhan Brennan", "Mother", "07700 900311")],
    # demo.sending.submit sets the words the school sees: those of the hold.
    status_detail=HELD_DETAIL,
)


#: A child on the register from a parent's notice, with an online provider.
NOWAK = Pupil("Tomasz", "Nowak", Age(9, 120), "M", "18 Birch Lane", "Exampleton", "EX3 1DD")

#: What a child's record is found or made from (``casework.services.children.child_record``).
_CHILD_FIELDS = ("first_name", "last_name", "date_of_birth", "address_line_1", "town", "postcode")


def _child(run: Seed, pupil: Pupil | PartTimeTimetable) -> Child:
    """The child record for `pupil` (a demo pupil or a school return's): found or made."""
    found = {name: resolve_value(run, getattr(pupil, name)) for name in _CHILD_FIELDS}
    return child_record(**found, by=run.users[OFFICER.email])


def seed_cnis(run: Seed) -> None:
    if not settings.CME_CNIS_ENABLED:
        return
    send(run, CONSENT_LEAVER)
    officer = run.users[OFFICER.email]
    child = _child(run, NOWAK)
    if RegisterEntry.objects.filter(child=child).exists():
        run.count(False)
    else:
        entry = register_child(
            child=child,
            eligibility=Eligibility.NOT_REGISTERED,
            source=Source.PARENT,
            registered_on=run.ago(5),
            by=officer,
        )
        parent_add(
            entry=entry,
            name="Agnieszka Nowak",
            address="18 Birch Lane, Exampleton, EX3 1DD",
            provides_education=True,
            hours_per_week=Decimal("12"),
            source=Source.PARENT,
            by=officer,
        )
        provider = provider_add(
            entry=entry,
            by=officer,
            name="Northstar Online Academy",
            address="Unit 4, Dock Road, Otherborough",
            provider_type=ProviderType.ONLINE,
            online_contact="https://northstar.example.org",
            hours_per_week=Decimal("10"),
            hours_without_parent=Decimal("10"),
            email="admissions@northstar.example.org",
            source=Source.PARENT,
        )
        provider_request_send(provider=provider, by=officer, sent_on=run.ago(4))
        run.count(True)
    _from_part_time(run)


def _from_part_time(run: Seed) -> None:
    """PT-DEMO-0001's pupil: registered, with the school's part-time timetable its source."""
    timetable = PartTimeTimetable.objects.filter(reference="PT-DEMO-0001").first()
    if timetable is None:
        return
    child = _child(run, timetable)
    created = not RegisterEntry.objects.filter(child=child).exists()
    register_child(
        child=child,
        eligibility=Eligibility.PART_TIME,
        source=Source.SCHOOL_RETURN,
        source_return=timetable,
        registered_on=run.ago(2),
        by=run.users[OFFICER.email],
    )
    run.count(created)
