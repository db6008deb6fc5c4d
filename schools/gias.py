"""Import schools from the DfE Get Information About Schools (GIAS) establishment CSV.

The file is GIAS's "establishment fields" download (the national ``edubasealldata`` file or
a download filtered to one LA). Only these columns are read; any others are ignored:
``URN``, ``EstablishmentName``, ``TypeOfEstablishment (name)``, ``PhaseOfEducation (name)``,
``LA (code)``, ``Postcode`` and ``EstablishmentStatus (name)``.

Decisions (change them here, in one place):

* Encoding: GIAS writes Windows-1252. A UTF-8 file (with or without a byte-order mark, as
  Excel saves "CSV UTF-8") is also accepted: the bytes are tried as UTF-8 first and read as
  Windows-1252 if they are not valid UTF-8.
* All or nothing: every row is checked before anything is written. If any row is bad, no
  school is created or changed and the problems come back in :attr:`ImportResult.problems`.
  A file-level fault (too big, not a CSV, a required column missing) raises
  :class:`GiasFileError` before any row is read.
* Row numbers are lines of the file with the header as row 1 (the first school is row 2),
  which is also the row a spreadsheet shows for an ordinary GIAS file.
* LA filter: with ``la_code``, rows of other LAs are counted as skipped and not otherwise
  checked, so an oddity in another LA's row cannot block ours. A row whose LA code cannot
  be read is always a problem (we cannot tell whose it is).
* Types: the GIAS wording is kept in ``School.gias_type``; it is grouped into
  :class:`SchoolType` by :data:`GIAS_TYPES`. A wording we do not know becomes ``OTHER`` and
  is listed in :attr:`ImportResult.unmapped_types` (DfE adds types from time to time).
* Phases and statuses are short closed lists, so an unknown one is a problem for the row
  rather than a guess. A blank phase is "Not applicable".
* Open: "Open" and "Open, but proposed to close" are open; "Closed" and "Proposed to open"
  are not (a school that has not opened yet cannot take pupils).
* Schools already held but absent from the file are left as they are.
"""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeAlias, cast

from django.db import connections, router, transaction
from django.db.models import Field
from django.utils import timezone

from cme.models import User
from schools.models import Phase, School, SchoolType

#: A path, a binary file (an upload), a text stream, or rows already read.
Source: TypeAlias = str | os.PathLike[str] | IO[bytes] | IO[str] | Iterable[Mapping[str, Any]]

MAX_FILE_BYTES = 150 * 1024 * 1024  # the national GIAS file is ~60 MB; one LA is far less
BATCH_SIZE = 500
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

# The fields an import sets, compared to decide "updated" or "unchanged".
_FIELDS = ("name", "school_type", "gias_type", "phase", "la_code", "postcode", "is_open")

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


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_other_la: int = 0
    dry_run: bool = False
    problems: list[RowProblem] = field(default_factory=list)
    #: GIAS type wordings not in :data:`GIAS_TYPES`, imported as OTHER, with their counts.
    unmapped_types: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run and bool(self.created or self.updated)


@dataclass(frozen=True)
class _Parsed:
    urn: int
    values: dict[str, Any]


def _clean(value: str | None) -> str:
    """Surrounding spaces off and runs of whitespace made one space."""
    return " ".join((value or "").split())


def is_la_code(value: str) -> bool:
    return len(value) == 3 and value.isascii() and value.isdigit()


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


def _records(rows_or_file: Source) -> Iterator[tuple[int, dict[str, str]]]:
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


def _parse(row: dict[str, str], la_code: str | None) -> _Parsed | str | None:
    """The school's values; a reason the row is bad; or None for another LA's row."""
    if "__error__" in row:
        return row["__error__"]
    la = _clean(row.get(COL_LA))
    if not is_la_code(la):
        return f'LA code "{la}" is not 3 digits' if la else "LA code is blank"
    if la_code is not None and la != la_code:
        return None

    reasons: list[str] = []
    raw_urn = _clean(row.get(COL_URN))
    urn = int(raw_urn) if raw_urn.isascii() and raw_urn.isdigit() else 0
    if not raw_urn:
        reasons.append("URN is blank")
    elif not 0 < urn <= _MAX_URN:
        reasons.append(f'URN "{raw_urn}" is not a positive whole number')

    name = _clean(row.get(COL_NAME))
    if not name:
        reasons.append("establishment name is blank")
    elif len(name) > _NAME_MAX:
        reasons.append(f"establishment name is longer than {_NAME_MAX} characters")

    gias_type = _clean(row.get(COL_TYPE))
    if len(gias_type) > _GIAS_TYPE_MAX:
        reasons.append(f"type of establishment is longer than {_GIAS_TYPE_MAX} characters")
    school_type = _TYPES.get(gias_type.casefold(), SchoolType.OTHER)

    raw_phase = _clean(row.get(COL_PHASE))
    phase = _PHASES.get(raw_phase.casefold())
    if phase is None:
        reasons.append(f'phase of education "{raw_phase}" is not one GIAS uses')

    raw_status = _clean(row.get(COL_STATUS))
    is_open = _STATUSES.get(raw_status.casefold())
    if is_open is None:
        reasons.append(
            f'establishment status "{raw_status}" is not one GIAS uses'
            if raw_status
            else "establishment status is blank"
        )

    postcode = _clean(row.get(COL_POSTCODE)).upper()
    if len(postcode) > _POSTCODE_MAX:
        reasons.append(f'postcode "{postcode}" is longer than {_POSTCODE_MAX} characters')

    if reasons or phase is None or is_open is None:
        return "; ".join(reasons)
    return _Parsed(
        urn=urn,
        values={
            "name": name,
            "school_type": school_type.value,
            "gias_type": gias_type,
            "phase": phase.value,
            "la_code": la,
            "postcode": postcode,
            "is_open": is_open,
        },
    )


