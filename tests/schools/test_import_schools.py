"""`manage.py import_schools`: the GIAS establishment CSV into School rows.

The real extracts' own quirks are in test_gias_extracts.py; types in test_gias_types.py.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError

from schools.gias import GiasFileError, schools_import_gias
from schools.gias import reading as gias_reading
from schools.models import Phase, School, SchoolType
from tests.factories import SchoolFactory, UserFactory
from tests.schools.gias_files import run_import_schools as run

DATA = Path(__file__).resolve().parent.parent / "data"
SAMPLE = DATA / "gias_sample.csv"
BAD = DATA / "gias_bad.csv"

pytestmark = pytest.mark.django_db


def sample_rows() -> tuple[list[str], list[list[str]]]:
    with SAMPLE.open(encoding="cp1252", newline="") as f:
        header, *rows = list(csv.reader(f))
    return header, rows


def write_csv(path: Path, header: list[str], rows: list[list[str]], encoding: str) -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows([header, *rows])
    return path


def test_sample_file_is_windows_1252_not_utf8() -> None:
    data = SAMPLE.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert "Prévert" in data.decode("cp1252")


def test_import_creates_every_school_and_reports_counts() -> None:
    out = run(str(SAMPLE))

    assert "created 14, updated 0, unchanged 0, skipped (other LAs) 0 from 14 rows" in out
    assert School.objects.count() == 14
    assert School.objects.filter(la_code="999").count() == 11
    assert School.objects.filter(la_code="888").count() == 3


def test_names_in_windows_1252_round_trip() -> None:
    run(str(SAMPLE))

    assert School.objects.get(urn=110102).name == "Ecole Française Jacques Prévert"
    assert School.objects.get(urn=110101).name == "Ss Peter & Paul's Catholic Primary School"
    # 0x92 is a curly apostrophe in Windows-1252 (a control character in Latin-1).
    assert School.objects.get(urn=110110).name == "St Mary\u2019s C of E Middle School"


@pytest.mark.parametrize(
    ("urn", "school_type", "gias_type", "phase"),
    [
        (110101, SchoolType.MAINTAINED, "Voluntary aided school", Phase.PRIMARY),
        (110102, SchoolType.INDEPENDENT, "Other independent school", Phase.PRIMARY),
        (110104, SchoolType.ACADEMY, "Academy converter", Phase.SECONDARY),
        (110105, SchoolType.SPECIAL, "Community special school", Phase.NOT_APPLICABLE),
        (110106, SchoolType.PRU, "Pupil referral unit", Phase.NOT_APPLICABLE),
        (110107, SchoolType.FREE, "Free schools", Phase.ALL_THROUGH),
        (110109, SchoolType.OTHER, "Further education", Phase.SIXTEEN_PLUS),
        (110110, SchoolType.MAINTAINED, "Voluntary controlled school", Phase.MIDDLE),
        (110111, SchoolType.MAINTAINED, "Local authority nursery school", Phase.NURSERY),
        (120201, SchoolType.ACADEMY, "Academy sponsor led", Phase.SECONDARY),
        (120202, SchoolType.FREE, "Studio schools", Phase.SECONDARY),
        (
            120203,
            SchoolType.ALTERNATIVE_PROVISION,
            "Academy alternative provision converter",
            Phase.NOT_APPLICABLE,
        ),
    ],
)
def test_types_and_phases_are_mapped_and_gias_wording_kept(
    urn: int, school_type: str, gias_type: str, phase: str
) -> None:
    run(str(SAMPLE))

    school = School.objects.get(urn=urn)
    assert (school.school_type, school.gias_type, school.phase) == (school_type, gias_type, phase)


def test_status_decides_open_and_other_columns_are_ignored() -> None:
    run(str(SAMPLE))

    open_by_urn = dict(School.objects.values_list("urn", "is_open"))
    assert open_by_urn[110103] is True  # Open
    assert open_by_urn[110106] is True  # Open, but proposed to close
    assert open_by_urn[110107] is False  # Proposed to open
    assert open_by_urn[110108] is False  # Closed
    assert School.objects.get(urn=110110).postcode == "EX10 2ST"


@pytest.mark.parametrize(
    ("gias_type", "expected"),
    [
        ("Academy special converter", SchoolType.SPECIAL),
        ("Free schools special", SchoolType.SPECIAL),
        ("Free schools alternative provision", SchoolType.ALTERNATIVE_PROVISION),
        ("University technical college", SchoolType.FREE),
        ("Other independent special school", SchoolType.INDEPENDENT),
        ("Non-maintained special school", SchoolType.SPECIAL),
        ("City technology college", SchoolType.ACADEMY),
        ("Sixth form centres", SchoolType.OTHER),
        ("foundation SCHOOL", SchoolType.MAINTAINED),
    ],
)
def test_more_type_mappings(gias_type: str, expected: str) -> None:
    row = {
        "URN": "130001", "EstablishmentName": "A School", "TypeOfEstablishment (name)": gias_type,
        "PhaseOfEducation (name)": "Primary", "LA (code)": "999", "Postcode": "ex1 1aa",
        "EstablishmentStatus (name)": "Open",
    }  # fmt: skip
    result = schools_import_gias(rows_or_file=[row])

    assert result.ok
    assert result.created == 1
    assert not result.unmapped_types
    school = School.objects.get(urn=130001)
    assert school.school_type == expected
    assert school.postcode == "EX1 1AA"


def test_an_unknown_type_is_imported_as_other_and_reported(tmp_path: Path) -> None:
    header, rows = sample_rows()
    rows[0][header.index("TypeOfEstablishment (name)")] = "Lunar academy"
    out = run(str(write_csv(tmp_path / "new_type.csv", header, rows, "cp1252")))

    school = School.objects.get(urn=110101)
    assert (school.school_type, school.gias_type) == (SchoolType.OTHER, "Lunar academy")
    assert 'GIAS type "Lunar academy" imported as Other (1)' in out


def test_la_code_keeps_only_that_las_schools() -> None:
    out = run(str(SAMPLE), "--la-code", "888")

    assert "created 3, updated 0, unchanged 0, skipped (other LAs) 11 from 14 rows" in out
    assert set(School.objects.values_list("urn", flat=True)) == {120201, 120202, 120203}


def test_a_malformed_la_code_option_is_refused() -> None:
    with pytest.raises(CommandError, match='LA code "9999" is not a number of 1 to 3 digits'):
        run(str(SAMPLE), "--la-code", "9999")


def test_reimport_updates_a_changed_name_and_counts_unchanged(tmp_path: Path) -> None:
    run(str(SAMPLE))
    header, rows = sample_rows()
    rows[2][header.index("EstablishmentName")] = "Alder Primary Academy"
    changed = write_csv(tmp_path / "changed.csv", header, rows, "cp1252")
    before = School.objects.get(urn=110103)

    out = run(str(changed))

    assert "created 0, updated 1, unchanged 13, skipped (other LAs) 0" in out
    after = School.objects.get(urn=110103)
    assert after.pk == before.pk
    assert after.name == "Alder Primary Academy"
    assert after.updated_at > before.updated_at
    assert School.objects.count() == 14


def test_reimport_updates_a_school_already_held(tmp_path: Path) -> None:
    SchoolFactory.create(urn=110104, name="Birchwood School", school_type=SchoolType.MAINTAINED)

    out = run(str(SAMPLE), "--la-code", "999")

    assert "created 10, updated 1, unchanged 0, skipped (other LAs) 3" in out
    school = School.objects.get(urn=110104)
    assert (school.name, school.school_type) == ("Birchwood Academy", SchoolType.ACADEMY)


def test_bad_rows_are_listed_with_row_numbers_and_the_rest_are_imported() -> None:
    message = run(str(BAD))

    assert "3 rows could not be imported (the other rows were)" in message
    assert 'Row 3: URN "11O202" is not a positive whole number' in message
    assert "Row 4: establishment name is blank" in message
    assert 'Row 7: URN "-5" is not a positive whole number' in message
    for good in ("Row 2:", "Row 5:", "Row 6:"):
        assert good not in message
    assert "Import complete." in message
    # Row 5's LA code "99" is GIAS's 099 without its leading zero: imported, not refused.
    assert set(School.objects.values_list("urn", "la_code")) == {
        (110201, "999"),
        (110204, "099"),
        (110205, "999"),
    }


def test_a_bad_row_does_not_stop_the_good_rows_update(tmp_path: Path) -> None:
    run(str(SAMPLE))
    header, rows = sample_rows()
    rows[0][header.index("EstablishmentName")] = "Renamed School"
    rows[5][header.index("URN")] = "not-a-urn"
    path = write_csv(tmp_path / "half_bad.csv", header, rows, "cp1252")

    out = run(str(path))

    assert 'Row 7: URN "not-a-urn" is not a positive whole number' in out
    assert "created 0, updated 1, unchanged 12" in out
    assert School.objects.get(urn=110101).name == "Renamed School"


def test_the_printed_list_of_bad_rows_is_capped(tmp_path: Path) -> None:
    header, rows = sample_rows()
    urn_col = header.index("URN")
    bad = [[*rows[0][:urn_col], f"x{i}", *rows[0][urn_col + 1 :]] for i in range(60)]
    path = write_csv(tmp_path / "many_bad.csv", header, bad, "cp1252")

    message = run(str(path))

    assert "60 rows could not be imported" in message
    assert "Row 51:" in message
    assert "Row 52:" not in message
    assert "... and 10 more" in message


def test_duplicate_urn_and_misaligned_row_are_problems(tmp_path: Path) -> None:
    header, rows = sample_rows()
    rows[3][header.index("URN")] = rows[0][header.index("URN")]
    rows[4] = rows[4][:-3]
    path = write_csv(tmp_path / "dupes.csv", header, rows, "cp1252")

    message = run(str(path))

    assert "Row 5: URN 110101 is also on row 2" in message
    assert "Row 6: has 14 values but the header has 17 columns" in message
    assert School.objects.count() == 12
    assert School.objects.get(urn=110101).name == "Ss Peter & Paul's Catholic Primary School"


def test_a_missing_column_is_a_clear_error_before_anything_is_written(tmp_path: Path) -> None:
    header, rows = sample_rows()
    drop = [header.index("PhaseOfEducation (name)"), header.index("Postcode")]
    header = [h for i, h in enumerate(header) if i not in drop]
    rows = [[v for i, v in enumerate(row) if i not in drop] for row in rows]
    path = write_csv(tmp_path / "no_phase.csv", header, rows, "cp1252")

    with pytest.raises(
        CommandError,
        match=r'missing these GIAS columns: "PhaseOfEducation \(name\)", "Postcode"',
    ):
        run(str(path))
    assert School.objects.count() == 0


def test_dry_run_counts_but_writes_nothing() -> None:
    SchoolFactory.create(urn=110101, name="Old Name")

    out = run(str(SAMPLE), "--dry-run")

    assert "Dry run, nothing written: would have created 13, updated 1, unchanged 0" in out
    assert School.objects.count() == 1
    assert School.objects.get(urn=110101).name == "Old Name"


def test_dry_run_still_reports_bad_rows() -> None:
    out = run(str(BAD), "--dry-run")

    assert "3 rows could not be imported (the other rows were checked)" in out
    assert "Row 3: URN" in out
    assert "would have created 3" in out
    assert not School.objects.exists()


def test_a_utf8_file_with_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    header, rows = sample_rows()
    path = write_csv(tmp_path / "excel.csv", header, rows, "utf-8-sig")

    run(str(path))

    assert School.objects.get(urn=110102).name == "Ecole Française Jacques Prévert"
    assert School.objects.get(urn=110110).name == "St Mary\u2019s C of E Middle School"


def test_a_missing_file_and_an_empty_file_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        run(str(tmp_path / "nope.csv"))
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(CommandError, match="The file is empty"):
        run(str(tmp_path / "empty.csv"))


def test_a_file_over_the_size_cap_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gias_reading, "MAX_FILE_BYTES", 1000)

    with pytest.raises(CommandError, match="the largest accepted is"):
        run(str(SAMPLE))
    assert School.objects.count() == 0


def test_the_service_reads_an_upload_and_records_who_imported() -> None:
    administrator = UserFactory.create(email="ada@la.gov.uk")
    upload = io.BytesIO(SAMPLE.read_bytes())

    result = schools_import_gias(rows_or_file=upload, la_code="999", by=administrator)

    assert (result.created, result.skipped_other_la) == (11, 3)
    school = School.objects.get(urn=110102)
    assert school.created_by == administrator
    assert school.updated_by == administrator


def test_the_service_refuses_a_malformed_la_code() -> None:
    with pytest.raises(GiasFileError):
        schools_import_gias(rows_or_file=SAMPLE, la_code="9999")


def test_an_update_records_who_and_when_and_keeps_the_creator(tmp_path: Path) -> None:
    first, second = (
        UserFactory.create(email="first@la.gov.uk"),
        UserFactory.create(email="second@la.gov.uk"),
    )
    schools_import_gias(rows_or_file=SAMPLE, by=first)
    header, rows = sample_rows()
    rows[0][header.index("EstablishmentStatus (name)")] = "Closed"
    before = School.objects.get(urn=110101)

    result = schools_import_gias(
        rows_or_file=write_csv(tmp_path / "closed.csv", header, rows, "cp1252"), by=second
    )

    assert (result.updated, result.unchanged) == (1, 13)
    school = School.objects.get(urn=110101)
    assert school.is_open is False
    assert (school.created_by, school.updated_by) == (first, second)
    assert school.created_at == before.created_at
    assert school.updated_at > before.updated_at
    assert School.objects.get(urn=110102).updated_by == first
