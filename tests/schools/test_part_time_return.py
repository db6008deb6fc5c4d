from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cme.models import AccessAction, AccessLog, User
from schools.forms import part_time as f
from schools.models import PartTimeTimetable, ReturnStatus, ReviewOutcome, School, TimetableReview
from schools.services import ERROR_TIMETABLE_ENDED
from tests.concurrency import at_once
from tests.conftest import NOW
from tests.factories import (
    ClosureFactory,
    JoinerReturnFactory,
    PartTimeTimetableFactory,
    SchoolFactory,
)
from tests.forms import (
    answered,
    answers,
    blank,
    child_answers,
    day,
    page,
    parent_answers,
    refused,
    refused_unsaved,
    shows,
)
from tests.schools.helpers import checked, return_pages, send, sent

KIND = "part_time"
START, CHECK = return_pages(KIND)

# Every test runs with the clock stopped at NOW.
pytestmark = pytest.mark.usefixtures("frozen")


PART_TIME: dict[str, Any] = {
    **child_answers(("Oscar", "Nowak"), date(2014, 6, 2), "3 Elm Close", "EX2 4CD", gender="M"),
    "start_date": date(2026, 11, 16),
    "planned_end_date": date(2026, 12, 18),
    "hours_per_week": "15",
    "reason": "medical",
    "reason_details": "",
    "next_review_date": date(2026, 12, 4),
    "parent_agreed": "yes",
    "parent_agreed_date": date(2026, 11, 12),
    "social_worker_involved": "no",
    "has_ehcp": "yes",
    **parent_answers("Ewa Nowak", "07700 900789"),
}


def part_time_post(**overrides: str) -> dict[str, str]:
    return answers(PART_TIME, overrides)


#: What check your answers shows of the answers above.
PART_TIME_CHECKED = (
    "The part-time timetable",
    "15 hours",
    "Medical or health needs",
    "4 December 2026",
    "Agreement with the parent",
    "12 November 2026",
    "Support for the pupil",
    "Oscar",
)


# -- the return ----------------------------------------------------------------------------


def test_the_form_shows_the_reason_with_a_reveal_for_other(client_a: Client) -> None:
    response = client_a.get(START)
    assert response.status_code == 200
    content = page(response)
    assert "Tell us about a part-time timetable" in content
    assert "govuk-radios__conditional" in content
    assert 'name="reason_details"' in content


def test_school_staff_send_a_part_time_timetable_through_check_your_answers(
    client_a: Client, school_a: School, staff_a: User
) -> None:
    content = checked(client_a, KIND, part_time_post())
    shows(content, *PART_TIME_CHECKED)
    assert "govuk-warning-text" not in content

    saved = sent(client_a, KIND, PartTimeTimetable, school_a, staff_a)
    assert saved.reference.startswith("PT-")
    assert saved.status == ReturnStatus.RECEIVED
    assert (saved.start_date, saved.planned_end_date) == (date(2026, 11, 16), date(2026, 12, 18))
    assert saved.hours_per_week == Decimal("15")
    assert saved.parent_agreed is True
    assert saved.parent_agreed_date == date(2026, 11, 12)
    assert saved.social_worker_involved is False
    assert saved.has_ehcp is True
    assert saved.next_review_date == date(2026, 12, 4)
    assert saved.parents.get().name == "Ewa Nowak"


def test_the_detail_page_offers_a_review_to_the_school_only(
    client_a: Client, officer_client: Client, school_a: School
) -> None:
    timetable = PartTimeTimetableFactory.create(school=school_a)
    review_url = reverse("schools:timetable_review", args=[timetable.reference])
    mine = page(client_a.get(reverse("schools:return_detail", args=[timetable.reference])))
    assert "Record a review" in mine
    assert review_url in mine
    theirs = page(
        officer_client.get(reverse("schools:la_return_detail", args=[timetable.reference]))
    )
    assert "Hours a week in school" in theirs
    assert "Record a review" not in theirs


def test_no_review_button_on_other_kinds_of_return(client_a: Client, school_a: School) -> None:
    joiner = JoinerReturnFactory.create(school=school_a)
    content = page(client_a.get(reverse("schools:return_detail", args=[joiner.reference])))
    assert "Record a review" not in content


