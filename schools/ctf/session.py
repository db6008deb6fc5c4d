"""Where an uploaded CTF waits: in the uploader's session only (issue 16 item 3).

The raw file is never stored: it is parsed in memory and dropped. What the school needs to make
its returns (the pupils kept, the problems found, which way the file goes) waits in the
session, for `KEEP` at most (and never longer than the session itself). A pupil leaves the list
when the return made from it is sent; the whole entry goes when the last one is sent, when the
school discards the file, when a new file is uploaded, or when it expires. So nothing of a CTF
is kept beyond the returns that were actually sent.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Field, Model
from django.http import HttpRequest
from django.utils import timezone

from schools.ctf.prefill import FORM_CONTACTS, contact_address
from schools.ctf.records import CtfAddress, CtfContact, CtfFile, CtfPupil, CtfSchool, PupilProblem
from schools.models import ParentCarer, ReturnKind, School, SchoolReturn
from schools.presenters import draft_key

#: How long an uploaded file's pupils wait for their returns.
KEEP = timedelta(hours=8)
#: The answers the CTF gave that are dates (the session holds JSON).
DATE_ANSWERS = ("date_of_birth", "deletion_date")


def _key(school: School) -> str:
    return f"ctf:{school.pk}"


def ctf_keep(request: HttpRequest, school: School, ctf: CtfFile, kind: ReturnKind) -> None:
    other = ctf.source if kind == ReturnKind.JOINER else ctf.dest
    request.session[_key(school)] = {
        "kind": kind.value,
        "version": ctf.version,
        "other": asdict(other),
        "pupils": [p.to_dict() for p in ctf.pupils],
        "problems": [asdict(p) for p in ctf.problems],
        "expires": (timezone.now() + KEEP).isoformat(),
    }
    for each in (ReturnKind.JOINER, ReturnKind.LEAVER):
        request.session.pop(f"{draft_key(each, school)}:ctf", None)


class Waiting:
    """An uploaded CTF's pupils still waiting for their returns."""

    def __init__(self, stored: dict[str, Any]) -> None:
        self.kind = ReturnKind(stored["kind"])
        self.version: str = stored["version"]
        self.other = CtfSchool(**stored["other"])
        self.pupils = [CtfPupil.from_dict(p) for p in stored["pupils"]]
        self.problems = [PupilProblem(**p) for p in stored["problems"]]
        self.expires = datetime.fromisoformat(stored["expires"])

    def pupil(self, position: int) -> CtfPupil | None:
        return next((p for p in self.pupils if p.position == position), None)


def ctf_waiting(request: HttpRequest, school: School) -> Waiting | None:
    stored = request.session.get(_key(school))
    if stored is None:
        return None
    waiting = Waiting(stored)
    if waiting.expires <= timezone.now():
        ctf_discard(request, school)
        return None
    return waiting


def ctf_discard(request: HttpRequest, school: School) -> None:
    request.session.pop(_key(school), None)
    for each in (ReturnKind.JOINER, ReturnKind.LEAVER):
        request.session.pop(f"{draft_key(each, school)}:ctf", None)


def ctf_start_return(
    request: HttpRequest, school: School, position: int, answers: dict[str, Any]
) -> None:
    """The return form for this pupil starts from `answers`: any draft of that kind goes."""
    waiting = ctf_waiting(request, school)
    assert waiting is not None  # noqa: S101 - the caller found the pupil in it
    key = draft_key(waiting.kind, school)
    request.session.pop(key, None)
    request.session.pop(f"{key}:token", None)
    request.session[f"{key}:ctf"] = {
        "position": position,
        "answers": {k: v.isoformat() if isinstance(v, date) else v for k, v in answers.items()},
    }


def ctf_initial(request: HttpRequest, key: str) -> dict[str, Any] | None:
    """The CTF's answers for the return form under draft key `key`, if it was started from one."""
    stored = request.session.get(f"{key}:ctf")
    if stored is None:
        return None
    answers: dict[str, Any] = dict(stored["answers"])
    for name in DATE_ANSWERS:
        if name in answers:
            answers[name] = date.fromisoformat(answers[name])
    return answers


def ctf_return_sent(request: HttpRequest, school: School, kind: ReturnKind) -> None:
    """A return was sent: if it was started from a CTF pupil, that pupil leaves the list (and
    the file's entry, when it was the last)."""
    stored = request.session.pop(f"{draft_key(kind, school)}:ctf", None)
    entry = request.session.get(_key(school))
    if stored is None or entry is None:
        return
    entry["pupils"] = [p for p in entry["pupils"] if p["position"] != stored["position"]]
    if entry["pupils"]:
        request.session[_key(school)] = entry
    else:
        request.session.pop(_key(school), None)


