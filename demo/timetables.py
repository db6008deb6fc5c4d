"""The demo's part-time timetables (active, reviewed, ended) and absence notifications."""

from __future__ import annotations

from decimal import Decimal

from demo.base import Age, Ago, Ahead, Parent, Pupil, Seed, upn
from demo.people import STAFF_ALDER, STAFF_BIRCH, TRUST_LEAD
from demo.schools import ALDER, BIRCH
from demo.sending import Sent, send
from schools.models import (
    AbsenceNotification,
    AbsenceType,
    Gender,
    PartTimeReason,
    PartTimeTimetable,
    ReviewOutcome,
    Whereabouts,
)

PART_TIME_TIMETABLES = (
    # PT-DEMO-0001: active, as agreed.
    Sent(
        "PT-DEMO-0001",
        PartTimeTimetable,
        Pupil(
            "Jack",
            "O'Connor",
            Age(7, 45),
            Gender.MALE,
            "23 Rowan Drive",
            "Exampleton",
            "EX4 5FS",
            upn(2001, 2023, 5),
        ),
        {
            "start_date": Ago(10),
            "planned_end_date": Ahead(32),
            "hours_per_week": Decimal("15.0"),
            "reason": PartTimeReason.MEDICAL,
            "reason_details": "Recovering from surgery; mornings only on consultant's advice.",
            "parent_agreed": True,
            "parent_agreed_date": Ago(12),
            "next_review_date": Ahead(11),
        },
        ALDER,
        STAFF_ALDER,
        Ago(10),
        [Parent("Claire O'Connor", "Mother", "07700 900840")],
    ),
    # PT-DEMO-0002: reviewed, continuing with more hours (status under review).
    Sent(
        "PT-DEMO-0002",
        PartTimeTimetable,
        Pupil(
            "Ava",
            "Kowalska",
            Age(13, 160),
            Gender.FEMALE,
            "7 Hazel Court",
            "Exampleton",
            "EX2 6QA",
            upn(4002, 2018, 190),
        ),
        {
            "start_date": Ago(45),
            "planned_end_date": Ahead(20),
            "hours_per_week": Decimal("12.5"),
            "reason": PartTimeReason.SEMH,
            "reason_details": "Anxiety-based school avoidance; CAMHS involved.",
            "parent_agreed": True,
            "parent_agreed_date": Ago(47),
            "next_review_date": Ago(3),
            "social_worker_involved": True,
        },
        BIRCH,
        STAFF_BIRCH,
        Ago(44),
        [Parent("Marta Kowalska", "Mother", "07700 900555")],
        reviews=(
            {
                "review_date": Ago(3),
                "outcome": ReviewOutcome.CHANGED,
                "hours_per_week": Decimal("17.5"),
                "next_review_date": Ahead(11),
                "parent_agreed": True,
                "notes": "Attending well; afternoons added on Tuesdays and Thursdays.",
            },
        ),
    ),
    # PT-DEMO-0003: reviewed once, then ended: back to full time (closed).
    Sent(
        "PT-DEMO-0003",
        PartTimeTimetable,
        Pupil(
            "Leo",
            "Shah",
            Age(11, 250),
            Gender.MALE,
            "31 Sycamore Road",
            "Exampleton",
            "EX4 8BU",
            upn(4002, 2020, 33),
        ),
        {
            "start_date": Ago(70),
            "planned_end_date": Ago(14),
            "hours_per_week": Decimal("20.0"),
            "reason": PartTimeReason.REINTEGRATION,
            "reason_details": "Returning after a long hospital stay.",
            "parent_agreed": True,
            "parent_agreed_date": Ago(72),
            "next_review_date": Ago(42),
        },
        BIRCH,
        TRUST_LEAD,
        Ago(70),
        [Parent("Nadia Shah", "Mother", "07700 900702", "nadia.shah@example.com")],
        reviews=(
            {
                "review_date": Ago(42),
                "outcome": ReviewOutcome.CONTINUE,
                "next_review_date": Ago(14),
                "notes": "Settling back in; keep to 20 hours until the planned end.",
            },
            {
                "review_date": Ago(14),
                "outcome": ReviewOutcome.ENDED,
                "notes": "Full-time from Monday, agreed with mother.",
            },
        ),
    ),
)

