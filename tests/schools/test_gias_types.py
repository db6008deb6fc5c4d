"""Every establishment type in the national GIAS list is mapped, and says whether it is a
school for CME and whether deletion ground (n) applies there."""

from __future__ import annotations

from pathlib import Path

import pytest

from schools.gias import ESTABLISHMENT_TYPES, establishment_type, schools_import_gias
from schools.gias.types import ground_n_applies, is_not_an_establishment, school_types
from schools.models import School, SchoolType
from tests.schools.gias_files import generated, national_types

# The ten the issue found imported as "Other" for want of a mapping.
ONCE_UNMAPPED = {
    "Secure units": (SchoolType.OTHER, False),
    "Academy secure 16 to 19": (SchoolType.OTHER, False),
    "Online provider": (SchoolType.OTHER, False),
    "Offshore schools": (SchoolType.OTHER, False),
    "Service children's education": (SchoolType.OTHER, False),
    "British schools overseas": (SchoolType.OTHER, False),
    "Welsh establishment": (SchoolType.OTHER, True),
    "Higher education institutions": (SchoolType.OTHER, False),
    "Miscellaneous": (SchoolType.OTHER, False),
    "Institution funded by other government department": (SchoolType.OTHER, False),
}


def test_every_type_in_the_national_list_is_mapped() -> None:
    types = national_types()

    assert len(types) == 39
    assert [name for name in types if establishment_type(name) is None] == []


def test_the_mapping_has_nothing_the_national_list_lacks() -> None:
    assert set(ESTABLISHMENT_TYPES) == set(national_types())


@pytest.mark.parametrize(("gias_type", "expected"), ONCE_UNMAPPED.items())
def test_the_ten_once_unmapped_types_have_a_mapping(
    gias_type: str, expected: tuple[SchoolType, bool]
) -> None:
    kind = establishment_type(gias_type)

    assert kind is not None
    assert (kind.school_type, kind.is_school) == expected
    assert kind.ground_n is False


@pytest.mark.parametrize(
    ("gias_type", "is_school"),
    [
        ("Community school", True),
        ("Pupil referral unit", True),
        ("Academy converter", True),
        ("Free schools alternative provision", True),
        ("Other independent school", True),
        ("Non-maintained special school", True),
        ("Local authority nursery school", True),
        ("Further education", False),
        ("Sixth form centres", False),
        ("Academy 16-19 converter", False),
        ("Free schools 16 to 19", False),
        ("Special post 16 institution", False),
    ],
)
def test_the_mapping_says_which_are_schools_for_cme(gias_type: str, is_school: bool) -> None:
    kind = establishment_type(gias_type)

    assert kind is not None
    assert kind.is_school is is_school


def test_school_types_partitions_the_list() -> None:
    schools, not_schools = school_types(), school_types(is_school=False)

    assert set(schools) | set(not_schools) == set(ESTABLISHMENT_TYPES)
    assert not set(schools) & set(not_schools)
    assert "Community school" in schools
    assert "Secure units" in not_schools


def test_an_independent_special_school_keeps_its_independent_status() -> None:
    kind = establishment_type("Other independent special school")

    assert kind is not None
    assert kind.school_type == SchoolType.INDEPENDENT
    assert kind.ground_n is True


@pytest.mark.parametrize(
    ("gias_type", "applies"),
    [
        ("Other independent school", True),
        ("Other independent special school", True),
        ("Non-maintained special school", True),
        ("Community special school", False),
        ("Academy converter", False),
        ("City technology college", False),
        ("Free schools", False),
        ("Pupil referral unit", False),
        ("A type GIAS does not have", False),
    ],
)
def test_ground_n_applies_at_independent_and_non_maintained_special_schools_only(
    gias_type: str, applies: bool
) -> None:
    assert ground_n_applies(gias_type) is applies


def test_types_match_whatever_their_case() -> None:
    assert establishment_type("BRITISH SCHOOLS OVERSEAS") == establishment_type(
        "British schools overseas"
    )


@pytest.mark.parametrize(
    "gias_type", ["Children's centre", "Children\u2019s centre linked site", "CHILDREN'S CENTRE"]
)
def test_childrens_centres_are_not_establishments(gias_type: str) -> None:
    assert is_not_an_establishment(gias_type)
    assert establishment_type(gias_type) is None


@pytest.mark.django_db
def test_a_generated_file_of_every_type_imports_with_none_unmapped(tmp_path: Path) -> None:
    result = schools_import_gias(rows_or_file=generated(tmp_path / "all.csv", 600))

    assert result.ok
    assert result.created == 600
    assert not result.unmapped_types
    imported = set(School.objects.values_list("gias_type", flat=True))
    assert imported == set(national_types())
