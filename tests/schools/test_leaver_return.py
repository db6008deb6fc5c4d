"""The deletion (leaver) return: regulation 9(1) grounds (a)-(o), destinations, dates."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cme.models import User
from schools.forms import RETURN_FORMS
from schools.forms.leaver import LeaverReturnForm
from schools.forms.leaver import messages as f
from schools.forms.leaver.questions import GROUND_HINTS
from schools.models import DeletionGround, LeaverReturn, ReturnKind, ReturnStatus, School, Term
from tests.conftest import TODAY
from tests.factories import ClosureFactory, LeaverReturnFactory, SchoolFactory, TermFactory
from tests.forms import answers, blank, child_answers, errors, parent_answers
from tests.schools.helpers import checked, return_pages, send, sent

KIND = "leaver"
START, CHECK = return_pages(KIND)

# Every test runs with the clock stopped at NOW.
pytestmark = pytest.mark.usefixtures("frozen")


# A valid ground (a) return: registered at Cedar (in area) from 23 November.
LEAVER: dict[str, Any] = {
    **child_answers(
        ("Maya", "Patel"), date(2016, 3, 14), "12 Oak Road", "ex1 2ab", gender="F", upn=""
    ),
    "ground": "a",
    "ground_met_date": date(2026, 11, 20),
    "deletion_date": TODAY,
    "moving": "no",
    "destination_type": "in_area",
    "destination_school": "",
    "start_date_in_area": TODAY,
    "admission_confirmed_in_area": "yes",
    **parent_answers("Priya Patel", "07700 900456"),
}


def leaver_post(**overrides: Any) -> dict[str, str]:
    """A valid ground (a) return with `overrides`."""
    return answers(LEAVER, overrides)


@pytest.fixture(autouse=True)
def term_calendar(db: None) -> None:
    """LA terms with a half-term (26-30 October) and an INSET day on 2 November."""
    TermFactory.create(name="Autumn 1 2026", start=date(2026, 9, 2), end=date(2026, 10, 23))
    TermFactory.create(name="Autumn 2 2026", start=date(2026, 11, 2), end=date(2026, 12, 18))
    ClosureFactory.create(date=date(2026, 11, 2))


@pytest.fixture
def cedar(db: None) -> School:
    school: School = SchoolFactory.create(urn=100010, name="Cedar Primary School")
    return school


# -- every ground goes through start -> check -> submit ----------------------------------------

OUT_OF_AREA = {
    "destination_type": "out_of_area",
    "destination_school_name": "Faraway Academy",
    "destination_la": "Elsewhere City Council",
    "admission_confirmed_out_of_area": "yes",
}
UNKNOWN = {"destination_type": "unknown", "s2s_lost_pupil_uploaded": "yes"}
NONE = {"destination_type": "none"}

GROUND_CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    # ground: (form answers beyond the ground (a) defaults, saved values to check)
    "a": (
        {},
        {
            "destination_type": "in_area",
            "destination_start_date": TODAY,
            "admission_confirmed": True,
        },
    ),
    "b": (
        OUT_OF_AREA,
        {"destination_school_name": "Faraway Academy", "destination_la": "Elsewhere City Council"},
    ),
    "c": (
        {"details_c": "Now full time at the PRU"},
        {"ground_details": "Now full time at the PRU"},
    ),
    "d": (OUT_OF_AREA, {"destination_type": "out_of_area", "destination_start_date": None}),
    "e": (
        {"details_e": "Parent now home educates", **NONE},
        {"ground_details": "Parent now home educates", "destination_type": "none"},
    ),
    "f": (
        {"parent_notice_date": date(2026, 11, 18), "destination_type": ""},
        {"parent_notice_date": date(2026, 11, 18), "destination_type": "none"},
    ),
    "g": (
        {
            "details_g": "Moved to Leeds",
            "moving": "yes",
            "new_address": "1 High St, Leeds",
            "new_postcode": "ls1 1aa",
            **OUT_OF_AREA,
        },
        {
            "ground_details": "Moved to Leeds",
            "new_address": "1 High St, Leeds",
            "new_postcode": "LS1 1AA",
        },
    ),
    "h": (
        {
            "leave_end_date": date(2026, 10, 21),
            "ground_met_date": date(2026, 11, 12),
            "enquiries_h": "Phoned, home visit 4 Nov",
            "la_enquiries_confirmed_h": "yes",
            **UNKNOWN,
        },
        {
            "leave_end_date": date(2026, 10, 21),
            "enquiries_made": "Phoned, home visit 4 Nov",
            "la_enquiries_confirmed": True,
            "s2s_lost_pupil_uploaded": True,
        },
    ),
    "i": (
        {
            "absence_start_date": date(2026, 10, 14),
            "ground_met_date": date(2026, 11, 18),
            "enquiries_i": "Joint home visit with CME",
            "la_enquiries_confirmed": "yes",
            **UNKNOWN,
        },
        {
            "absence_start_date": date(2026, 10, 14),
            "enquiries_made": "Joint home visit with CME",
            "la_enquiries_confirmed": True,
        },
    ),
    "j": (
        {"details_j": "Secure centre, 8 months", **NONE},
        {"ground_details": "Secure centre, 8 months"},
    ),
    "k": ({"moving": None, **NONE}, {"destination_type": "none", "new_address": ""}),
    "l": ({"date_of_birth": date(2010, 5, 17), **NONE}, {"destination_type": "none"}),
    "m": (
        {
            "details_m": "Two terms unpaid",
            "destination_type": "abroad",
            "destination_country": "Portugal",
        },
        {"ground_details": "Two terms unpaid", "destination_country": "Portugal"},
    ),
    "n": ({"details_n": "Parent gave notice"}, {"ground_details": "Parent gave notice"}),
    "o": ({"exclusion_date": date(2026, 11, 19)}, {"exclusion_date": date(2026, 11, 19)}),
}


def test_every_ground_has_a_case() -> None:
    assert set(GROUND_CASES) == set(DeletionGround.values)


@pytest.mark.parametrize("ground", sorted(GROUND_CASES))
def test_each_ground_goes_through_check_your_answers(
    ground: str, client_a: Client, school_a: School, staff_a: User, cedar: School
) -> None:
    answers, saved_values = GROUND_CASES[ground]
    data = leaver_post(ground=ground, destination_school=str(cedar.pk), **answers)
    html = checked(client_a, KIND, data)
    assert DeletionGround(ground).label in html
    assert "Why the pupil is leaving" in html
    assert "Where the pupil is going" in html

    saved = sent(client_a, KIND, LeaverReturn, school_a, staff_a)
    assert saved.kind == ReturnKind.LEAVER
    assert saved.reference.startswith("LV-")
    # An unknown destination refers the pupil to the CME team at once (referrals app).
    expected = (
        ReturnStatus.REFERRED if saved.destination_type == "unknown" else ReturnStatus.RECEIVED
    )
    assert saved.status == expected
    assert saved.ground == ground
    assert saved.deletion_date == TODAY
    assert saved.is_late is False
    for name, value in saved_values.items():
        assert getattr(saved, name) == value, name
    assert saved.parents.get().name == "Priya Patel"

    detail = client_a.get(reverse("schools:return_detail", args=[saved.reference]))
    assert detail.status_code == 200
    assert DeletionGround(ground).label in detail.content.decode()


# -- each ground's own required questions ------------------------------------------------------

#: The questions each ground asks, left unanswered: the field and its message.
UNANSWERED = {
    "c": [("details_c", f.ERROR_DETAILS_C)],
    "e": [("details_e", f.ERROR_DETAILS_E)],
    "f": [("parent_notice_date", f.ERROR_PARENT_NOTICE_REQUIRED)],
    "g": [("details_g", f.ERROR_DETAILS_G)],
    "h": [
        ("leave_end_date", f.ERROR_LEAVE_END_REQUIRED),
        ("enquiries_h", f.ERROR_ENQUIRIES_REQUIRED),
        ("la_enquiries_confirmed_h", f.ERROR_LA_ENQUIRIES_REQUIRED),
    ],
    "i": [
        ("absence_start_date", f.ERROR_ABSENCE_START_REQUIRED),
        ("enquiries_i", f.ERROR_ENQUIRIES_REQUIRED),
        ("la_enquiries_confirmed", f.ERROR_LA_ENQUIRIES_REQUIRED),
    ],
    "j": [("details_j", f.ERROR_DETAILS_J)],
    "m": [("details_m", f.ERROR_DETAILS_M)],
    "n": [("details_n", f.ERROR_DETAILS_N)],
    "o": [("exclusion_date", f.ERROR_EXCLUSION_DATE_REQUIRED)],
}
#: Destinations a ground does not allow: the ground, the answers, the message (of the ground).
WRONG_DESTINATIONS = [
    (
        "a",
        {"destination_type": "abroad", "destination_country": "Spain"},
        f.ERROR_DESTINATION_MUST_BE_SCHOOL,
    ),
    (
        "a",
        {"destination_type": "unknown", "s2s_lost_pupil_uploaded": "yes"},
        f.ERROR_DESTINATION_MUST_BE_SCHOOL,
    ),
    ("d", {"destination_type": "none"}, f.ERROR_DESTINATION_MUST_BE_SCHOOL),
    ("f", {"parent_notice_date": date(2026, 11, 18)}, f.ERROR_DESTINATION_MUST_BE_NONE),
    ("k", {}, f.ERROR_DESTINATION_MUST_BE_NONE),
]
MISSING_CASES = [
    ("a", {"start_date_in_area": None}, "start_date_in_area", f.ERROR_START_DATE_REQUIRED),
    *[
        (ground, answers, "destination_type", message.format(ground=ground))
        for ground, answers, message in WRONG_DESTINATIONS
    ],
    *[
        (ground, {}, field, message)
        for ground, asked in UNANSWERED.items()
        for field, message in asked
    ],
    # The enquiries answered as not made.
    *[
        (ground, {field: "no"}, field, f.ERROR_LA_ENQUIRIES_NOT_MADE.format(ground=ground))
        for ground, field in (("h", "la_enquiries_confirmed_h"), ("i", "la_enquiries_confirmed"))
    ],
]


@pytest.mark.parametrize(("ground", "answers", "field", "message"), MISSING_CASES)
def test_each_ground_requires_its_own_questions(
    ground: str, answers: dict[str, Any], field: str, message: str, client_a: Client, cedar: School
) -> None:
    response = client_a.post(
        START, leaver_post(ground=ground, destination_school=str(cedar.pk), **answers)
    )
    found = errors(response)
    assert message in found.get(field, []), found
    assert message in response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert not LeaverReturn.objects.exists()


def test_ground_is_required(client_a: Client, cedar: School) -> None:
    found = errors(client_a.post(START, leaver_post(ground=None, destination_school=str(cedar.pk))))
    assert found["ground"] == [f.ERROR_GROUND_REQUIRED]


def test_home_education_notice_cannot_be_in_the_future_or_after_the_ground(
    client_a: Client,
) -> None:
    future = errors(
        client_a.post(
            START,
            leaver_post(ground="f", parent_notice_date=date(2026, 11, 24), destination_type="none"),
        )
    )
    assert future["parent_notice_date"] == [f.ERROR_PARENT_NOTICE_IN_FUTURE]
    after = errors(
        client_a.post(
            START,
            leaver_post(ground="f", parent_notice_date=date(2026, 11, 21), destination_type="none"),
        )
    )
    assert after["ground_met_date"] == [f.ERROR_GROUND_MET_BEFORE_NOTICE]


def test_exclusion_date_cannot_be_in_the_future_or_after_the_ground(
    client_a: Client, cedar: School
) -> None:
    base = {"ground": "o", "destination_school": str(cedar.pk)}
    future = errors(client_a.post(START, leaver_post(**base, exclusion_date=date(2026, 12, 1))))
    assert future["exclusion_date"] == [f.ERROR_EXCLUSION_IN_FUTURE]
    after = errors(client_a.post(START, leaver_post(**base, exclusion_date=date(2026, 11, 21))))
    assert after["ground_met_date"] == [f.ERROR_GROUND_MET_BEFORE_EXCLUSION]


def test_ground_l_needs_the_pupil_past_compulsory_school_age(client_a: Client) -> None:
    # Born 14 March 2016: compulsory school age ends on 25 June 2032.
    found = errors(client_a.post(START, leaver_post(ground="l", destination_type="none")))
    assert found["ground"] == [f.ERROR_STILL_OF_COMPULSORY_AGE.format(end=date(2032, 6, 25))]


def test_ground_l_on_the_last_day_of_compulsory_school_age_is_accepted(client_a: Client) -> None:
    # Born 17 May 2010: compulsory school age ended on 26 June 2026, the deletion date.
    response = client_a.post(
        START,
        leaver_post(
            ground="l",
            destination_type="none",
            date_of_birth=date(2010, 5, 17),
            ground_met_date=date(2026, 6, 26),
            deletion_date=date(2026, 6, 26),
        ),
    )
    assert response.status_code == 302


# -- the deletion date ---------------------------------------------------------------------------


def test_dates_are_required(client_a: Client, cedar: School) -> None:
    data = leaver_post(
        destination_school=str(cedar.pk), **blank("ground_met_date", "deletion_date")
    )
    found = errors(client_a.post(START, data))
    assert found["ground_met_date"] == ["Enter the date the ground was met"]
    assert found["deletion_date"] == [
        "Enter the date the pupil's name was removed from the admission register"
    ]


def test_deletion_date_cannot_be_in_the_future(client_a: Client, cedar: School) -> None:
    found = errors(
        client_a.post(
            START, leaver_post(destination_school=str(cedar.pk), deletion_date=date(2026, 11, 24))
        )
    )
    assert found["deletion_date"] == [f.ERROR_DELETION_IN_FUTURE]


def test_deletion_date_cannot_be_before_the_ground_was_met(client_a: Client, cedar: School) -> None:
    found = errors(
        client_a.post(
            START,
            leaver_post(
                destination_school=str(cedar.pk),
                ground_met_date=date(2026, 11, 20),
                deletion_date=date(2026, 11, 19),
            ),
        )
    )
    assert found["deletion_date"] == [f.ERROR_DELETION_BEFORE_GROUND]


def test_deletion_on_the_day_the_ground_was_met_is_accepted(
    client_a: Client, cedar: School
) -> None:
    response = client_a.post(
        START,
        leaver_post(destination_school=str(cedar.pk), ground_met_date=TODAY, deletion_date=TODAY),
    )
    assert response.status_code == 302


def test_a_return_after_the_deletion_is_late(client_a: Client, cedar: School) -> None:
    data = leaver_post(destination_school=str(cedar.pk), deletion_date=date(2026, 11, 20))
    assert "This return is late" in checked(client_a, KIND, data)
    client_a.post(CHECK)
    assert LeaverReturn.objects.get().is_late is True


# -- the 20 and 10 school day rules on the term calendar -----------------------------------------

I_ANSWERS = {
    "ground": "i",
    "absence_start_date": date(2026, 10, 14),
    "enquiries_i": "Visits",
    "la_enquiries_confirmed": "yes",
    **UNKNOWN,
}


H_ANSWERS = {
    "ground": "h",
    "leave_end_date": date(2026, 10, 21),
    "enquiries_h": "Phoned",
    "la_enquiries_confirmed_h": "yes",
    **UNKNOWN,
}


@pytest.mark.parametrize(
    ("answers", "term_dates", "earliest", "too_early"),
    [
        # From Wed 14 Oct: 8 days to the half-term, 2 Nov is an INSET day, the 20th is Wed 18
        # Nov. (Counted in working days it would be 10 Nov.)
        (I_ANSWERS, True, date(2026, 11, 18), f.ERROR_TWENTY_SCHOOL_DAYS),
        (I_ANSWERS, False, date(2026, 11, 10), f.ERROR_TWENTY_SCHOOL_DAYS),
        # Leave ended Wed 21 Oct: 22, 23 Oct, then 3 Nov on (2 Nov closed): the 10th is Thu 12
        # Nov.
        (H_ANSWERS, True, date(2026, 11, 12), f.ERROR_TEN_SCHOOL_DAYS),
    ],
    ids=[
        "twenty school days skip the half-term and the closure",
        "without term dates the twenty days fall back to working days",
        "ten school days after leave skip the half-term and the closure",
    ],
)
def test_the_ground_is_met_on_the_school_day_the_rule_counts_to_and_not_before(
    client_a: Client,
    answers: dict[str, Any],
    term_dates: bool,
    earliest: date,
    too_early: str,
) -> None:
    if not term_dates:
        Term.objects.all().delete()
    passed = client_a.post(START, leaver_post(**answers, ground_met_date=earliest))
    assert passed.status_code == 302
    the_day_before = earliest - timedelta(days=1)
    failed = errors(client_a.post(START, leaver_post(**answers, ground_met_date=the_day_before)))
    assert failed["ground_met_date"] == [too_early.format(earliest=earliest)]


def test_twenty_school_days_counts_the_schools_own_closures(
    client_a: Client, school_a: School
) -> None:
    ClosureFactory.create(school=school_a, date=date(2026, 11, 16), reason="Polling day")
    failed = errors(
        client_a.post(START, leaver_post(**I_ANSWERS, ground_met_date=date(2026, 11, 18)))
    )
    assert failed["ground_met_date"] == [
        f.ERROR_TWENTY_SCHOOL_DAYS.format(earliest=date(2026, 11, 19))
    ]


# -- destinations --------------------------------------------------------------------------------

DESTINATION_CASES = [
    (
        "in_area",
        {"destination_school": ""},
        "destination_school",
        f.ERROR_DESTINATION_SCHOOL_REQUIRED,
    ),
    (
        "in_area",
        {"admission_confirmed_in_area": None},
        "admission_confirmed_in_area",
        f.ERROR_ADMISSION_CONFIRMED_REQUIRED,
    ),
    (
        "out_of_area",
        {
            "destination_school_name": "",
            "destination_la": "Leeds",
            "admission_confirmed_out_of_area": "yes",
        },
        "destination_school_name",
        f.ERROR_DESTINATION_SCHOOL_NAME_REQUIRED,
    ),
    (
        "out_of_area",
        {
            "destination_school_name": "Leeds High",
            "destination_la": "",
            "admission_confirmed_out_of_area": "yes",
        },
        "destination_la",
        f.ERROR_DESTINATION_LA_REQUIRED,
    ),
    (
        "out_of_area",
        {"destination_school_name": "Leeds High", "destination_la": "Leeds"},
        "admission_confirmed_out_of_area",
        f.ERROR_ADMISSION_CONFIRMED_REQUIRED,
    ),
    (
        "abroad",
        {"destination_country": ""},
        "destination_country",
        f.ERROR_DESTINATION_COUNTRY_REQUIRED,
    ),
    # "unknown" asks nothing that must be answered: the s2s upload is a follow-up (A12).
    ("", {}, "destination_type", f.ERROR_DESTINATION_REQUIRED),
]


@pytest.mark.parametrize(("destination", "answers", "field", "message"), DESTINATION_CASES)
def test_each_destination_requires_its_own_questions(
    destination: str, answers: dict[str, Any], field: str, message: str, client_a: Client
) -> None:
    # Ground (b) accepts any destination.
    found = errors(
        client_a.post(START, leaver_post(ground="b", destination_type=destination, **answers))
    )
    assert message in found.get(field, []), found


def test_an_in_area_destination_must_be_an_open_school_in_this_area(
    client_a: Client, school_a: School
) -> None:
    closed = SchoolFactory.create(urn=100020, name="Shut School", is_open=False)
    elsewhere = SchoolFactory.create(urn=100021, name="Far School", la_code="380")
    for school in (closed, elsewhere, school_a):
        found = errors(client_a.post(START, leaver_post(destination_school=str(school.pk))))
        assert found["destination_school"] == ["Choose a school from the list"]
    # Nor does the picker's search step offer them.
    for name in ("Shut School", "Far School"):
        step = client_a.post(
            START, leaver_post(destination_school_q=name, destination_school_find="1")
        )
        assert "No school matches" in step.content.decode()


def test_unknown_destination_needs_the_s2s_upload_and_is_saved_with_it(client_a: Client) -> None:
    client_a.post(START, leaver_post(ground="b", **UNKNOWN))
    check = client_a.get(CHECK).content.decode()
    assert "s2s Lost Pupils Database" in check
    assert "Key leaver information is missing: the new school" in check
    client_a.post(CHECK)
    saved = LeaverReturn.objects.get()
    assert saved.destination_type == "unknown"
    assert saved.s2s_lost_pupil_uploaded is True


@pytest.mark.parametrize("uploaded", ["no", None], ids=["not yet", "not answered"])
def test_unknown_destination_is_sent_without_the_s2s_upload_and_referred_at_once(
    client_a: Client, uploaded: str | None
) -> None:
    """Issue 12 A12: the s2s question no longer holds the urgent return (and its referral)."""
    from referrals.models import Referral, SystemTrigger

    answers = {"destination_type": "unknown", "s2s_lost_pupil_uploaded": uploaded}
    response = client_a.post(START, leaver_post(ground="b", **answers))
    assert response.status_code == 302, errors(response)
    check = client_a.get(CHECK).content.decode()
    assert "You have not yet uploaded a lost pupil record" in check
    assert "within 3 school days" in check
    sent = client_a.post(CHECK)
    saved = LeaverReturn.objects.get()
    assert sent["Location"] == reverse("schools:return_submitted", args=[saved.reference])
    assert saved.s2s_lost_pupil_uploaded is False
    assert saved.s2s_confirmed_at is None
    assert saved.status == ReturnStatus.REFERRED
    referral = Referral.objects.get(source_return=saved)
    assert referral.trigger == SystemTrigger.UNKNOWN_DESTINATION
    assert "not yet confirmed its s2s Lost Pupils Database upload" in referral.details


def test_the_school_confirms_the_s2s_upload_later_from_the_returns_page(
    client_a: Client, client_b: Client, staff_a: User
) -> None:
    client_a.post(
        START, leaver_post(ground="b", destination_type="unknown", s2s_lost_pupil_uploaded="no")
    )
    client_a.post(CHECK)
    saved = LeaverReturn.objects.get()
    detail = reverse("schools:return_detail", args=[saved.reference])
    confirm = reverse("schools:return_s2s_confirm", args=[saved.reference])
    page = client_a.get(detail).content.decode()
    assert "Not yet confirmed" in page
    assert f'action="{confirm}"' in page
    assert "We have uploaded to s2s" in page
    # Only the school's own staff, and only by POST.
    assert client_b.post(confirm).status_code == 404
    assert client_a.get(confirm).status_code == 405
    saved.refresh_from_db()
    assert saved.s2s_lost_pupil_uploaded is False

    response = client_a.post(confirm)
    assert response["Location"] == detail
    saved.refresh_from_db()
    assert saved.s2s_lost_pupil_uploaded is True
    assert saved.s2s_confirmed_at is not None
    latest = saved.history.latest("history_date", "history_id")
    assert latest.s2s_lost_pupil_uploaded is True
    assert latest.history_user == staff_a
    assert (
        latest.history_change_reason == "The school confirmed the s2s Lost Pupils Database upload"
    )
    page = client_a.get(detail).content.decode()
    assert "We have uploaded to s2s" not in page
    assert "the school confirmed it on 23 November 2026" in page
    # A second confirmation (a double click) changes nothing.
    rows = saved.history.count()
    client_a.post(confirm)
    assert saved.history.count() == rows


def test_a_known_destination_has_no_s2s_follow_up(client_a: Client, cedar: School) -> None:
    client_a.post(START, leaver_post(destination_school=str(cedar.pk)))
    client_a.post(CHECK)
    saved = LeaverReturn.objects.get()
    page = client_a.get(reverse("schools:return_detail", args=[saved.reference])).content.decode()
    assert "We have uploaded to s2s" not in page
    confirm = reverse("schools:return_s2s_confirm", args=[saved.reference])
    client_a.post(confirm)
    saved.refresh_from_db()
    assert saved.s2s_lost_pupil_uploaded is False


# -- what is saved and shown ---------------------------------------------------------------------


def test_answers_to_questions_that_do_not_apply_are_not_saved_or_shown(
    client_a: Client, cedar: School
) -> None:
    stale = {
        "details_c": "Stale details",
        "parent_notice_date": date(2026, 11, 1),
        "leave_end_date": date(2026, 10, 1),
        "enquiries_h": "Stale enquiries",
        "la_enquiries_confirmed": "yes",
        # A half-typed date under a radio that was not chosen does not block the return.
        "exclusion_date_0": "31",
        "exclusion_date_1": "2",
        "exclusion_date_2": "2026",
        "destination_school_name": "Stale Academy",
        "destination_la": "Stale LA",
        "start_date_out_of_area": date(2026, 12, 1),
        "admission_confirmed_out_of_area": "no",
        "destination_country": "Atlantis",
        "s2s_lost_pupil_uploaded": "no",
        "new_address": "Stale address",
        "new_postcode": "ZZ1 1ZZ",
    }
    response = client_a.post(START, leaver_post(destination_school=str(cedar.pk), **stale))
    assert response.status_code == 302, errors(response)
    check = client_a.get(CHECK).content.decode()
    for word in ("Stale", "Atlantis", "ZZ1 1ZZ", "1 December 2026", "1 October 2026"):
        assert word not in check
    client_a.post(CHECK)
    saved = LeaverReturn.objects.get()
    assert saved.destination_school == cedar
    assert saved.ground_details == ""
    assert saved.enquiries_made == ""
    assert saved.parent_notice_date is None
    assert saved.leave_end_date is None
    assert saved.exclusion_date is None
    assert saved.la_enquiries_confirmed is False
    assert saved.destination_school_name == ""
    assert saved.destination_la == ""
    assert saved.destination_country == ""
    assert saved.s2s_lost_pupil_uploaded is False
    assert saved.destination_start_date == TODAY
    assert saved.admission_confirmed is True
    # Not moving: the new address is the current one.
    assert saved.new_address == "12 Oak Road, Exampleton"
    assert saved.new_postcode == "EX1 2AB"


def test_a_changed_mind_keeps_only_the_last_grounds_answers(
    client_a: Client, cedar: School
) -> None:
    client_a.post(
        START,
        leaver_post(ground="c", details_c="Gone to the PRU", destination_school=str(cedar.pk)),
    )
    assert "Gone to the PRU" in client_a.get(CHECK).content.decode()
    # Back to the form ("Change"): the draft is kept, then the ground is changed.
    assert "Gone to the PRU" in client_a.get(START).content.decode()
    client_a.post(
        START,
        leaver_post(
            ground="n",
            details_c="Gone to the PRU",
            details_n="Parent gave notice",
            destination_school=str(cedar.pk),
        ),
    )
    check = client_a.get(CHECK).content.decode()
    assert "Gone to the PRU" not in check
    assert "Parent gave notice" in check
    client_a.post(CHECK)
    assert LeaverReturn.objects.get().ground_details == "Parent gave notice"


def test_a_pupil_who_has_died_is_not_asked_about_address_or_destination(client_a: Client) -> None:
    client_a.post(START, leaver_post(ground="k", moving=None, destination_type=None))
    check = client_a.get(CHECK).content.decode()
    assert "Is the pupil moving" not in check
    assert "Key leaver information" not in check
    client_a.post(CHECK)
    saved = LeaverReturn.objects.get()
    assert saved.destination_type == "none"
    assert saved.new_address == ""


def test_moving_question_and_new_address_are_required(client_a: Client, cedar: School) -> None:
    found = errors(client_a.post(START, leaver_post(moving=None, destination_school=str(cedar.pk))))
    assert found["moving"] == [f.ERROR_MOVING_REQUIRED]
    found = errors(
        client_a.post(START, leaver_post(moving="yes", destination_school=str(cedar.pk)))
    )
    assert found["new_address"] == [f.ERROR_NEW_ADDRESS_REQUIRED]


# -- warnings ------------------------------------------------------------------------------------


def test_missing_key_leaver_information_warns_but_does_not_block(
    client_a: Client, cedar: School
) -> None:
    data = leaver_post(
        moving="not_known", destination_school=str(cedar.pk), admission_confirmed_in_area="no"
    )
    check = checked(client_a, KIND, data)
    assert (
        "Key leaver information is missing: the new address, confirmation of admission from "
        "the new school." in check
    )
    assert "Children Missing Education team will be told" in check
    client_a.post(CHECK)
    saved = LeaverReturn.objects.get()
    assert saved.new_address == ""
    assert saved.admission_confirmed is False


def test_complete_leaver_information_gives_no_warning(client_a: Client, cedar: School) -> None:
    check = checked(client_a, KIND, leaver_post(destination_school=str(cedar.pk)))
    assert "Key leaver information" not in check
    assert "govuk-warning-text" not in check


def test_dob_outside_compulsory_school_age_warns_but_does_not_block(
    client_a: Client, cedar: School
) -> None:
    data = leaver_post(destination_school=str(cedar.pk), date_of_birth=date(2008, 1, 5))
    assert "not of compulsory school age" in checked(client_a, KIND, data)
    client_a.post(CHECK)
    assert LeaverReturn.objects.get().dob_outside_compulsory_age is True


# -- the page ------------------------------------------------------------------------------------


def test_the_form_shows_the_ground_radios_with_hints_and_reveals(
    client_a: Client, cedar: School
) -> None:
    response = client_a.get(START)
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert 'data-module="govuk-radios"' in html
    for ground in DeletionGround:
        assert ground.label in html
        assert GROUND_HINTS[ground] in html
    # The first radio is numbered 1, as the error summary links to it.
    assert 'id="id_ground_1" value="a"' in " ".join(html.split())
    # (b) reveals nothing, so its radio controls nothing.
    assert 'aria-controls="conditional_ground_2"' not in html
    assert 'aria-controls="conditional_ground_9"' in html  # (i) reveals its questions
    assert 'id="conditional_ground_9"' in html
    assert "First day of the continuous absence" in html
    assert 'name="destination_school_q"' in html  # the school picker, not a list of schools
    assert "Parents or carers the pupil lives with" in html
    assert html.index("Which ground") < html.index("Where is the pupil going?")


def test_errors_link_to_the_first_radio_of_the_ground(client_a: Client) -> None:
    response = client_a.post(START, leaver_post(ground=None))
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_ground_1"' in html
    assert 'id="id_ground_1"' in html


def test_leaver_form_is_registered() -> None:
    assert RETURN_FORMS[ReturnKind.LEAVER] is LeaverReturnForm


# -- who sees what -------------------------------------------------------------------------------


def test_school_staff_cannot_see_other_schools_leavers(
    client_b: Client, school_a: School, staff_b: User
) -> None:
    theirs = LeaverReturnFactory.create(school=school_a)
    assert (
        client_b.get(reverse("schools:return_detail", args=[theirs.reference])).status_code == 404
    )


def test_school_staff_and_the_la_see_a_leavers_details(
    client_a: Client, officer_client: Client, school_a: School
) -> None:
    mine = LeaverReturnFactory.create(
        school=school_a,
        ground="h",
        leave_end_date=date(2026, 10, 21),
        enquiries_made="Home visit on 4 November",
        destination_type="unknown",
        s2s_lost_pupil_uploaded=True,
        destination_school_name="",
        destination_la="",
    )
    for client, url in (
        (client_a, "schools:return_detail"),
        (officer_client, "schools:la_return_detail"),
    ):
        html = (
            client.get(reverse(url, args=[mine.reference])).content.decode().replace("&#x27;", "'")
        )
        assert "(h) Did not return within 10 school days" in html
        assert "21 October 2026" in html
        assert "Home visit on 4 November" in html
        assert "Not known" in html
        assert "Faraway Academy" not in html


# -- bidirectional controls -------------------------------------------------------------------

RLO, LRI, RLM = "\u202e", "\u2066", "\u200f"


def test_bidi_controls_are_stripped_from_the_pupils_and_parents_names(
    client_a: Client, cedar: School
) -> None:
    data = leaver_post(
        destination_school=str(cedar.pk),
        first_name=f"{RLO}ayaM",
        last_name=f"Pat{LRI}el{RLM}",
        parent_1_name=f"Priya{RLO} Patel\u061c",
    )
    saved = send(client_a, KIND, data, LeaverReturn)
    assert (saved.first_name, saved.last_name, saved.parents.get().name) == (
        "ayaM",
        "Patel",
        "Priya Patel",
    )
