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

from casework.models import Category, EnquiryResult, EnquiryType, Outcome
from casework.services.closing import case_reopen
from casework.services.merge import child_merge
from demo.base import OTHER_LA_NAME, Seed, aware, dated, years_ago
from demo.people import MANAGER, OFFICER, STAFF_ALDER, STAFF_BIRCH
from demo.schools import ALDER, BIRCH, HAWTHORN
from demo.story import accept, child, close, enquire, note, parent_person, refer
from referrals.models import Reason, ReferrerType
from schools.models import Gender

FOUND, INFORMATION = EnquiryResult.FOUND, EnquiryResult.INFORMATION

#: Ethan Whitmore's date of birth (years, days before today): the possible match in triage
#: has the same one.
ETHAN_AGE = (12, 95)


def seed_closed_cases(seed: Seed) -> None:
    on_roll_in_area(seed)
    moved_other_la(seed)
    moved_abroad(seed)
    reopened(seed)
    merged_pair(seed)


def on_roll_in_area(seed: Seed) -> None:
    received = seed.working_ago(50)
    referral = refer(
        seed,
        "RF-DEMO-0007",
        received_on=received,
        referrer_type=ReferrerType.AGENCY,
        referrer_name="PC Sam Ferris",
        referrer_organisation="Exampleton Police",
        referrer_email="sam.ferris@police.example.uk",
        **child(
            "Ethan",
            "Whitmore",
            years_ago(seed.today, *ETHAN_AGE),
            Gender.MALE,
            "31 Quarry Lane",
            postcode="EX2 5JN",
            reasons=[Reason.STOPPED_ATTENDING],
            details="Stopped by officers in town during school hours; says he has no school.",
        ),
    )
    if referral is None:
        return
    case = accept(seed, referral, "CS-DEMO-0007", on=received, category=Category.WASP)
    enquire(
        seed,
        case,
        seed.working_ago(47),
        EnquiryType.SCHOOL_ADMISSIONS,
        FOUND,
        "Birch Academy",
        "On roll at Birch since September; attendance being followed up by the school.",
    )
    close(
        seed,
        case,
        seed.working_ago(46),
        Outcome.ON_ROLL_IN_AREA,
        outcome_school=seed.schools[BIRCH.urn],
        outcome_notes="Birch's attendance officer is working with the family.",
    )


def moved_other_la(seed: Seed) -> None:
    received = seed.working_ago(30)
    referral = refer(
        seed,
        "RF-DEMO-0008",
        received_on=received,
        referrer_type=ReferrerType.SCHOOL,
        by=STAFF_ALDER,
        school=ALDER.urn,
        people=[parent_person("Nicola Grant", "Mother", "07700 900529")],
        **child(
            "Sophie",
            "Grant",
            years_ago(seed.today, 10, 30),
            Gender.FEMALE,
            "2 Kestrel Way",
            postcode="EX4 1ZZ",
            last_school=seed.schools[ALDER.urn],
            last_school_name=ALDER.name,
            reasons=[Reason.MOVED_AWAY],
            details="Mother told the office they were moving to Otherborough; no school named.",
        ),
    )
    if referral is None:
        return
    case = accept(seed, referral, "CS-DEMO-0008", on=received, category=Category.WASP)
    enquire(
        seed,
        case,
        seed.working_ago(26),
        EnquiryType.OTHER_LAS,
        INFORMATION,
        f"CME officer, {OTHER_LA_NAME}",
        "Family confirmed at a new address in "
        "Otherborough; Otherborough's CME team takes the case on.",
    )
    close(
        seed,
        case,
        seed.working_ago(25),
        Outcome.MOVED_OTHER_LA,
        outcome_la=OTHER_LA_NAME,
        outcome_la_accepted=True,
        outcome_notes="Accepted by Otherborough by email.",
    )


def moved_abroad(seed: Seed) -> None:
    received = seed.working_ago(40)
    referral = refer(
        seed,
        "RF-DEMO-0009",
        received_on=received,
        referrer_type=ReferrerType.LA_SERVICE,
        referrer_name="Ana Costa",
        referrer_organisation="Exampleton Council EAL service",
        referrer_email="ana.costa@example.gov.uk",
        people=[parent_person("Rui Silva", "Father", "07700 900655", "rui.silva@example.com")],
        **child(
            "Mateo",
            "Silva",
            years_ago(seed.today, 8, 310),
            Gender.MALE,
            "11 Tannery Row",
            postcode="EX2 3AS",
            last_school=seed.schools[ALDER.urn],
            last_school_name=ALDER.name,
            reasons=[Reason.MOVED_AWAY],
            new_arrival_eal=True,
        ),
    )
    if referral is None:
        return
    case = accept(seed, referral, "CS-DEMO-0009", on=received, category=Category.WASP)
    enquire(
        seed,
        case,
        seed.working_ago(37),
        EnquiryType.PARENT_CONTACT,
        FOUND,
        "Rui Silva (father)",
        "Emailed from Lisbon with the new school's enrolment letter.",
    )
    close(seed, case, seed.working_ago(36), Outcome.MOVED_ABROAD, outcome_country="Portugal")


