"""An import does not silently move a school in use, and the demo's URNs are no real
school's (issue 16: the demo once had City of London School for Girls' URN)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError

from demo.base import Seed
from demo.gias_file import read_template
from demo.schools import DEMO_SCHOOLS, seed_schools
from schools.gias import schools_import_gias
from schools.models import School
from tests.factories import JoinerReturnFactory, MembershipFactory, SchoolFactory
from tests.schools.gias_files import GIAS, ITTMS, NPQ, edited
from tests.schools.gias_files import run_import_schools as run

pytestmark = pytest.mark.django_db


def test_no_demo_urn_is_in_a_real_extract_and_all_are_outside_the_ranges_gias_issues() -> None:
    real = set()
    for path in GIAS.glob("*.csv"):
        header, rows = read_template(path)
        if "URN" in header:
            real |= {int(row[header.index("URN")]) for row in rows}
    demo = {school.urn for school in DEMO_SCHOOLS}

    assert len(real) > 100
    assert not demo & real
    assert all(990_000 <= urn <= 999_999 for urn in demo)


def test_seeding_the_demo_then_importing_a_real_extract_leaves_the_demo_schools_alone() -> None:
    seed = Seed(today=date(2026, 11, 23))
    seed_schools(seed)
    before = set(School.objects.values_list("urn", "name", "la_code", "is_open"))

    out = run(str(NPQ))

    assert "created 99, updated 0, unchanged 0" in out
    assert before <= set(School.objects.values_list("urn", "name", "la_code", "is_open"))
    assert School.objects.get(urn=100001).name == "City of London School for Girls"


@pytest.fixture
def school_with_staff() -> School:
    """The real URN 100001 held as one of our LA's schools, with a member of staff."""
    school: School = SchoolFactory.create(urn=100001, name="Alder Primary School", la_code="999")
    MembershipFactory.create(school=school)
    return school


def test_moving_a_school_with_staff_to_another_la_needs_allow_changes(
    school_with_staff: School,
) -> None:
    with pytest.raises(CommandError) as excinfo:
        run(str(NPQ))

    message = str(excinfo.value)
    assert "Nothing was imported: 1 school with staff or returns would change LA" in message
    assert "--allow-changes" in message
    assert "Row 3: City of London School for Girls (URN 100001): LA 999 to 201" in message
    # Nothing at all: not the move, and not the other 98 new schools either.
    assert list(School.objects.values_list("urn", "la_code")) == [(100001, "999")]

    out = run(str(NPQ), "--allow-changes")

    assert "Changed with --allow-changes (1):" in out
    assert School.objects.get(urn=100001).la_code == "201"
    assert School.objects.count() == 99


def test_closing_a_school_with_returns_needs_allow_changes() -> None:
    school = SchoolFactory.create(urn=101077, la_code="212", is_open=True)
    JoinerReturnFactory.create(school=school)

    result = schools_import_gias(rows_or_file=ITTMS)  # The Dominie School: Closed

    assert result.blocked
    assert not result.ok
    assert [str(c) for c in result.protected_changes] == [
        "Row 5: The Dominie School Limited (URN 101077): open to closed"
    ]
    school.refresh_from_db()
    assert school.is_open is True
    assert School.objects.count() == 1


def test_a_dry_run_reports_the_protected_changes_too(school_with_staff: School) -> None:
    with pytest.raises(CommandError, match="would change LA or open status"):
        run(str(NPQ), "--dry-run")


def test_a_school_nobody_uses_moves_without_asking() -> None:
    SchoolFactory.create(urn=100001, la_code="999")

    out = run(str(NPQ))

    assert "created 98, updated 1" in out
    assert School.objects.get(urn=100001).la_code == "201"


def test_other_changes_to_a_school_in_use_need_no_flag(
    school_with_staff: School, tmp_path: Path
) -> None:
    school_with_staff.la_code = "201"
    school_with_staff.save()

    out = run(str(edited(NPQ, tmp_path / "same_la.csv", lambda row: row)))

    assert "created 98, updated 1" in out
    assert School.objects.get(urn=100001).name == "City of London School for Girls"


def test_allowed_changes_are_listed_on_the_result(school_with_staff: School) -> None:
    result = schools_import_gias(
        rows_or_file=NPQ,
        allow_changes=True,
    )

    assert result.ok
    assert not result.blocked
    assert len(result.protected_changes) == 1
    assert result.written
