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
    #: The Unique Property Reference Number (up to 12 digits), when the file gives one.
    uprn: str = ""

    @property
    def is_empty(self) -> bool:
        return not any(
            (self.saon, self.paon, self.street, self.locality, self.town, self.post_town)
        ) and not (self.lines or self.postcode or self.uprn)

    def one_line(self) -> str:
        """The whole address on one line (a contact's, as the return's one string asks)."""
        return ", ".join(p for p in (*self.as_lines(), self.postcode) if p)

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


#: CBDS "relationship to pupil" codes as a CTF writes them, with the words a return shows.
#: The list this reader has always taken (see the report of issue 16: it is to be checked
#: against the CBDS code set in the DfE's CBDS database, which was not at hand). A code not
#: here is kept as given and reported against the pupil; the school answers the relationship.
RELATIONSHIPS = {
    "PAM": "mother",
    "PAF": "father",
    "PAR": "parent",
    "STM": "step-mother",
    "STF": "step-father",
    "FOM": "foster mother",
    "FOF": "foster father",
    "CAR": "carer",
    "GRM": "grandmother",
    "GRF": "grandfather",
    "REL": "other relative",
    "FAM": "other family member",
    "CHM": "childminder",
    "SWR": "social worker",
    "OTH": "other",
}


def relationship_label(code: str) -> str:
    """ "Mother (PAM)" for a known code, the code itself otherwise, "" for none."""
    label = RELATIONSHIPS.get(code)
    return f"{label[0].upper()}{label[1:]} ({code})" if label else code


@dataclass(frozen=True)
class CtfPhone:
    number: str
    #: The telephone type the file gives (for example H home, M mobile, W work), as written.
    type: str = ""


@dataclass(frozen=True)
class CtfContact:
    order: int = 0
    title: str = ""
    forename: str = ""
    surname: str = ""
    relationship: str = ""  # the CBDS code as the file wrote it (upper case)
    phones: tuple[CtfPhone, ...] = ()
    email: str = ""
    #: The contact's own address, when the file gives one (else empty: the pupil's).
    address: CtfAddress = field(default_factory=CtfAddress)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.title, self.forename, self.surname) if p)

    @property
    def relationship_words(self) -> str:
        """The words the return's one relationship string asks for ("" if the code is unknown)."""
        return RELATIONSHIPS.get(self.relationship, "")

    @property
    def phone_numbers(self) -> tuple[str, ...]:
        return tuple(p.number for p in self.phones)


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
    upn: str  # "" when the file gave none, or one that is not a UPN (reported)
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
        # The plain fields as to_dict wrote them; the date and the nested records rebuilt.
        rebuilt = {
            "date_of_birth": date.fromisoformat(data["date_of_birth"]),
            "address": _address_from(data["address"]),
            "contacts": tuple(
                CtfContact(
                    **{
                        **c,
                        # A session written before phones had types held bare numbers.
                        "phones": tuple(
                            CtfPhone(number=p) if isinstance(p, str) else CtfPhone(**p)
                            for p in c["phones"]
                        ),
                        "address": _address_from(c.get("address")),
                    }
                )
                for c in data["contacts"]
            ),
            "school_history": tuple(
                CtfSchoolSpell(
                    school=CtfSchool(**s["school"]),
                    entry_date=_day(s["entry_date"]),
                    leaving_date=_day(s["leaving_date"]),
                    leaving_reason=s["leaving_reason"],
                )
                for s in data["school_history"]
            ),
            "attendance": tuple(CtfAttendance(**a) for a in data["attendance"]),
        }
        return cls(**{**data, **rebuilt})


@dataclass(frozen=True)
class PupilProblem:
    """Something wrong with one pupil: `kept` False if the pupil was left out because of it."""

    position: int
    upn: str
    message: str
    kept: bool
    #: The pupil's forename and surname, when the file gave them: how a pupil with no UPN is
    #: told apart on the pupils page.
    name: str = ""

    @property
    def pupil(self) -> str:
        if self.upn:
            return f"UPN {self.upn}"
        if self.name:
            return f"{self.name} (pupil {self.position} in the file)"
        return f"Pupil {self.position} in the file"


@dataclass(frozen=True)
class CtfFile:
    version: str
    source: CtfSchool
    dest: CtfSchool
    pupils: tuple[CtfPupil, ...]
    problems: tuple[PupilProblem, ...]


def _address_from(data: dict[str, Any] | None) -> CtfAddress:
    if data is None:
        return CtfAddress()
    return CtfAddress(**{**data, "lines": tuple(data["lines"])})


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
