"""The checks that raise referrals: continuous absence (reg 9(1)(h), (i)) and unmatched leavers.

The LA's calendar in these tests, summer 2026: first half term 13 April to 22 May, with the
early May bank holiday (Monday 4 May) and an INSET day (Friday 15 May) inside it; half-term
week 25 to 29 May (25 May a bank holiday); second half term 1 June to 22 July.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from pytest_django import DjangoAssertNumQueries

from cme.models import Notification, User
from cme.statutory import add_school_days, school_day_back, school_days_threshold_date
from referrals.jobs import raise_pending_referrals
from referrals.models import Reason, Referral, SystemTrigger
from schools.models import (
    AbsenceNotification,
    AbsenceType,
    DestinationType,
    JoinerReturn,
    LeaverReturn,
    ReturnStatus,
    School,
    Whereabouts,
)
from schools.selectors import term_calendar_for
from tests.factories import (
    AbsenceNotificationFactory,
    ClosureFactory,
    JoinerReturnFactory,
    LeaverReturnFactory,
    SchoolFactory,
    TermFactory,
)

LONDON = ZoneInfo("Europe/London")
EARLY_MAY_BANK_HOLIDAY = date(2026, 5, 4)
INSET_DAY = date(2026, 5, 15)


@contextmanager
def on(day: date) -> Iterator[None]:
    """Frozen at 06:30 on `day`, when beat runs the checks."""
    with time_machine.travel(
        datetime(day.year, day.month, day.day, 6, 30, tzinfo=LONDON), tick=False
    ):
        yield


def run(name: str, *args: str) -> str:
    """The check, then (a real run) its follow-up work, as the outbox task does after the
    commit: the referrals the sweep flagged are raised in bulk (raise_pending_referrals)."""
    out = StringIO()
    call_command("run_check", name, *args, stdout=out)
    if "--dry-run" not in args:
        raise_pending_referrals()
    return out.getvalue()


@pytest.fixture
def calendar(db: None) -> None:
    TermFactory.create(name="Summer 1 2026", start=date(2026, 4, 13), end=date(2026, 5, 22))
    TermFactory.create(name="Summer 2 2026", start=date(2026, 6, 1), end=date(2026, 7, 22))
    ClosureFactory.create(date=INSET_DAY)


def absence(school: School, **fields: object) -> AbsenceNotification:
    with on(date(2026, 4, 22)):
        notification: AbsenceNotification = AbsenceNotificationFactory.create(
            school=school, **fields
        )
        return notification


def test_the_calendar_in_these_tests(calendar: None, school_a: School) -> None:
    cal = term_calendar_for(school_a, date(2026, 1, 1), date(2026, 12, 31))
    # The counting the job does backwards agrees with the statutory helpers counting forwards.
    assert school_days_threshold_date(cal, date(2026, 4, 20), 20) == date(2026, 5, 19)
    assert school_day_back(cal, date(2026, 5, 19), 20) == date(2026, 4, 20)
    assert add_school_days(cal, date(2026, 5, 8), 10) == date(2026, 6, 1)
    assert school_day_back(cal, date(2026, 6, 1), 10) == date(2026, 5, 11)
    assert school_day_back(cal, date(2026, 4, 20), 20) is None  # not enough terms behind


# ------------------------------------------------------------------------ continuous absence


@pytest.mark.parametrize(
    ("today", "flagged"),
    [
        (date(2026, 5, 18), False),  # 19 school days: 4 May bank holiday and 15 May INSET skipped
        (date(2026, 5, 19), True),  # the 20th school day
    ],
)
def test_twenty_school_days_of_unauthorised_absence_reach_the_threshold(
    calendar: None, school_a: School, today: date, flagged: bool
) -> None:
    notification = absence(school_a, first_day_of_absence=date(2026, 4, 20))
    with on(today):
        run("continuous_absence")
    notification.refresh_from_db()
    assert notification.threshold_reached_on == (today if flagged else None)


@pytest.mark.parametrize(
    ("today", "flagged"),
    [
        (date(2026, 6, 12), False),  # 19 school days, half-term week and a weekend between
        (date(2026, 6, 13), False),  # Saturday: still 19
        (date(2026, 6, 14), False),  # Sunday: still 19
        (date(2026, 6, 15), True),  # Monday: the 20th
    ],
)
def test_weekends_and_half_term_are_not_school_days(
    calendar: None, school_a: School, today: date, flagged: bool
) -> None:
    notification = absence(school_a, first_day_of_absence=date(2026, 5, 11))
    with on(today):
        run("continuous_absence")
    notification.refresh_from_db()
    assert (notification.threshold_reached_on is not None) is flagged


@pytest.mark.parametrize(
    ("today", "flagged"),
    [
        (date(2026, 5, 22), False),  # 9 school days after the leave ended (INSET skipped)
        (date(2026, 5, 30), False),  # half term: still 9
        (date(2026, 6, 1), True),  # the 10th, first day of the next half term
    ],
)
def test_ten_school_days_after_leave_of_absence_reach_the_threshold(
    calendar: None, school_a: School, today: date, flagged: bool
) -> None:
    notification = absence(
        school_a,
        absence_type=AbsenceType.AFTER_LEAVE,
        leave_end_date=date(2026, 5, 8),
        first_day_of_absence=date(2026, 5, 11),
    )
    with on(today):
        run("continuous_absence")
    notification.refresh_from_db()
    assert (notification.threshold_reached_on is not None) is flagged


def test_a_school_with_its_own_terms_counts_on_them(
    calendar: None, school_a: School, school_b: School
) -> None:
    # Birch Academy's summer term starts two weeks after the LA's.
    TermFactory.create(
        school=school_b, name="Summer", start=date(2026, 4, 27), end=date(2026, 7, 17)
    )
    at_a = absence(school_a, first_day_of_absence=date(2026, 4, 20))
    at_b = absence(school_b, first_day_of_absence=date(2026, 4, 20))
    with on(date(2026, 5, 19)):
        run("continuous_absence")
    at_a.refresh_from_db()
    at_b.refresh_from_db()
    assert at_a.threshold_reached_on == date(2026, 5, 19)
    assert at_b.threshold_reached_on is None


def test_schools_on_their_own_calendars_and_on_the_las_in_one_run(
    calendar: None, school_a: School, school_b: School
) -> None:
    """Each school's cut-off in the same run: the LA's calendar (Alder), an INSET day of its
    own (Birch: Monday 8 June), terms of its own with no half term (Cedar), and terms of its
    own that began too recently to hold 20 school days (Damson: from 1 June)."""
    cedar = SchoolFactory.create(urn=100003, name="Cedar Free School")
    damson = SchoolFactory.create(urn=100004, name="Damson Academy")
    ClosureFactory.create(school=school_b, date=date(2026, 6, 8))
    TermFactory.create(school=cedar, name="Summer", start=date(2026, 4, 13), end=date(2026, 7, 17))
    TermFactory.create(
        school=damson, name="Summer 2", start=date(2026, 6, 1), end=date(2026, 7, 17)
    )

    def unauthorised(school: School, first_day: date) -> AbsenceNotification:
        with on(date(2026, 6, 12)):
            notification: AbsenceNotification = AbsenceNotificationFactory.create(
                school=school, first_day_of_absence=first_day
            )
            return notification

    def after_leave(school: School, leave_end: date) -> AbsenceNotification:
        with on(date(2026, 6, 12)):
            notification: AbsenceNotification = AbsenceNotificationFactory.create(
                school=school,
                absence_type=AbsenceType.AFTER_LEAVE,
                leave_end_date=leave_end,
                first_day_of_absence=leave_end,
            )
            return notification

    # On Monday 15 June the 20th school day back is 11 May on the LA's calendar, 8 May at
    # Birch, 18 May at Cedar (no half term); the 10th is 2 June, and 1 June at Birch.
    expected = {
        unauthorised(school_a, date(2026, 5, 11)): True,
        unauthorised(school_a, date(2026, 5, 12)): False,
        after_leave(school_a, date(2026, 6, 1)): True,
        unauthorised(school_b, date(2026, 5, 8)): True,
        unauthorised(school_b, date(2026, 5, 11)): False,
        after_leave(school_b, date(2026, 6, 1)): False,
        unauthorised(cedar, date(2026, 5, 18)): True,
        unauthorised(cedar, date(2026, 5, 19)): False,
        unauthorised(damson, date(2026, 3, 2)): False,  # not 20 school days in its terms yet
        after_leave(damson, date(2026, 6, 1)): True,
    }
    due = sorted(n.reference for n, flagged in expected.items() if flagged)
    with on(date(2026, 6, 15)):
        dry = run("continuous_absence", "--dry-run")
        out = run("continuous_absence")
    for notification, flagged in expected.items():
        assert (notification.reference in dry) is flagged
        assert (notification.reference in out) is flagged
        notification.refresh_from_db()
        assert notification.threshold_reached_on == (date(2026, 6, 15) if flagged else None)
    assert f"would flag {len(due)}" in dry and f"flagged {len(due)}," in out


def test_school_staff_and_managers_are_prompted_once_however_often_it_runs(
    calendar: None, school_a: School, staff_a: User, staff_b: User, manager: User, officer: User
) -> None:
    notification = absence(
        school_a, first_day_of_absence=date(2026, 4, 20), whereabouts=Whereabouts.KNOWN
    )
    with on(date(2026, 5, 19)):
        first = run("continuous_absence")
        second = run("continuous_absence")
    with on(date(2026, 5, 20)):
        run("continuous_absence")
    assert notification.reference in first
    assert "flagged 1, notified 2" in first
    assert "flagged 0, notified 0" in second
    for user in (staff_a, manager):
        sent = Notification.objects.get(user=user)  # one per person per day
        assert sent.key == f"continuous_absence:{user.pk}:2026-05-19"
        assert sent.title.startswith("1 absence notification at the deletion threshold")
        assert notification.reference in sent.body
        assert notification.first_name not in sent.title + sent.body
        assert "joint reasonable enquiries" in sent.body
    assert not Notification.objects.filter(user__in=[staff_b, officer]).exists()
    notification.refresh_from_db()
    assert notification.threshold_reached_on == date(2026, 5, 19)
    assert not Referral.objects.exists()  # whereabouts known: no referral


def test_the_school_and_the_la_see_the_threshold_on_the_return(
    calendar: None,
    school_a: School,
    staff_a: User,
    manager: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    from django.urls import reverse

    from tests.conftest import client_for

    reached = absence(school_a, first_day_of_absence=date(2026, 4, 20))
    waiting = absence(school_a, first_day_of_absence=date(2026, 5, 11))
    with on(date(2026, 5, 19)):
        run("continuous_absence")
        school, la = client_for(staff_a), client_for(manager)
        listed = school.get(reverse("schools:return_list")).content.decode()
        tag = "Deletion threshold reached</strong>"

        def row(html: str, r: AbsenceNotification) -> str:
            return html.split(f">{r.reference}</a>")[1].split("</tr>")[0]

        assert tag in row(listed, reached) and tag not in row(listed, waiting)
        la_list = la.get(reverse("schools:la_returns")).content.decode()
        assert tag in row(la_list, reached) and tag not in row(la_list, waiting)
        detail = school.get(reverse("schools:return_detail", args=[reached.reference]))
        assert "Reached on 19 May 2026. The school and the CME team must make joint" in (
            detail.content.decode()
        )
        other = la.get(reverse("schools:la_return_detail", args=[waiting.reference]))
        assert "Deletion threshold</dt>" in other.content.decode()
        assert "Not reached" in other.content.decode()
        for _ in range(5):
            absence(school_a, first_day_of_absence=date(2026, 4, 20))
        run("continuous_absence")
        with django_assert_max_num_queries(12):  # the same whatever the number of returns
            assert school.get(reverse("schools:return_list")).status_code == 200


def test_whereabouts_unknown_raises_one_referral(
    calendar: None, school_a: School, staff_a: User, manager: User
) -> None:
    notification = absence(
        school_a, first_day_of_absence=date(2026, 4, 20), whereabouts=Whereabouts.UNKNOWN
    )
    with on(date(2026, 5, 19)):
        run("continuous_absence")
        run("continuous_absence")
    referral = Referral.objects.get()
    assert referral.source_return_id == notification.pk
    assert referral.trigger == SystemTrigger.ABSENCE_THRESHOLD
    assert referral.reasons == [Reason.STOPPED_ATTENDING]
    assert notification.reference in referral.details
    notification.refresh_from_db()
    assert notification.status == ReturnStatus.REFERRED
    # The bulk UPDATE that marks it referred is recorded in the return's history too.
    latest = notification.history.latest("history_date", "history_id")
    assert (latest.status, latest.history_type) == (ReturnStatus.REFERRED, "~")
    assert (
        "referral to Children Missing Education has been raised"
        in Notification.objects.get(user=staff_a).body
    )


def test_a_notification_referred_when_sent_is_not_referred_again_at_the_threshold(
    calendar: None, school_a: School, staff_a: User, manager: User
) -> None:
    """Issue 12 A9: whereabouts unknown is referred when the school sends it; the sweep at
    the deletion threshold does not put the same child in triage a second time."""
    from referrals.services import referral_raise_from_return

    notification = absence(
        school_a, first_day_of_absence=date(2026, 4, 20), whereabouts=Whereabouts.UNKNOWN
    )
    referral_raise_from_return(
        school_return=notification, trigger=SystemTrigger.ABSENCE_WHEREABOUTS_UNKNOWN
    )
    with on(date(2026, 5, 19)):
        run("continuous_absence")
    assert list(Referral.objects.values_list("trigger", flat=True)) == [
        SystemTrigger.ABSENCE_WHEREABOUTS_UNKNOWN
    ]


def test_the_sweep_only_flags_the_follow_up_raises_the_referral_once(
    calendar: None, school_a: School, staff_a: User, manager: User
) -> None:
    """The outbox: the sweep raises no referral; raise_pending_referrals raises it, once,
    however often it runs (the unique (source_return, trigger) constraint decides)."""
    notification = absence(
        school_a, first_day_of_absence=date(2026, 4, 20), whereabouts=Whereabouts.UNKNOWN
    )
    with on(date(2026, 5, 19)):
        call_command("run_check", "continuous_absence", stdout=StringIO())
        assert not Referral.objects.exists()
        assert raise_pending_referrals() == 1
        assert raise_pending_referrals() == 0
    referral = Referral.objects.get()
    assert referral.source_return_id == notification.pk
    assert referral.reference.startswith("RF-")
    notification.refresh_from_db()
    assert notification.status == ReturnStatus.REFERRED


def test_a_dry_run_lists_references_and_changes_nothing(
    calendar: None, school_a: School, staff_a: User, manager: User
) -> None:
    due = absence(school_a, first_day_of_absence=date(2026, 4, 20))
    not_yet = absence(school_a, first_day_of_absence=date(2026, 4, 21))
    with on(date(2026, 5, 19)):
        out = run("continuous_absence", "--dry-run")
    assert due.reference in out and not_yet.reference not in out
    assert "would flag 1" in out
    due.refresh_from_db()
    assert due.threshold_reached_on is None
    assert not Notification.objects.exists() and not Referral.objects.exists()


def test_closed_notifications_are_not_flagged(calendar: None, school_a: School) -> None:
    notification = absence(
        school_a, first_day_of_absence=date(2026, 4, 20), status=ReturnStatus.CLOSED
    )
    with on(date(2026, 5, 19)):
        run("continuous_absence")
    notification.refresh_from_db()
    assert notification.threshold_reached_on is None


# ------------------------------------------------------------------------- unmatched leavers


def leaver_to(school: School, to: School, **fields: object) -> LeaverReturn:
    values: dict[str, object] = {
        "first_name": "Maya",
        "last_name": "Patel",
        "date_of_birth": date(2016, 3, 14),
        "ground_met_date": date(2026, 5, 8),
        "deletion_date": date(2026, 5, 8),
        "destination_type": DestinationType.IN_AREA,
        "destination_school": to,
        "destination_school_name": "",
        "destination_la": "",
        **fields,
    }
    with on(date(2026, 5, 8)):
        leaver: LeaverReturn = LeaverReturnFactory.create(school=school, **values)
        return leaver


def joiner_at(school: School, **fields: object) -> JoinerReturn:
    values: dict[str, object] = {
        "first_name": "Maya",
        "last_name": "Patel",
        "date_of_birth": date(2016, 3, 14),
        "admission_date": date(2026, 5, 11),
        **fields,
    }
    with on(date(2026, 5, 12)):
        joiner: JoinerReturn = JoinerReturnFactory.create(school=school, **values)
        return joiner


def test_a_joiner_return_for_the_same_pupil_is_linked_to_the_leaver(
    calendar: None, school_a: School, school_b: School
) -> None:
    leaver = leaver_to(school_a, school_b)
    joiner = joiner_at(school_b, first_name="MAYA", last_name="patel")
    with on(date(2026, 5, 13)):
        run("unmatched_leavers")
    joiner.refresh_from_db()
    leaver.refresh_from_db()
    assert joiner.matched_leaver_id == leaver.pk
    assert joiner.status == ReturnStatus.MATCHED and leaver.status == ReturnStatus.MATCHED
    with on(date(2026, 6, 30)):
        out = run("unmatched_leavers")
    assert "flagged 0" in out and not Referral.objects.exists()


def test_the_upn_decides_when_both_returns_give_one(
    calendar: None, school_a: School, school_b: School
) -> None:
    leaver = leaver_to(school_a, school_b, upn="A123456789012")
    same_upn_other_spelling = joiner_at(school_b, first_name="Maia", upn="A123456789012")
    with on(date(2026, 5, 13)):
        run("unmatched_leavers")
    same_upn_other_spelling.refresh_from_db()
    assert same_upn_other_spelling.matched_leaver_id == leaver.pk


def test_a_different_upn_is_a_different_pupil(
    calendar: None, school_a: School, school_b: School
) -> None:
    leaver_to(school_a, school_b, upn="A123456789012")
    other = joiner_at(school_b, upn="B123456789012")
    with on(date(2026, 5, 13)):
        run("unmatched_leavers")
    other.refresh_from_db()
    assert other.matched_leaver_id is None


@pytest.mark.parametrize(
    "fields",
    [
        {"date_of_birth": date(2016, 3, 15)},  # another child
        {"admission_date": date(2026, 3, 1)},  # an earlier stay at that school
    ],
)
def test_joiners_that_do_not_fit_are_not_linked(
    calendar: None, school_a: School, school_b: School, fields: dict[str, Any]
) -> None:
    leaver_to(school_a, school_b)
    joiner = joiner_at(school_b, **fields)
    with on(date(2026, 5, 13)):
        run("unmatched_leavers")
    joiner.refresh_from_db()
    assert joiner.matched_leaver_id is None


def test_a_joiner_at_another_school_is_not_linked(
    calendar: None, school_a: School, school_b: School
) -> None:
    leaver_to(school_a, school_b)
    joiner = joiner_at(SchoolFactory.create(urn=100099))
    with on(date(2026, 5, 13)):
        run("unmatched_leavers")
    joiner.refresh_from_db()
    assert joiner.matched_leaver_id is None


@pytest.mark.parametrize(
    ("today", "flagged"),
    [
        (date(2026, 6, 1), False),  # the 10th school day after the deletion: still in time
        (date(2026, 6, 2), True),
    ],
)
def test_no_joiner_within_ten_school_days_is_a_transition_not_completed(
    calendar: None, school_a: School, school_b: School, today: date, flagged: bool
) -> None:
    leaver = leaver_to(school_a, school_b)
    with on(today):
        run("unmatched_leavers")
    assert Referral.objects.filter(source_return=leaver).exists() is flagged


def test_the_transition_counts_on_the_new_schools_calendar(
    calendar: None, school_a: School, school_b: School
) -> None:
    """Birch has an INSET day of its own on Monday 1 June: its leaver's 10 school days end a
    day later than those of a leaver to Alder (the LA's calendar), in the same runs."""
    ClosureFactory.create(school=school_b, date=date(2026, 6, 1))
    to_alder = leaver_to(school_b, school_a)
    to_birch = leaver_to(school_a, school_b, first_name="Amir", last_name="Khan")
    with on(date(2026, 6, 2)):
        first = run("unmatched_leavers")
    assert to_alder.reference in first and to_birch.reference not in first
    with on(date(2026, 6, 3)):
        second = run("unmatched_leavers")
    assert to_birch.reference in second and "flagged 1" in second
    assert Referral.objects.filter(source_return__in=[to_alder, to_birch]).count() == 2


def test_an_unmatched_leaver_raises_exactly_one_referral(
    calendar: None, school_a: School, school_b: School
) -> None:
    leaver = leaver_to(school_a, school_b)
    with on(date(2026, 6, 2)):
        first = run("unmatched_leavers")
        second = run("unmatched_leavers")
    assert leaver.reference in first and "flagged 1" in first
    assert "flagged 0" in second
    referral = Referral.objects.get()
    assert referral.trigger == SystemTrigger.UNMATCHED_LEAVER
    assert referral.source_return_id == leaver.pk
    assert Reason.FAILED_TRANSITION in referral.reasons
    leaver.refresh_from_db()
    assert leaver.transition_flagged_at is not None
    assert leaver.status == ReturnStatus.REFERRED


def test_the_clock_starts_at_the_later_start_date_at_the_new_school(
    calendar: None, school_a: School, school_b: School
) -> None:
    leaver = leaver_to(school_a, school_b, destination_start_date=date(2026, 5, 18))
    with on(date(2026, 6, 8)):  # the 10th school day after Monday 18 May (half term between)
        run("unmatched_leavers")
    assert not Referral.objects.exists()
    with on(date(2026, 6, 9)):
        run("unmatched_leavers")
    assert Referral.objects.filter(source_return=leaver).count() == 1


@override_settings(CME_TRANSITION_SCHOOL_DAYS=5)
def test_the_number_of_school_days_is_a_setting(
    calendar: None, school_a: School, school_b: School
) -> None:
    leaver_to(school_a, school_b)
    with on(date(2026, 5, 19)):  # 5 school days after 8 May end on 18 May (INSET skipped)
        run("unmatched_leavers")
    assert Referral.objects.count() == 1


def test_leavers_to_other_destinations_are_not_checked(
    calendar: None, school_a: School, school_b: School
) -> None:
    with on(date(2026, 5, 8)):
        LeaverReturnFactory.create(school=school_a, deletion_date=date(2026, 5, 8))  # out of area
    with on(date(2026, 7, 1)):
        run("unmatched_leavers")
    assert not Referral.objects.exists()


def test_unmatched_leavers_dry_run_changes_nothing(
    calendar: None, school_a: School, school_b: School
) -> None:
    leaver = leaver_to(school_a, school_b)
    matched = leaver_to(school_a, school_b, first_name="Amir", last_name="Khan")
    joiner = joiner_at(school_b, first_name="Amir", last_name="Khan")
    with on(date(2026, 6, 2)):
        out = run("unmatched_leavers", "--dry-run")
    assert leaver.reference in out and matched.reference not in out
    assert "would flag 1" in out
    joiner.refresh_from_db()
    leaver.refresh_from_db()
    assert joiner.matched_leaver_id is None and leaver.transition_flagged_at is None
    assert not Referral.objects.exists()


def test_an_unmatched_leaver_goes_to_triage_as_a_referral_not_a_notification(
    calendar: None, school_a: School, school_b: School, staff_a: User, manager: User
) -> None:
    leaver_to(school_a, school_b)
    with on(date(2026, 6, 2)):
        run("unmatched_leavers")
    assert Referral.objects.count() == 1
    assert not Notification.objects.exists()
