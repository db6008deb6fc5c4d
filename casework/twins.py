"""Possible twins and siblings: two records that share a surname, an address or a date of
birth but not a first name (issue 14, item 2).

Such a pair may be one child written two ways, or two children of one family; nothing in
the records can tell which, so the screens never treat them as the same child silently:
triage shows the candidate flagged and never pre-selects it, and linking a referral to it,
or merging the two records, needs a reason.

Pure functions over anything with the child's name, date of birth and address fields (a
``Child`` or a ``Referral``): no queries.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Protocol

from casework.matching import normalise_name, normalise_postcode
from casework.matching.scoring import twin_or_sibling
from casework.models import Child
from referrals.models import Referral

#: A street type written short in its last word: "7 Wren St" is "7 Wren Street".
_STREET_TYPES = {
    "ave": "avenue",
    "cl": "close",
    "cres": "crescent",
    "ct": "court",
    "dr": "drive",
    "gdns": "gardens",
    "gr": "grove",
    "ln": "lane",
    "pl": "place",
    "rd": "road",
    "sq": "square",
    "st": "street",
    "tce": "terrace",
}
_FLAT_PREFIX = re.compile(r"^(flat|apartment|apt)\s+")


class Person(Protocol):
    """The fields a child record and a referral both have."""

    first_name: str
    last_name: str
    date_of_birth: date | None
    address_line_1: str
    postcode: str


def normalise_address_line(value: str) -> str:
    """'7, Wren St.' → '7 wren street': as names are normalised (no case, accents or
    punctuation), with a street type written short in the last word spelt out."""
    words = normalise_name(value).split()
    if len(words) > 1:
        words[-1] = _STREET_TYPES.get(words[-1], words[-1])
    return _FLAT_PREFIX.sub("flat ", " ".join(words))


def same_address(a: Person, b: Person) -> bool:
    """The same postcode (without spaces or case) and, when both records have a first
    address line, the same first line; the postcode alone when either has none (a child
    who may live there is named rather than missed)."""
    postcode = normalise_postcode(a.postcode)
    if not postcode or postcode != normalise_postcode(b.postcode):
        return False
    line_a, line_b = (
        normalise_address_line(a.address_line_1),
        normalise_address_line(b.address_line_1),
    )
    return not line_a or not line_b or line_a == line_b


def twin_or_sibling_differences(a: Referral | Child, b: Child) -> list[str]:
    """What differs between two records that may be twins or siblings, or ``[]`` when they
    are not such a pair: the matcher's rule (``casework.matching.scoring.twin_or_sibling``),
    so that the flag triage shows, the reason the accept service asks for and the second
    reason a merge asks for can never disagree. A different first name (not a nickname or a
    spelling of it; or a similar one with a different gender or date of birth) with two of
    surname, address and date of birth shared, and no shared NHS number."""
    return twin_or_sibling(a, b)
