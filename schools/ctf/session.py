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

from django.http import HttpRequest
from django.utils import timezone

from schools.ctf.records import CtfFile, CtfPupil, CtfSchool, PupilProblem
from schools.models import ReturnKind, School, SchoolReturn
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


def ctf_structure(
    request: HttpRequest,
    school: School,
    kind: ReturnKind,
    school_return: SchoolReturn,
    parents: list[dict[str, Any]],
) -> None:
    """Before a return started from a CTF is saved: the BS7666 parts of the pupil's address and
    the title, forename and surname of each parent or carer, from the file, where the school
    kept the file's answer as it was (a changed answer keeps only the one string typed)."""
    stored = request.session.get(f"{draft_key(kind, school)}:ctf")
    waiting = ctf_waiting(request, school)
    pupil = waiting.pupil(stored["position"]) if stored and waiting else None
    if pupil is None:
        return
    address = pupil.address
    typed = (
        school_return.address_line_1,
        school_return.address_line_2,
        school_return.town,
        school_return.postcode,
    )
    if not address.lines and typed == (*address.as_lines(), address.postcode):
        school_return.address_saon = address.saon
        school_return.address_paon = address.paon
        school_return.address_street = address.street
        school_return.address_locality = address.locality
        school_return.address_post_town = address.post_town
        school_return.address_administrative_area = address.administrative_area
    for parent, contact in zip(parents, pupil.contacts, strict=False):
        if parent.get("name") == contact.full_name:
            parent |= {
                "title": contact.title,
                "forename": contact.forename,
                "surname": contact.surname,
            }