def test_reason_details_are_required_for_other_and_kept(client_a: Client) -> None:
    response = client_a.post(START, part_time_post(reason="other"))
    assert f.ERROR_REASON_DETAILS in page(response)
    data = part_time_post(reason="other", reason_details="Young carer at home")
    assert send(client_a, KIND, data, PartTimeTimetable).reason_details == "Young carer at home"


def test_reason_details_hidden_under_other_are_not_sent(client_a: Client) -> None:
    data = part_time_post(reason="medical", reason_details="typed, then hidden")
    assert send(client_a, KIND, data, PartTimeTimetable).reason_details == ""


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (day("planned_end_date", date(2026, 11, 10)), f.ERROR_END_NOT_AFTER_START),
        (day("planned_end_date", date(2026, 11, 16)), f.ERROR_END_NOT_AFTER_START),
        ({"hours_per_week": ""}, "Enter the number of hours a week the pupil will be in school"),
        ({"hours_per_week": "0"}, "Hours a week must be more than 0"),
        ({"hours_per_week": "-2"}, "Hours a week must be more than 0"),
        (
            {"hours_per_week": "32.5"},
            "Hours a week must be less than 32.5, a full-time school week",
        ),
        ({"hours_per_week": "1000"}, "Hours a week must be less than 32.5"),
        ({"hours_per_week": "twelve"}, "Hours a week must be a number, like 15 or 12.5"),
        ({"hours_per_week": "12.25"}, "Hours a week must have no more than 1 decimal place"),
        ({"reason": ""}, "Select why the pupil needs a part-time timetable"),
        ({"parent_agreed": "no"}, f.ERROR_PARENT_NOT_AGREED),
        ({"parent_agreed": ""}, "Select yes if the parent has agreed to the part-time timetable"),
        (
            blank("parent_agreed_date"),
            "Enter the date the parent agreed",
        ),
        (day("parent_agreed_date", date(2026, 11, 24)), f.ERROR_AGREED_IN_FUTURE),
        (day("next_review_date", date(2026, 11, 16)), f.ERROR_REVIEW_BEFORE_START),
        (day("next_review_date", date(2026, 12, 21)), f.ERROR_REVIEW_AFTER_END),
        (
            blank("next_review_date"),
            "Enter the next review date",
        ),
        ({"social_worker_involved": ""}, "Select yes if the pupil has a social worker"),
        ({"has_ehcp": ""}, "Select yes if the pupil has an education, health and care plan"),
    ],
)
def test_each_rule_of_the_part_time_return(
    client_a: Client, overrides: dict[str, Any], message: str
) -> None:
    refused_unsaved(client_a.post(START, part_time_post(**overrides)), message, PartTimeTimetable)


def test_a_next_review_date_already_past_is_refused(client_a: Client) -> None:
    response = client_a.post(
        START,
        part_time_post(
            **day("start_date", date(2026, 11, 2)), **day("next_review_date", date(2026, 11, 20))
        ),
    )
    assert f.ERROR_REVIEW_IN_PAST in page(response)


def test_a_timetable_longer_than_12_weeks_is_questioned_but_can_be_sent(client_a: Client) -> None:
    # 16 Nov 2026 to 12 Feb 2027: 12 weeks and 4 days.
    content = checked(client_a, KIND, part_time_post(**day("planned_end_date", date(2027, 2, 12))))
    assert "planned to last 12 weeks and 4 days, from 16 November 2026 to 12 February 2027" in (
        content
    )
    assert "longer than 12 weeks" in content
    client_a.post(CHECK)
    assert PartTimeTimetable.objects.get().planned_end_date == date(2027, 2, 12)


def test_a_timetable_of_whole_weeks_is_described_in_weeks(client_a: Client) -> None:
    content = checked(client_a, KIND, part_time_post(**day("planned_end_date", date(2027, 2, 15))))
    assert "planned to last 13 weeks, from" in content


def test_a_timetable_of_exactly_12_weeks_is_not_questioned(client_a: Client) -> None:
    content = checked(client_a, KIND, part_time_post(**day("planned_end_date", date(2027, 2, 8))))
    assert "longer than 12 weeks" not in content


