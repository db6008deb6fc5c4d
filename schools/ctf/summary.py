"""What a common transfer file gave beyond the form's answers, as summary-list sections: on
check your answers before a return started from a CTF is sent, and on the return's page after
(issue 16 item 3). Blank parts are left out, so a return not made from a CTF has none."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from schools.ctf.prefill import FORM_CONTACTS
from schools.ctf.records import relationship_label
from schools.models import ParentCarer
from schools.models.returns import Bs7666Parts

#: (section title, [(field name, label, value shown)]), as includes/summary.html shows.
Section = tuple[str, list[tuple[str, str, str]]]

_WHO = {1: "First parent or carer", 2: "Second parent or carer"}


def structured_sections(school_return: Bs7666Parts, parents: Iterable[Any]) -> list[Section]:
    """`parents`: ParentCarer rows, or the dicts a return is about to be saved with."""
    people = [p if isinstance(p, ParentCarer) else ParentCarer(**p) for p in parents]
    rows: list[tuple[str, str, str]] = []
    if school_return.address_uprn:
        rows.append(("address_uprn", "UPRN of the pupil's address", school_return.address_uprn))
    if parts := school_return.bs7666_lines():
        rows.append(("address_parts", "The pupil's address (BS7666)", "\n".join(parts)))
    for n, person in enumerate(people[:FORM_CONTACTS], start=1):
        who = _WHO[n]
        if person.relationship_code:
            rows.append(
                (
                    f"parent_{n}_relationship_code",
                    f"{who}: relationship (CBDS code)",
                    relationship_label(person.relationship_code),
                )
            )
        if person.other_phones:
            rows.append((f"parent_{n}_other_phones", f"{who}: other phones", _phones(person)))
        if address := _address(person):
            rows.append((f"parent_{n}_address_parts", f"{who}: address (BS7666)", address))
    sections: list[Section] = [("From the common transfer file", rows)] if rows else []
    for n, person in enumerate(people[FORM_CONTACTS:], start=FORM_CONTACTS + 1):
        sections.append((f"Contact {n} from the common transfer file", _contact_rows(n, person)))
    return sections


def _contact_rows(n: int, person: ParentCarer) -> list[tuple[str, str, str]]:
    found = [
        ("name", "Full name", person.name),
        (
            "relationship",
            "Relationship to the pupil",
            relationship_label(person.relationship_code) or person.relationship,
        ),
        ("phone", "Emergency phone number", person.phone),
        ("other_phones", "Other phones", _phones(person)),
        ("email", "Email address", person.email),
        ("address", "Address", _address(person) or person.address),
    ]
    return [(f"contact_{n}_{name}", label, value) for name, label, value in found if value]


def _phones(person: ParentCarer) -> str:
    numbers: Sequence[dict[str, str]] = person.other_phones or []
    return "\n".join(
        f"{p['number']} ({p['type']})" if p.get("type") else p["number"] for p in numbers
    )


def _address(person: ParentCarer) -> str:
    lines = person.bs7666_lines()
    if not (lines or person.address_uprn):
        return ""
    tail = [person.address_postcode] if person.address_postcode and lines else []
    uprn = [f"UPRN {person.address_uprn}"] if person.address_uprn else []
    return "\n".join([*lines, *tail, *uprn])
