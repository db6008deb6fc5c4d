"""The unmatched-leavers check, matching (schools.jobs.matching): joiner returns linked to
in-area leavers.
"""

from __future__ import annotations

from datetime import date

import pytest

from referrals.models import Referral
from schools.models import ReturnStatus, School
from schools.services import JOINER_MATCHED_DETAIL, LEAVER_MATCHED_DETAIL
from tests.factories import SchoolFactory
from tests.schools.jobs.helpers import joiner_at, leaver_to, on
from tests.schools.jobs.helpers import run_and_raise as run


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
    assert joiner.status == ReturnStatus.MATCHED
    assert leaver.status == ReturnStatus.MATCHED
    with on(date(2026, 6, 30)):
        out = run("unmatched_leavers")
    assert "flagged 0" in out
    assert not Referral.objects.exists()


def test_the_upn_decides_when_both_returns_give_one(
    calendar: None, school_a: School, school_b: School
) -> None:
    leaver = leaver_to(school_a, school_b, upn="A123456789012")
    same_upn_other_spelling = joiner_at(school_b, first_name="Maia", upn="A123456789012")
    with on(date(2026, 5, 13)):
        run("unmatched_leavers")
    same_upn_other_spelling.refresh_from_db()
    assert same_upn_other_spelling.matched_leaver_id == leaver.pk


@pytest.mark.parametrize(
    ("leaver_fields", "joiner_fields", "elsewhere"),
    [
        pytest.param({}, {"date_of_birth": date(2016, 3, 15)}, False, id="another child"),
        pytest.param(
            {}, {"admission_date": date(2026, 3, 1)}, False, id="an earlier stay at that school"
        ),
        pytest.param(
            {"upn": "A123456789012"},
            {"upn": "B123456789012"},
            False,
            id="a different upn is a different pupil",
        ),
        pytest.param({}, {}, True, id="a joiner at another school"),
    ],
)
def test_joiners_that_do_not_fit_are_not_linked(
    calendar: None,
    school_a: School,
    school_b: School,
    leaver_fields: dict[str, object],
    joiner_fields: dict[str, object],
    elsewhere: bool,
) -> None:
    leaver_to(school_a, school_b, **leaver_fields)
    joined = SchoolFactory.create(urn=100099) if elsewhere else school_b
    joiner = joiner_at(joined, **joiner_fields)
    with on(date(2026, 5, 13)):
        run("unmatched_leavers")
    joiner.refresh_from_db()
    assert joiner.matched_leaver_id is None


def test_linking_a_joiner_to_its_leaver_records_both_returns_history(
    calendar: None, school_a: School, school_b: School
) -> None:
    """Issue 13 item 4: the link (and the statuses it sets) is in both returns' history."""
    leaver = leaver_to(school_a, school_b)
    joiner = joiner_at(school_b)
    before = (joiner.history.count(), leaver.history.count())
    with on(date(2026, 5, 13)):
        run("unmatched_leavers")
    assert (joiner.history.count(), leaver.history.count()) == (before[0] + 1, before[1] + 1)
    joiner_row = joiner.history.latest("history_date", "history_id")
    leaver_row = leaver.history.latest("history_date", "history_id")
    assert (joiner_row.history_type, joiner_row.matched_leaver_id) == ("~", leaver.pk)
    assert (joiner_row.status, joiner_row.status_detail) == (
        ReturnStatus.MATCHED,
        JOINER_MATCHED_DETAIL,
    )
    assert (leaver_row.status, leaver_row.status_detail) == (
        ReturnStatus.MATCHED,
        LEAVER_MATCHED_DETAIL,
    )


def test_a_leaver_already_referred_keeps_its_status_but_the_link_is_in_the_history(
    calendar: None,
    school_a: School,
    school_b: School,
) -> None:
    leaver = leaver_to(school_a, school_b, status=ReturnStatus.REFERRED)
    joiner = joiner_at(school_b)
    with on(date(2026, 5, 13)):
        run("unmatched_leavers")
    leaver.refresh_from_db()
    assert leaver.status == ReturnStatus.REFERRED
    assert joiner.history.latest("history_date", "history_id").matched_leaver_id == leaver.pk
    assert leaver.history.latest("history_date", "history_id").status == ReturnStatus.REFERRED