ABSENCE_NOTIFICATIONS = (
    # CA-DEMO-0001: unauthorised absence, whereabouts known.
    Sent(
        "CA-DEMO-0001",
        AbsenceNotification,
        Pupil(
            "Grace",
            "Mitchell",
            Age(9, 15),
            Gender.FEMALE,
            "10 Larch Avenue",
            "Exampleton",
            "EX4 7EE",
            upn(2001, 2021, 55),
        ),
        {
            "first_day_of_absence": Ago(12),
            "absence_type": AbsenceType.UNAUTHORISED,
            "last_contact_date": Ago(5),
            "last_contact_details": "Mother answered the phone: Grace is at home and "
            "refusing to come in. Meeting offered.",
            "whereabouts": Whereabouts.KNOWN,
            "enquiries": ["phone", "home_visit"],
            "enquiry_notes": "Home visit on day 5: Grace seen at the door.",
        },
        ALDER,
        STAFF_ALDER,
        Ago(4),
        [Parent("Hayley Mitchell", "Mother", "07700 900190")],
    ),
    # CA-DEMO-0002: unauthorised absence, whereabouts unknown.
    Sent(
        "CA-DEMO-0002",
        AbsenceNotification,
        Pupil(
            "Alfie",
            "Turner",
            Age(12, 320),
            Gender.MALE,
            "44 Brook Street",
            "Exampleton",
            "EX1 3LY",
            upn(4002, 2019, 140),
        ),
        {
            "first_day_of_absence": Ago(25),
            "absence_type": AbsenceType.UNAUTHORISED,
            "last_contact_date": Ago(26),
            "last_contact_details": "Last seen in school; no contact since.",
            "whereabouts": Whereabouts.UNKNOWN,
            "enquiries": [
                "phone",
                "email_letter",
                "home_visit",
                "emergency_contacts",
                "siblings_schools",
            ],
            "enquiry_notes": "House appears empty; post piling up. Grandmother does not "
            "know where the family is.",
        },
        BIRCH,
        STAFF_BIRCH,
        Ago(3),
        [
            Parent("Kelly Turner", "Mother", "07700 900466"),
            Parent(
                "Jean Turner",
                "Grandmother",
                "07700 900467",
                address="5 Elm Row, Exampleton EX1 6AB",
                lives_with_pupil=False,
            ),
        ],
    ),
    # CA-DEMO-0003: not back after authorised leave of absence, whereabouts known.
    Sent(
        "CA-DEMO-0003",
        AbsenceNotification,
        Pupil(
            "Maisie",
            "Cooper",
            Age(6, 90),
            Gender.FEMALE,
            "9 Foxglove Way",
            "Little Ashby",
            "EX5 1NJ",
            upn(2001, 2024, 12),
        ),
        {
            "first_day_of_absence": Ago(15),
            "absence_type": AbsenceType.AFTER_LEAVE,
            "leave_end_date": Ago(15, less=1),
            "last_contact_date": Ago(6),
            "last_contact_details": "Father emailed: the family is still with relatives in "
            "Ireland after a bereavement; return date not confirmed.",
            "whereabouts": Whereabouts.KNOWN,
            "enquiries": ["phone", "email_letter"],
        },
        ALDER,
        TRUST_LEAD,
        Ago(5),
        [Parent("Ryan Cooper", "Father", "07700 900833", "ryan.c@example.com")],
    ),
)


def seed_part_time_timetables(seed: Seed) -> None:
    for sent in PART_TIME_TIMETABLES:
        send(seed, sent)


def seed_absence_notifications(seed: Seed) -> None:
    for sent in ABSENCE_NOTIFICATIONS:
        send(seed, sent)
