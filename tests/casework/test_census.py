"""Who counts in the termly CME return (casework.census): known populations at the edges."""

from __future__ import annotations

from datetime import date, timedelta

import time_machine
from django.db.models import Count

from casework.census import counted_at, counted_in_year, previous_academic_year
from casework.models import Case, Category, Outcome
from casework.services import cases as svc
from casework.services import closing
from casework.services.merge import child_merge
from cme.models import User
from cme.statutory import compulsory_school_age, earliest_dob_of_compulsory_school_age
from tests.factories import CaseFactory

CENSUS = date(2025, 10, 2)  # the autumn 2025 census day, a Thursday


def at(d: date, hour: int = 12) -> time_machine.travel:
    return time_machine.travel(f"{d.isoformat()} {hour:02d}:00:00+00:00", tick=False)


def opened(received: date = date(2025, 9, 15), **child: object) -> Case:
    """An open case received on ``received``, of a child born in 2014 unless ``child`` says."""
    fields: dict[str, object] = {"child__date_of_birth": date(2014, 2, 3)}
    fields |= {f"child__{k}": v for k, v in child.items()}
    case: Case = CaseFactory.create(
        received_on=received, due_date=received + timedelta(days=14), **fields
    )
    return case


def close(
    case: Case, on: date, by: User, outcome: Outcome = Outcome.DIED, **details: object
) -> None:
    with at(on):
        closing.case_close(case=case, by=by, outcome=outcome, **details)  # type: ignore[arg-type]


def counted(d: date = CENSUS) -> set[int]:
    return set(counted_at(d).values_list("pk", flat=True))


def test_the_earliest_dob_of_compulsory_school_age_agrees_with_the_rule_every_day() -> None:
    day = date(2023, 1, 1)
    for i in range(4 * 366):
        on = day + timedelta(days=i)
        earliest = earliest_dob_of_compulsory_school_age(on)
        assert compulsory_school_age(earliest)[1] >= on
        assert compulsory_school_age(earliest - timedelta(days=1))[1] < on


def test_an_open_case_counts_and_one_received_after_the_census_does_not(db: None) -> None:
    before, on_the_day, after = opened(), opened(CENSUS), opened(CENSUS + timedelta(days=1))
    assert counted() == {before.pk, on_the_day.pk}
    assert after.pk not in counted()


def test_a_case_closed_on_the_census_date_does_not_count_but_one_closed_the_day_after_does(
    officer: User,
) -> None:
    on_the_day, day_after = opened(), opened()
    close(on_the_day, CENSUS, officer)
    close(day_after, CENSUS + timedelta(days=1), officer)
    assert counted() == {day_after.pk}


def test_a_reopened_case_does_not_count_while_it_was_closed(officer: User) -> None:
    case = opened()
    close(case, CENSUS - timedelta(days=5), officer)
    with at(CENSUS + timedelta(days=10)):
        closing.case_reopen(case=case, by=officer, reason="Never arrived at the new school")
    case.refresh_from_db()
    assert case.closed_at is None  # the case's own dates say "open throughout"
    assert counted() == set()
    assert counted(CENSUS + timedelta(days=10)) == {case.pk}
    # Closed again later: open between the reopening and the second closing.
    close(case, CENSUS + timedelta(days=20), officer)
    assert counted(CENSUS + timedelta(days=15)) == {case.pk}
    assert counted(CENSUS + timedelta(days=20)) == set()


def test_an_untraceable_child_stays_counted(officer: User) -> None:
    case = opened()
    with at(CENSUS - timedelta(days=3)):
        svc.enquiry_record(
            case=case,
            by=officer,
            enquiry_type="home_visit",
            made_on=CENSUS - timedelta(days=3),
            result="not_found",
            contact="",
            notes="",
        )
        svc.investigation_complete(case=case, by=officer)
        closing.case_close(
            case=case,
            by=officer,
            outcome=Outcome.UNTRACEABLE,
            review_date=CENSUS + timedelta(days=30),
        )
    assert counted() == {case.pk}


