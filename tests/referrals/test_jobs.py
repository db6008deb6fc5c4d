"""The referrals the schools checks call for (referrals.jobs.raise_pending_referrals): raised
once, after the check has flagged the returns (tests/schools/jobs/helpers.py describes the
calendar).
"""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from cme.models import Notification, User
from referrals.jobs import raise_pending_referrals
from referrals.models import Reason, Referral, SystemTrigger
from schools.models import ReturnStatus, School, Whereabouts
from tests.factories import ReferralFactory
from tests.schools.jobs.helpers import absence, calendar, leaver_to, on
from tests.schools.jobs.helpers import run_and_raise as run

__all__ = ["calendar"]  # the fixture


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
    calendar: None,
    school_a: School,
    staff_a: User,
    manager: User,
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
    calendar: None,
    school_a: School,
    staff_a: User,
    manager: User,
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


def test_an_unmatched_leaver_raises_exactly_one_referral(
    calendar: None, school_a: School, school_b: School
) -> None:
    leaver = leaver_to(school_a, school_b)
    with on(date(2026, 6, 2)):
        first = run("unmatched_leavers")
        second = run("unmatched_leavers")
    assert leaver.reference in first
    assert "flagged 1" in first
    assert "flagged 0" in second
    referral = Referral.objects.get()
    assert referral.trigger == SystemTrigger.UNMATCHED_LEAVER
    assert referral.source_return_id == leaver.pk
    assert Reason.FAILED_TRANSITION in referral.reasons
    leaver.refresh_from_db()
    assert leaver.transition_flagged_at is not None
    assert leaver.status == ReturnStatus.REFERRED


def test_an_unmatched_leaver_goes_to_triage_as_a_referral_not_a_notification(
    calendar: None,
    school_a: School,
    school_b: School,
    staff_a: User,
    manager: User,
) -> None:
    leaver_to(school_a, school_b)
    with on(date(2026, 6, 2)):
        run("unmatched_leavers")
    assert Referral.objects.count() == 1
    assert not Notification.objects.exists()


def test_a_bulk_reference_taken_by_an_older_referral_is_raised_on_the_next_run(
    calendar: None,
    school_a: School,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A reference collision in the bulk insert (ignore_conflicts) is not taken for the older
    referral: nothing is counted or attached to it, and the next run raises the return."""
    import referrals.services

    older = ReferralFactory.create(reference="RF-AAAA-AAAA")
    notification = absence(
        school_a, first_day_of_absence=date(2026, 4, 20), whereabouts=Whereabouts.UNKNOWN
    )
    handed = iter(["RF-AAAA-AAAA", "RF-BBBB-BBBB"])
    monkeypatch.setattr(referrals.services, "new_reference", lambda prefix: next(handed))
    with on(date(2026, 5, 19)):
        call_command("run_check", "continuous_absence", stdout=StringIO())
        assert raise_pending_referrals() == 0
        older.refresh_from_db()
        assert older.people.count() == 0
        assert older.source_return_id is None
        notification.refresh_from_db()
        assert notification.status != ReturnStatus.REFERRED
        assert raise_pending_referrals() == 1
    assert Referral.objects.get(source_return=notification).reference == "RF-BBBB-BBBB"
