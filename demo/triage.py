"""The demo's triage queue and its decided referrals.

New (in triage): an anonymous member of the public; a partner agency's referral of a child
with a child protection plan (high risk: the top of the queue); a school in another LA's
referral that possibly matches a child we know (a misspelt surname, the same date of birth);
and, from the returns, Birch's leaver with an unknown destination (LV-DEMO-0006), left new.
Decided: one "not CME" and one recorded as a duplicate of the open case CS-DEMO-0002.
"""

from __future__ import annotations

from demo.base import OTHER_LA_NAME, Seed
from demo.closed import ETHAN_AGE
from demo.schools import BIRCH, HAWTHORN
from demo.story import DuplicateOf, NotCme, Story, child, parent_person, tell
from demo.values import Age
from referrals.models import NotCmeReason, ParentKnows, Reason, ReferrerType
from schools.models import Gender

ANONYMOUS = Story(
    "RF-DEMO-0101",
    received=1,
    referral={
        "referrer_type": ReferrerType.PUBLIC,
        "anonymous": True,
        "at": (19, 20),
        "parent_knows": ParentKnows.UNKNOWN,
    },
    child=child(
        "Lily",
        "",
        None,
        Gender.FEMALE,
        "12 Poplar Road",
        postcode="EX4 3NN",
        reasons=[Reason.STOPPED_ATTENDING],
        details="A girl of about ten at this address has been at home every school day "
        "since September. I do not know the family's surname.",
    ),
)

HIGH_RISK = Story(
    "RF-DEMO-0102",
    received=1,
    referral={
        "referrer_type": ReferrerType.AGENCY,
        "at": (15, 10),
        "referrer_name": "Joanna Marsh",
        "referrer_organisation": "Exampleton Community Health (school nursing)",
        "referrer_relationship": "School nurse",
        "referrer_email": "joanna.marsh@health.example.nhs.uk",
        "referrer_phone": "01632 960720",
        "people": [parent_person("Kerry Robinson", "Mother", "07700 900871")],
    },
    child=child(
        "Tia",
        "Robinson",
        Age(11, 45),
        Gender.FEMALE,
        "Flat 2, 9 Canal Street",
        postcode="EX1 7PE",
        last_school=BIRCH,
        child_protection_plan=True,
        reasons=[Reason.STOPPED_ATTENDING, Reason.ABUSE_NEGLECT],
        details="Subject to a child protection plan; missed two health appointments and "
        "the school says she has not attended for a week.",
    ),
)

POSSIBLE_MATCH = Story(
    "RF-DEMO-0103",
    received=2,
    referral={
        "referrer_type": ReferrerType.OTHER_LA,
        "referrer_name": "Tom Avery",
        "referrer_organisation": f"{HAWTHORN.name} ({OTHER_LA_NAME})",
        "referrer_relationship": "Attendance lead",
        "referrer_email": "attendance@hawthorn.example.sch.uk",
    },
    child=child(
        "Ethan",
        "Whitmoor",  # misspelt: the child we know is Ethan Whitmore
        Age(*ETHAN_AGE),
        Gender.MALE,
        reasons=[Reason.FAILED_TRANSITION],
        details="Offered a place at Hawthorn High; never arrived. The family is thought "
        "to be living in Exampleton again.",
    ),
)

NOT_CME = Story(
    "RF-DEMO-0104",
    received=9,
    referral={
        "referrer_type": ReferrerType.PARENT,
        "referrer_name": "Maureen Lewis",
        "referrer_relationship": "Grandmother",
        "referrer_phone": "07700 900932",
    },
    child=child(
        "Owen",
        "Lewis",
        Age(13, 180),
        Gender.MALE,
        "40 Nelson Street",
        postcode="EX2 1DD",
        reasons=[Reason.OTHER],
        details="I think my grandson has stopped going to school.",
    ),
    steps=(
        NotCme(
            8,
            NotCmeReason.ON_ROLL_ATTENDING,
            "Birch Academy confirms Owen is on roll and attended every day this week.",
        ),
    ),
)

DUPLICATE = Story(
    "RF-DEMO-0105",
    received=9,
    referral={
        "referrer_type": ReferrerType.AGENCY,
        "referrer_name": "PC Amir Khan",
        "referrer_organisation": "Exampleton Police",
        "referrer_email": "amir.khan@police.example.uk",
    },
    child=child(
        "Tyler",
        "Brooks",
        Age(11, 130),
        Gender.MALE,
        reasons=[Reason.TEMPORARY_ACCOMMODATION],
        details="Mother reported sleeping in a car with two children.",
    ),
    steps=(DuplicateOf(9, "CS-DEMO-0002"),),
)

TRIAGE = (ANONYMOUS, HIGH_RISK, POSSIBLE_MATCH, NOT_CME, DUPLICATE)


def seed_triage(seed: Seed) -> None:
    for story in TRIAGE:
        tell(seed, story)
