"""Issue 12: a return's page shows "Sent 23 November 2026 at 6:12am" (not "6:12a.m.") and
hours as "20 hours" (not "20.0 hours")."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine
from django.test import Client
from django.urls import reverse

from schools.models import ReviewOutcome, School, TimetableReview
from tests.conftest import NOW
from tests.factories import PartTimeTimetableFactory


@time_machine.travel(NOW, tick=False)
def test_the_return_page_shows_times_and_hours_in_govuk_style(
    client_a: Client, school_a: School
) -> None:
    timetable = PartTimeTimetableFactory.create(
        school=school_a,
        hours_per_week=Decimal("20"),
        submitted_at=datetime(2026, 11, 23, 6, 12, tzinfo=ZoneInfo("Europe/London")),
    )
    TimetableReview.objects.create(
        timetable=timetable,
        review_date=date(2026, 11, 20),
        outcome=ReviewOutcome.CHANGED,
        hours_per_week=Decimal("12.5"),
    )
    content = client_a.get(reverse("schools:return_detail", args=[timetable.reference]))
    html = content.content.decode()
    assert "23 November 2026 at 6:12am" in html
    assert "a.m." not in html
    assert "20 hours" in html
    assert "20.0 hours" not in html
    assert "12.5 hours" in html


@time_machine.travel(NOW, tick=False)
def test_the_review_page_shows_whole_hours_without_a_point(
    client_a: Client, school_a: School
) -> None:
    timetable = PartTimeTimetableFactory.create(school=school_a, hours_per_week=Decimal("20"))
    html = client_a.get(
        reverse("schools:timetable_review", args=[timetable.reference])
    ).content.decode()
    assert "20 hours" in html
    assert "20.0 hours" not in html
