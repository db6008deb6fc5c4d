"""The demo's new pupil and leaver returns, submitted through ``return_submit``.

Each return is found by its fixed reference (``NP-DEMO-0001``) and submitted only when it is
missing, under that reference and dated the day it was sent: the membership check, lateness,
the compulsory-school-age warning and whatever reacts to a submission (the referral rules:
LV-DEMO-0006's unknown destination raises a referral) are the service's.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from cme.statutory import school_days_threshold_date
from demo.base import (
    OTHER_LA_NAME,
    Seed,
    aware,
    dated,
    parent,
    pupil,
    upn,
    weekday_on_or_after,
    year_group,
    years_ago,
)
from demo.people import OFFICER, STAFF_ALDER, STAFF_BIRCH, TRUST_LEAD, DemoUser
from demo.schools import ALDER, BIRCH, CEDAR, ELMFIELD, DemoSchool
from schools.models import (
    DeletionGround,
    DestinationType,
    Gender,
    JoinerReturn,
    LeaverReturn,
    ReturnStatus,
    SchoolReturn,
)
from schools.selectors import term_calendar_for
from schools.services import return_submit


def submit(
    seed: Seed,
    reference: str,
    school_return: SchoolReturn,
    *,
    school: DemoSchool,
    by: DemoUser,
    submitted_on: date,
    parents: list[dict[str, Any]],
    status: ReturnStatus | None = None,
    status_detail: str = "",
) -> tuple[SchoolReturn, bool]:
    """Submit a return through the service once, under a fixed reference and date."""
    found = SchoolReturn.objects.filter(reference=reference).first()
    if found is not None:
        seed.count(False)
        return found.detail(), False
    with dated(aware(submitted_on)):  # a referral the submission raises, raised then
        return_submit(
            school_return=school_return,
            school=seed.schools[school.urn],
            by=seed.users[by.email],
            parents=parents,
            reference=reference,
            submitted_at=aware(submitted_on),
        )
    if school_return.status == ReturnStatus.RECEIVED:
        # Not when a rule has already moved it on (a referral raised on submission).
        school_return.status = status or ReturnStatus.RECEIVED
        school_return.status_detail = status_detail
        school_return.save(update_fields=["status", "status_detail", "updated_at"])
    seed.count(True)
    return school_return, True


def seed_joiners_and_leavers(seed: Seed) -> None:
    t = seed.today

    # NP-DEMO-0001: on time (due by the 5th day after admission).
    dob = years_ago(t, 8, 140)
    submit(
        seed,
        "NP-DEMO-0001",
        JoinerReturn(
            **pupil(
                "Oliver",
                "Bennett",
                dob,
                Gender.MALE,
                "14 Orchard Close",
                "Exampleton",
                "EX4 3HD",
                upn(2001, 2022, 17),
                "James",
            ),
            admission_date=seed.ago(3),
            year_group=year_group(dob, t),
            previous_school=seed.schools[ELMFIELD.urn],
            previous_school_la=OTHER_LA_NAME,
        ),
        school=ALDER,
        by=STAFF_ALDER,
        submitted_on=seed.ago(1),
        parents=[
            parent("Laura Bennett", "Mother", "07700 900412", "laura.bennett@example.com"),
            parent("Mark Bennett", "Father", "07700 900413"),
        ],
    )

    # NP-DEMO-0002: late (admitted three weeks ago, sent this week).
    dob = years_ago(t, 12, 75)
    submit(
        seed,
        "NP-DEMO-0002",
        JoinerReturn(
            **pupil(
                "Amelia",
                "Hughes",
                dob,
                Gender.FEMALE,
                "Flat 3, 27 Station Road",
                "Exampleton",
                "EX4 1AZ",
                upn(4002, 2019, 231),
                "Rose",
            ),
            admission_date=seed.ago(21),
            year_group=year_group(dob, t),
            previous_school_name="St Mary's Catholic High School",
            previous_school_la="Lancashire County Council",
        ),
        school=BIRCH,
        by=STAFF_BIRCH,
        submitted_on=seed.ago(4),
        parents=[parent("Joanne Hughes", "Mother", "07700 900588", "jo.hughes@example.com")],
    )

    # LV-DEMO-0001 and NP-DEMO-0003: a permanent exclusion from Birch to the PRU,
    # matched by the PRU's joiner return (the LA runs the PRU, so an officer entered it).
    dob = years_ago(t, 14, 200)
    harry = pupil(
        "Harry",
        "Patel",
        dob,
        Gender.MALE,
        "8 Willow Crescent",
        "Exampleton",
        "EX2 7JP",
        upn(4002, 2017, 88),
    )
    parents = [parent("Priya Patel", "Mother", "07700 900731", "priya.patel@example.com")]
    leaver, _ = submit(
        seed,
        "LV-DEMO-0001",
        LeaverReturn(
            **harry,
            ground=DeletionGround.O,
            ground_met_date=seed.ago(15),
            deletion_date=seed.ago(15),
            exclusion_date=seed.ago(15),
            # Not moving: the new address is the current one (as the form records it).
            new_address="8 Willow Crescent, Exampleton",
            new_postcode="EX2 7JP",
            destination_type=DestinationType.IN_AREA,
            destination_school=seed.schools[CEDAR.urn],
            destination_start_date=seed.ago(12),
            admission_confirmed=True,
        ),
        school=BIRCH,
        by=STAFF_BIRCH,
        submitted_on=seed.ago(15),
        parents=parents,
        status=ReturnStatus.MATCHED,
        status_detail="Matched to Cedar Centre's new pupil return NP-DEMO-0003",
    )
    assert isinstance(leaver, LeaverReturn)  # noqa: S101
    submit(
        seed,
        "NP-DEMO-0003",
        JoinerReturn(
            **harry,
            admission_date=seed.ago(12),
            year_group=year_group(dob, t),
            previous_school=seed.schools[BIRCH.urn],
            matched_leaver=leaver,
        ),
        school=CEDAR,
        by=OFFICER,
        submitted_on=seed.ago(11),
        parents=parents,
        status=ReturnStatus.MATCHED,
        status_detail="Matched to Birch Academy's leaver return LV-DEMO-0001",
    )

    # NP-DEMO-0004: a Reception child not yet of compulsory school age (a warning only).
    dob = years_ago(t, 4, 60)
    submit(
        seed,
        "NP-DEMO-0004",
        JoinerReturn(
            **pupil(
                "Isla",
                "Robertson",
                dob,
                Gender.FEMALE,
                "3 Mill Lane",
                "Little Ashby",
                "EX5 9TT",
            ),
            admission_date=seed.ago(4),
            year_group="Reception",
            previous_school_name="Little Acorns Day Nursery",
        ),
        school=ALDER,
        by=TRUST_LEAD,
        submitted_on=seed.ago(2),
        parents=[parent("Kirsty Robertson", "Mother", "07700 900164")],
    )

    # LV-DEMO-0002: ground (a), in-area, not yet matched (a PRU pupil going back to
    # mainstream school at Birch).
    submit(
        seed,
        "LV-DEMO-0002",
        LeaverReturn(
            **pupil(
                "Mohammed",
                "Ali",
                years_ago(t, 13, 30),
                Gender.MALE,
                "52 Granby Street",
                "Exampleton",
                "EX1 5NR",
                upn(1100, 2018, 42),
            ),
            ground=DeletionGround.A,
            ground_met_date=seed.ago(2),
            deletion_date=seed.ago(2),
            new_address="52 Granby Street, Exampleton",
            new_postcode="EX1 5NR",
            destination_type=DestinationType.IN_AREA,
            destination_school=seed.schools[BIRCH.urn],
            destination_start_date=seed.ago(2),
            admission_confirmed=True,
        ),
        school=CEDAR,
        by=OFFICER,
        submitted_on=seed.ago(2),
        parents=[parent("Aisha Ali", "Mother", "07700 900925")],
        status_detail="Waiting for Birch Academy's new pupil return",
    )

    # LV-DEMO-0003: ground (a), out of area, submitted after the deletion (late).
    submit(
        seed,
        "LV-DEMO-0003",
        LeaverReturn(
            **pupil(
                "Freya",
                "Davies",
                years_ago(t, 9, 210),
                Gender.FEMALE,
                "19 Church Walk",
                "Exampleton",
                "EX4 4PL",
                upn(2001, 2021, 9),
            ),
            ground=DeletionGround.A,
            ground_met_date=seed.ago(11),
            deletion_date=seed.ago(10),
            new_address="41 Meadow View, Otherborough",
            new_postcode="OB1 4GE",
            destination_type=DestinationType.OUT_OF_AREA,
            destination_school=seed.schools[ELMFIELD.urn],
            destination_school_name=ELMFIELD.name,
            destination_la=OTHER_LA_NAME,
            destination_start_date=seed.ago(11),
            admission_confirmed=True,
        ),
        school=ALDER,
        by=STAFF_ALDER,
        submitted_on=seed.ago(6),
        parents=[parent("Sian Davies", "Mother", "07700 900350", "sian.d@example.com")],
    )

    # LV-DEMO-0004: ground (g), moving abroad.
    submit(
        seed,
        "LV-DEMO-0004",
        LeaverReturn(
            **pupil(
                "Kacper",
                "Nowak",
                years_ago(t, 15, 100),
                Gender.MALE,
                "6 Albert Terrace",
                "Exampleton",
                "EX2 4DS",
                upn(4002, 2016, 150),
            ),
            ground=DeletionGround.G,
            ground_met_date=seed.ago(20),
            deletion_date=seed.ago(19),
            ground_details="Family returned to Poland; mother confirmed by email.",
            new_address="ul. Lipowa 12, 31-000 Kraków",
            destination_type=DestinationType.ABROAD,
            destination_country="Poland",
            destination_start_date=seed.ago(18),
        ),
        school=BIRCH,
        by=TRUST_LEAD,
        submitted_on=seed.ago(19),
        parents=[parent("Agnieszka Nowak", "Mother", "+48 600 000 123", "a.nowak@example.com")],
    )

    # LV-DEMO-0005: ground (f), elective home education (no school).
    submit(
        seed,
        "LV-DEMO-0005",
        LeaverReturn(
            **pupil(
                "Noah",
                "Williams",
                years_ago(t, 10, 20),
                Gender.MALE,
                "2 Beech Grove",
                "Little Ashby",
                "EX5 2RB",
                upn(2001, 2020, 64),
            ),
            ground=DeletionGround.F,
            parent_notice_date=seed.ago(7),
            ground_met_date=seed.ago(7),
            deletion_date=seed.ago(7),
            destination_type=DestinationType.NONE,
        ),
        school=ALDER,
        by=STAFF_ALDER,
        submitted_on=seed.ago(7),
        parents=[
            parent("Emma Williams", "Mother", "07700 900277", "emma.w@example.com"),
            parent("Tom Williams", "Father", "07700 900278"),
        ],
    )

    # LV-DEMO-0006: ground (i), 20 school days' continuous absence, destination not
    # known: uploaded to s2s and referred to the CME team.
    absence_start = seed.ago(40)
    calendar = term_calendar_for(seed.schools[BIRCH.urn], absence_start, t)
    twentieth = school_days_threshold_date(calendar, absence_start, 20)
    ground_met = min(twentieth or seed.ago(5), seed.ago(1))
    deletion = min(weekday_on_or_after(ground_met + timedelta(days=1)), seed.ago(0))
    submit(
        seed,
        "LV-DEMO-0006",
        LeaverReturn(
            **pupil(
                "Poppy",
                "Evans",
                years_ago(t, 14, 300),
                Gender.FEMALE,
                "Flat 11, Kingfisher House",
                "Exampleton",
                "EX1 2WW",
                upn(4002, 2018, 77),
                "Louise",
            ),
            ground=DeletionGround.I,
            absence_start_date=absence_start,
            ground_met_date=ground_met,
            deletion_date=deletion,
            enquiries_made=(
                "Phoned mother and both emergency contacts (no answer, voicemail full). "
                "Letters sent first class. Two home visits by the attendance officer: "
                "flat appears empty, neighbour thinks the family moved out. Asked the "
                "sibling's primary school: sibling also absent."
            ),
            la_enquiries_confirmed=True,
            destination_type=DestinationType.UNKNOWN,
            s2s_lost_pupil_uploaded=True,
        ),
        school=BIRCH,
        by=STAFF_BIRCH,
        submitted_on=deletion,
        parents=[parent("Danielle Evans", "Mother", "07700 900619")],
        status=ReturnStatus.REFERRED,
        status_detail="Destination not known: referred to the CME team",
    )
