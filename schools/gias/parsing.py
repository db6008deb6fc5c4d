"""Reading a GIAS establishment file and checking its rows (see `schools.gias`)."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeAlias, cast

from schools.models import Phase, School, SchoolType

#: A path, a binary file (an upload), a text stream, or rows already read.
Source: TypeAlias = str | os.PathLike[str] | IO[bytes] | IO[str] | Iterable[Mapping[str, Any]]

MAX_FILE_BYTES = 150 * 1024 * 1024  # the national GIAS file is ~60 MB; one LA is far less
# PositiveIntegerField's ceiling on every database Django supports.
_MAX_URN = 2_147_483_647

COL_URN = "URN"
COL_NAME = "EstablishmentName"
COL_TYPE = "TypeOfEstablishment (name)"
COL_PHASE = "PhaseOfEducation (name)"
COL_LA = "LA (code)"
COL_POSTCODE = "Postcode"
COL_STATUS = "EstablishmentStatus (name)"
REQUIRED_COLUMNS: tuple[str, ...] = (
    COL_URN,
    COL_NAME,
    COL_TYPE,
    COL_PHASE,
    COL_LA,
    COL_POSTCODE,
    COL_STATUS,
)

#: GIAS "TypeOfEstablishment (name)" → our grouping. Keys are matched case-insensitively.
GIAS_TYPES: dict[str, SchoolType] = {
    # Maintained by the local authority
    "Community school": SchoolType.MAINTAINED,
    "Voluntary aided school": SchoolType.MAINTAINED,
    "Voluntary controlled school": SchoolType.MAINTAINED,
    "Foundation school": SchoolType.MAINTAINED,
    "Local authority nursery school": SchoolType.MAINTAINED,
    # Special schools, whoever runs them
    "Community special school": SchoolType.SPECIAL,
    "Foundation special school": SchoolType.SPECIAL,
    "Academy special converter": SchoolType.SPECIAL,
    "Academy special sponsor led": SchoolType.SPECIAL,
    "Free schools special": SchoolType.SPECIAL,
    "Non-maintained special school": SchoolType.SPECIAL,
    "Other independent special school": SchoolType.SPECIAL,
    # Academies
    "Academy converter": SchoolType.ACADEMY,
    "Academy sponsor led": SchoolType.ACADEMY,
    "Academy 16-19 converter": SchoolType.ACADEMY,
    "Academy 16 to 19 sponsor led": SchoolType.ACADEMY,
    "City technology college": SchoolType.ACADEMY,
    # Free schools (UTCs and studio schools are free schools in law)
    "Free schools": SchoolType.FREE,
    "Free schools 16 to 19": SchoolType.FREE,
    "University technical college": SchoolType.FREE,
    "Studio schools": SchoolType.FREE,
    # Alternative provision
    "Pupil referral unit": SchoolType.PRU,
    "Academy alternative provision converter": SchoolType.ALTERNATIVE_PROVISION,
    "Academy alternative provision sponsor led": SchoolType.ALTERNATIVE_PROVISION,
    "Free schools alternative provision": SchoolType.ALTERNATIVE_PROVISION,
    # Independent
    "Other independent school": SchoolType.INDEPENDENT,
    # Named here so they are not reported as unknown; anything else is OTHER too.
    "Further education": SchoolType.OTHER,
    "Sixth form centres": SchoolType.OTHER,
    "Special post 16 institution": SchoolType.OTHER,
}
_TYPES = {key.casefold(): value for key, value in GIAS_TYPES.items()}


def is_known_type(gias_type: str) -> bool:
    """Whether this wording is in `GIAS_TYPES` (an unknown one is imported as OTHER)."""
    return gias_type.casefold() in _TYPES


GIAS_PHASES: dict[str, Phase] = {
    "Nursery": Phase.NURSERY,
    "Primary": Phase.PRIMARY,
    "Middle deemed primary": Phase.MIDDLE,
    "Middle deemed secondary": Phase.MIDDLE,
    "Secondary": Phase.SECONDARY,
    "All-through": Phase.ALL_THROUGH,
    "16 plus": Phase.SIXTEEN_PLUS,
    "Not applicable": Phase.NOT_APPLICABLE,
    "": Phase.NOT_APPLICABLE,
}
_PHASES = {key.casefold(): value for key, value in GIAS_PHASES.items()}

#: GIAS "EstablishmentStatus (name)" → is the school open?
GIAS_STATUSES: dict[str, bool] = {
    "Open": True,
    "Open, but proposed to close": True,
    "Closed": False,
    "Proposed to open": False,
}
_STATUSES = {key.casefold(): value for key, value in GIAS_STATUSES.items()}

_NAME_MAX = School._meta.get_field("name").max_length or 200
_GIAS_TYPE_MAX = School._meta.get_field("gias_type").max_length or 120
_POSTCODE_MAX = School._meta.get_field("postcode").max_length or 10


class GiasFileError(Exception):
    """The file as a whole cannot be imported (nothing was written)."""


@dataclass(frozen=True)
class RowProblem:
    row: int
    reason: str

    def __str__(self) -> str:
        return f"Row {self.row}: {self.reason}"


@dataclass(frozen=True)
class ParsedRow:
    urn: int
    values: dict[str, Any]


def _clean(value: str | None) -> str:
    """Surrounding spaces off and runs of whitespace made one space."""
    return " ".join((value or "").split())


#: A local authority code (GIAS "LA (code)") is three digits, e.g. 207.
LA_CODE_LENGTH = 3


def is_la_code(value: str) -> bool:
    return len(value) == LA_CODE_LENGTH and value.isascii() and value.isdigit()


# ------------------------------------------------------------------------------- reading


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise GiasFileError(
            "The file is neither Windows-1252 (as GIAS writes it) nor UTF-8 text. "
            "Download it again from GIAS."
        ) from exc


def _too_big(size: int) -> GiasFileError:
    return GiasFileError(
        f"The file is {size / 1024 / 1024:.1f} MB; the largest accepted is "
        f"{MAX_FILE_BYTES // 1024 // 1024} MB. Download the file for your LA only from GIAS."
    )


def _read_bytes(source: str | os.PathLike[str] | IO[bytes]) -> bytes:
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise GiasFileError(f"No such file: {path}")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _too_big(size)
        return path.read_bytes()
    size_attr = getattr(source, "size", None)  # Django's UploadedFile knows its size
    if isinstance(size_attr, int) and size_attr > MAX_FILE_BYTES:
        raise _too_big(size_attr)
    data = source.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise _too_big(len(data))
    return data


def _csv_records(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, row) for each record; raises GiasFileError for a missing column."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise GiasFileError("The file is empty.") from None
    except csv.Error as exc:
        raise GiasFileError(f"The file is not a readable CSV file: {exc}") from exc
    names = [_clean(name) for name in header]
    missing = [col for col in REQUIRED_COLUMNS if col not in names]
    if missing:
        raise GiasFileError(
            "The file is missing these GIAS columns: "
            + ", ".join(f'"{col}"' for col in missing)
            + ". Use the GIAS establishment download (with the column names GIAS gives)."
        )
    width = len(names)
    last_line = reader.line_num
    while True:
        start = last_line + 1  # a record starts on the line after the previous one ended
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, {"__error__": f"cannot be read as CSV ({exc})"}
            return
        last_line = reader.line_num
        if not values:  # a blank line
            continue
        if len(values) != width and (len(values) < width or any(v.strip() for v in values[width:])):
            yield (
                start,
                {
                    "__error__": f"has {len(values)} values but the header has {width} columns "
                    "(a comma or quote out of place?)"
                },
            )
            continue
        yield start, dict(zip(names, values, strict=False))


def _mapping_records(rows: Iterable[Mapping[str, Any]]) -> Iterator[tuple[int, dict[str, str]]]:
    checked = False
    for number, row in enumerate(rows, start=2):
        record = {_clean(str(k)): "" if v is None else str(v) for k, v in row.items()}
        if not checked:
            missing = [col for col in REQUIRED_COLUMNS if col not in record]
            if missing:
                raise GiasFileError(
                    "The rows are missing these GIAS columns: "
                    + ", ".join(f'"{col}"' for col in missing)
                )
            checked = True
        yield number, record


def read_records(rows_or_file: Source) -> Iterator[tuple[int, dict[str, str]]]:
    if isinstance(rows_or_file, str | os.PathLike):
        return _csv_records(_decode(_read_bytes(rows_or_file)))
    read = getattr(rows_or_file, "read", None)
    if read is None:
        return _mapping_records(cast(Iterable[Mapping[str, Any]], rows_or_file))
    if isinstance(read(0), str):  # a text stream: already decoded
        text = read(MAX_FILE_BYTES + 1)
        if len(text) > MAX_FILE_BYTES:
            raise _too_big(len(text))
        return _csv_records(text)
    return _csv_records(_decode(_read_bytes(cast(IO[bytes], rows_or_file))))


# ---------------------------------------------------------------------------- validation
# Each column's check: (its value, the reason it is bad or None).


def _urn(row: dict[str, str]) -> tuple[int, str | None]:
    raw_urn = _clean(row.get(COL_URN))
    urn = int(raw_urn) if raw_urn.isascii() and raw_urn.isdigit() else 0
    if not raw_urn:
        return urn, "URN is blank"
    if not 0 < urn <= _MAX_URN:
        return urn, f'URN "{raw_urn}" is not a positive whole number'
    return urn, None


def _name(row: dict[str, str]) -> tuple[str, str | None]:
    name = _clean(row.get(COL_NAME))
    if not name:
        return name, "establishment name is blank"
    if len(name) > _NAME_MAX:
        return name, f"establishment name is longer than {_NAME_MAX} characters"
    return name, None


def _gias_type(row: dict[str, str]) -> tuple[str, str | None]:
    gias_type = _clean(row.get(COL_TYPE))
    if len(gias_type) > _GIAS_TYPE_MAX:
        return gias_type, f"type of establishment is longer than {_GIAS_TYPE_MAX} characters"
    return gias_type, None


def _phase(row: dict[str, str]) -> tuple[Phase | None, str | None]:
    raw_phase = _clean(row.get(COL_PHASE))
    phase = _PHASES.get(raw_phase.casefold())
    if phase is None:
        return None, f'phase of education "{raw_phase}" is not one GIAS uses'
    return phase, None


def _is_open(row: dict[str, str]) -> tuple[bool | None, str | None]:
    raw_status = _clean(row.get(COL_STATUS))
    is_open = _STATUSES.get(raw_status.casefold())
    if is_open is None:
        return None, (
            f'establishment status "{raw_status}" is not one GIAS uses'
            if raw_status
            else "establishment status is blank"
        )
    return is_open, None


def _postcode(row: dict[str, str]) -> tuple[str, str | None]:
    postcode = _clean(row.get(COL_POSTCODE)).upper()
    if len(postcode) > _POSTCODE_MAX:
        return postcode, f'postcode "{postcode}" is longer than {_POSTCODE_MAX} characters'
    return postcode, None


def parse_row(row: dict[str, str], la_code: str | None) -> ParsedRow | str | None:
    """The school's values; a reason the row is bad; or None for another LA's row."""
    if "__error__" in row:
        return row["__error__"]
    la = _clean(row.get(COL_LA))
    if not is_la_code(la):
        return f'LA code "{la}" is not 3 digits' if la else "LA code is blank"
    if la_code is not None and la != la_code:
        return None

    urn, urn_problem = _urn(row)
    name, name_problem = _name(row)
    gias_type, type_problem = _gias_type(row)
    phase, phase_problem = _phase(row)
    is_open, status_problem = _is_open(row)
    postcode, postcode_problem = _postcode(row)
    problems = (
        urn_problem,
        name_problem,
        type_problem,
        phase_problem,
        status_problem,
        postcode_problem,
    )
    reasons = [reason for reason in problems if reason is not None]
    if reasons or phase is None or is_open is None:
        return "; ".join(reasons)
    return ParsedRow(
        urn=urn,
        values={
            "name": name,
            "school_type": _TYPES.get(gias_type.casefold(), SchoolType.OTHER).value,
            "gias_type": gias_type,
            "phase": phase.value,
            "la_code": la,
            "postcode": postcode,
            "is_open": is_open,
        },
    )
