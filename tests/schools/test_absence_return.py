from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cme.models import User
from schools.forms import absence as f
from schools.forms.absence import AbsenceNotificationForm
from schools.models import AbsenceNotification, AbsenceType, ReturnStatus, School, Whereabouts
from tests.factories import AbsenceNotificationFactory, ClosureFactory, SchoolFactory, TermFactory
from tests.forms import answers, blank, child_answers, page, parent_answers, refused_unsaved, shows
from tests.schools.helpers import checked, return_pages, send, sent

KIND = "absence"
START, CHECK = return_pages(KIND)

# Every test runs with the clock stopped at NOW.
pytestmark = pytest.mark.usefixtures("frozen")


ABSENCE: dict[str, Any] = {
    **child_answers(("Lily", "Hart"), date(2013, 1, 9), "8 Ash Grove", "EX3 5EF", gender="F"),
    "first_day_of_absence": date(2026, 11, 2),
    "absence_type": "unauthorised",
    "last_contact_date": date(2026, 10, 30),
    "last_contact_details": "Mother phoned to say Lily was unwell",
    "whereabouts": "unknown",
    "enquiries": ["phone", "home_visit"],
    "enquiry_notes": "No answer at the door on 5 November",
    **parent_answers("Jo Hart", "07700 900321"),
}


def absence_post(**overrides: object) -> dict[str, object]:
    return answers(ABSENCE, overrides)


#: What check your answers shows of the answers above.
ABSENCE_CHECKED = (
    "The absence",
    "2 November 2026",
    "Unauthorised absence",
    "We do not know where the pupil is",
    "Enquiries",
    "Phoned the parents or carers<br>Made a home visit",
    "No answer at the door",
    "Lily",
)


# Leave ended Wed 11 Nov and the pupil did not come back on Thu 12 Nov.
AFTER_LEAVE = absence_post(
    absence_type="after_leave",
    leave_end_date=date(2026, 11, 11),
    first_day_of_absence=date(2026, 11, 12),
)


@pytest.fixture
def calendar(db: None) -> None:
    """The LA's autumn term 2026 with a half-term (26-30 Oct) and an INSET day (Fri 13 Nov)."""
    TermFactory.create(name="Autumn 1 2026", start=date(2026, 9, 2), end=date(2026, 10, 23))
    TermFactory.create(name="Autumn 2 2026", start=date(2026, 11, 2), end=date(2026, 12, 18))
    TermFactory.create(name="Spring 1 2027", start=date(2027, 1, 5), end=date(2027, 2, 12))
    ClosureFactory.create(date=date(2026, 11, 13))


# -- the journey ---------------------------------------------------------------------------


def test_the_form_reveals_the_leave_end_date_and_offers_the_enquiries(client_a: Client) -> None:
    content = page(client_a.get(START))
    assert "Tell us about a pupil who has stopped attending" in content
    assert 'id="conditional_absence_type_2"' in content  # the second radio: after leave
    assert 'name="leave_end_date_0"' in content
    assert 'type="checkbox"' in content
    assert 'value="home_visit"' in content


def test_school_staff_send_an_absence_notification_through_check_your_answers(
    client_a: Client, school_a: School, staff_a: User, calendar: None
) -> None:
    content = checked(client_a, KIND, absence_post())
    shows(content, *ABSENCE_CHECKED)

    saved = sent(client_a, KIND, AbsenceNotification, school_a, staff_a)
    assert saved.reference.startswith("CA-")
    # Whereabouts unknown: referred to CME at once (issue 12 A9).
    assert saved.status == ReturnStatus.REFERRED
    assert saved.first_day_of_absence == date(2026, 11, 2)
    assert saved.absence_type == AbsenceType.UNAUTHORISED
    assert saved.leave_end_date is None
    assert saved.last_contact_date == date(2026, 10, 30)
    assert saved.whereabouts == Whereabouts.UNKNOWN
    assert saved.enquiries == ["phone", "home_visit"]
    assert saved.parents.get().name == "Jo Hart"


def test_whereabouts_unknown_raises_a_referral_in_triage_at_once(
    client_a: Client, school_a: School, calendar: None
) -> None:
    """Issue 12 A9: the school is told the team "will treat this as a potential missing
    child": the notification raises a CME referral when it is sent, which triage lists."""
    from casework.selectors.triage import triage_queue
    from referrals.models import Channel, Referral, SystemTrigger

    client_a.post(START, absence_post(whereabouts="unknown"))
    sent = client_a.post(CHECK)
    saved = AbsenceNotification.objects.get()
    referral = Referral.objects.get()
    assert referral.source_return_id == saved.pk
    assert referral.trigger == SystemTrigger.ABSENCE_WHEREABOUTS_UNKNOWN
    assert referral.channel == Channel.SYSTEM
    assert referral.referring_school == school_a
    assert (referral.first_name, referral.last_name) == ("Lily", "Hart")
    assert referral.date_of_birth == date(2013, 1, 9)
    assert referral.people.get().name == "Jo Hart"
    assert list(triage_queue()) == [referral]
    saved.refresh_from_db()
    assert saved.status == ReturnStatus.REFERRED
    # The confirmation says what has happened, and it is true.
    content = page(client_a.get(sent["Location"]))
    assert "referred Lily Hart to the Children Missing Education team" in content
    assert "potential missing child" in content


