"""Each board figure on data whose counts are known by construction (June 2026 against
June 2025), including the edges of the period in local (British Summer) time."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from pytest_django import DjangoAssertNumQueries

from casework.models import Case, CaseStatus, Category, Outcome
from cme.statutory import enquiry_due_date
from referrals.models import ReferrerType
from reports.figures import Headline, Table, board_figures, year_earlier
from schools.models import DeletionGround, DestinationType
from tests.factories import (
    CaseFactory,
    JoinerReturnFactory,
    LeaverReturnFactory,
    PartTimeTimetableFactory,
    ReferralFactory,
    SchoolFactory,
)
from tests.reports.conftest import JUNE, LONDON


def local(d: date, hh: int = 12, mm: int = 0) -> datetime:
    return datetime.combine(d, time(hh, mm), tzinfo=LONDON)


def referral(at: datetime, **kwargs: Any) -> Any:
    return ReferralFactory.create(received_at=at, **kwargs)


def case(
    received_on: date,
    *,
    category: str = Category.WASP,
    closed_at: datetime | None = None,
    outcome: str = "",
    **kwargs: Any,
) -> Case:
    if closed_at is not None:
        kwargs.update(status=CaseStatus.CLOSED, outcome=outcome or "place_started")
    elif outcome:
        kwargs["outcome"] = outcome
    case: Case = CaseFactory.create(
        received_on=received_on,
        due_date=kwargs.pop("due_date", enquiry_due_date(received_on)),
        category=category,
        closed_at=closed_at,
        referral__received_at=local(received_on),
        **kwargs,
    )
    return case


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_july")]


def june() -> dict[str, Table]:
    return {t.key: t for t in board_figures(*JUNE).tables}


def row(table: Table, label: str) -> list[str | int | float | None]:
    return next(r for r in table.rows if r[0] == label)


def headline(key: str) -> Headline:
    return next(h for h in board_figures(*JUNE).headlines if h.key == key)


def test_previous_period_is_the_same_dates_a_year_earlier() -> None:
    figures = board_figures(*JUNE)
    assert (figures.previous_start, figures.previous_end) == (date(2025, 6, 1), date(2025, 6, 30))
    assert year_earlier(date(2028, 2, 29)) == date(2027, 2, 28)
    leap = board_figures(date(2028, 2, 1), date(2028, 2, 29))
    assert leap.previous_end == date(2027, 2, 28)


def test_referrals_are_counted_by_local_date_at_both_ends_of_the_period() -> None:
    referral(local(JUNE[1], 23, 59), referrer_type=ReferrerType.SCHOOL)  # in (22:59 UTC)
    referral(local(JUNE[1] + timedelta(days=1), 0, 0), referrer_type=ReferrerType.SCHOOL)  # out
    referral(local(JUNE[0], 0, 0), referrer_type=ReferrerType.PUBLIC)  # in (31 May 23:00 UTC)
    referral(local(JUNE[0] - timedelta(days=1), 23, 59), referrer_type=ReferrerType.AGENCY)  # out
    referral(local(date(2025, 6, 15)), referrer_type=ReferrerType.SCHOOL)  # previous year

    table = june()["referrals_by_source"]

    assert row(table, ReferrerType.SCHOOL.label)[1:] == [1, 1]
    assert row(table, ReferrerType.PUBLIC.label)[1:] == [1, 0]
    assert row(table, ReferrerType.AGENCY.label)[1:] == [0, 0]
    assert table.rows[-1] == ["Total", 2, 1]
    assert table.total_row
    new = headline("new_referrals")
    assert (new.value, new.previous) == (2, 1)


def test_referral_reasons_count_each_reason_of_each_referral() -> None:
    referral(local(date(2026, 6, 3)), reasons=["stopped_attending", "new_migrant"])
    referral(local(date(2026, 6, 4)), reasons=["stopped_attending"])
    referral(local(date(2025, 6, 4)), reasons=["bullying"])
    referral(local(date(2026, 7, 1)), reasons=["fgm"])  # after the period

    table = june()["referrals_by_reason"]

    assert [r[1:] for r in table.rows] == [[2, 0], [0, 1], [1, 0]]  # enum order
    assert [r[0] for r in table.rows] == [
        "Stopped attending school",
        "Bullying or discrimination",
        "New migrant, refugee or asylum-seeking family",
    ]


def test_a_reason_given_twice_on_one_referral_counts_once() -> None:
    referral(local(date(2026, 6, 3)), reasons=["bullying", "bullying"])

    assert june()["referrals_by_reason"].rows == [["Bullying or discrimination", 1, 0]]


def _cases_for_categories() -> None:
    case(date(2026, 6, 10))  # opened, open at end
    case(date(2026, 6, 5), closed_at=local(date(2026, 6, 20)))  # opened and closed
    case(date(2026, 5, 1))  # open at end, opened before
    case(date(2026, 5, 1), closed_at=local(date(2026, 7, 1), 0, 30))  # closed after: open at end
    case(date(2026, 6, 30), category=Category.MISSING)  # opened on the last day
    case(date(2026, 1, 5), category=Category.MISSING, closed_at=local(date(2026, 6, 30), 23, 30))
    case(date(2025, 6, 10), closed_at=local(date(2025, 6, 12)))  # previous year only


def test_cases_opened_closed_and_open_at_the_end_by_category() -> None:
    _cases_for_categories()
    table = june()["cases_by_category"]

    # Opened, Closed, Open at end, then the same for June 2025.
    assert row(table, "CME-WASP")[1:] == [2, 1, 3, 1, 1, 0]
    assert row(table, "CME-missing")[1:] == [1, 1, 1, 0, 0, 0]
    assert table.rows[-1] == ["Total", 3, 2, 4, 1, 1, 0]
    assert headline("open_now").value == 4
    assert headline("cases_opened").value == 3


def test_open_cases_by_age_group_use_the_year_group_at_the_period_end() -> None:
    for dob in [
        date(2022, 1, 1),  # under 5
        date(2021, 8, 31),  # youngest in Reception in 2025/26
        date(2018, 9, 1),  # Year 2
        date(2018, 8, 31),  # Year 3: KS2
        date(2009, 9, 1),  # Year 11: KS4
        date(2009, 8, 31),  # over compulsory school age
        None,
    ]:
        case(date(2026, 6, 1), child__date_of_birth=dob)
    case(date(2026, 6, 1), child__date_of_birth=date(2013, 1, 1), closed_at=local(date(2026, 6, 2)))

    table = june()["open_by_age"]

    # Issue 12, A8: the two children whose compulsory school age had not begun by 30 June
    # 2026 (it begins 31 August 2026 and 31 March 2027) are not counted as CME.
    assert [r[1] for r in table.rows] == [0, 1, 1, 0, 1, 1, 1, 5]
    assert table.rows[-1][0] == "Total"


def test_vulnerability_flags_count_open_cases_only() -> None:
    case(date(2026, 6, 1), child__child_protection_plan=True, child__looked_after=True)
    case(date(2026, 6, 1), child__looked_after=True)
    case(date(2026, 6, 1), child__gypsy_roma_traveller=True, closed_at=local(date(2026, 6, 9)))
    case(date(2025, 6, 1), child__new_arrival_eal=True)  # still open: both years

    table = june()["vulnerability"]

    assert row(table, "Child protection plan")[1:] == [1, 0]
    assert row(table, "Looked after")[1:] == [2, 0]
    assert row(table, "Gypsy, Roma or Traveller")[1:] == [0, 0]
    assert row(table, "New arrival or EAL")[1:] == [1, 1]


def test_outcomes_of_cases_closed_in_each_period() -> None:
    case(date(2026, 1, 1), closed_at=local(date(2026, 6, 3)), outcome=Outcome.MOVED_ABROAD)
    case(date(2026, 1, 1), closed_at=local(date(2026, 6, 4)), outcome=Outcome.MOVED_ABROAD)
    case(date(2026, 1, 1), closed_at=local(date(2026, 6, 5)), outcome=Outcome.EHE_SUITABLE)
    case(date(2025, 1, 1), closed_at=local(date(2025, 6, 5)), outcome=Outcome.DIED)

    table = june()["outcomes"]

    assert row(table, Outcome.MOVED_ABROAD.label)[1:] == [2, 0]
    assert row(table, Outcome.EHE_SUITABLE.label)[1:] == [1, 0]
    assert row(table, Outcome.DIED.label)[1:] == [0, 1]
    assert table.rows[-1] == ["Total", 3, 1]
    assert Outcome.UNTRACEABLE.label not in [r[0] for r in table.rows]


def test_investigations_within_the_clock_and_median_working_days() -> None:
    # Received Monday 1 June 2026: due 15 June (10 working days; no bank holidays).
    monday = date(2026, 6, 1)
    case(monday, investigation_completed_at=local(date(2026, 6, 15), 18, 0))  # 10: in time
    case(monday, investigation_completed_at=local(date(2026, 6, 16), 9, 0))  # 11: late
    case(monday, investigation_completed_at=local(date(2026, 6, 3)))  # 2: in time
    case(monday)  # not completed: not counted
    case(date(2025, 6, 2), investigation_completed_at=local(date(2025, 6, 4)))  # previous year

    figures = board_figures(*JUNE)
    table = next(t for t in figures.tables if t.key == "investigations")

    assert table.rows[0][1:] == [3, 1]
    assert table.rows[1][1:] == [2, 1]
    assert table.rows[2][1:] == [66.7, 100.0]
    assert table.rows[3][1:] == [10.0, 2.0]
    on_time = next(h for h in figures.headlines if h.key == "on_time_pct")
    assert (on_time.value, on_time.previous, on_time.unit) == (66.7, 100.0, "%")


def test_overdue_at_the_period_end() -> None:
    case(date(2026, 6, 1))  # due 15 June, not completed: overdue
    case(
        date(2026, 6, 1), investigation_completed_at=local(date(2026, 7, 2))
    )  # late, but done after
    case(date(2026, 6, 1), investigation_completed_at=local(date(2026, 6, 12)))  # done
    case(date(2026, 6, 25))  # not yet due

    assert headline("overdue").value == 2


def test_median_and_longest_open_durations_in_days() -> None:
    case(date(2026, 6, 20))  # 10 days at 30 June
    case(date(2026, 6, 10))  # 20
    case(date(2026, 5, 31))  # 30
    case(date(2026, 5, 1), closed_at=local(date(2026, 6, 2)))  # closed: not counted

    table = june()["durations"]

    assert table.rows[0][1:] == [20.0, None]
    assert table.rows[1][1:] == [30, None]
    # The group they are taken over, so the board's copy can hide them with it (A6).
    assert table.rows[2][1:] == [3, 0]
    assert table.count_columns == [1, 2]
    assert table.derived == {0: (2,), 1: (2,)}


def test_children_untraceable_stay_open_and_are_counted() -> None:
    for review in (date(2026, 6, 20), date(2026, 8, 1)):
        case(
            date(2026, 3, 1),
            category=Category.MISSING,
            outcome=Outcome.UNTRACEABLE,
            review_date=review,
            investigation_completed_at=local(date(2026, 3, 5)),
        )

    table = june()["untraceable"]

    assert table.rows[0][1:] == [2, 0]
    assert table.rows[1][1:] == [1, 0]
    assert headline("untraceable").value == 2


def test_deletions_by_ground_and_by_school() -> None:
    alder, birch = (
        SchoolFactory.create(name="Alder Primary"),
        SchoolFactory.create(name="Birch Academy"),
    )
    for school, ground, deleted in [
        (alder, DeletionGround.A, date(2026, 6, 1)),
        (alder, DeletionGround.F, date(2026, 6, 30)),
        (birch, DeletionGround.A, date(2026, 6, 15)),
        (birch, DeletionGround.A, date(2026, 7, 1)),  # after
        (birch, DeletionGround.G, date(2025, 6, 15)),  # previous year
    ]:
        LeaverReturnFactory.create(
            school=school,
            ground=ground,
            deletion_date=deleted,
            ground_met_date=deleted - timedelta(days=1),
        )

    tables = june()
    grounds, schools = tables["deletions_by_ground"], tables["deletions_by_school"]

    assert row(grounds, DeletionGround.A.label)[1:] == [2, 0]
    assert row(grounds, DeletionGround.F.label)[1:] == [1, 0]
    assert row(grounds, DeletionGround.G.label)[1:] == [0, 1]
    assert grounds.rows[-1] == ["Total", 3, 1]
    assert schools.rows == [["Alder Primary", 2, 0], ["Birch Academy", 1, 1], ["Total", 3, 1]]


def test_two_schools_with_the_same_name_are_two_rows() -> None:
    for urn in (200001, 200002):
        LeaverReturnFactory.create(
            school=SchoolFactory.create(urn=urn, name="St Mary's CE Primary"),
            deletion_date=date(2026, 6, 2),
            ground_met_date=date(2026, 6, 1),
        )

    assert june()["deletions_by_school"].rows == [
        ["St Mary's CE Primary", 1, 0],
        ["St Mary's CE Primary", 1, 0],
        ["Total", 2, 0],
    ]


def test_late_and_missing_returns_by_school() -> None:
    alder, birch = (
        SchoolFactory.create(name="Alder Primary"),
        SchoolFactory.create(name="Birch Academy"),
    )
    JoinerReturnFactory.create(school=alder, is_late=True, submitted_at=local(date(2026, 6, 2)))
    JoinerReturnFactory.create(school=alder, is_late=False, submitted_at=local(date(2026, 6, 2)))
    JoinerReturnFactory.create(
        school=alder, is_late=True, submitted_at=local(date(2026, 7, 1), 0, 5)
    )
    LeaverReturnFactory.create(school=birch, is_late=True, submitted_at=local(date(2026, 6, 9)))
    LeaverReturnFactory.create(
        school=alder,
        submitted_at=local(date(2026, 5, 1)),
        transition_flagged_at=local(date(2026, 6, 10)),
        destination_type=DestinationType.UNKNOWN,
        s2s_lost_pupil_uploaded=True,
    )
    LeaverReturnFactory.create(school=birch, is_late=True, submitted_at=local(date(2025, 6, 9)))

    table = june()["returns_by_school"]

    assert table.rows == [
        ["Alder Primary", 1, 0, 1, 0, 0, 0],
        ["Birch Academy", 0, 1, 0, 0, 1, 0],
        ["Total", 1, 1, 1, 0, 1, 0],
    ]


def test_part_time_timetables_open_and_overdue_for_review() -> None:
    # (start, next review, planned end, ended): open and overdue; past its planned end;
    # ended; started after June.
    for start, review, planned_end, ended in [
        (date(2026, 5, 1), date(2026, 6, 10), date(2026, 9, 1), None),
        (date(2026, 5, 1), date(2026, 7, 10), date(2026, 6, 20), None),
        (date(2026, 5, 1), date(2026, 6, 1), date(2026, 9, 1), date(2026, 6, 15)),
        (date(2026, 7, 1), date(2026, 7, 20), date(2026, 9, 1), None),
    ]:
        PartTimeTimetableFactory.create(
            start_date=start,
            next_review_date=review,
            planned_end_date=planned_end,
            ended_on=ended,
        )

    table = june()["part_time"]

    assert table.rows == [
        ["Open", 2, 0],
        ["Overdue for review", 1, 0],
        ["Past the planned end date", 1, 0],
    ]


def test_twelve_month_trend_of_referrals_and_open_cases() -> None:
    referral(local(date(2025, 7, 1), 0, 0))  # first month
    referral(local(date(2025, 6, 30), 23, 59))  # before the trend
    referral(local(date(2026, 6, 30), 23, 59))  # last month
    referral(local(date(2026, 6, 30), 23, 59))
    case(date(2026, 3, 10), closed_at=local(date(2026, 5, 2)))  # open at end of Mar and Apr

    trend = board_figures(*JUNE).trend

    assert trend.months[0] == date(2025, 7, 1)
    assert trend.months[-1] == date(2026, 6, 1)
    assert len(trend.months) == len(trend.referrals) == len(trend.open_cases) == 12
    # The case's own referral is dated on 10 March 2026.
    assert trend.referrals == [1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 2]
    assert trend.open_cases == [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0]


def test_every_table_and_headline_the_pdf_expects_is_there() -> None:
    figures = board_figures(*JUNE)
    assert [t.key for t in figures.tables] == [
        "referrals_by_source",
        "referrals_by_reason",
        "cases_by_category",
        "open_by_age",
        "open_by_sex",
        "open_by_year_group",
        "open_by_time_missing",
        "open_by_primary_reason",
        "vulnerability",
        "outcomes",
        "investigations",
        "durations",
        "untraceable",
        "deletions_by_ground",
        "deletions_by_school",
        "returns_by_school",
        "part_time",
    ]
    assert [h.key for h in figures.headlines] == [
        "open_now",
        "new_referrals",
        "cases_opened",
        "overdue",
        "untraceable",
        "on_time_pct",
    ]
    assert not figures.suppressed
    assert any("10 working days" in text for _, text in figures.definitions)


#: Queries for the whole report: one per figure, plus the values lists for medians (+3 in
#: issue 15: open cases by sex, by time missing education and by primary reason; +1: by
#: year group).
QUERY_BOUND = 24


def _bulk(n: int) -> None:
    for i in range(n):
        case(
            date(2026, 6, 1) + timedelta(days=i % 28),
            child__looked_after=bool(i % 2),
            investigation_completed_at=local(date(2026, 6, 29)) if i % 3 else None,
        )


@pytest.mark.parametrize("n", [3, 30])
def test_the_whole_report_is_a_handful_of_queries(
    n: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    _bulk(n)
    LeaverReturnFactory.create(deletion_date=date(2026, 6, 2), ground_met_date=date(2026, 6, 1))
    with django_assert_max_num_queries(QUERY_BOUND):
        board_figures(*JUNE)


def test_the_number_of_queries_does_not_grow_with_the_data() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (3, 30):
        _bulk(n)
        with CaptureQueriesContext(connection) as ctx:
            board_figures(*JUNE)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= QUERY_BOUND
