"""The import streams the file and writes in batches: queries per batch, not per row;
memory well under the file's size; COPY and the portable path agree."""

from __future__ import annotations

import io
import math
import tracemalloc
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django import DjangoAssertNumQueries

from demo.gias_file import read_template
from schools.gias import importing, schools_import_gias
from schools.models import School
from tests.schools.gias_files import NPQ, generated, write_rows

pytestmark = pytest.mark.django_db

ROWS = 12_000


def snapshot() -> set[tuple[object, ...]]:
    return set(School.objects.values_list("urn", *importing.FIELDS))


def test_a_large_file_takes_a_few_queries_per_batch_not_per_row(
    tmp_path: Path, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    path = generated(tmp_path / "big.csv", ROWS)
    batches = math.ceil(ROWS / importing.BATCH_SIZE)

    # 3 to load what is held, 5 a batch (staging table, COPY, upsert), savepoints.
    with django_assert_max_num_queries(6 + 5 * batches):
        result = schools_import_gias(rows_or_file=path)

    assert (result.created, result.problems) == (ROWS, [])
    assert School.objects.count() == ROWS


def test_memory_stays_far_below_the_size_of_the_file(tmp_path: Path) -> None:
    path = generated(tmp_path / "big.csv", ROWS)
    tracemalloc.start()
    try:
        schools_import_gias(rows_or_file=path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert path.stat().st_size > 10_000_000
    assert peak < path.stat().st_size / 2


def test_copy_and_bulk_create_write_the_same_schools(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = generated(tmp_path / "a.csv", 300), generated(tmp_path / "b.csv", 300, seed=2)
    schools_import_gias(rows_or_file=first)
    by_copy = schools_import_gias(rows_or_file=second)
    copied = snapshot()
    School.objects.all().delete()

    monkeypatch.setattr(importing, "use_copy", lambda vendor: False)
    schools_import_gias(rows_or_file=first)
    by_orm = schools_import_gias(rows_or_file=second)

    assert (by_copy.created, by_copy.updated) == (by_orm.created, by_orm.updated) == (0, 300)
    assert snapshot() == copied


class OneWay(io.RawIOBase):
    """A stream that cannot seek (a pipe)."""

    def __init__(self, data: bytes) -> None:
        self.data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        chunk = self.data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


@pytest.mark.parametrize(
    "make",
    [
        lambda data: SimpleUploadedFile("gias.csv", data, content_type="text/csv"),
        lambda data: io.BufferedReader(OneWay(data)),
        lambda data: io.StringIO(data.decode("cp1252"), newline=""),
    ],
    ids=["upload", "pipe", "text"],
)
def test_uploads_pipes_and_text_streams_import_alike(make: object) -> None:
    assert callable(make)
    result = schools_import_gias(rows_or_file=make(NPQ.read_bytes()))

    assert (result.created, result.problems) == (99, [])


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_the_encoding_is_told_from_the_whole_file_not_its_start(
    tmp_path: Path, encoding: str
) -> None:
    header, rows = read_template(NPQ)
    rows = [row for row in rows if all(c.isascii() for c in ",".join(row))]
    late = [*rows[0]]
    late[header.index("URN")] = "999999"
    late[header.index("EstablishmentName")] = "Ecole Fran\u00e7aise St Mary\u2019s"
    urn = header.index("URN")
    # Past the first megabyte before the one non-ASCII name.
    filler = [[*row[:urn], str(500_000 + i), *row[urn + 1 :]] for i, row in enumerate(rows * 40)]
    path = tmp_path / "late.csv"
    write_rows(path, header, [*filler, late])
    if encoding == "utf-8":
        path.write_bytes(path.read_bytes().decode("cp1252").encode("utf-8"))
    assert path.stat().st_size > 1024 * 1024

    schools_import_gias(rows_or_file=path)

    assert School.objects.get(urn=999999).name == "Ecole Fran\u00e7aise St Mary\u2019s"