def test_agreement_after_the_start_is_a_warning(client_a: Client) -> None:
    data = part_time_post(**day("parent_agreed_date", date(2026, 11, 18)))
    content = checked(client_a, KIND, data)
    assert "after the timetable started on 16 November 2026" in content


# -- reviews -------------------------------------------------------------------------------


def review_url(timetable: PartTimeTimetable) -> str:
    return reverse("schools:timetable_review", args=[timetable.reference])


def review_post(outcome: str = "continue", **overrides: str | date) -> dict[str, str]:
    """The review form's answers; a date fills in a date field's three inputs."""
    data = {
        **day("review_date", date(2026, 11, 20)),
        "outcome": outcome,
        "parent_agreed": "yes",
        "notes": "Going well",
        "version": "0",  # the page's hidden version: no review saved yet
    }
    if outcome == "continue":
        data |= day("continue_next_review_date", date(2026, 12, 11))
    return answered(data, overrides)


@pytest.fixture
def timetable(school_a: School) -> PartTimeTimetable:
    timetable: PartTimeTimetable = PartTimeTimetableFactory.create(
        school=school_a,
        start_date=date(2026, 11, 2),
        planned_end_date=date(2027, 1, 29),
        hours_per_week=Decimal("15"),
        next_review_date=date(2026, 11, 20),
    )
    return timetable


def test_the_review_form_reveals_questions_for_each_outcome(
    client_a: Client, timetable: PartTimeTimetable
) -> None:
    response = client_a.get(review_url(timetable))
    assert response.status_code == 200
    content = page(response)
    assert "Record a review of a part-time timetable" in content
    assert content.count('id="conditional_outcome_') == 2  # continue and changed, not ended
    assert 'name="continue_next_review_date_0"' in content
    assert 'name="hours_per_week"' in content


def test_the_review_page_names_the_pupil_so_showing_it_is_logged(
    client_a: Client, staff_a: User, timetable: PartTimeTimetable
) -> None:
    response = client_a.get(review_url(timetable))
    assert response.status_code == 200
    row = AccessLog.objects.get()
    assert (row.action, row.user, row.object_id) == (
        AccessAction.VIEW_RETURN,
        staff_a,
        timetable.pk,
    )


def test_a_review_that_continues_moves_the_next_review(
    client_a: Client, staff_a: User, timetable: PartTimeTimetable
) -> None:
    response = client_a.post(review_url(timetable), review_post(), follow=True)
    assert "Review saved: the next review is due on 11 December 2026" in page(response)
    review = TimetableReview.objects.get()
    assert review.outcome == ReviewOutcome.CONTINUE
    assert review.next_review_date == date(2026, 12, 11)
    assert review.hours_per_week is None
    assert review.planned_end_date is None
    assert review.created_by == staff_a
    timetable.refresh_from_db()
    assert timetable.next_review_date == date(2026, 12, 11)
    assert timetable.hours_per_week == Decimal("15")
    assert timetable.status == ReturnStatus.UNDER_REVIEW
    assert timetable.ended_on is None
    assert "Going well" in page(response)  # the detail page lists the review


class ReviewCase(NamedTuple):
    """A review for `outcome` sent with `overrides`: the review's fields saved, and the
    timetable's after it."""

    outcome: str
    overrides: dict[str, Any]
    saved: dict[str, Any]
    on_the_timetable: dict[str, Any]


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            ReviewCase(
                "changed",
                {
                    "hours_per_week": "20",
                    "planned_end_date": date(2027, 1, 15),
                    "next_review_date": date(2026, 12, 18),
                },
                {"outcome": ReviewOutcome.CHANGED},
                {
                    "hours_per_week": Decimal("20"),
                    "planned_end_date": date(2027, 1, 15),
                    "next_review_date": date(2026, 12, 18),
                },
            ),
            id="a review with changes changes the timetable",
        ),
        pytest.param(
            ReviewCase(
                "ended",
                {"hours_per_week": "not a number", "continue_next_review_date": date(2026, 12, 11)},
                {"outcome": ReviewOutcome.ENDED, "hours_per_week": None, "next_review_date": None},
                {},
            ),
            id="ending a timetable needs no more answers and drops hidden ones",
        ),
        pytest.param(
            ReviewCase("ended", {"parent_agreed": "no"}, {"parent_agreed": False}, {}),
            id="ending a timetable does not need the parent to agree",
        ),
    ],
)
def test_a_review_saves_what_its_outcome_asks(
    client_a: Client, timetable: PartTimeTimetable, case: ReviewCase
) -> None:
    client_a.post(review_url(timetable), review_post(case.outcome, **case.overrides))
    review = TimetableReview.objects.get()
    for name, value in case.saved.items():
        assert getattr(review, name) == value, name
    timetable.refresh_from_db()
    for name, value in case.on_the_timetable.items():
        assert getattr(timetable, name) == value, name


