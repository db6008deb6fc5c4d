"""The demo's new pupil and leaver returns, submitted through ``return_submit`` (demo/sending.py).

Each return is found by its fixed reference (``NP-DEMO-0001``) and submitted only when it is
missing, under that reference and dated the day it was sent: the membership check, lateness,
the compulsory-school-age warning and whatever reacts to a submission (the referral rules:
LV-DEMO-0006's unknown destination raises a referral) are the service's.
"""

from __future__ import annotations

from datetime import timedelta

from cme.statutory import school_days_threshold_date
from demo.base import (
    OTHER_LA_NAME,
    Age,
    Ago,
    Parent,
    Pupil,
    Seed,
    upn,
    weekday_on_or_after,
)
from demo.people import OFFICER, STAFF_ALDER, STAFF_BIRCH, TRUST_LEAD
from demo.schools import ALDER, BIRCH, CEDAR, ELMFIELD
from demo.sending import YEAR_GROUP, Returned, Sent, send
from schools.models import (
    DeletionGround,
    DestinationType,
    Gender,
    JoinerReturn,
    LeaverReturn,
    ReturnStatus,
)
from schools.selectors import term_calendar_for

HARRY = Pupil(
    "Harry",
    "Patel",
    Age(14, 200),
    Gender.MALE,
    "8 Willow Crescent",
    "Exampleton",
    "EX2 7JP",
    upn(4002, 2017, 88),
)
HARRY_PARENTS = [Parent("Priya Patel", "Mother", "07700 900731", "priya.patel@example.com")]

JOINERS_AND_LEAVERS = (
    # NP-DEMO-0001: on time (due by the 5th day after admission).
    Sent(
        "NP-DEMO-0001",
        JoinerReturn,
        Pupil(
            "Oliver",
            "Bennett",
            Age(8, 140),
            Gender.MALE,
            "14 Orchard Close",
            "Exampleton",
            "EX4 3HD",
            upn(2001, 2022, 17),
            "James",
        ),
        {
            "admission_date": Ago(3),
            "year_group": YEAR_GROUP,
            "previous_school": ELMFIELD,
            "previous_school_la": OTHER_LA_NAME,
        },
        ALDER,
        STAFF_ALDER,
        Ago(1),
        [
            Parent("Laura Bennett", "Mother", "07700 900412", "laura.bennett@example.com"),
            Parent("Mark Bennett", "Father", "07700 900413"),
        ],
    ),
    # NP-DEMO-0002: late (admitted three weeks ago, sent this week).
    Sent(
        "NP-DEMO-0002",
        JoinerReturn,
        Pupil(
            "Amelia",
            "Hughes",
            Age(12, 75),
            Gender.FEMALE,
            "Flat 3, 27 Station Road",
            "Exampleton",
            "EX4 1AZ",
            upn(4002, 2019, 231),
            "Rose",
        ),
        {
            "admission_date": Ago(21),
            "year_group": YEAR_GROUP,
            "previous_school_name": "St Mary's Catholic High School",
            "previous_school_la": "Lancashire County Council",
        },
        BIRCH,
        STAFF_BIRCH,
        Ago(4),
        [Parent("Joanne Hughes", "Mother", "07700 900588", "jo.hughes@example.com")],
    ),
    # LV-DEMO-0001 and NP-DEMO-0003: a permanent exclusion from Birch to the PRU,
    # matched by the PRU's joiner return (the LA runs the PRU, so an officer entered it).
    Sent(
        "LV-DEMO-0001",
        LeaverReturn,
        HARRY,
        {
            "ground": DeletionGround.O,
            "ground_met_date": Ago(15),
            "deletion_date": Ago(15),
            "exclusion_date": Ago(15),
            # Not moving: the new address is the current one (as the form records it).
            "new_address": "8 Willow Crescent, Exampleton",
            "new_postcode": "EX2 7JP",
            "destination_type": DestinationType.IN_AREA,
            "destination_school": CEDAR,
            "destination_start_date": Ago(12),
            "admission_confirmed": True,
        },
        BIRCH,
        STAFF_BIRCH,
        Ago(15),
        HARRY_PARENTS,
        status=ReturnStatus.MATCHED,
        status_detail="Matched to Cedar Centre's new pupil return NP-DEMO-0003",
    ),
    Sent(
        "NP-DEMO-0003",
        JoinerReturn,
        HARRY,
        {
            "admission_date": Ago(12),
            "year_group": YEAR_GROUP,
            "previous_school": BIRCH,
            "matched_leaver": Returned("LV-DEMO-0001"),
        },
        CEDAR,
        OFFICER,
        Ago(11),
        HARRY_PARENTS,
        status=ReturnStatus.MATCHED,
        status_detail="Matched to Birch Academy's leaver return LV-DEMO-0001",
    ),
    # NP-DEMO-0004: a Reception child not yet of compulsory school age (a warning only).
    Sent(
        "NP-DEMO-0004",
        JoinerReturn,
        Pupil(
            "Isla",
            "Robertson",
            Age(4, 60),
            Gender.FEMALE,
            "3 Mill Lane",
            "Little Ashby",
            "EX5 9TT",
        ),
        {
            "admission_date": Ago(4),
            "year_group": "Reception",
            "previous_school_name": "Little Acorns Day Nursery",
        },
        ALDER,
        TRUST_LEAD,
        Ago(2),
        [Parent("Kirsty Robertson", "Mother", "07700 900164")],
    ),
    # LV-DEMO-0002: ground (a), in-area, not yet matched (a PRU pupil going back to
    # mainstream school at Birch).
    Sent(
        "LV-DEMO-0002",
        LeaverReturn,
        Pupil(
            "Mohammed",
            "Ali",
            Age(13, 30),
            Gender.MALE,
            "52 Granby Street",
            "Exampleton",
            "EX1 5NR",
            upn(1100, 2018, 42),
        ),
        {
            "ground": DeletionGround.A,
            "ground_met_date": Ago(2),
            "deletion_date": Ago(2),
            "new_address": "52 Granby Street, Exampleton",
            "new_postcode": "EX1 5NR",
            "destination_type": DestinationType.IN_AREA,
            "destination_school": BIRCH,
            "destination_start_date": Ago(2),
            "admission_confirmed": True,
        },
        CEDAR,
        OFFICER,
        Ago(2),
        [Parent("Aisha Ali", "Mother", "07700 900925")],
        status_detail="Waiting for Birch Academy's new pupil return",
    ),
    # LV-DEMO-0003: ground (a), out of area, submitted after the deletion (late).
    Sent(
        "LV-DEMO-0003",
        LeaverReturn,
        Pupil(
            "Freya",
            "Davies",
            Age(9, 210),
            Gender.FEMALE,
            "19 Church Walk",
            "Exampleton",
            "EX4 4PL",
            upn(2001, 2021, 9),
        ),
        {
            "ground": DeletionGround.A,
            "ground_met_date": Ago(11),
            "deletion_date": Ago(10),
            "new_address": "41 Meadow View, Otherborough",
            "new_postcode": "OB1 4GE",
            "destination_type": DestinationType.OUT_OF_AREA,
            "destination_school": ELMFIELD,
            "destination_school_name": ELMFIELD.name,
            "destination_la": OTHER_LA_NAME,
            "destination_start_date": Ago(11),
            "admission_confirmed": True,
        },
        ALDER,
        STAFF_ALDER,
        Ago(6),
        [Parent("Sian Davies", "Mother", "07700 900350", "sian.d@example.com")],
    ),
    # LV-DEMO-0004: ground (g), moving abroad.
    Sent(
        "LV-DEMO-0004",
        LeaverReturn,
        Pupil(
            "Kacper",
            "Nowak",
            Age(15, 100),
            Gender.MALE,
            "6 Albert Terrace",
            "Exampleton",
            "EX2 4DS",
            upn(4002, 2016, 150),
        ),
        {
            "ground": DeletionGround.G,
            "ground_met_date": Ago(20),
            "deletion_date": Ago(19),
            "ground_details": "Family returned to Poland; mother confirmed by email.",
            "new_address": "ul. Lipowa 12, 31-000 Kraków",
            "destination_type": DestinationType.ABROAD,
            "destination_country": "Poland",
            "destination_start_date": Ago(18),
        },
        BIRCH,
        TRUST_LEAD,
        Ago(19),
        [Parent("Agnieszka Nowak", "Mother", "+48 600 000 123", "a.nowak@example.com")],
    ),
    # LV-DEMO-0005: ground (f), elective home education (no school).
    Sent(
        "LV-DEMO-0005",
        LeaverReturn,
        Pupil(
            "Noah",
            "Williams",
            Age(10, 20),
            Gender.MALE,
            "2 Beech Grove",
            "Little Ashby",
            "EX5 2RB",
            upn(2001, 2020, 64),
        ),
        {
            "ground": DeletionGround.F,
            "parent_notice_date": Ago(7),
            "ground_met_date": Ago(7),
            "deletion_date": Ago(7),
            "destination_type": DestinationType.NONE,
        },
        ALDER,
        STAFF_ALDER,
        Ago(7),
        [
            Parent("Emma Williams", "Mother", "07700 900277", "emma.w@example.com"),
            Parent("Tom Williams", "Father", "07700 900278"),
        ],
    ),
)


