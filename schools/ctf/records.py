"""What a Common Transfer File says, as plain frozen records.

Only what a CME return can use is kept (names, date of birth, sex, address, contacts, school
history, attendance): a CTF carries much more (assessments, SEN, FSM) that a return never asks.
The records turn into and back from JSON-able dicts so the parsed pupils can wait in the
session between the upload and the returns, and the file itself is never stored.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class CtfSchool:
    lea: str = ""
    estab: str = ""
    urn: str = ""
    name: str = ""


@dataclass(frozen=True)
class CtfAddress:
    """A BS7666 address (SAON, PAON, street...) or, from older systems, address lines."""

    saon: str = ""
    paon: str = ""
    street: str = ""
    locality: str = ""
    town: str = ""
    administrative_area: str = ""
    post_town: str = ""
    lines: tuple[str, ...] = ()
    postcode: str = ""

    def street_line(self) -> str:
        """The first address line: flat (SAON), house (PAON) and street."""
        return ", ".join(p for p in (self.saon, f"{self.paon} {self.street}".strip()) if p)

    def as_lines(self) -> tuple[str, str, str]:
        """(line 1, line 2, town) as today's return forms ask them."""
        if self.lines:
            rest = [line for line in self.lines if line]
            town = rest.pop() if len(rest) > 1 else ""
            return (rest[0] if rest else "", ", ".join(rest[1:]), town)
        return (self.street_line(), self.locality, self.post_town or self.town)


@dataclass(frozen=True)
class CtfContact:
    order: int = 0
    title: str = ""
    forename: str = ""
    surname: str = ""
    relationship: str = ""
    phones: tuple[str, ...] = ()
    email: str = ""

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.title, self.forename, self.surname) if p)


@dataclass(frozen=True)
class CtfSchoolSpell:
    """One school in the pupil's school history."""

    school: CtfSchool = field(default_factory=CtfSchool)
    entry_date: date | None = None
    leaving_date: date | None = None
    leaving_reason: str = ""


@dataclass(frozen=True)
class CtfAttendance:
    year: str = ""
    sessions_possible: int | None = None
    sessions_authorised: int | None = None
    sessions_unauthorised: int | None = None


@dataclass(frozen=True)
class CtfPupil:
    position: int  # 1-based place in the file: how a pupil with no usable UPN is named
    upn: str
    forename: str
    surname: str
    date_of_birth: date
    sex: str = ""  # F, M or "" (the return's Gender choices; X is asked, never guessed)
    middle_names: str = ""
    preferred_surname: str = ""
    former_surname: str = ""
    nc_year: str = ""
    address: CtfAddress = field(default_factory=CtfAddress)
    contacts: tuple[CtfContact, ...] = ()
    school_history: tuple[CtfSchoolSpell, ...] = ()
    attendance: tuple[CtfAttendance, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = _jsonable(asdict(self))
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CtfPupil:
        return cls(
            position=data["position"],
            upn=data["upn"],
            forename=data["forename"],
            surname=data["surname"],
            date_of_birth=date.fromisoformat(data["date_of_birth"]),
            sex=data["sex"],
            middle_names=data["middle_names"],
            preferred_surname=data["preferred_surname"],
            former_surname=data["former_surname"],
            nc_year=data["nc_year"],
            address=CtfAddress(**{**data["address"], "lines": tuple(data["address"]["lines"])}),
            contacts=tuple(
                CtfContact(**{**c, "phones": tuple(c["phones"])}) for c in data["contacts"]
            ),
            school_history=tuple(
                CtfSchoolSpell(
                    school=CtfSchool(**s["school"]),
                    entry_date=_day(s["entry_date"]),
                    leaving_date=_day(s["leaving_date"]),
                    leaving_reason=s["leaving_reason"],
                )
                for s in data["school_history"]
            ),
            attendance=tuple(CtfAttendance(**a) for a in data["attendance"]),
        )


@dataclass(frozen=True)
class PupilProblem:
    """Something wrong with one pupil: `kept` False if the pupil was left out because of it."""

    position: int
    upn: str
    message: str
    kept: bool

    @property
    def pupil(self) -> str:
        return f"UPN {self.upn}" if self.upn else f"Pupil {self.position} in the file"


@dataclass(frozen=True)
class CtfFile:
    version: str
    source: CtfSchool
    dest: CtfSchool
    pupils: tuple[CtfPupil, ...]
    problems: tuple[PupilProblem, ...]


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