def test_a_review_that_ends_the_timetable_closes_it_and_refuses_another(
    client_a: Client, timetable: PartTimeTimetable
) -> None:
    response = client_a.post(review_url(timetable), review_post("ended"), follow=True)
    content = page(response)
    assert "Review saved: the part-time timetable has ended" in content
    assert "Record a review" not in content
    timetable.refresh_from_db()
    assert timetable.ended_on == date(2026, 11, 20)
    assert timetable.status == ReturnStatus.CLOSED

    again = client_a.post(review_url(timetable), review_post(), follow=True)
    assert ERROR_TIMETABLE_ENDED in page(again)
    assert TimetableReview.objects.count() == 1
    refused = client_a.get(review_url(timetable))
    assert refused["Location"] == reverse("schools:return_detail", args=[timetable.reference])


#: Each rule of the review form, by the outcome chosen: the answers that break it, its message.
REVIEW_RULES: dict[str, list[tuple[dict[str, Any], str]]] = {
    "continue": [
        (
            {"review_date": date(2026, 11, 24)},
            "The date of the review must be today or in the past",
        ),
        (
            {"review_date": date(2026, 10, 30)},
            "The date of the review must be on or after the day the timetable started, 2 November 2026",
        ),
        (blank("continue_next_review_date"), "Enter the date of the next review"),
        (
            {"continue_next_review_date": date(2026, 11, 20)},
            "The date of the next review must be after the date of the review",
        ),
        (
            {"continue_next_review_date": date(2027, 2, 1)},
            "The date of the next review must be on or before the planned end date, 29 January 2027",
        ),
        (
            {"parent_agreed": "no"},
            "A part-time timetable can only continue if the parent agrees to it",
        ),
    ],
    "": [({}, "Select what was decided at the review")],
    "changed": [
        (
            {"next_review_date": date(2026, 12, 18)},
            "Enter the new hours a week or the new planned end date",
        ),
        (
            {"hours_per_week": "35", "next_review_date": date(2026, 12, 18)},
            "Hours a week must be less than 32.5",
        ),
        (
            {"planned_end_date": date(2026, 11, 19), "next_review_date": date(2026, 12, 18)},
            "The new planned end date must be after the date of the review",
        ),
        (
            {"planned_end_date": date(2026, 12, 11), "next_review_date": date(2026, 12, 18)},
            "The date of the next review must be on or before the planned end date, 11 December 2026",
        ),
        ({"hours_per_week": "20"}, "Enter the date of the next review"),
    ],
}


@pytest.mark.parametrize(
    ("outcome", "overrides", "message"),
    [(outcome, *rule) for outcome, rules in REVIEW_RULES.items() for rule in rules],
)
def test_each_rule_of_a_review(
    client_a: Client,
    timetable: PartTimeTimetable,
    outcome: str,
    overrides: dict[str, Any],
    message: str,
) -> None:
    response = client_a.post(review_url(timetable), review_post(outcome, **overrides))
    refused_unsaved(response, message, TimetableReview)


def test_a_review_cannot_be_dated_before_the_last_one(
    client_a: Client, timetable: PartTimeTimetable, staff_a: User
) -> None:
    TimetableReview.objects.create(
        timetable=timetable,
        review_date=date(2026, 11, 20),
        outcome=ReviewOutcome.CONTINUE,
        next_review_date=date(2026, 12, 4),
        created_by=staff_a,
        updated_by=staff_a,
    )
    response = client_a.post(
        review_url(timetable), review_post(**day("review_date", date(2026, 11, 19)))
    )
    assert "on or after the last review, 20 November 2026" in page(response)


