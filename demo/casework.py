"""The demo's open cases: each state an officer's list shows.

* CS-DEMO-0001 CME-WASP, allocated to the demo officer, due next week, a note;
* CS-DEMO-0002 CME-missing (moved from CME-WASP), received three weeks ago: overdue, with
  enquiries (and a further referral recorded as its duplicate, in ``triage.py``);
* CS-DEMO-0003 looked after: escalated at once when accepted;
* CS-DEMO-0004 the initial investigation complete, on time;
* CS-DEMO-0005 untraceable after reasonable enquiries: open, CME-missing, a review date;
* CS-DEMO-0006 accepted by the officer, not yet allocated.
"""

from __future__ import annotations

from casework.models import Category, EnquiryResult, EnquiryType, Outcome
from demo.base import Seed
from demo.people import OFFICER, STAFF_ALDER, STAFF_BIRCH
from demo.schools import ALDER, BIRCH, ELMFIELD
from demo.story import (
    ChangeCategory,
    Close,
    Enquire,
    Investigated,
    Note,
    Story,
    child,
    from_school,
    parent_person,
    tell,
)
from demo.values import Age, Ahead
from referrals.models import Channel, Reason, ReferrerType
from schools.models import Gender

FOUND, NOT_FOUND = EnquiryResult.FOUND, EnquiryResult.NOT_FOUND
NO_RESPONSE, INFORMATION = EnquiryResult.NO_RESPONSE, EnquiryResult.INFORMATION

WASP_DUE_NEXT_WEEK = Story(
    "RF-DEMO-0001",
    received=7,
    referral=from_school(
        STAFF_ALDER,
        ALDER,
        parent_person("Leanne Sinclair", "Mother", "07700 900211"),
        referrer_relationship="Attendance officer",
    ),
    child=child(
        "Ruby",
        "Sinclair",
        # Five and a term: of compulsory school age whatever the day (issue 12, A8).
        Age(5, 160),
        Gender.FEMALE,
        "27 Linden Avenue",
        postcode="EX4 9RA",
        reasons=[Reason.FAILED_TO_START],
        details="Offered a Reception place at Alder in April; has never started. Mother "
        "says they are still deciding.",
    ),
    case="CS-DEMO-0001",
    steps=(
        Enquire(
            5,
            EnquiryType.HOME_VISIT,
            FOUND,
            "Leanne Sinclair (mother)",
            "Ruby at home with her mother. No application to any other school; mother unsure "
            "Ruby is ready for school.",
        ),
        Note(
            2,
            "Alder will hold the place until the end of next week. Meeting with mother and the "
            "Reception teacher booked.",
        ),
    ),
)

MISSING_OVERDUE = Story(
    "RF-DEMO-0002",
    received=21,
    referral={
        "referrer_type": ReferrerType.LA_SERVICE,
        "referrer_name": "Marcus Bell",
        "referrer_organisation": "Exampleton Council housing options",
        "referrer_email": "marcus.bell@example.gov.uk",
        "referrer_phone": "01632 960311",
        "people": [parent_person("Chantelle Brooks", "Mother", "07700 900384")],
    },
    child=child(
        "Tyler",
        "Brooks",
        Age(11, 130),
        Gender.MALE,
        "Room 4, 18 Victoria Road",
        postcode="EX1 4HT",
        last_school=BIRCH,
        reasons=[Reason.TEMPORARY_ACCOMMODATION, Reason.STOPPED_ATTENDING],
        details="Family left emergency accommodation last week owing rent; mother said "
        "they would stay with relatives in Exampleton.",
    ),
    case="CS-DEMO-0002",
    steps=(
        Enquire(
            19,
            EnquiryType.PARENT_CONTACT,
            NO_RESPONSE,
            "Chantelle Brooks",
            "Phoned twice, texted: number no longer in service.",
        ),
        Enquire(
            17,
            EnquiryType.HOME_VISIT,
            NOT_FOUND,
            "Relatives at 3 Mill Court",
            "The aunt says the family left after two nights and did not say where they were going.",
        ),
        ChangeCategory(17, Category.MISSING, "Not at the relatives' address: whereabouts unknown."),
        Enquire(
            12,
            EnquiryType.SIBLINGS_SCHOOLS,
            INFORMATION,
            "Elmfield Primary School",
            "Younger sister also absent since the same day.",
        ),
        Enquire(
            10,
            EnquiryType.S2S,
            NOT_FOUND,
            "s2s Lost Pupils Database",
            "No match on a search by name and date of birth.",
        ),
    ),
)

LOOKED_AFTER = Story(
    "RF-DEMO-0003",
    received=4,
    referral={
        "referrer_type": ReferrerType.OTHER_LA,
        "at": (8, 55),
        "referrer_name": "Hannah Price",
        "referrer_organisation": "Otherborough Council children's services",
        "referrer_relationship": "Social worker",
        "referrer_email": "hannah.price@otherborough.example.gov.uk",
        "referrer_phone": "01632 960455",
    },
    child=child(
        "Kayla",
        "Morgan",
        Age(14, 75),
        Gender.FEMALE,
        last_school=BIRCH,
        looked_after=True,
        reasons=[Reason.IN_CARE, Reason.MISSING_RUNAWAY],
        details="Looked after by Otherborough, placed in Exampleton. Left her placement "
        "four days ago; missing-person report made to the police.",
    ),
    case="CS-DEMO-0003",
    category=Category.MISSING,
    steps=(
        Enquire(
            3,
            EnquiryType.SOCIAL_CARE,
            INFORMATION,
            "Hannah Price (social worker)",
            "Kayla seen by a friend's mother on Saturday; police following up.",
        ),
        Enquire(3, EnquiryType.POLICE, NO_RESPONSE, "Missing persons unit", "Message left."),
    ),
)

