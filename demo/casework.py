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
from casework.services.cases import case_category_change, investigation_complete
from demo.base import Seed, aware, dated, years_ago
from demo.people import OFFICER, STAFF_ALDER, STAFF_BIRCH
from demo.schools import ALDER, BIRCH, ELMFIELD
from demo.story import accept, child, close, enquire, note, parent_person, refer
from referrals.models import Channel, Reason, ReferrerType
from schools.models import Gender

FOUND, NOT_FOUND = EnquiryResult.FOUND, EnquiryResult.NOT_FOUND
NO_RESPONSE, INFORMATION = EnquiryResult.NO_RESPONSE, EnquiryResult.INFORMATION


def seed_open_cases(seed: Seed) -> None:
    for story in (wasp_due_next_week, missing_overdue, looked_after, investigated, untraceable):
        story(seed)
    unallocated(seed)


def wasp_due_next_week(seed: Seed) -> None:
    received = seed.working_ago(7)
    referral = refer(
        seed,
        "RF-DEMO-0001",
        received_on=received,
        referrer_type=ReferrerType.SCHOOL,
        by=STAFF_ALDER,
        school=ALDER.urn,
        referrer_relationship="Attendance officer",
        people=[parent_person("Leanne Sinclair", "Mother", "07700 900211")],
        **child(
            "Ruby",
            "Sinclair",
            # Five and a term: of compulsory school age whatever the day (issue 12, A8).
            years_ago(seed.today, 5, 160),
            Gender.FEMALE,
            "27 Linden Avenue",
            postcode="EX4 9RA",
            reasons=[Reason.FAILED_TO_START],
            details="Offered a Reception place at Alder in April; has never started. Mother "
            "says they are still deciding.",
        ),
    )
    if referral is None:
        return
    case = accept(seed, referral, "CS-DEMO-0001", on=received, category=Category.WASP)
    enquire(
        seed,
        case,
        seed.working_ago(5),
        EnquiryType.HOME_VISIT,
        FOUND,
        "Leanne Sinclair (mother)",
        "Ruby at home with her mother. No application to any other school; mother unsure "
        "Ruby is ready for school.",
    )
    note(
        seed,
        case,
        seed.working_ago(2),
        "Alder will hold the place until the end of next week. Meeting with mother and the "
        "Reception teacher booked.",
    )


def missing_overdue(seed: Seed) -> None:
    received = seed.working_ago(21)
    referral = refer(
        seed,
        "RF-DEMO-0002",
        received_on=received,
        referrer_type=ReferrerType.LA_SERVICE,
        referrer_name="Marcus Bell",
        referrer_organisation="Exampleton Council housing options",
        referrer_email="marcus.bell@example.gov.uk",
        referrer_phone="01632 960311",
        people=[parent_person("Chantelle Brooks", "Mother", "07700 900384")],
        **child(
            "Tyler",
            "Brooks",
            years_ago(seed.today, 11, 130),
            Gender.MALE,
            "Room 4, 18 Victoria Road",
            postcode="EX1 4HT",
            last_school=seed.schools[BIRCH.urn],
            last_school_name=BIRCH.name,
            reasons=[Reason.TEMPORARY_ACCOMMODATION, Reason.STOPPED_ATTENDING],
            details="Family left emergency accommodation last week owing rent; mother said "
            "they would stay with relatives in Exampleton.",
        ),
    )
    if referral is None:
        return
    case = accept(seed, referral, "CS-DEMO-0002", on=received, category=Category.WASP)
    enquire(
        seed,
        case,
        seed.working_ago(19),
        EnquiryType.PARENT_CONTACT,
        NO_RESPONSE,
        "Chantelle Brooks",
        "Phoned twice, texted: number no longer in service.",
    )
    enquire(
        seed,
        case,
        seed.working_ago(17),
        EnquiryType.HOME_VISIT,
        NOT_FOUND,
        "Relatives at 3 Mill Court",
        "The aunt says the family left after two nights and did not say where they were going.",
    )
    with dated(aware(seed.working_ago(17), 16, 0)):
        case_category_change(
            case=case,
            by=seed.users[OFFICER.email],
            category=Category.MISSING,
            reason="Not at the relatives' address: whereabouts unknown.",
        )
    enquire(
        seed,
        case,
        seed.working_ago(12),
        EnquiryType.SIBLINGS_SCHOOLS,
        INFORMATION,
        "Elmfield Primary School",
        "Younger sister also absent since the same day.",
    )
    enquire(
        seed,
        case,
        seed.working_ago(10),
        EnquiryType.S2S,
        NOT_FOUND,
        "s2s Lost Pupils Database",
        "No match on a search by name and date of birth.",
    )


def looked_after(seed: Seed) -> None:
    received = seed.working_ago(4)
    referral = refer(
        seed,
        "RF-DEMO-0003",
        received_on=received,
        referrer_type=ReferrerType.OTHER_LA,
        at=(8, 55),
        referrer_name="Hannah Price",
        referrer_organisation="Otherborough Council children's services",
        referrer_relationship="Social worker",
        referrer_email="hannah.price@otherborough.example.gov.uk",
        referrer_phone="01632 960455",
        **child(
            "Kayla",
            "Morgan",
            years_ago(seed.today, 14, 75),
            Gender.FEMALE,
            last_school=seed.schools[BIRCH.urn],
            last_school_name=BIRCH.name,
            looked_after=True,
            reasons=[Reason.IN_CARE, Reason.MISSING_RUNAWAY],
            details="Looked after by Otherborough, placed in Exampleton. Left her placement "
            "four days ago; missing-person report made to the police.",
        ),
    )
    if referral is None:
        return
    case = accept(seed, referral, "CS-DEMO-0003", on=received, category=Category.MISSING)
    enquire(
        seed,
        case,
        seed.working_ago(3),
        EnquiryType.SOCIAL_CARE,
        INFORMATION,
        "Hannah Price (social worker)",
        "Kayla seen by a friend's mother on Saturday; police following up.",
    )
    enquire(
        seed,
        case,
        seed.working_ago(3),
        EnquiryType.POLICE,
        NO_RESPONSE,
        "Missing persons unit",
        "Message left.",
    )