def unknown_destination(seed: Seed) -> Sent:
    """LV-DEMO-0006: ground (i), 20 school days' continuous absence, destination not known:
    uploaded to s2s and referred to the CME team (its dates follow Birch's calendar)."""
    absence_start = seed.ago(40)
    calendar = term_calendar_for(seed.schools[BIRCH.urn], absence_start, seed.today)
    twentieth = school_days_threshold_date(calendar, absence_start, 20)
    ground_met = min(twentieth or seed.ago(5), seed.ago(1))
    deletion = min(weekday_on_or_after(ground_met + timedelta(days=1)), seed.ago(0))
    return Sent(
        "LV-DEMO-0006",
        LeaverReturn,
        Pupil(
            "Poppy",
            "Evans",
            Age(14, 300),
            Gender.FEMALE,
            "Flat 11, Kingfisher House",
            "Exampleton",
            "EX1 2WW",
            upn(4002, 2018, 77),
            "Louise",
        ),
        {
            "ground": DeletionGround.I,
            "absence_start_date": absence_start,
            "ground_met_date": ground_met,
            "deletion_date": deletion,
            "enquiries_made": (
                "Phoned mother and both emergency contacts (no answer, voicemail full). "
                "Letters sent first class. Two home visits by the attendance officer: "
                "flat appears empty, neighbour thinks the family moved out. Asked the "
                "sibling's primary school: sibling also absent."
            ),
            "la_enquiries_confirmed": True,
            "destination_type": DestinationType.UNKNOWN,
            "s2s_lost_pupil_uploaded": True,
        },
        BIRCH,
        STAFF_BIRCH,
        deletion,
        [Parent("Danielle Evans", "Mother", "07700 900619")],
        status=ReturnStatus.REFERRED,
        status_detail="Destination not known: referred to the CME team",
    )


def seed_joiners_and_leavers(seed: Seed) -> None:
    for sent in (*JOINERS_AND_LEAVERS, unknown_destination(seed)):
        send(seed, sent)
