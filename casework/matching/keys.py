"""The normalised keys names, postcodes and numbers are compared on (and stored on Child).

Pure functions of strings: no models, so a migration can use them too.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

import jellyfish
from anyascii import anyascii

from casework.matching.nicknames import same_name_as

_OTHER_NAMES_MAX = 300  # Child.other_name_keys max_length
_PHONETIC_MAX = 20  # Child.last_name_phonetic / first_name_phonetic max_length
_NOT_WORD = re.compile(r"[^a-z0-9\s]")
_SPACES = re.compile(r"\s+")
_NOT_DIGIT = re.compile(r"\D")
#: A UK postcode's inward code ("1AA" of "SW1A 1AA") is its last three characters.
INWARD_CODE_LENGTH = 3


def normalise_name(value: str) -> str:
    """'  Zoë  O'Brien-Smith ' → 'zoe obriensmith': casefolded, folded to ASCII, punctuation
    (hyphens, apostrophes, full stops) dropped, spaces collapsed.

    anyascii, not NFKD: NFKD leaves ł ø ß æ đ and the dotless i as they are, so Łuczak would not be Luczak.
    """
    folded = anyascii(value or "").casefold()
    return _SPACES.sub(" ", _NOT_WORD.sub("", folded)).strip()


@lru_cache(maxsize=65536)
def phonetic(key: str) -> str:
    """Metaphone of a normalised name, '' for no name (Smith and Smyth are both ``SM0``)."""
    if not key:
        return ""
    return str(jellyfish.metaphone(key.replace(" ", "")))[:_PHONETIC_MAX]


def name_keys(first: str, last: str) -> tuple[str, str, str]:
    """(first_key, last_key, last_phonetic) as stored on Child."""
    last_key = normalise_name(last)
    return normalise_name(first), last_key, phonetic(last_key)


def first_token(key: str) -> str:
    """The first word of a first-name key ('mary jane' → 'mary'): nicknames are per word."""
    return key.split(" ", 1)[0] if key else ""


def first_name_phonetics(first_key: str) -> set[str]:
    """Phonetic keys of a first name and of its nicknames and spellings (for the candidate
    query: a referral for Bill finds William)."""
    if not first_key:
        return set()
    names = same_name_as(first_token(first_key)) | {first_key}
    return {p for n in names if (p := phonetic(n))}


def name_tokens(*values: str) -> set[str]:
    """Every word of the given names, normalised ("other names or spellings" hold several)."""
    return {t for v in values for t in normalise_name(v).split() if len(t) > 1}


def other_name_keys(*values: str) -> str:
    """Child.other_name_keys: the words of the middle and other names, sorted, one space
    between ('Zoë Anne', 'Smith-Jones' → 'anne smithjones zoe')."""
    keys = " ".join(sorted(name_tokens(*values)))
    return keys if len(keys) <= _OTHER_NAMES_MAX else keys[:_OTHER_NAMES_MAX].rsplit(" ", 1)[0]


def normalise_postcode(value: str) -> str:
    return "".join((value or "").split()).upper()


def postcode_outward(value: str) -> str:
    bare = normalise_postcode(value)
    return bare[:-INWARD_CODE_LENGTH] if len(bare) > INWARD_CODE_LENGTH else bare


def normalise_upn(value: str) -> str:
    return "".join((value or "").split()).upper()


def normalise_nhs_number(value: str) -> str:
    """Digits only ('943 476 5919' → '9434765919')."""
    return _NOT_DIGIT.sub("", value or "")


def swapped_date(value: date | None) -> date | None:
    """The date with day and month swapped, if that is a different, valid date."""
    if value is None or value.day > 12 or value.day == value.month:  # noqa: PLR2004
        return None
    return value.replace(month=value.day, day=value.month)


def dob_string(value: date | None) -> str:
    return value.strftime("%Y%m%d") if value else ""
