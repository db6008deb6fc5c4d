"""The school attendance order route (issue 17 item 2): every period in calendar days
beginning with the day of service, tested at its edges; the CME case; letters and PDFs."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from pytest_django import Settings

from casework.models import CaseStatus, Event, EventKind
from cme.models import OutboxChannel, OutboxEmail, User
from cme.statutory import calendar_days_from, period_beginning_with
from ehe import rules
from ehe.models import Answer, HomeEducation, Notice, NoticeKind, Suitability
from ehe.services.notices import notice_answer, notice_serve, servable_kinds
from ehe.services.register import EheError
from schools.models import School
from tests.conftest import client_for
from tests.ehe.helpers import not_suitable, on_register

pytestmark = pytest.mark.django_db

PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"
SERVED = date(2026, 11, 23)  # a Monday
LAST_DAY = date(2026, 12, 7)  # the 15th day, counting the day of service


def test_a_period_beginning_with_a_day_counts_that_day() -> None:
    assert period_beginning_with(SERVED, 15) == LAST_DAY
    assert period_beginning_with(SERVED, 1) == SERVED
    assert calendar_days_from(SERVED, LAST_DAY) == 15
    assert calendar_days_from(SERVED, SERVED - timedelta(days=1)) == 0
    with pytest.raises(ValueError, match="at least one day"):
        period_beginning_with(SERVED, 0)


def test_the_s437_period_is_at_least_15_days_over_christmas_too() -> None:
    assert rules.s437_period_end(SERVED) == LAST_DAY
    assert rules.s437_period_end(date(2026, 12, 18), 15) == date(2027, 1, 1)  # bank holidays count
    assert rules.s437_period_end(SERVED, 28) == date(2026, 12, 20)
    with pytest.raises(ValueError, match="at least 15 days"):
        rules.s437_period_end(SERVED, 14)


def test_the_s438_choice_period_is_15_days_beginning_with_service() -> None:
    assert rules.s438_choice_end(SERVED) == LAST_DAY
    assert not rules.period_over(LAST_DAY, LAST_DAY)
    assert rules.period_over(LAST_DAY, LAST_DAY + timedelta(days=1))


def unsuitable(by: User) -> HomeEducation:
    entry = on_register(by)
    not_suitable(entry, by, SERVED, "No evidence of education")
    entry.refresh_from_db()
    return entry


def serve(entry: HomeEducation, kind: NoticeKind, on: date, by: User, **extra: Any) -> Notice:
    """Serve a notice of `kind` on `on`, with any further fields of `notice_serve`."""
    return notice_serve(entry=entry, kind=kind, served_on=on, by=by, **extra)


def answer(notice: Notice, given: Answer, on: date, by: User, **extra: Any) -> None:
    """Record the parent's answer `given` to `notice` on `on`."""
    notice_answer(notice=notice, answer=given, answered_on=on, by=by, **extra)


@time_machine.travel("2026-11-23 10:00:00+00:00", tick=False)
def test_no_s437_notice_until_the_education_does_not_appear_suitable(ehe_officer: User) -> None:
    entry = on_register(ehe_officer)
    assert servable_kinds(entry, []) == []
    with pytest.raises(EheError, match="does not appear suitable"):
        serve(entry, NoticeKind.S437_1, SERVED, ehe_officer)


@time_machine.travel("2026-11-23 10:00:00+00:00", tick=False)
def test_a_s437_notice_is_dated_queued_and_in_the_chronology(ehe_officer: User) -> None:
    entry = unsuitable(ehe_officer)
    with pytest.raises(EheError, match="at least 15 days"):
        serve(entry, NoticeKind.S437_1, SERVED, ehe_officer, period_days=14)
    notice = serve(entry, NoticeKind.S437_1, SERVED, ehe_officer)
    assert (notice.period_days, notice.period_ends_on, notice.answer) == (15, LAST_DAY, "waiting")
    # The parent has a postal address (the child's) and an email: one letter, one email.
    assert (notice.letters_queued, notice.emails_queued) == (1, 1)
    letter = OutboxEmail.objects.get(channel=OutboxChannel.LETTER)
    assert letter.personalisation["address_line_1"] == "Ms Priya Patel"
    assert "by the end of Monday 7 December 2026" in letter.body
    event = Event.objects.get(kind=EventKind.NOTICE)
    assert "served on 23 November 2026" in event.summary
    assert "ends on 7 December 2026" in event.summary
    assert "1 letter and 1 email" in event.summary