def test_a_merged_child_counts_once_as_the_child_kept(officer: User, manager: User) -> None:
    kept_case = opened()
    # The same child recorded twice: her other record's case was open on the census day too.
    other_case = opened(first_name=kept_case.child.first_name, last_name=kept_case.child.last_name)
    close(other_case, CENSUS + timedelta(days=3), officer)
    with at(CENSUS + timedelta(days=5)):
        child_merge(kept=kept_case.child, merged=other_case.child, by=manager, reason="Same child")
    counted_cases = counted_at(CENSUS)
    assert set(counted_cases.values_list("pk", flat=True)) == {kept_case.pk, other_case.pk}
    assert set(counted_cases.values_list("child_id", flat=True)) == {kept_case.child_id}
    assert counted_cases.aggregate(n=Count("child_id", distinct=True))["n"] == 1


def test_a_case_whose_category_changed_counts_in_either_category(officer: User) -> None:
    case = opened()
    with at(CENSUS - timedelta(days=1)):
        svc.case_category_change(
            case=case, by=officer, category=Category.MISSING, reason="Not at the address"
        )
    assert counted() == {case.pk}


def test_a_child_who_moved_out_of_the_area_counts_until_the_move_is_accepted(
    officer: User,
) -> None:
    case = opened()
    close(
        case,
        CENSUS + timedelta(days=7),
        officer,
        Outcome.MOVED_OTHER_LA,
        outcome_la="Elsewhere",
        outcome_la_accepted=True,
    )
    assert counted() == {case.pk}
    assert counted(CENSUS + timedelta(days=7)) == set()


def test_only_a_child_of_compulsory_school_age_on_the_census_date_counts(db: None) -> None:
    # Born 1 Sep 2020: compulsory school age from 31 December 2025, after the census.
    too_young = opened(date_of_birth=date(2020, 9, 1))
    # Born 31 Aug 2020: from 31 August 2025.
    just_of_age = opened(date_of_birth=date(2020, 8, 31))
    # Born 1 Sep 2009: turns 16 in 2025/26, of the age until 26 June 2026.
    oldest = opened(date_of_birth=date(2009, 9, 1))
    # Born 31 Aug 2009: it ended on 27 June 2025.
    too_old = opened(date_of_birth=date(2009, 8, 31))
    unknown = opened(date_of_birth=None)
    assert counted() == {just_of_age.pk, oldest.pk, unknown.pk}
    assert too_young.pk not in counted()
    assert too_old.pk not in counted()
    assert oldest.pk in counted(date(2026, 6, 26))
    assert oldest.pk not in counted(date(2026, 6, 27))


def test_at_any_time_in_the_previous_academic_year(officer: User) -> None:
    first, last = previous_academic_year(date(2025, 10, 2))
    assert (first, last) == (date(2024, 9, 1), date(2025, 8, 31))
    closed_before = opened(date(2024, 5, 1))
    close(closed_before, date(2024, 8, 30), officer)
    closed_in_year = opened(date(2024, 5, 1))
    close(closed_in_year, date(2024, 9, 2), officer)
    reopened_in_year = opened(date(2024, 5, 1))
    close(reopened_in_year, date(2024, 6, 1), officer)
    with at(date(2025, 3, 3)):
        closing.case_reopen(case=reopened_in_year, by=officer, reason="Back")
    reopened_after = opened(date(2024, 5, 1))
    close(reopened_after, date(2024, 6, 1), officer)
    with at(date(2025, 9, 20)):
        closing.case_reopen(case=reopened_after, by=officer, reason="Back")
    received_in_year = opened(date(2025, 8, 31))
    received_after = opened(date(2025, 9, 1))
    got = set(counted_in_year(first, last).values_list("pk", flat=True))
    assert got == {closed_in_year.pk, reopened_in_year.pk, received_in_year.pk}
    assert not got & {closed_before.pk, reopened_after.pk, received_after.pk}