def _existing(urns: Sequence[int]) -> dict[int, School]:
    """Schools already held for these URNs (queried in chunks: SQLite limits parameters)."""
    found: dict[int, School] = {}
    for i in range(0, len(urns), BATCH_SIZE):
        chunk = urns[i : i + BATCH_SIZE]
        for school in School.objects.filter(urn__in=chunk).only("pk", "urn", *_FIELDS):
            found[school.urn] = school
    return found


def _update_schools(schools: Sequence[School]) -> None:
    """Write the imported fields of changed schools: one parametrised UPDATE, run per row.

    Not ``bulk_update``: that builds a ``CASE WHEN`` expression per row and column, which
    for a whole GIAS file (25,000 schools) is about 30 seconds of Python; this is about 1.
    """
    if not schools:
        return
    connection = connections[router.db_for_write(School)]
    opts = School._meta
    fields = [
        cast("Field[Any, Any]", opts.get_field(name))
        for name in (*_FIELDS, "updated_at", "updated_by")
    ]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    # Table and column names come from the model; every value is a bound parameter.
    sql = f"UPDATE {quote(opts.db_table)} SET {assignments} WHERE {quote(opts.pk.column)} = %s"  # noqa: S608
    params = [
        [f.get_db_prep_save(getattr(school, f.attname), connection) for f in fields] + [school.pk]
        for school in schools
    ]
    with connection.cursor() as cursor:
        for i in range(0, len(params), BATCH_SIZE):
            cursor.executemany(sql, params[i : i + BATCH_SIZE])


# --------------------------------------------------------------------------------- import


def schools_import_gias(
    *,
    rows_or_file: Source,
    la_code: str | None = None,
    dry_run: bool = False,
    by: User | None = None,
) -> ImportResult:
    """Create and update schools from a GIAS establishment file, all or nothing.

    ``rows_or_file`` is a path, a binary file (an upload) or text stream of the CSV, or
    already-read rows (mappings keyed by GIAS column name). With ``la_code`` only that LA's
    rows are imported. With ``dry_run`` the counts are worked out but nothing is written.
    ``by`` is recorded as the creator and updater of the rows written.

    Returns the counts; if :attr:`ImportResult.problems` is not empty nothing was written.
    Raises :class:`GiasFileError` for a file that cannot be read as a GIAS file at all.
    """
    if la_code is not None and not is_la_code(la_code):
        raise GiasFileError(f'LA code "{la_code}" is not 3 digits')

    result = ImportResult(dry_run=dry_run)
    parsed: dict[int, _Parsed] = {}
    first_row: dict[int, int] = {}
    for number, row in _records(rows_or_file):
        result.rows += 1
        outcome = _parse(row, la_code)
        if outcome is None:
            result.skipped_other_la += 1
        elif isinstance(outcome, str):
            result.problems.append(RowProblem(number, outcome))
        elif outcome.urn in parsed:
            result.problems.append(
                RowProblem(number, f"URN {outcome.urn} is also on row {first_row[outcome.urn]}")
            )
        else:
            parsed[outcome.urn] = outcome
            first_row[outcome.urn] = number
            if outcome.values["school_type"] == SchoolType.OTHER and (
                outcome.values["gias_type"].casefold() not in _TYPES
            ):
                result.unmapped_types[outcome.values["gias_type"] or "(blank)"] += 1
    if result.problems:
        return result

    now = timezone.now()
    existing = _existing(list(parsed))
    to_create: list[School] = []
    to_update: list[School] = []
    for urn, item in parsed.items():
        school = existing.get(urn)
        if school is None:
            to_create.append(
                School(urn=urn, created_at=now, created_by=by, updated_by=by, **item.values)
            )
            continue
        changed = [name for name, value in item.values.items() if getattr(school, name) != value]
        if not changed:
            result.unchanged += 1
            continue
        for name in changed:
            setattr(school, name, item.values[name])
        school.updated_at = now
        school.updated_by = by
        to_update.append(school)
    result.created = len(to_create)
    result.updated = len(to_update)

    if not dry_run:
        with transaction.atomic():
            School.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
            _update_schools(to_update)
    return result