@time_machine.travel("2026-11-23 10:00:00+00:00", tick=False)
def test_the_whole_route_with_its_edges(
    ehe_officer: User, school_a: School, school_b: School
) -> None:
    entry = unsuitable(ehe_officer)
    s437 = serve(entry, NoticeKind.S437_1, SERVED, ehe_officer)
    # The last day of the period: the parent still has until its end.
    with (
        time_machine.travel("2026-12-07 10:00:00+00:00", tick=False),
        pytest.raises(EheError, match="until the end of 7 December 2026"),
    ):
        answer(s437, Answer.NOT_SATISFIED, LAST_DAY, ehe_officer)
    dec_8 = date(2026, 12, 8)
    with time_machine.travel("2026-12-08 10:00:00+00:00", tick=False):
        answer(s437, Answer.NOT_SATISFIED, dec_8, ehe_officer)
        entry.refresh_from_db()
        # The child is missing education: a case opened through triage, reason unsuitable EHE.
        assert entry.case is not None
        assert entry.case.status == CaseStatus.OPEN
        assert entry.case.primary_reason_id == "unsuitable-ehe"
        assert entry.case.referral.status == "accepted"
        with pytest.raises(EheError, match="on or after 8 December 2026"):
            serve(entry, NoticeKind.INTENTION, LAST_DAY, ehe_officer, school=school_a)
        with pytest.raises(EheError, match="Select the school"):
            serve(entry, NoticeKind.INTENTION, dec_8, ehe_officer)
        intention = serve(
            entry,
            NoticeKind.INTENTION,
            dec_8,
            ehe_officer,
            school=school_a,
            alternatives=[school_b],
        )
        assert intention.period_ends_on == date(2026, 12, 22)
        assert list(intention.alternatives.all()) == [school_b]
    with (
        time_machine.travel("2026-12-22 10:00:00+00:00", tick=False),
        pytest.raises(EheError, match="until the end of 22 December"),
    ):
        answer(intention, Answer.NO_CHOICE, date(2026, 12, 22), ehe_officer)
    dec_23 = date(2026, 12, 23)
    with time_machine.travel("2026-12-23 10:00:00+00:00", tick=False):
        with pytest.raises(EheError, match="after the 15 days"):
            answer(intention, Answer.CHOSE_SCHOOL, dec_23, ehe_officer, school=school_b)
        answer(intention, Answer.NO_CHOICE, dec_23, ehe_officer)
        order = serve(entry, NoticeKind.ORDER, dec_23, ehe_officer)
        assert order.school == school_a
        entry.refresh_from_db()
        assert servable_kinds(entry, list(entry.notices.all())) == [
            NoticeKind.AMENDMENT,
            NoticeKind.REVOCATION,
        ]
        with pytest.raises(EheError, match="other than"):
            serve(entry, NoticeKind.AMENDMENT, dec_23, ehe_officer, school=school_a)
        amended = serve(entry, NoticeKind.AMENDMENT, dec_23, ehe_officer, school=school_b)
        assert amended.school == school_b
        with pytest.raises(EheError, match="reason"):
            serve(entry, NoticeKind.REVOCATION, dec_23, ehe_officer)
        reason = "Suitable education arranged at home (s442(2))"
        serve(entry, NoticeKind.REVOCATION, dec_23, ehe_officer, details=reason)
        entry.refresh_from_db()
        assert servable_kinds(entry, list(entry.notices.all())) == [NoticeKind.S437_1]


@time_machine.travel("2026-12-01 10:00:00+00:00", tick=False)
def test_a_choice_within_the_15_days_is_named_and_the_order_may_follow_at_once(
    ehe_officer: User, school_a: School, school_b: School
) -> None:
    entry = unsuitable(ehe_officer)
    s437 = serve(entry, NoticeKind.S437_1, date(2026, 11, 1), ehe_officer)
    answer(s437, Answer.NOT_SATISFIED, date(2026, 11, 16), ehe_officer)
    intention = serve(entry, NoticeKind.INTENTION, date(2026, 11, 17), ehe_officer, school=school_a)
    # The order is not served before the 15 days end (1 December), unless the parent chose.
    dec_1 = date(2026, 12, 1)
    with pytest.raises(EheError, match="from 2 December 2026"):
        serve(entry, NoticeKind.ORDER, dec_1, ehe_officer)
    answer(intention, Answer.CHOSE_SCHOOL, dec_1, ehe_officer, school=school_b)
    order = serve(entry, NoticeKind.ORDER, dec_1, ehe_officer)
    assert order.school == school_b


@time_machine.travel("2026-11-23 10:00:00+00:00", tick=False)
def test_satisfied_makes_the_education_appear_suitable(ehe_officer: User) -> None:
    entry = unsuitable(ehe_officer)
    s437 = serve(entry, NoticeKind.S437_1, SERVED, ehe_officer)
    answer(s437, Answer.SATISFIED, SERVED, ehe_officer)
    entry.refresh_from_db()
    assert entry.suitability == Suitability.SUITABLE
    assert entry.case is None


@time_machine.travel("2026-11-23 10:00:00+00:00", tick=False)
def test_with_the_act_in_force_the_preliminary_notice_comes_first(
    ehe_officer: User, settings: Settings
) -> None:
    settings.CME_CNIS_ENABLED = True
    entry = unsuitable(ehe_officer)
    assert servable_kinds(entry, []) == [NoticeKind.PRELIMINARY]
    with pytest.raises(EheError, match="preliminary notice"):
        serve(entry, NoticeKind.S437_1, SERVED, ehe_officer)
    pre = serve(entry, NoticeKind.PRELIMINARY, SERVED, ehe_officer)
    assert pre.period_ends_on == LAST_DAY
    with time_machine.travel("2026-12-08 10:00:00+00:00", tick=False):
        answer(pre, Answer.NOT_SATISFIED, date(2026, 12, 8), ehe_officer)
        assert servable_kinds(entry, list(entry.notices.all())) == [NoticeKind.S437_1]


def test_without_the_act_there_is_no_preliminary_notice(ehe_officer: User) -> None:
    entry = unsuitable(ehe_officer)
    assert servable_kinds(entry, []) == [NoticeKind.S437_1]


@time_machine.travel("2026-11-23 10:00:00+00:00", tick=False)
def test_the_letter_downloads_as_a_pdf_with_escaped_text(ehe_officer: User) -> None:
    entry = unsuitable(ehe_officer)
    details = "<script>alert(1)</script> Please reply"
    notice = serve(entry, NoticeKind.S437_1, SERVED, ehe_officer, details=details)
    response = client_for(ehe_officer).get(reverse("ehe:notice_pdf", args=[notice.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "Patel" not in response["Content-Disposition"]
    text = subprocess.run(  # noqa: S603 - a fixed program on bytes we made
        [PDFTOTEXT, "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "section 437(1)" in text
    assert "Monday 7 December 2026" in text
    assert "<script>alert(1)</script> Please reply" in text  # shown as text, not markup