INVESTIGATED = Story(
    "RF-DEMO-0004",
    received=8,
    referral={
        "referrer_type": ReferrerType.LA_SERVICE,
        "referrer_name": "Olivia Grant",
        "referrer_organisation": "Exampleton Council school admissions",
        "referrer_email": "admissions@example.gov.uk",
        "people": [parent_person("Farah Ahmed", "Mother", "07700 900697", "farah.a@example.com")],
    },
    child=child(
        "Zara",
        "Ahmed",
        Age(9, 200),
        Gender.FEMALE,
        "5 Chestnut Mews",
        postcode="EX4 2PL",
        reasons=[Reason.NEW_MIGRANT],
        new_arrival_eal=True,
        details="Arrived from Birmingham a month ago; in-year application withdrawn.",
    ),
    case="CS-DEMO-0004",
    steps=(
        Enquire(
            6,
            EnquiryType.PARENT_CONTACT,
            FOUND,
            "Farah Ahmed (mother)",
            "The family withdrew the application by mistake; will apply again for Alder.",
        ),
        Enquire(
            4,
            EnquiryType.SCHOOL_ADMISSIONS,
            INFORMATION,
            "School admissions",
            "New application for Alder received; a place is available.",
        ),
        Investigated(1),
    ),
)

UNTRACEABLE = Story(
    "RF-DEMO-0005",
    received=35,
    referral=from_school(
        STAFF_BIRCH,
        BIRCH,
        parent_person("Craig Reid", "Father", "07700 900742"),
        referrer_relationship="Head of attendance",
    ),
    child=child(
        "Mason",
        "Reid",
        Age(13, 20),
        Gender.MALE,
        "90 Harbour Street",
        postcode="EX1 8QD",
        last_school=BIRCH,
        reasons=[Reason.STOPPED_ATTENDING, Reason.MOVED_AWAY],
        details="Not in school for three weeks; house empty, neighbours say the family "
        "left at night.",
    ),
    case="CS-DEMO-0005",
    category=Category.MISSING,
    steps=(
        *(
            Enquire(days, kind, result, contact, text)
            for days, kind, result, contact, text in (
                (
                    33,
                    EnquiryType.HOME_VISIT,
                    NOT_FOUND,
                    "90 Harbour Street",
                    "House empty, curtains down.",
                ),
                (32, EnquiryType.PARENT_CONTACT, NO_RESPONSE, "Craig Reid", "Phone switched off."),
                (
                    25,
                    EnquiryType.OTHER_LAS,
                    NOT_FOUND,
                    "Regional CME network",
                    "No LA knows Mason.",
                ),
                (24, EnquiryType.S2S, NOT_FOUND, "s2s Lost Pupils Database", ""),
                (
                    20,
                    EnquiryType.HEALTH,
                    INFORMATION,
                    "GP surgery",
                    "Deregistered; no new practice.",
                ),
                (
                    20,
                    EnquiryType.HOUSING,
                    INFORMATION,
                    "Landlord",
                    "Keys returned, no new address.",
                ),
                (
                    18,
                    EnquiryType.POLICE,
                    NOT_FOUND,
                    "Neighbourhood team",
                    "Not known to the police.",
                ),
            )
        ),
        Investigated(14),
        Close(
            10,
            Outcome.UNTRACEABLE,
            {
                "review_date": Ahead(80),
                "outcome_notes": "All reasonable enquiries made; stays on the register as "
                "CME-missing. s2s to be checked again at the review.",
            },
        ),
    ),
)

UNALLOCATED = Story(
    "RF-DEMO-0006",
    received=2,
    referral={
        "referrer_type": ReferrerType.PUBLIC,
        "referrer_name": "Brian Hollis",
        "referrer_relationship": "Neighbour",
        "referrer_phone": "07700 900118",
        "parent_knows": "no",
        "channel": Channel.PUBLIC,
    },
    child=child(
        "Evie",
        "Parker",
        Age(7, 260),
        Gender.FEMALE,
        "16 Sorrel Close",
        postcode="EX4 7WD",
        last_school_name=ELMFIELD.name,
        reasons=[Reason.STOPPED_ATTENDING],
        details="Moved in next door in the summer; Evie is at home every school day.",
    ),
    case="CS-DEMO-0006",
    accept={"by": OFFICER, "officer": None},
)

OPEN_CASES = (
    WASP_DUE_NEXT_WEEK,
    MISSING_OVERDUE,
    LOOKED_AFTER,
    INVESTIGATED,
    UNTRACEABLE,
    UNALLOCATED,
)


def seed_open_cases(seed: Seed) -> None:
    for story in OPEN_CASES:
        tell(seed, story)
