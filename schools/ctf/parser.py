"""Read a Common Transfer File safely (issue 16 item 3).

A CTF comes from outside (a school's MIS, or whoever sends the school an attachment), so it is
parsed as hostile input: defusedxml refuses any DTD, entity declaration or external reference
(a "billion laughs" bomb or an XXE attempt fails before any expansion), nothing is fetched
from the network, the file is refused over a size limit before parsing and as soon as its
elements nest deeper than a CTF ever does.

Whole-file problems (not XML, not a CTF, an older version) raise `CtfError` with a message
for the person who uploaded it. A problem with one pupil (a bad UPN check letter, a date that
is not a date) is reported against that pupil (`PupilProblem`) and the other pupils are kept.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET  # the Element type and ParseError; parsing is defusedxml
from datetime import date

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from cme.statutory import upn_check_letter_valid
from schools.ctf.records import (
    RELATIONSHIPS,
    CtfAddress,
    CtfAttendance,
    CtfContact,
    CtfFile,
    CtfPhone,
    CtfPupil,
    CtfSchool,
    CtfSchoolSpell,
    PupilProblem,
)

#: A school's full CTF of 2,000 pupils with attendance is a few megabytes.
MAX_BYTES = 10 * 1024 * 1024
#: CTfile > CTFpupilData > Pupil > Contacts > Contact > Address > BS7666Address > SAON is 8;
#: the deepest parts of the specification (assessments) stay well under 16.
MAX_DEPTH = 16
#: The first version this reader knows (CTF 19, from September 2019; "Sex" replaced "Gender"
#: in later versions, and both are read).
MIN_VERSION = 19
#: A UPRN is a number of up to 12 digits (BS7666; OS AddressBase).
UPRN = re.compile(r"\d{1,12}")


class CtfError(ValueError):
    """The file as a whole cannot be read: the message says why, for the uploader."""


def parse_ctf(data: bytes, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH) -> CtfFile:
    if len(data) > max_bytes:
        raise CtfError(f"The selected file must be smaller than {max_bytes // (1024 * 1024)} MB")
    root = _safe_tree(data, max_depth)
    if _local(root.tag) != "CTfile":
        raise CtfError("The selected file is not a common transfer file (CTF)")
    header = _child(root, "Header")
    if header is None:
        raise CtfError("The selected file has no CTF header")
    version = _text(header, "CTFversion")
    major = re.match(r"\s*(\d+)", version)
    if major is None:
        raise CtfError("The selected file does not say which CTF version it is")
    if int(major.group(1)) < MIN_VERSION:
        raise CtfError(
            f"The selected file is CTF version {major.group(1)}: export it again from your "
            f"school's system as CTF {MIN_VERSION} or later"
        )
    pupils: list[CtfPupil] = []
    problems: list[PupilProblem] = []
    pupil_data = _child(root, "CTFpupilData")
    for position, element in enumerate(_children(pupil_data, "Pupil"), start=1):
        pupil, found = _pupil(element, position)
        problems.extend(found)
        if pupil is not None:
            pupils.append(pupil)
    return CtfFile(
        version=version.strip(),
        source=_school(_child(header, "SourceSchool")),
        dest=_school(_child(header, "DestSchool")),
        pupils=tuple(pupils),
        problems=tuple(problems),
    )


# ------------------------------------------------------------------------ the safe parse


def _safe_tree(data: bytes, max_depth: int) -> ET.Element:
    depth = 0
    root: ET.Element | None = None
    try:
        for event, element in iterparse(
            io.BytesIO(data),
            events=("start", "end"),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        ):
            if event == "start":
                depth += 1
                if root is None:
                    root = element
                if depth > max_depth:
                    raise CtfError(
                        "The selected file is nested more deeply than a CTF can be: "
                        "check it is the file your school's system exported"
                    )
            else:
                depth -= 1
    except DefusedXmlException as exc:
        raise CtfError(
            "The selected file contains a document type declaration or entities, which a CTF "
            "never has: it was not read"
        ) from exc
    except ET.ParseError as exc:
        raise CtfError("The selected file is not valid XML: it may be damaged") from exc
    if root is None:
        raise CtfError("The selected file is empty")
    return root


def _local(tag: str) -> str:
    """The tag without an XML namespace (some MIS write one)."""
    return tag.rsplit("}", 1)[-1]


def _children(parent: ET.Element | None, name: str) -> list[ET.Element]:
    return [] if parent is None else [c for c in parent if _local(c.tag) == name]


def _child(parent: ET.Element | None, name: str) -> ET.Element | None:
    found = _children(parent, name)
    return found[0] if found else None


def _text(parent: ET.Element | None, *path: str) -> str:
    element = parent
    for name in path:
        element = _child(element, name)
    return " ".join((element.text or "").split()) if element is not None else ""


# ------------------------------------------------------------------------ the parts


def _school(element: ET.Element | None) -> CtfSchool:
    return CtfSchool(
        lea=_text(element, "LEA"),
        estab=_text(element, "Estab"),
        urn=_text(element, "URN"),
        name=_text(element, "SchoolName"),
    )


class _Problems:
    def __init__(self, position: int, upn: str, name: str) -> None:
        self.position, self.upn, self.name = position, upn, name
        self.found = list[PupilProblem]()

    def add(self, message: str, *, kept: bool = True) -> None:
        self.found.append(PupilProblem(self.position, self.upn, message, kept, self.name))


def _date(value: str, what: str, problems: _Problems) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        problems.add(f"The {what} {value[:20]!r} is not a real date: it was left out")
        return None


def _pupil(element: ET.Element, position: int) -> tuple[CtfPupil | None, list[PupilProblem]]:
    upn = _text(element, "UPN").upper()
    basic = _child(element, "BasicDetails")

    def either(name: str) -> str:
        # CTF 19+ keeps these under BasicDetails; some MIS write them on the pupil itself.
        return _text(element, name) or _text(basic, name)

    forename, surname = either("Forename"), either("Surname")
    problems = _Problems(position, upn, f"{forename} {surname}".strip())
    dob_text = either("DOB")
    # A pupil with no UPN (none yet, or the school never had one) or one that is not a UPN is
    # kept: the school enters the UPN on the return if it has one (a temporary UPN, ending in
    # a letter, is a UPN with a check letter like any other).
    if not upn:
        problems.add("The pupil has no UPN in the file: enter it on the return if you have one")
    elif not upn_check_letter_valid(upn):
        problems.add(
            f"The UPN {upn[:20]} has a wrong check letter or is not 13 characters: it was left "
            "out, enter the right one on the return"
        )
        problems.upn = upn = ""
    if not forename or not surname:
        problems.add("The pupil has no forename or no surname", kept=False)
    dob = _date(dob_text, "date of birth", problems) if dob_text else None
    if dob is None:
        problems.add("The pupil has no date of birth that can be read", kept=False)
    if any(not p.kept for p in problems.found):
        return None, problems.found
    assert dob is not None  # noqa: S101 - a missing date of birth is a not-kept problem above
    sex = (either("Sex") or either("Gender")).upper()[:1]
    return (
        CtfPupil(
            position=position,
            upn=upn,
            forename=forename,
            surname=surname,
            date_of_birth=dob,
            sex=sex if sex in ("F", "M") else "",
            middle_names=either("MiddleNames"),
            preferred_surname=either("PreferredSurname"),
            former_surname=either("FormerSurname"),
            nc_year=either("NCyearActual"),
            address=_address(_child(element, "Address"), problems, "the pupil's address"),
            contacts=_contacts(_child(element, "Contacts"), problems),
            school_history=_history(_child(element, "SchoolHistory"), problems),
            attendance=_attendance(_child(element, "Attendance"), problems),
        ),
        problems.found,
    )


def _address(element: ET.Element | None, problems: _Problems, whose: str) -> CtfAddress:
    bs = _child(element, "BS7666Address")
    lines = _child(element, "AddressLines")
    # The UPRN sits beside the address parts (some MIS write it inside BS7666Address).
    uprn = (_text(element, "UPRN") or _text(bs, "UPRN")).replace(" ", "")
    if uprn and not UPRN.fullmatch(uprn):
        problems.add(f"The UPRN {uprn[:20]!r} of {whose} is not a UPRN: it was left out")
        uprn = ""
    return CtfAddress(
        saon=_text(bs, "SAON"),
        paon=_text(bs, "PAON"),
        street=_text(bs, "Street"),
        locality=_text(bs, "Locality"),
        town=_text(bs, "Town"),
        administrative_area=_text(bs, "AdministrativeArea"),
        post_town=_text(bs, "PostTown"),
        lines=tuple(t for t in (" ".join((c.text or "").split()) for c in lines or ()) if t)
        if bs is None and lines is not None
        else (),
        postcode=_text(element, "Postcode").upper(),
        uprn=uprn,
    )


def _phones(element: ET.Element | None) -> tuple[CtfPhone, ...]:
    return tuple(
        CtfPhone(number=number, type=_text(phone, "TelephoneType").upper())
        for phone in _children(_child(element, "Phones"), "Phone")
        if (number := _text(phone, "PhoneNo"))
    )


def _contacts(element: ET.Element | None, problems: _Problems) -> tuple[CtfContact, ...]:
    found = []
    for n, contact in enumerate(_children(element, "Contact"), start=1):
        order_text = _text(contact, "Order")
        relationship = _text(contact, "Relationship").upper()
        if relationship and relationship not in RELATIONSHIPS:
            problems.add(
                f"Contact {n}'s relationship code {relationship[:10]!r} is not a CBDS "
                "relationship code: answer the relationship on the return"
            )
        found.append(
            CtfContact(
                order=int(order_text) if order_text.isascii() and order_text.isdigit() else n,
                title=_text(contact, "Title"),
                forename=_text(contact, "Forename"),
                surname=_text(contact, "Surname"),
                relationship=relationship,
                phones=_phones(contact),
                email=_text(contact, "Email"),
                address=_address(_child(contact, "Address"), problems, f"contact {n}'s address"),
            )
        )
    nameless = [c for c in found if not c.surname]
    if nameless:
        problems.add(f"{len(nameless)} contact(s) with no surname were left out")
    return tuple(sorted((c for c in found if c.surname), key=lambda c: c.order))


def _history(element: ET.Element | None, problems: _Problems) -> tuple[CtfSchoolSpell, ...]:
    return tuple(
        CtfSchoolSpell(
            school=_school(school),
            entry_date=_date(_text(school, "EntryDate"), "school entry date", problems),
            leaving_date=_date(_text(school, "LeavingDate"), "school leaving date", problems),
            leaving_reason=_text(school, "LeavingReason"),
        )
        for school in _children(element, "School")
    )


def _count(value: str, what: str, problems: _Problems) -> int | None:
    if not value:
        return None
    if value.isascii() and value.isdigit():
        return int(value)
    problems.add(f"The {what} {value[:20]!r} is not a whole number: it was left out")
    return None


def _attendance(element: ET.Element | None, problems: _Problems) -> tuple[CtfAttendance, ...]:
    return tuple(
        CtfAttendance(
            year=_text(year, "Year"),
            sessions_possible=_count(
                _text(year, "SessionsPossible"), "sessions possible", problems
            ),
            sessions_authorised=_count(
                _text(year, "SessionsAuthorised"), "authorised absences", problems
            ),
            sessions_unauthorised=_count(
                _text(year, "SessionsUnauthorised"), "unauthorised absences", problems
            ),
        )
        for year in _children(element, "YearData")
    )