def reopened(seed: Seed) -> None:
    received = seed.working_ago(28)
    referral = refer(
        seed,
        "RF-DEMO-0010",
        received_on=received,
        referrer_type=ReferrerType.SCHOOL,
        by=STAFF_BIRCH,
        school=BIRCH.urn,
        people=[parent_person("Donna Fraser", "Mother", "07700 900903")],
        **child(
            "Callum",
            "Fraser",
            years_ago(seed.today, 15, 40),
            Gender.MALE,
            "64 Ferry Road",
            postcode="EX1 9BB",
            last_school=seed.schools[BIRCH.urn],
            last_school_name=BIRCH.name,
            reasons=[Reason.FAILED_TRANSITION],
            details="Left for Hawthorn High; Hawthorn has not confirmed he started.",
        ),
    )
    if referral is None:
        return
    case = accept(seed, referral, "CS-DEMO-0010", on=received, category=Category.WASP)
    enquire(
        seed,
        case,
        seed.working_ago(25),
        EnquiryType.OTHER_LAS,
        INFORMATION,
        HAWTHORN.name,
        "The school office confirmed Callum is on roll.",
    )
    close(
        seed,
        case,
        seed.working_ago(24),
        Outcome.ON_ROLL_OTHER_LA,
        outcome_school_name=HAWTHORN.name,
        outcome_la=OTHER_LA_NAME,
    )
    with dated(aware(seed.working_ago(6), 10, 0)):
        case_reopen(
            case=case,
            by=seed.users[OFFICER.email],
            reason="Hawthorn High now says Callum attended one day and has not been seen "
            "since: enquiries start again.",
        )


def merged_pair(seed: Seed) -> None:
    dob = years_ago(seed.today, 6, 150)
    first_received = seed.working_ago(120)
    first = refer(
        seed,
        "RF-DEMO-0011",
        received_on=first_received,
        referrer_type=ReferrerType.SCHOOL,
        by=STAFF_ALDER,
        school=ALDER.urn,
        people=[parent_person("Stacey Clarke", "Mother", "07700 900147")],
        **child(
            "Jayden",
            "Clarke",
            dob,
            Gender.MALE,
            "7 Wren Street",
            postcode="EX4 6TU",
            reasons=[Reason.FAILED_TO_START],
        ),
    )
    if first is None:
        seed.count(False)  # the second referral of the pair
        return
    kept = accept(seed, first, "CS-DEMO-0011", on=first_received, category=Category.WASP)
    close(
        seed,
        kept,
        seed.working_ago(110),
        Outcome.PLACE_STARTED,
        outcome_school=seed.schools[ALDER.urn],
        outcome_notes="Started in Reception.",
    )

    second_received = seed.working_ago(6)
    second = refer(
        seed,
        "RF-DEMO-0012",
        received_on=second_received,
        referrer_type=ReferrerType.OTHER_LA,
        referrer_name="Priya Nair",
        referrer_organisation=f"{OTHER_LA_NAME} CME team",
        referrer_email="cme@otherborough.example.gov.uk",
        **child(
            "Jaden",
            "Clark",
            dob,
            Gender.MALE,
            "7 Wren St",
            postcode="EX46TU",
            reasons=[Reason.STOPPED_ATTENDING],
            details="Left Elmfield Primary after a term; family said to be back in Exampleton.",
        ),
    )
    assert second is not None  # noqa: S101 (a story is created whole: see story.py)
    duplicate = accept(seed, second, "CS-DEMO-0012", on=second_received, category=Category.WASP)
    with dated(aware(seed.working_ago(5), 9, 30)):
        child_merge(
            kept=kept.child,
            merged=duplicate.child,
            by=seed.users[MANAGER.email],
            reason="The same child: same date of birth and address; the second referral "
            "spelt his name Jaden Clark.",
        )
    duplicate.refresh_from_db()
    note(
        seed,
        duplicate,
        seed.working_ago(5),
        "Records merged: Jayden was at Alder last year (case CS-DEMO-0011).",
    )