def test_whereabouts_known_raises_no_referral(client_a: Client, calendar: None) -> None:
    from referrals.models import Referral

    client_a.post(START, absence_post(whereabouts="known"))
    sent = client_a.post(CHECK)
    assert sent.status_code == 302
    assert AbsenceNotification.objects.get().status == ReturnStatus.RECEIVED
    assert not Referral.objects.exists()
    assert "referred" not in page(client_a.get(sent["Location"]))


def test_enquiries_are_stored_as_a_list_of_codes(client_a: Client) -> None:
    enquiries = ["siblings_schools", "phone", "social_care"]
    saved = send(client_a, KIND, absence_post(enquiries=enquiries), AbsenceNotification)
    saved.refresh_from_db()
    assert saved.enquiries == ["phone", "siblings_schools", "social_care"]


def test_no_enquiries_are_stored_as_an_empty_list(client_a: Client) -> None:
    assert send(client_a, KIND, absence_post(enquiries=[]), AbsenceNotification).enquiries == []


def test_a_pupil_who_did_not_come_back_after_leave(client_a: Client, calendar: None) -> None:
    saved = send(client_a, KIND, AFTER_LEAVE, AbsenceNotification)
    assert saved.absence_type == AbsenceType.AFTER_LEAVE
    assert saved.leave_end_date == date(2026, 11, 11)


def test_a_leave_end_date_hidden_under_unauthorised_is_not_sent(client_a: Client) -> None:
    data = absence_post(leave_end_date=date(2026, 12, 25))
    assert send(client_a, KIND, data, AbsenceNotification).leave_end_date is None


def test_the_detail_page_lists_the_enquiries_and_offers_no_review(
    client_a: Client, school_a: School
) -> None:
    notification = AbsenceNotificationFactory.create(
        school=school_a, enquiries=["phone", "friends"]
    )
    content = page(client_a.get(reverse("schools:return_detail", args=[notification.reference])))
    assert "Phoned the parents or carers<br>Asked the pupil's friends" in content
    assert "Record a review" not in content


# -- the rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"first_day_of_absence": date(2026, 11, 24)}, f.ERROR_FIRST_DAY_IN_FUTURE),
        (
            blank("first_day_of_absence"),
            "Enter the first day of absence",
        ),
        ({"absence_type": ""}, "Select what kind of absence it is"),
        ({"absence_type": "after_leave"}, f.ERROR_LEAVE_END_REQUIRED),
        (
            {
                "absence_type": "after_leave",
                "leave_end_date": date(2026, 11, 23),
                "first_day_of_absence": date(2026, 11, 20),
            },
            f.ERROR_LEAVE_END_NOT_PAST,
        ),
        (
            {"absence_type": "after_leave", "leave_end_date": date(2026, 11, 2)},
            f.ERROR_LEAVE_END_NOT_BEFORE_ABSENCE,
        ),
        (
            {"absence_type": "after_leave", "leave_end_date": date(2026, 11, 9)},
            f.ERROR_LEAVE_END_NOT_BEFORE_ABSENCE,
        ),
        (
            {
                "absence_type": "after_leave",
                "leave_end_date_0": "31",
                "leave_end_date_1": "11",
                "leave_end_date_2": "2026",
            },
            "The last day of the leave of absence must be a real date",
        ),
        ({"last_contact_date": date(2026, 11, 30)}, f.ERROR_LAST_CONTACT_IN_FUTURE),
        ({"whereabouts": ""}, "Select whether you know where the pupil is"),
        ({"enquiries": ["phone", "carrier_pigeon"]}, "Select the enquiries from the list"),
    ],
)
def test_each_rule_of_the_absence_notification(
    client_a: Client, overrides: dict[str, Any], message: str
) -> None:
    refused_unsaved(client_a.post(START, absence_post(**overrides)), message, AbsenceNotification)


def test_last_contact_is_optional(client_a: Client) -> None:
    data = absence_post(**blank("last_contact_date"), last_contact_details="")
    assert client_a.post(START, data).status_code == 302


# -- warnings -------------------------------------------------------------------------------


def test_unknown_whereabouts_warns_of_a_potential_missing_child(client_a: Client) -> None:
    assert f.WARNING_WHEREABOUTS_UNKNOWN in checked(
        client_a, KIND, absence_post(whereabouts="unknown")
    )


def test_known_whereabouts_gives_no_missing_child_warning(client_a: Client) -> None:
    assert "potential missing child" not in checked(
        client_a, KIND, absence_post(whereabouts="known")
    )


