"""The demo's closed cases, a reopened one, and a merged pair of child records.

* CS-DEMO-0007 closed: on a roll in this area (Ethan Whitmore, whom a new referral in
  triage possibly matches);
* CS-DEMO-0008 closed: moved to another local authority, which accepted;
* CS-DEMO-0009 closed: moved abroad;
* CS-DEMO-0010 closed on a roll in another LA, then reopened (the school says he never came);
* CS-DEMO-0011 / CS-DEMO-0012: the same child referred twice months apart under two
  spellings, opened as two records; a manager merged the duplicate into the first.
"""

from __future__ import annotations

from casework.models import EnquiryResult, EnquiryType, Outcome
from demo.base import OTHER_LA_NAME, Seed
from demo.people import STAFF_ALDER, STAFF_BIRCH
from demo.schools import ALDER, BIRCH, HAWTHORN
from demo.story import (
    Close,
    Enquire,
    MergeInto,
    Note,
    Reopen,
    Story,
    child,
    from_school,
    parent_person,
    tell,
)
from demo.values import Age
from referrals.models import Reason, ReferrerType
from schools.models import Gender

FOUND, INFORMATION = EnquiryResult.FOUND, EnquiryResult.INFORMATION

#: Ethan Whitmore's date of birth (years, days before today): the possible match in triage
#: has the same one.
ETHAN_AGE = (12, 95)
JAYDEN_AGE = Age(6, 150)  # the merged pair's child


ON_ROLL_IN_AREA = Story(
    "RF-DEMO-0007",
    received=50,
    referral={
        "referrer_type": ReferrerType.AGENCY,
        "referrer_name": "PC Sam Ferris",
        "referrer_organisation": "Exampleton Police",
        "referrer_email": "sam.ferris@police.example.uk",
    },
    child=child(
        "Ethan",
        "Whitmore",
        Age(*ETHAN_AGE),
        Gender.MALE,
        "31 Quarry Lane",
        postcode="EX2 5JN",
        reasons=[Reason.STOPPED_ATTENDING],
        details="Stopped by officers in town during school hours; says he has no school.",
    ),
    case="CS-DEMO-0007",
    steps=(
        Enquire(
            47,
            EnquiryType.SCHOOL_ADMISSIONS,
            FOUND,
            "Birch Academy",
            "On roll at Birch since September; attendance being followed up by the school.",
        ),
        Close(
            46,
            Outcome.ON_ROLL_IN_AREA,
            {
                "outcome_school": BIRCH,
                "outcome_notes": "Birch's attendance officer is working with the family.",
            },
        ),
    ),
)

MOVED_OTHER_LA = Story(
    "RF-DEMO-0008",
    received=30,
    referral=from_school(
        STAFF_ALDER, ALDER, parent_person("Nicola Grant", "Mother", "07700 900529")
    ),
    child=child(
        "Sophie",
        "Grant",
        Age(10, 30),
        Gender.FEMALE,
        "2 Kestrel Way",
        postcode="EX4 1ZZ",
        last_school=ALDER,
        reasons=[Reason.MOVED_AWAY],
        details="Mother told the office they were moving to Otherborough; no school named.",
    ),
    case="CS-DEMO-0008",
    steps=(
        Enquire(
            26,
            EnquiryType.OTHER_LAS,
            INFORMATION,
            f"CME officer, {OTHER_LA_NAME}",
            "Family confirmed at a new address in "
            "Otherborough; Otherborough's CME team takes the case on.",
        ),
        Close(
            25,
            Outcome.MOVED_OTHER_LA,
            {
                "outcome_la": OTHER_LA_NAME,
                "outcome_la_accepted": True,
                "outcome_notes": "Accepted by Otherborough by email.",
            },
        ),
    ),
)

