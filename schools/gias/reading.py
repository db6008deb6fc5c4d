"""Reading a GIAS establishment file as a stream of records (see `schools.gias`).

The file is never held whole: the national file is 40 to 60 MB, and an upload may be read
from a temporary file. It is read twice: once in binary to tell its encoding and size (a
fast pass in C), then as text through the CSV reader, one record at a time.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TypeAlias, cast

#: A path, a binary file (an upload), a text stream, or rows already read.
Source: TypeAlias = str | os.PathLike[str] | IO[bytes] | IO[str] | Iterable[Mapping[str, Any]]

MAX_FILE_BYTES = 150 * 1024 * 1024  # the national GIAS file is ~60 MB; one LA is far less
_CHUNK = 1024 * 1024

COL_URN = "URN"
COL_NAME = "EstablishmentName"
COL_TYPE = "TypeOfEstablishment (name)"
COL_PHASE = "PhaseOfEducation (name)"
COL_LA = "LA (code)"
COL_POSTCODE = "Postcode"
COL_STATUS = "EstablishmentStatus (name)"
COL_TOWN = "Town"
COL_CLOSE_DATE = "CloseDate"
REQUIRED_COLUMNS: tuple[str, ...] = (
    COL_URN,
    COL_NAME,
    COL_TYPE,
    COL_PHASE,
    COL_LA,
    COL_POSTCODE,
    COL_STATUS,
)
#: Read when the file has them (every GIAS download does; a hand-made file may not).
OPTIONAL_COLUMNS: tuple[str, ...] = (COL_TOWN, COL_CLOSE_DATE)
#: The key a record that cannot be read has, with the reason.
ERROR = "__error__"


class GiasFileError(Exception):
    """The file as a whole cannot be imported (nothing was written)."""


def clean(value: str | None) -> str:
    """Surrounding spaces off and runs of whitespace made one space."""
    return " ".join((value or "").split())


def _too_big(size: int) -> GiasFileError:
    return GiasFileError(
        f"The file is {size / 1024 / 1024:.1f} MB; the largest accepted is "
        f"{MAX_FILE_BYTES // 1024 // 1024} MB. Download the file for your LA only from GIAS."
    )


def _encoding(binary: IO[bytes]) -> str:
    """UTF-8 (with or without a byte-order mark) if every byte is, else Windows-1252, as GIAS
    writes; the stream is read to its end and put back at its start."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    size, utf8 = 0, True
    while chunk := binary.read(_CHUNK):
        size += len(chunk)
        if size > MAX_FILE_BYTES:
            raise _too_big(size)
        if utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    binary.seek(0)
    return "utf-8-sig" if utf8 else "cp1252"


@contextmanager
def _binary(source: str | os.PathLike[str] | IO[bytes]) -> Iterator[IO[bytes]]:
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise GiasFileError(f"No such file: {path}")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _too_big(path.stat().st_size)
        with path.open("rb") as f:
            yield f
        return
    size = getattr(source, "size", None)  # Django's UploadedFile knows its size
    if isinstance(size, int) and size > MAX_FILE_BYTES:
        raise _too_big(size)
    seekable = getattr(source, "seekable", None)
    if seekable is not None and seekable():
        source.seek(0)
        yield source
        return
    data = source.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise _too_big(len(data))
    yield io.BytesIO(data)


def _csv_records(text: IO[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line of the record's start, the columns we read) for each record; GiasFileError for
    a missing column. Only those columns are kept: a GIAS row has 140."""
    reader = csv.reader(text)
    try:
        header = next(reader)
    except StopIteration:
        raise GiasFileError("The file is empty.") from None
    except (csv.Error, UnicodeDecodeError) as exc:
        raise GiasFileError(f"The file is not a readable CSV file: {exc}") from exc
    names = [clean(name).lstrip("\ufeff") for name in header]
    missing = [col for col in REQUIRED_COLUMNS if col not in names]
    if missing:
        raise GiasFileError(
            "The file is missing these GIAS columns: "
            + ", ".join(f'"{col}"' for col in missing)
            + ". Use the GIAS establishment download (with the column names GIAS gives)."
        )
    wanted = [(col, names.index(col)) for col in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
              if col in names]  # fmt: skip
    width = len(names)
    last_line = reader.line_num
    while True:
        start = last_line + 1  # a record starts on the line after the previous one ended
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, {ERROR: f"cannot be read as CSV ({exc})"}
            return
        except UnicodeDecodeError as exc:
            raise GiasFileError(
                "The file is neither Windows-1252 (as GIAS writes it) nor UTF-8 text. "
                "Download it again from GIAS."
            ) from exc
        last_line = reader.line_num
        if not values:  # a blank line
            continue
        if len(values) != width and (len(values) < width or any(v.strip() for v in values[width:])):
            yield (
                start,
                {
                    ERROR: f"has {len(values)} values but the header has {width} columns "
                    "(a comma or quote out of place?)"
                },
            )
            continue
        yield start, {col: values[i] for col, i in wanted}


def _mapping_records(rows: Iterable[Mapping[str, Any]]) -> Iterator[tuple[int, dict[str, str]]]:
    checked = False
    for number, row in enumerate(rows, start=2):
        record = {clean(str(k)): "" if v is None else str(v) for k, v in row.items()}
        if not checked:
            missing = [col for col in REQUIRED_COLUMNS if col not in record]
            if missing:
                raise GiasFileError(
                    "The rows are missing these GIAS columns: "
                    + ", ".join(f'"{col}"' for col in missing)
                )
            checked = True
        yield number, record


def read_records(source: Source) -> Iterator[tuple[int, dict[str, str]]]:
    """Each record of `source`, read as it is needed; row numbers are lines of the file with
    the header as row 1 (as a spreadsheet shows an ordinary GIAS file)."""
    if not isinstance(source, str | os.PathLike) and getattr(source, "read", None) is None:
        yield from _mapping_records(cast(Iterable[Mapping[str, Any]], source))
        return
    stream = cast("str | os.PathLike[str] | IO[bytes] | IO[str]", source)
    if not isinstance(stream, str | os.PathLike) and isinstance(stream.read(0), str):
        yield from _csv_records(cast(IO[str], stream))  # a text stream: already decoded
        return
    with _binary(cast("str | os.PathLike[str] | IO[bytes]", stream)) as binary:
        encoding = _encoding(binary)
        text = io.TextIOWrapper(binary, encoding=encoding, newline="")
        try:
            yield from _csv_records(text)
        finally:
            text.detach()  # the caller's upload stays open