@pytest.mark.parametrize(
    ("enquiries", "shown"),
    [
        ([], "You have recorded 0 enquiries."),
        (["phone"], "You have recorded 1 enquiry."),
    ],
)
def test_fewer_than_two_enquiries_is_a_reminder_of_reasonable_enquiries(
    client_a: Client, enquiries: list[str], shown: str
) -> None:
    content = checked(client_a, KIND, absence_post(enquiries=enquiries))
    assert shown in content
    assert "reasonable enquiries" in content
    client_a.post(CHECK)
    assert AbsenceNotification.objects.exists()  # a reminder, not a block


def test_two_enquiries_need_no_reminder(client_a: Client) -> None:
    content = checked(client_a, KIND, absence_post(enquiries=["phone", "email_letter"]))
    assert "You have recorded" not in content


# -- counting school days ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "shown"),
    [
        # From Mon 2 Nov: 2-6 Nov (5), 9-12 Nov (4; Fri 13 is an INSET day), 16-20 Nov (5) and
        # today, Mon 23 Nov: 15 days. Day 20 is Mon 30 Nov.
        (
            absence_post(),
            [
                "missed 15 school days from 2 November 2026 up to and including today",
                "Alder Primary School",
                "the 20 school day threshold (regulation 9(1)(i)) will be reached on 30 November "
                "2026",
            ],
        ),
        # From Mon 19 Oct: 19-23 Oct (5), half-term, 2-6 Nov (5), 9-12 Nov (4), 16-20 Nov (5),
        # today (1): the 20th school day is today.
        (
            absence_post(first_day_of_absence=date(2026, 10, 19)),
            [
                "missed 20 school days",
                "The 20 school day threshold (regulation 9(1)(i)) was reached on 23 November 2026",
            ],
        ),
        # Leave ended Wed 11 Nov: due back Thu 12 Nov; 10th school day after the leave, skipping
        # Fri 13 Nov (INSET): 12, 16-20, 23-26 Nov.
        (
            AFTER_LEAVE,
            [
                "The pupil was due back on 12 November 2026",
                "missed 7 school days from 12 November 2026",
                "the 10 school day threshold (regulation 9(1)(h)) will be reached on 26 November "
                "2026",
            ],
        ),
    ],
    ids=[
        "check your answers counts school days and the 20 day threshold",
        "the half-term and the closure are not counted",
        "after leave the 10 day threshold counts from the end of the leave",
    ],
)
def test_check_your_answers_counts_school_days_to_the_threshold(
    client_a: Client, calendar: None, data: dict[str, object], shown: list[str]
) -> None:
    content = checked(client_a, KIND, data)
    for text in shown:
        assert text in content


def test_the_threshold_crosses_the_christmas_holiday(calendar: None, school_a: School) -> None:
    # From Mon 14 Dec, counted on the last day of the autumn term.
    form = AbsenceNotificationForm(school=school_a)
    form.cleaned_data = {
        "first_day_of_absence": date(2026, 12, 14),
        "absence_type": AbsenceType.UNAUTHORISED,
    }
    with time_machine.travel("2026-12-18 10:00:00+00:00", tick=False):
        note = form.threshold_note()
    # 14-18 Dec is 5 days; 5-8 Jan (4), 11-15 (5), 18-22 (5), 25 Jan (1): day 20 is 25 Jan.
    assert "missed 5 school days" in note
    assert "will be reached on 25 January 2027" in note


def test_a_school_with_its_own_term_dates_is_counted_on_them(calendar: None) -> None:
    academy = SchoolFactory.create(name="Cedar Academy")
    # Its own second half of the autumn term starts a week after the LA's.
    TermFactory.create(
        school=academy, name="Autumn 2 2026", start=date(2026, 11, 9), end=date(2026, 12, 18)
    )
    form = AbsenceNotificationForm(school=academy)
    form.cleaned_data = {
        "first_day_of_absence": date(2026, 11, 9),
        "absence_type": AbsenceType.UNAUTHORISED,
    }
    note = form.threshold_note()
    # 9-12 Nov (4; the LA-wide INSET day on Fri 13 Nov closes it too), 16-20 Nov (5),
    # 23 Nov (1). On the LA's dates, from 2 Nov, it would have been 15.
    assert "missed 10 school days" in note
    assert "Cedar Academy" in note


def test_without_term_dates_the_threshold_cannot_be_worked_out(client_a: Client) -> None:
    content = checked(client_a, KIND, absence_post())
    assert "missed 0 school days" in content
    assert "We cannot yet work out when the 20 school day threshold" in content


def test_la_staff_cannot_start_an_absence_notification(
    officer_client: Client, manager_client: Client
) -> None:
    assert officer_client.get(START).status_code == 403
    assert manager_client.get(START).status_code == 403


def test_school_staff_cannot_see_other_schools_absence_notifications(
    client_b: Client, school_a: School
) -> None:
    theirs = AbsenceNotificationFactory.create(school=school_a)
    assert (
        client_b.get(reverse("schools:return_detail", args=[theirs.reference])).status_code == 404
    )