def test_a_stale_second_review_is_refused_and_shown_again_as_typed(
    client_a: Client, staff_a: User, school_a: School, timetable: PartTimeTimetable
) -> None:
    """Two people open the review page; the first saves. The second, still on the old
    version, is told and sees the form again with what they typed: nothing overridden."""
    from tests.conftest import client_for
    from tests.factories import MembershipFactory, UserFactory

    colleague = UserFactory.create(email="cara@alder.sch.uk", full_name="Cara Cole")
    MembershipFactory.create(user=colleague, school=school_a)
    other = client_for(colleague)
    opened = client_a.get(review_url(timetable)).context["form"]
    assert opened["version"].value() == 0
    assert 'name="version" value="0"' in page(other.get(review_url(timetable)))

    first = other.post(review_url(timetable), review_post())
    assert first.status_code == 302
    stale = client_a.post(
        review_url(timetable),
        review_post(
            "changed",
            hours_per_week="20",
            notes="Mine: more hours",
            **day("next_review_date", date(2026, 12, 18)),
        ),
    )
    content = refused(stale)
    assert (
        "Another review of this part-time timetable was saved on 23 November 2026 at 10am"
        in content
    )
    assert "by Cara Cole" in content
    assert "Mine: more hours" in content
    assert 'value="20"' in content
    # Nothing of the stale review was saved; the first review stands.
    review = TimetableReview.objects.get()
    assert review.created_by == colleague
    timetable.refresh_from_db()
    assert timetable.hours_per_week == Decimal("15")
    assert timetable.next_review_date == date(2026, 12, 11)
    # The form is now on the version it shows: saving again is a deliberate second review.
    version = stale.context["form"]["version"].value()
    assert str(version) == str(review.pk)
    assert f'name="version" value="{review.pk}"' in content
    again = client_a.post(
        review_url(timetable),
        review_post(
            "changed",
            hours_per_week="20",
            version=str(version),
            **day("next_review_date", date(2026, 12, 11)),
        ),
    )
    assert again.status_code == 302
    assert TimetableReview.objects.count() == 2
    timetable.refresh_from_db()
    assert timetable.hours_per_week == Decimal("20")


def test_a_review_without_the_pages_version_is_not_saved(
    client_a: Client, timetable: PartTimeTimetable
) -> None:
    data = review_post()
    del data["version"]
    response = client_a.post(review_url(timetable), data)
    assert response.status_code == 200
    assert "This page is out of date" in page(response)
    assert not TimetableReview.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_reviews_at_the_same_moment_from_one_version_save_one(
    school_a: School, staff_a: User
) -> None:
    """The version is checked with the timetable locked (select_for_update): of two saves
    from the same version at the same moment, the second waits, then is refused."""
    from django.db import connection

    from schools.services import StaleReviewError, timetable_review_record

    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL")
    with time_machine.travel(NOW, tick=False):
        timetable = PartTimeTimetableFactory.create(
            school=school_a,
            start_date=date(2026, 11, 2),
            planned_end_date=date(2027, 1, 29),
            next_review_date=date(2026, 11, 20),
        )

    def review() -> str:
        try:
            timetable_review_record(
                timetable=timetable,
                review=TimetableReview(
                    review_date=date(2026, 11, 20),
                    outcome=ReviewOutcome.CONTINUE,
                    next_review_date=date(2026, 12, 11),
                ),
                by=staff_a,
                version=0,
            )
        except StaleReviewError:
            return "stale"
        return "saved"

    assert sorted(at_once(review)) == ["saved", "stale"]
    assert TimetableReview.objects.count() == 1


