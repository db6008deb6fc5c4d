"""The DfE return's EHE part (issue 17 item 5): the counts at the census date from the EHE
register, and the CME return screen that shows them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from cme.models import User
from ehe.models import HomeEducation, Notice, NoticeKind, Source, Status, Suitability
from ehe.selectors import CensusCounts, census_counts
from ehe.services.register import suitability_record
from reports.census_services import census_submit
from reports.models import CensusDate
from tests.conftest import client_for
from tests.ehe.helpers import on_register

pytestmark = pytest.mark.django_db

CENSUS = date(2026, 10, 1)


def test_the_counts_at_the_census_date(ehe_officer: User) -> None:
    with time_machine.travel("2026-09-20 10:00:00+00:00", tick=False):
        counted = on_register(ehe_officer)
        view(counted, Suitability.NOT_SUITABLE, date(2026, 9, 15), ehe_officer)
        counted.source = Source.LEAVER_RETURN
        counted.save()
        Notice.objects.create(
            home_education=counted, kind=NoticeKind.ORDER, served_on=date(2026, 9, 25)
        )
        Notice.objects.create(
            home_education=counted, kind=NoticeKind.AMENDMENT, served_on=date(2026, 9, 26)
        )
        suitable = on_register(ehe_officer, first_name="Sam", date_of_birth=date(2015, 1, 1))
        view(suitable, Suitability.SUITABLE, date(2026, 9, 10), ehe_officer)
        suitable.started_on = CENSUS - timedelta(weeks=20)
        suitable.save()
        # Ended on the census date: not on the register at its end.
        gone = on_register(ehe_officer, first_name="Gus", date_of_birth=date(2014, 1, 1))
        gone.status, gone.ended_on = Status.ENDED, CENSUS
        gone.save()
        # Ended the day after: still counted.
        later = on_register(ehe_officer, first_name="Lee", date_of_birth=date(2013, 1, 1))
        later.status, later.ended_on = Status.ENDED, CENSUS + timedelta(days=1)
        later.save()
    with time_machine.travel("2026-10-02 10:00:00+00:00", tick=False):
        on_register(ehe_officer, first_name="New", date_of_birth=date(2012, 1, 1))
    counts = census_counts(CENSUS)
    assert counts.total == 3
    assert counts.new_in_term == 2  # started 1 September 2026 (the helper), not 20 weeks back
    assert (counts.suitable, counts.not_suitable, counts.not_assessed) == (1, 1, 1)
    assert counts.from_leaver_returns == 1
    assert counts.with_order == 1  # one child, however many order notices
    assert counts.with_cme_case == 0


def view(entry: HomeEducation, suitability: Suitability, on: date, by: User) -> None:
    suitability_record(
        entry=entry, suitability=suitability, formed_on=on, reasons="Seen the work", by=by
    )


def test_the_view_counted_is_the_one_on_the_census_date(ehe_officer: User) -> None:
    with time_machine.travel("2026-09-20 10:00:00+00:00", tick=False):
        entry = on_register(ehe_officer)
        view(entry, Suitability.SUITABLE, date(2026, 9, 15), ehe_officer)
        other = on_register(ehe_officer, first_name="Ivy", date_of_birth=date(2015, 2, 2))
    with time_machine.travel("2026-10-05 10:00:00+00:00", tick=False):
        # Formed after the census date: today's view, not the census date's.
        view(entry, Suitability.NOT_SUITABLE, date(2026, 10, 5), ehe_officer)
        # Formed on the census date itself (recorded later): counted.
        view(other, Suitability.NOT_SUITABLE, CENSUS, ehe_officer)
    counts = census_counts(CENSUS)
    assert (counts.suitable, counts.not_suitable, counts.not_assessed) == (1, 1, 0)
    later = census_counts(date(2026, 10, 6))
    assert (later.suitable, later.not_suitable, later.not_assessed) == (0, 2, 0)


def test_the_cme_return_screen_shows_the_ehe_part(manager: User) -> None:
    census = CensusDate.objects.get(term="autumn")
    with time_machine.travel(census.census_date - timedelta(days=5), tick=False):
        on_register(manager)
    page = client_for(manager).get(reverse("dashboard:cme_return"), {"census": census.pk})
    body = page.content.decode()
    assert "Elective home education at the census date" in body
    assert "Children electively home educated on the census date" in body


def test_a_submitted_return_keeps_its_ehe_part_as_it_stood(manager: User) -> None:
    census = CensusDate.objects.get(term="autumn")
    with time_machine.travel(census.census_date - timedelta(days=5), tick=False):
        on_register(manager)
    with time_machine.travel(census.census_date + timedelta(days=1), tick=False):
        submission = census_submit(census=census, by=manager)
        # A child registered after the return was submitted changes the live figures only.
        on_register(manager, first_name="Zed", date_of_birth=date(2014, 4, 4))
        client = client_for(manager)
        frozen = client.get(reverse("dashboard:cme_submission", args=[submission.pk]))
    assert submission.ehe["total"] == 1
    body = frozen.content.decode()
    assert "Elective home education at the census date" in body
    assert census_counts(census.census_date).total == 1  # registered after the census date
    assert CensusCounts.thawed(census.census_date, submission.ehe).rows() == (
        census_counts(census.census_date).rows()
    )
