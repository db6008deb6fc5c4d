"""Checking each row of a GIAS establishment file (see `schools.gias`)."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from schools.gias.reading import (
    COL_CLOSE_DATE,
    COL_LA,
    COL_NAME,
    COL_PHASE,
    COL_POSTCODE,
    COL_STATUS,
    COL_TOWN,
    COL_TYPE,
    COL_URN,
    ERROR,
    clean,
)
from schools.gias.types import UNKNOWN, establishment_type, is_not_an_establishment
from schools.models import Phase, School

# PositiveIntegerField's ceiling on every database Django supports.
_MAX_URN = 2_147_483_647

GIAS_PHASES: dict[str, Phase] = {
    "Nursery": Phase.NURSERY,
    "Primary": Phase.PRIMARY,
    "Middle deemed primary": Phase.MIDDLE,
    "Middle deemed secondary": Phase.MIDDLE,
    "Secondary": Phase.SECONDARY,
    "All-through": Phase.ALL_THROUGH,
    "All through": Phase.ALL_THROUGH,  # GIAS's spelling until about 2019
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
_TOWN_MAX = School._meta.get_field("town").max_length or 100

#: A local authority code (GIAS "LA (code)") is three digits, e.g. 207.
LA_CODE_LENGTH = 3


def normalise_la_code(value: str) -> str | None:
    """The 3-digit LA code GIAS means: its downloads drop leading zeros (``0`` for British
    schools overseas, ``99``), so 1 to 3 digits are padded. None if it is not 1 to 3 digits."""
    value = value.strip()
    if 0 < len(value) <= LA_CODE_LENGTH and value.isascii() and value.isdigit():
        return value.zfill(LA_CODE_LENGTH)
    return None


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
    #: The type is not in `schools.gias.types.ESTABLISHMENT_TYPES`: imported as OTHER.
    unmapped: bool = False


class Skip(enum.Enum):
    """A row that is not imported and is not a problem."""

    OTHER_LA = "another LA's"
    NOT_AN_ESTABLISHMENT = "a children's centre"


# ---------------------------------------------------------------------------- validation
# Each column's check: (its value, the reason it is bad or None).


def _urn(row: dict[str, str]) -> tuple[int, str | None]:
    raw_urn = clean(row.get(COL_URN))
    urn = int(raw_urn) if raw_urn.isascii() and raw_urn.isdigit() else 0
    if not raw_urn:
        return urn, "URN is blank"
    if not 0 < urn <= _MAX_URN:
        return urn, f'URN "{raw_urn}" is not a positive whole number'
    return urn, None


def _text(row: dict[str, str], column: str, what: str, limit: int) -> tuple[str, str | None]:
    value = clean(row.get(column))
    if len(value) > limit:
        return value, f"{what} is longer than {limit} characters"
    return value, None


def _name(row: dict[str, str]) -> tuple[str, str | None]:
    name, problem = _text(row, COL_NAME, "establishment name", _NAME_MAX)
    return name, problem or (None if name else "establishment name is blank")


def _phase(row: dict[str, str]) -> tuple[Phase | None, str | None]:
    raw_phase = clean(row.get(COL_PHASE))
    phase = _PHASES.get(raw_phase.casefold())
    if phase is None:
        return None, f'phase of education "{raw_phase}" is not one GIAS uses'
    return phase, None


def _is_open(row: dict[str, str]) -> tuple[bool | None, str | None]:
    raw_status = clean(row.get(COL_STATUS))
    is_open = _STATUSES.get(raw_status.casefold())
    if is_open is None:
        return None, (
            f'establishment status "{raw_status}" is not one GIAS uses'
            if raw_status
            else "establishment status is blank"
        )
    return is_open, None


def _postcode(row: dict[str, str]) -> tuple[str, str | None]:
    postcode = clean(row.get(COL_POSTCODE)).upper()
    if len(postcode) > _POSTCODE_MAX:
        return postcode, f'postcode "{postcode}" is longer than {_POSTCODE_MAX} characters'
    return postcode, None


_GIAS_DATE = re.compile(r"(\d{1,2})[-/](\d{1,2})[-/](\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_gias_date(raw: str) -> date:
    """GIAS writes dd-mm-yyyy; a file saved again by Excel may have dd/mm/yyyy or ISO.
    ValueError for anything else (or a day that does not exist)."""
    if match := _GIAS_DATE.fullmatch(raw):
        day, month, year = match.groups()
    elif match := _ISO_DATE.fullmatch(raw):
        year, month, day = match.groups()
    else:
        raise ValueError(raw)
    return date(int(year), int(month), int(day))


def _close_date(row: dict[str, str]) -> tuple[date | None, str | None]:
    raw = clean(row.get(COL_CLOSE_DATE))
    if not raw:
        return None, None
    try:
        return parse_gias_date(raw), None
    except ValueError:
        return None, f'close date "{raw}" is not a date like 31-08-2024'


def parse_row(row: dict[str, str], la_code: str | None) -> ParsedRow | Skip | str:
    """The school's values; why the row is not imported; or the reason it is bad."""
    if ERROR in row:
        return row[ERROR]
    raw_la = clean(row.get(COL_LA))
    la = normalise_la_code(raw_la)
    if la is None:
        return (
            f'LA code "{raw_la}" is not a number of 1 to 3 digits' if raw_la else "LA code is blank"
        )
    gias_type, type_problem = _text(row, COL_TYPE, "type of establishment", _GIAS_TYPE_MAX)
    if is_not_an_establishment(gias_type):
        return Skip.NOT_AN_ESTABLISHMENT
    if la_code is not None and la != la_code:
        return Skip.OTHER_LA

    urn, urn_problem = _urn(row)
    name, name_problem = _name(row)
    phase, phase_problem = _phase(row)
    is_open, status_problem = _is_open(row)
    postcode, postcode_problem = _postcode(row)
    town, town_problem = _text(row, COL_TOWN, "town", _TOWN_MAX)
    close_date, close_problem = _close_date(row)
    problems = (
        urn_problem,
        name_problem,
        type_problem,
        phase_problem,
        status_problem,
        postcode_problem,
        town_problem,
        close_problem,
    )
    reasons = [reason for reason in problems if reason is not None]
    if reasons or phase is None or is_open is None:
        return "; ".join(reasons)
    kind = establishment_type(gias_type)
    return ParsedRow(
        urn=urn,
        values={
            "name": name,
            "school_type": (kind or UNKNOWN).school_type.value,
            "gias_type": gias_type,
            "phase": phase.value,
            "la_code": la,
            "postcode": postcode,
            "is_open": is_open,
            "town": town,
            "close_date": close_date,
        },
        unmapped=kind is None,
    )
