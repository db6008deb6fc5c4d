"""The real GIAS extracts (tests/data/gias/) import as GIAS means them: LA codes without
leading zeros, the older "All through", close dates, towns, children's centres."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError

from schools.gias import GiasFileError, normalise_la_code, schools_import_gias
from schools.gias.parsing import parse_gias_date
from schools.models import Phase, School, SchoolType
from tests.schools.gias_files import ITTMS, NPQ, OLDER, UPDATE, edited
from tests.schools.gias_files import run_import_schools as run

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("0", "000"),
        ("99", "099"),
        ("207", "207"),
        (" 86 ", "086"),
        ("", None),
        ("1234", None),
        ("2O7", None),
        ("-1", None),
        ("\u0663", None),  # an Arabic-Indic digit three: isdigit, but not a GIAS code
    ],
)
def test_la_codes_are_padded_to_three_digits(raw: str, code: str | None) -> None:
    assert normalise_la_code(raw) == code


def test_the_newest_extract_imports_whole_with_la_0_as_000() -> None:
    out = run(str(ITTMS))

    assert "created 8, updated 0, unchanged 0, skipped (other LAs) 0 from 8 rows" in out
    overseas = School.objects.get(urn=150516)
    assert (overseas.la_code, overseas.gias_type) == ("000", "British schools overseas")
    assert overseas.school_type == SchoolType.OTHER
    assert overseas.town == "Dubai"


def test_the_la_option_is_padded_like_the_file() -> None:
    out = run(str(ITTMS), "--la-code", "0")

    assert "created 1, updated 0, unchanged 0, skipped (other LAs) 7" in out
    assert list(School.objects.values_list("urn", flat=True)) == [150516]


def test_an_independent_special_school_is_imported_as_independent() -> None:
    run(str(ITTMS))

    school = School.objects.get(urn=101173)
    assert school.gias_type == "Other independent special school"
    assert school.school_type == SchoolType.INDEPENDENT


def test_open_but_proposed_to_close_is_open_and_keeps_its_close_date() -> None:
    run(str(ITTMS))
    run(str(NPQ))

    proposed = School.objects.get(urn=126370)
    assert (proposed.is_open, proposed.close_date) == (True, date(2024, 7, 31))
    carlton = School.objects.get(urn=100012)
    assert (carlton.is_open, carlton.close_date) == (True, date(2021, 8, 31))
    closed = School.objects.get(urn=100004)
    assert (closed.is_open, closed.close_date) == (False, date(1992, 8, 31))
    assert School.objects.get(urn=100000).close_date is None


def test_the_older_all_through_spelling_is_accepted() -> None:
    out = run(str(OLDER))

    assert "created 4" in out
    assert School.objects.get(urn=100171).phase == Phase.ALL_THROUGH


def test_the_national_sample_imports_every_row_with_welsh_schools_and_towns() -> None:
    out = run(str(NPQ))

    assert "created 99, updated 0, unchanged 0, skipped (other LAs) 0 from 99 rows" in out
    assert "imported as Other" not in out
    welsh = School.objects.get(urn=402387)
    assert (welsh.la_code, welsh.school_type) == ("681", SchoolType.OTHER)
    assert School.objects.get(urn=100005).town == "London"
    assert School.objects.filter(gias_type="Welsh establishment").count() == 51


def test_the_update_extract_renames_one_school() -> None:
    run(str(NPQ))
    before = School.objects.get(urn=100000).name

    out = run(str(UPDATE))

    assert "created 0, updated 1, unchanged 0" in out
    assert School.objects.get(urn=100000).name != before


@pytest.mark.parametrize(
    ("urn", "column", "value", "problem"),
    [
        ("100008", "LA (code)", "Camden", 'Row 10: LA code "Camden" is not a number of 1 to 3 digits'),
        ("100004", "CloseDate", "31-02-1992", 'Row 6: close date "31-02-1992" is not a date like 31-08-2024'),
    ],
    ids=["la_code", "close_date"],
)  # fmt: skip
def test_a_truly_invalid_value_is_reported_by_row_and_the_rest_imported(
    tmp_path: Path, urn: str, column: str, value: str, problem: str
) -> None:
    def break_one(row: dict[str, str]) -> dict[str, str]:
        return {**row, column: value} if row["URN"] == urn else row

    out = run(str(edited(NPQ, tmp_path / "bad.csv", break_one)))

    assert problem in out
    assert "created 98" in out
    assert not School.objects.filter(urn=int(urn)).exists()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("31-08-2024", date(2024, 8, 31)), ("1/9/2024", date(2024, 9, 1)), ("2024-08-31", date(2024, 8, 31))],
)  # fmt: skip
def test_gias_dates_and_those_excel_writes_are_read(raw: str, expected: date) -> None:
    assert parse_gias_date(raw) == expected


@pytest.mark.parametrize("raw", ["31.08.2024", "2024-8-31x", "31-08-24", "", "tomorrow"])
def test_other_dates_are_refused(raw: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 (the message is the value)
        parse_gias_date(raw)


def _centres(row: dict[str, str]) -> dict[str, str]:
    row["TypeOfEstablishment (name)"] = "Children's centre"
    row["PhaseOfEducation (name)"] = "Not applicable"
    return row


def test_a_childrens_centre_extract_is_refused_as_the_wrong_download(tmp_path: Path) -> None:
    path = edited(NPQ, tmp_path / "centres.csv", _centres)

    with pytest.raises(CommandError, match="only children's centres, which are not schools"):
        run(str(path))
    with pytest.raises(GiasFileError):
        schools_import_gias(rows_or_file=path)
    assert not School.objects.exists()


def test_childrens_centre_rows_in_a_schools_file_are_skipped_with_a_warning(
    tmp_path: Path,
) -> None:
    def some_centres(row: dict[str, str]) -> dict[str, str]:
        return _centres(row) if row["URN"] in {"100005", "100018"} else row

    out = run(str(edited(NPQ, tmp_path / "mixed.csv", some_centres)))

    assert "created 97" in out
    assert "2 children's centre rows skipped (not schools)" in out
    assert not School.objects.filter(urn__in=[100005, 100018]).exists()