@pytest.mark.parametrize(
    ("review_day", "why"),
    [
        (date(2026, 12, 25), "Christmas Day"),
        (date(2026, 12, 4), "a closure day for Alder Primary School (INSET day)"),
        (date(2026, 12, 7), "a closure day for every school in the area (Polling day)"),
    ],
    ids=["Christmas Day", "the school's closure", "an LA-wide closure"],
)
def test_a_next_review_on_a_closed_day_is_warned_about_on_the_check_page(
    client_a: Client, school_a: School, review_day: date, why: str
) -> None:
    ClosureFactory.create(school=school_a, date=date(2026, 12, 4))
    ClosureFactory.create(date=date(2026, 12, 7), reason="Polling day")
    ClosureFactory.create(school=SchoolFactory.create(urn=100099), date=date(2026, 12, 10))
    response = client_a.post(
        START,
        part_time_post(
            **day("next_review_date", review_day), **day("planned_end_date", date(2027, 1, 29))
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    content = page(client_a.get(CHECK))
    assert f"The next review date, {review_day:%-d %B %Y}, is {why}" in content
    assert "govuk-warning-text" in content


def test_a_next_review_on_another_schools_closure_or_an_open_day_is_not_warned(
    client_a: Client,
) -> None:
    ClosureFactory.create(school=SchoolFactory.create(urn=100099), date=date(2026, 12, 10))
    for review_day in (date(2026, 12, 10), date(2026, 12, 11)):
        client_a.post(START, part_time_post(**day("next_review_date", review_day)))
        assert "the school is closed that day" not in page(client_a.get(CHECK))


@pytest.mark.parametrize("outcome", ["continue", "changed"])
def test_a_review_on_a_closed_day_needs_confirming(
    client_a: Client, school_a: School, timetable: PartTimeTimetable, outcome: str
) -> None:
    """The review form has no check page: the date is questioned as an error, and kept if
    the person sends it again."""
    ClosureFactory.create(school=school_a, date=date(2026, 11, 20), reason="INSET day")
    field = "continue_next_review_date" if outcome == "continue" else "next_review_date"
    data = review_post(outcome, **day(field, date(2026, 12, 25)))
    if outcome == "changed":
        data["hours_per_week"] = "18"
    first = client_a.post(review_url(timetable), data)
    assert first.status_code == 200
    errors = first.context["form"].errors
    assert errors["review_date"] == [
        "20 November 2026 is a closure day for Alder Primary School (INSET day): the school is "
        "closed that day. Check the date. If it is right, select \u2018Save review\u2019 again "
        "to keep it"
    ]
    assert errors[field][0].startswith("25 December 2026 is Christmas Day")
    assert list(errors) == ["review_date", field]  # asked once for each date
    assert not TimetableReview.objects.exists()
    content = page(first)
    assert 'name="confirmed_dates" value="2026-11-20,2026-12-25"' in content
    assert "Going well" in content  # what was typed is kept
    again = client_a.post(
        review_url(timetable), {**data, "confirmed_dates": "2026-11-20,2026-12-25"}
    )
    assert again.status_code == 302
    review = TimetableReview.objects.get()
    assert review.review_date == date(2026, 11, 20)
    assert review.next_review_date == date(2026, 12, 25)


def test_a_confirmed_date_does_not_confirm_another(
    client_a: Client, school_a: School, timetable: PartTimeTimetable
) -> None:
    data = review_post(**day("continue_next_review_date", date(2026, 12, 25)))
    response = client_a.post(review_url(timetable), {**data, "confirmed_dates": "2026-12-24"})
    assert "continue_next_review_date" in response.context["form"].errors
    assert not TimetableReview.objects.exists()


def test_other_schools_staff_cannot_review_a_timetable(
    client_b: Client, timetable: PartTimeTimetable
) -> None:
    with time_machine.travel(NOW, tick=False):
        assert client_b.get(review_url(timetable)).status_code == 404
        assert client_b.post(review_url(timetable), review_post()).status_code == 404
    assert not TimetableReview.objects.exists()


def test_only_part_time_timetables_can_be_reviewed(client_a: Client, school_a: School) -> None:
    joiner = JoinerReturnFactory.create(school=school_a)
    url = reverse("schools:timetable_review", args=[joiner.reference])
    assert client_a.get(url).status_code == 404


@pytest.mark.parametrize("persona", ["officer_client", "manager_client"])
def test_la_staff_cannot_use_the_school_review_form(
    request: pytest.FixtureRequest, persona: str, timetable: PartTimeTimetable
) -> None:
    client = request.getfixturevalue(persona)
    assert client.get(review_url(timetable)).status_code == 403
    assert client.post(review_url(timetable), review_post()).status_code == 403


def test_anonymous_people_are_sent_to_sign_in_from_the_review(
    client: Client, timetable: PartTimeTimetable
) -> None:
    response = client.get(review_url(timetable))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_la_staff_cannot_start_a_part_time_return(officer_client: Client) -> None:
    assert officer_client.get(START).status_code == 403