MOVED_ABROAD = Story(
    "RF-DEMO-0009",
    received=40,
    referral={
        "referrer_type": ReferrerType.LA_SERVICE,
        "referrer_name": "Ana Costa",
        "referrer_organisation": "Exampleton Council EAL service",
        "referrer_email": "ana.costa@example.gov.uk",
        "people": [parent_person("Rui Silva", "Father", "07700 900655", "rui.silva@example.com")],
    },
    child=child(
        "Mateo",
        "Silva",
        Age(8, 310),
        Gender.MALE,
        "11 Tannery Row",
        postcode="EX2 3AS",
        last_school=ALDER,
        reasons=[Reason.MOVED_AWAY],
        new_arrival_eal=True,
    ),
    case="CS-DEMO-0009",
    steps=(
        Enquire(
            37,
            EnquiryType.PARENT_CONTACT,
            FOUND,
            "Rui Silva (father)",
            "Emailed from Lisbon with the new school's enrolment letter.",
        ),
        Close(36, Outcome.MOVED_ABROAD, {"outcome_country": "Portugal"}),
    ),
)

REOPENED = Story(
    "RF-DEMO-0010",
    received=28,
    referral=from_school(
        STAFF_BIRCH, BIRCH, parent_person("Donna Fraser", "Mother", "07700 900903")
    ),
    child=child(
        "Callum",
        "Fraser",
        Age(15, 40),
        Gender.MALE,
        "64 Ferry Road",
        postcode="EX1 9BB",
        last_school=BIRCH,
        reasons=[Reason.FAILED_TRANSITION],
        details="Left for Hawthorn High; Hawthorn has not confirmed he started.",
    ),
    case="CS-DEMO-0010",
    steps=(
        Enquire(
            25,
            EnquiryType.OTHER_LAS,
            INFORMATION,
            HAWTHORN.name,
            "The school office confirmed Callum is on roll.",
        ),
        Close(
            24,
            Outcome.ON_ROLL_OTHER_LA,
            {"outcome_school_name": HAWTHORN.name, "outcome_la": OTHER_LA_NAME},
        ),
        Reopen(
            6,
            "Hawthorn High now says Callum attended one day and has not been seen "
            "since: enquiries start again.",
        ),
    ),
)

# The merged pair: the first referral's case, closed; months later the second (misspelt) one,
# whose child a manager merges into the first's.
MERGED_FIRST = Story(
    "RF-DEMO-0011",
    received=120,
    referral=from_school(
        STAFF_ALDER, ALDER, parent_person("Stacey Clarke", "Mother", "07700 900147")
    ),
    child=child(
        "Jayden",
        "Clarke",
        JAYDEN_AGE,
        Gender.MALE,
        "7 Wren Street",
        postcode="EX4 6TU",
        reasons=[Reason.FAILED_TO_START],
    ),
    case="CS-DEMO-0011",
    steps=(
        Close(
            110,
            Outcome.PLACE_STARTED,
            {"outcome_school": ALDER, "outcome_notes": "Started in Reception."},
        ),
    ),
)
MERGED_SECOND = Story(
    "RF-DEMO-0012",
    received=6,
    referral={
        "referrer_type": ReferrerType.OTHER_LA,
        "referrer_name": "Priya Nair",
        "referrer_organisation": f"{OTHER_LA_NAME} CME team",
        "referrer_email": "cme@otherborough.example.gov.uk",
    },
    child=child(
        "Jaden",
        "Clark",
        JAYDEN_AGE,
        Gender.MALE,
        "7 Wren St",
        postcode="EX46TU",
        reasons=[Reason.STOPPED_ATTENDING],
        details="Left Elmfield Primary after a term; family said to be back in Exampleton.",
    ),
    case="CS-DEMO-0012",
    steps=(
        MergeInto(
            5,
            "CS-DEMO-0011",
            "The same child: same date of birth and address; the second referral "
            "spelt his name Jaden Clark.",
            twin_or_sibling_reason="Alder confirmed Jayden has no twin or brother: the other "
            "LA misspelt his name.",
        ),
        Note(5, "Records merged: Jayden was at Alder last year (case CS-DEMO-0011)."),
    ),
)

CLOSED_CASES = (
    ON_ROLL_IN_AREA,
    MOVED_OTHER_LA,
    MOVED_ABROAD,
    REOPENED,
    MERGED_FIRST,
    MERGED_SECOND,
)


def seed_closed_cases(seed: Seed) -> None:
    for story in CLOSED_CASES:
        tell(seed, story)