def investigated(seed: Seed) -> None:
    received = seed.working_ago(8)
    referral = refer(
        seed,
        "RF-DEMO-0004",
        received_on=received,
        referrer_type=ReferrerType.LA_SERVICE,
        referrer_name="Olivia Grant",
        referrer_organisation="Exampleton Council school admissions",
        referrer_email="admissions@example.gov.uk",
        people=[parent_person("Farah Ahmed", "Mother", "07700 900697", "farah.a@example.com")],
        **child(
            "Zara",
            "Ahmed",
            years_ago(seed.today, 9, 200),
            Gender.FEMALE,
            "5 Chestnut Mews",
            postcode="EX4 2PL",
            reasons=[Reason.NEW_MIGRANT],
            new_arrival_eal=True,
            details="Arrived from Birmingham a month ago; in-year application withdrawn.",
        ),
    )
    if referral is None:
        return
    case = accept(seed, referral, "CS-DEMO-0004", on=received, category=Category.WASP)
    enquire(
        seed,
        case,
        seed.working_ago(6),
        EnquiryType.PARENT_CONTACT,
        FOUND,
        "Farah Ahmed (mother)",
        "The family withdrew the application by mistake; will apply again for Alder.",
    )
    enquire(
        seed,
        case,
        seed.working_ago(4),
        EnquiryType.SCHOOL_ADMISSIONS,
        INFORMATION,
        "School admissions",
        "New application for Alder received; a place is available.",
    )
    with dated(aware(seed.working_ago(1), 12, 0)):
        investigation_complete(case=case, by=seed.users[OFFICER.email])


def untraceable(seed: Seed) -> None:
    received = seed.working_ago(35)
    referral = refer(
        seed,
        "RF-DEMO-0005",
        received_on=received,
        referrer_type=ReferrerType.SCHOOL,
        by=STAFF_BIRCH,
        school=BIRCH.urn,
        referrer_relationship="Head of attendance",
        people=[parent_person("Craig Reid", "Father", "07700 900742")],
        **child(
            "Mason",
            "Reid",
            years_ago(seed.today, 13, 20),
            Gender.MALE,
            "90 Harbour Street",
            postcode="EX1 8QD",
            last_school=seed.schools[BIRCH.urn],
            last_school_name=BIRCH.name,
            reasons=[Reason.STOPPED_ATTENDING, Reason.MOVED_AWAY],
            details="Not in school for three weeks; house empty, neighbours say the family "
            "left at night.",
        ),
    )
    if referral is None:
        return
    case = accept(seed, referral, "CS-DEMO-0005", on=received, category=Category.MISSING)
    for days, kind, result, contact, text in (
        (33, EnquiryType.HOME_VISIT, NOT_FOUND, "90 Harbour Street", "House empty, curtains down."),
        (32, EnquiryType.PARENT_CONTACT, NO_RESPONSE, "Craig Reid", "Phone switched off."),
        (25, EnquiryType.OTHER_LAS, NOT_FOUND, "Regional CME network", "No LA knows Mason."),
        (24, EnquiryType.S2S, NOT_FOUND, "s2s Lost Pupils Database", ""),
        (20, EnquiryType.HEALTH, INFORMATION, "GP surgery", "Deregistered; no new practice."),
        (20, EnquiryType.HOUSING, INFORMATION, "Landlord", "Keys returned, no new address."),
        (18, EnquiryType.POLICE, NOT_FOUND, "Neighbourhood team", "Not known to the police."),
    ):
        enquire(seed, case, seed.working_ago(days), kind, result, contact, text)
    with dated(aware(seed.working_ago(14), 12, 0)):
        investigation_complete(case=case, by=seed.users[OFFICER.email])
    close(
        seed,
        case,
        seed.working_ago(10),
        Outcome.UNTRACEABLE,
        review_date=seed.ahead(80),
        outcome_notes="All reasonable enquiries made; stays on the register as CME-missing. "
        "s2s to be checked again at the review.",
    )


def unallocated(seed: Seed) -> None:
    received = seed.working_ago(2)
    referral = refer(
        seed,
        "RF-DEMO-0006",
        received_on=received,
        referrer_type=ReferrerType.PUBLIC,
        referrer_name="Brian Hollis",
        referrer_relationship="Neighbour",
        referrer_phone="07700 900118",
        parent_knows="no",
        **child(
            "Evie",
            "Parker",
            years_ago(seed.today, 7, 260),
            Gender.FEMALE,
            "16 Sorrel Close",
            postcode="EX4 7WD",
            last_school_name=ELMFIELD.name,
            reasons=[Reason.STOPPED_ATTENDING],
            details="Moved in next door in the summer; Evie is at home every school day.",
        ),
        channel=Channel.PUBLIC,
    )
    if referral is None:
        return
    accept(
        seed,
        referral,
        "CS-DEMO-0006",
        on=received,
        category=Category.WASP,
        by=OFFICER,
        officer=None,
    )