def ctf_pupil_for(request: HttpRequest, school: School, kind: ReturnKind) -> CtfPupil | None:
    """The CTF pupil the return of this kind being made was started from, if any."""
    stored = request.session.get(f"{draft_key(kind, school)}:ctf")
    waiting = ctf_waiting(request, school) if stored else None
    return waiting.pupil(stored["position"]) if stored and waiting else None


def ctf_structure(
    request: HttpRequest,
    school: School,
    kind: ReturnKind,
    school_return: SchoolReturn,
    parents: list[dict[str, Any]],
) -> None:
    """Before a return started from a CTF is saved (or shown to check): what the file gave
    beyond the form's strings (issue 16 item 3). Where the school kept the file's answer as it
    was: the BS7666 parts and UPRN of the pupil's address; each parent's or carer's title,
    forename and surname, CBDS relationship code, other phone numbers and own address in its
    parts. A changed answer keeps only the one string typed. The file's contacts beyond the
    two the form asks are added as the file gave them."""
    pupil = ctf_pupil_for(request, school, kind)
    if pupil is not None:
        structure_from(pupil, school_return, parents)


def structure_from(
    pupil: CtfPupil, school_return: SchoolReturn, parents: list[dict[str, Any]]
) -> None:
    address = pupil.address
    typed = (
        school_return.address_line_1,
        school_return.address_line_2,
        school_return.town,
        school_return.postcode,
    )
    if typed == (*address.as_lines(), address.postcode):
        _put_parts(school_return, address, postcode=False)
    contacts = pupil.contacts
    for parent, contact in zip(parents, contacts[:FORM_CONTACTS], strict=False):
        if parent.get("name") != contact.full_name:
            continue
        parent.update(_names(contact))
        if contact.relationship_words and parent.get("relationship") == contact.relationship_words:
            parent["relationship_code"] = contact.relationship
        parent["other_phones"] = [
            asdict(p)
            for p in contact.phones
            if p.number != parent.get("phone") and len(p.number) <= PHONE_MAX
        ]
        own = contact_address(contact, pupil)
        if own and parent.get("address") == own:
            parent.update(_parts(contact.address))
    for contact in contacts[FORM_CONTACTS:]:
        numbers = [p for p in contact.phones if len(p.number) <= PHONE_MAX]
        parents.append(
            {
                "name": _fit(contact.full_name, "name"),
                **_names(contact),
                "relationship": contact.relationship_words,
                "relationship_code": contact.relationship if contact.relationship_words else "",
                "phone": numbers[0].number if numbers else "",
                "other_phones": [asdict(p) for p in numbers[1:]],
                "email": _fit(contact.email, "email"),
                "address": contact_address(contact, pupil),
                **(_parts(contact.address) if contact_address(contact, pupil) else {}),
            }
        )


def _fit(value: str, name: str, model: type[Model] = ParentCarer) -> str:
    """The file's value cut to the field's length (a CTF's are not bounded as ours are)."""
    field = model._meta.get_field(name)
    assert isinstance(field, Field)  # noqa: S101 - a column, not a relation
    return value[: field.max_length]


PHONE_MAX = len(_fit("x" * 1000, "phone"))


def _names(contact: CtfContact) -> dict[str, str]:
    return {n: _fit(getattr(contact, n), n) for n in ("title", "forename", "surname")}


def _parts(address: CtfAddress) -> dict[str, str]:
    parts = {
        "address_saon": address.saon,
        "address_paon": address.paon,
        "address_street": address.street,
        "address_locality": address.locality,
        "address_post_town": address.post_town or address.town,
        "address_administrative_area": address.administrative_area,
        "address_uprn": address.uprn,
        "address_postcode": address.postcode,
    }
    if address.lines:  # address lines have no BS7666 parts: only the UPRN and postcode
        parts = {k: v for k, v in parts.items() if k in ("address_uprn", "address_postcode")}
    return {k: _fit(v, k) for k, v in parts.items()}


def _put_parts(school_return: SchoolReturn, address: CtfAddress, *, postcode: bool) -> None:
    for name, value in _parts(address).items():
        if name != "address_postcode" or postcode:
            setattr(school_return, name, value)
