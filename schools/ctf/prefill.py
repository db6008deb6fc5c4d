"""A CTF pupil as the first answers of a joiner or leaver return.

The answers are the form's `initial`, never bound data: the school sees them in the usual form,
changes what it must and continues to check your answers as for any return. A CTF carries no
deletion ground (regulation 9), so a leaver's ground and the questions under it are left for
the school to answer.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from schools.ctf.records import CtfAddress, CtfContact, CtfFile, CtfPupil, CtfSchool
from schools.models import ReturnKind, School

#: How many parents or carers the return form asks.
FORM_CONTACTS = 2


def direction(ctf: CtfFile, school: School) -> ReturnKind | None:
    """Joiners if the file was sent to this school, leavers if it was sent from it."""
    if _is(ctf.dest, school):
        return ReturnKind.JOINER
    if _is(ctf.source, school):
        return ReturnKind.LEAVER
    return None


def _is(ctf_school: CtfSchool, school: School) -> bool:
    return ctf_school.urn == str(school.urn)


def year_group(nc_year: str) -> str:
    if nc_year.upper() == "R":
        return "Reception"
    if nc_year.upper().startswith("N"):
        return "Nursery"
    return f"Year {nc_year}" if nc_year.isascii() and nc_year.isdigit() else nc_year


def initial_answers(
    pupil: CtfPupil, kind: ReturnKind, *, school: School, other: CtfSchool
) -> dict[str, Any]:
    line_1, line_2, town = pupil.address.as_lines()
    answers: dict[str, Any] = {
        "first_name": pupil.forename,
        "middle_names": pupil.middle_names,
        "last_name": pupil.surname,
        "date_of_birth": pupil.date_of_birth,
        "gender": pupil.sex,
        "upn": pupil.upn,
        "address_line_1": line_1,
        "address_line_2": line_2,
        "town": town,
        "postcode": pupil.address.postcode,
    }
    # The form asks two parents or carers; the rest of the file's contacts, and each one's
    # other phone numbers, go with the return as the file gave them (session.ctf_structure).
    for n, contact in enumerate(pupil.contacts[:FORM_CONTACTS], start=1):
        answers |= {
            f"parent_{n}_name": contact.full_name,
            f"parent_{n}_relationship": contact.relationship_words,
            f"parent_{n}_phone": contact.phones[0].number if contact.phones else "",
            f"parent_{n}_email": contact.email,
            f"parent_{n}_address": contact_address(contact, pupil),
        }
    if kind == ReturnKind.JOINER:
        answers["year_group"] = year_group(pupil.nc_year)
        previous = (
            School.objects.filter(urn=int(other.urn)).first() if other.urn.isdigit() else None
        )
        if previous is not None:
            answers["previous_school"] = previous.pk
        else:
            answers["previous_school_name"] = other.name
    else:
        left = _leaving_date(pupil, school)
        if left is not None:
            answers["deletion_date"] = left
    return {k: v for k, v in answers.items() if v not in ("", None)}


def contact_address(contact: CtfContact, pupil: CtfPupil) -> str:
    """The contact's address as the form's one string: "" when the file gives none or the
    pupil's own ("Blank when the same as the pupil's")."""
    own = contact.address
    if own.is_empty or _same_place(own, pupil.address):
        return ""
    return own.one_line()[:300]


def _same_place(one: CtfAddress, other: CtfAddress) -> bool:
    if one.uprn and other.uprn:
        return one.uprn == other.uprn
    return (one.as_lines(), one.postcode) == (other.as_lines(), other.postcode)


def _leaving_date(pupil: CtfPupil, school: School) -> date | None:
    for spell in pupil.school_history:
        if _is(spell.school, school) and spell.leaving_date is not None:
            return spell.leaving_date
    return None
