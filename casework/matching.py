"""Is the child on a new referral a child we already know? Possible matches for triage.

Names are compared on normalised keys (no case, accents or punctuation) and on a phonetic
key of the surname (metaphone: Smith and Smyth are both ``SM0``), dates of birth exactly
(and with day and month swapped), postcodes without spaces, and UPNs exactly.

Candidates come from one indexed query (plus one to prefetch their open cases); scoring is
done in Python over that short list, never over every child.

Scoring (out of 100) and the threshold:

* surname: the same 30, sounds the same 25, similar (Jaro-Winkler >= 85%) 20;
* first name: the same 25, similar (>= 85%) 20, partly similar (>= 70%) 10;
* date of birth: the same 30, day and month swapped 15, one of them not known 5;
* postcode: the same 15.

A candidate is proposed at :data:`MATCH_THRESHOLD` (50) or more: a surname match with the
same date of birth (55+), or the same first name, date of birth and postcode under a
changed surname (70). Two rules override the score:

* the same UPN is always proposed (score 100): a UPN identifies one pupil;
* a candidate who shares a surname, an address or a date of birth but not the first name
  (casework.twins.twin_or_sibling_differences) is proposed only flagged as a possible twin
  or sibling, with what differs; one with a *different* date of birth and a *different*
  first name (similarity below :data:`FIRST_NAME_SAME_CHILD`) who shares none of those is
  never proposed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

import jellyfish
from django.db.models import Prefetch, Q
from rapidfuzz.distance import JaroWinkler

from casework.models import Case, CaseStatus, Child
from referrals.models import Referral

#: Score at or above which a candidate is shown to the triaging officer.
MATCH_THRESHOLD = 50
#: First-name similarity (percent) below which two children are different people, unless
#: their dates of birth agree.
FIRST_NAME_SAME_CHILD = 85
#: A first name this similar (0-100) is worth a few points, not a match on its own.
FIRST_NAME_PARTLY_SIMILAR = 70
#: A UK postcode's inward code ("1AA" of "SW1A 1AA") is its last three characters.
INWARD_CODE_LENGTH = 3
#: Surname similarity (percent) that counts as "similar" when the keys differ.
SURNAME_SIMILAR = 85
#: The most candidates the query returns: a very common surname must not load thousands.
MAX_CANDIDATES = 200

_PHONETIC_MAX = 20  # Child.last_name_phonetic max_length
_NOT_WORD = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")


def normalise_name(value: str) -> str:
    """'  Zoë  O'Brien-Smith ' → 'zoe obriensmith': casefolded, accents stripped,
    punctuation (hyphens, apostrophes, full stops) dropped, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    no_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = no_accents.casefold().replace("_", "")
    return _SPACES.sub(" ", _NOT_WORD.sub("", folded)).strip()


def phonetic(key: str) -> str:
    """Metaphone of a normalised surname, '' for no name."""
    if not key:
        return ""
    return str(jellyfish.metaphone(key.replace(" ", "")))[:_PHONETIC_MAX]


def name_keys(first: str, last: str) -> tuple[str, str, str]:
    """(first_key, last_key, last_phonetic) as stored on Child."""
    last_key = normalise_name(last)
    return normalise_name(first), last_key, phonetic(last_key)


def child_keys_save(child: Child, *, save: bool = True) -> Child:
    """Fill the child's matching keys from its names (and save them, unless told not to:
    a caller that is about to save the child anyway passes ``save=False``)."""
    (
        child.first_name_key,
        child.last_name_key,
        child.last_name_phonetic,
    ) = name_keys(child.first_name, child.last_name)
    if save and child.pk is not None:
        child.save(update_fields=["first_name_key", "last_name_key", "last_name_phonetic"])
    return child


def normalise_postcode(value: str) -> str:
    return "".join((value or "").split()).upper()


def normalise_upn(value: str) -> str:
    return "".join((value or "").split()).upper()


def _postcode_variants(value: str) -> list[str]:
    """The spellings a stored postcode may have: 'EX2 3CC' and 'EX23CC'."""
    bare = normalise_postcode(value)
    if not bare:
        return []
    variants = {bare}
    if len(bare) > INWARD_CODE_LENGTH:
        variants.add(f"{bare[:-INWARD_CODE_LENGTH]} {bare[-INWARD_CODE_LENGTH:]}")
    return sorted(variants)


@dataclass(frozen=True)
class Match:
    """One proposed candidate for a referral.

    ``matched`` says what agrees ("Same date of birth"), ``differs`` what does not
    ("First name: Amir / Amira"); ``possible_twin_or_sibling`` is set when the candidate
    shares a surname, address or date of birth but differs in first name: triage shows it
    flagged and never pre-selects it, and a merge of such a pair asks for a reason.
    """

    child: Child
    score: int
    matched: list[str] = field(default_factory=list)
    differs: list[str] = field(default_factory=list)
    possible_twin_or_sibling: bool = False

    @property
    def reasons(self) -> list[str]:
        """What matched (the name the triage page and forms used first)."""
        return self.matched

    @property
    def open_cases(self) -> list[Case]:
        """The child's open cases (prefetched by :func:`possible_matches`)."""
        return list(getattr(self.child, "open_cases", []))


def _similarity(a: str, b: str) -> int:
    if not a or not b:
        return 0
    return round(JaroWinkler.normalized_similarity(a, b) * 100)


def _swapped(a: date, b: date) -> bool:
    return a != b and a.year == b.year and a.day == b.month and a.month == b.day


def candidates_for(referral: Referral) -> list[Child]:
    """Children who could be the referred child (one query, one prefetch); not merged ones."""
    _, last_key, last_phonetic = name_keys(referral.first_name, referral.last_name)
    upn = normalise_upn(referral.upn)
    postcodes = _postcode_variants(referral.postcode)
    dob = referral.date_of_birth

    query = Q()
    if upn:
        query |= Q(upn__iexact=upn)
    surname = Q()
    if last_key:
        surname |= Q(last_name_key=last_key)
    if last_phonetic:
        surname |= Q(last_name_phonetic=last_phonetic)
    if surname:
        also = Q(date_of_birth__isnull=True)
        if dob is not None:
            also |= Q(date_of_birth=dob)
        if postcodes:
            also |= Q(postcode__in=postcodes)
        query |= surname & also
    if dob is not None and postcodes:
        query |= Q(date_of_birth=dob, postcode__in=postcodes)
    if not query:
        return []
    open_cases = Prefetch(
        "cases",
        queryset=Case.objects.filter(status=CaseStatus.OPEN).order_by("received_on"),
        to_attr="open_cases",
    )
    return list(
        Child.objects.filter(query, merged_into__isnull=True)
        .prefetch_related(open_cases)
        .order_by("pk")[:MAX_CANDIDATES]
    )


def score(referral: Referral, child: Child) -> Match | None:
    """Score one candidate; None if it must not be proposed."""
    points, reasons, first_sim = _detail_reasons(referral, child)
    upn = normalise_upn(referral.upn)
    if upn and upn == normalise_upn(child.upn):
        return Match(child=child, score=100, matched=["Same UPN", *reasons])
    # A twin or sibling shares a surname, an address or a date of birth but not the first
    # name: proposed only flagged, with what differs, never as the same child silently.
    from casework.twins import twin_or_sibling_differences  # twins imports this module

    differs = twin_or_sibling_differences(referral, child)
    dob, child_dob = referral.date_of_birth, child.date_of_birth
    sibling = bool(dob and child_dob and dob != child_dob and first_sim < FIRST_NAME_SAME_CHILD)
    if points < MATCH_THRESHOLD or (sibling and not differs):
        return None
    return Match(
        child=child,
        score=points,
        matched=reasons,
        differs=differs,
        possible_twin_or_sibling=bool(differs),
    )


#: (points, reason) from one comparison; (0, "") when it adds nothing.
Points = tuple[int, str]


def _surname_points(referral: Referral, child: Child, last_key: str, last_phon: str) -> Points:
    child_last = child.last_name_key or normalise_name(child.last_name)
    child_phon = child.last_name_phonetic or phonetic(child_last)
    if last_key and last_key == child_last:
        return 30, "Same surname"
    if last_phon and last_phon == child_phon:
        return 25, f"Surname sounds the same ({referral.last_name.strip()} / {child.last_name})"
    last_sim = _similarity(last_key, child_last)
    if last_sim >= SURNAME_SIMILAR:
        return (
            20,
            f"Surname similar ({referral.last_name.strip()} / {child.last_name}, {last_sim}%)",
        )
    return 0, ""


def _first_name_points(referral: Referral, child: Child, first_key: str, first_sim: int) -> Points:
    child_first = child.first_name_key or normalise_name(child.first_name)
    names = f"{referral.first_name.strip()} / {child.first_name}, {first_sim}%"
    if first_key and first_key == child_first:
        return 25, "Same first name"
    if first_sim >= FIRST_NAME_SAME_CHILD:
        return 20, f"First name similar ({names})"
    if first_sim >= FIRST_NAME_PARTLY_SIMILAR:
        return 10, f"First name partly similar ({names})"
    return 0, ""


def _dob_points(referral: Referral, child: Child) -> Points:
    dob, child_dob = referral.date_of_birth, child.date_of_birth
    if dob and child_dob:
        if dob == child_dob:
            return 30, "Same date of birth"
        if _swapped(dob, child_dob):
            return 15, "Date of birth with day and month swapped"
        return 0, ""
    if dob or child_dob:
        return 5, "Date of birth not known on one record"
    return 0, ""


def _detail_reasons(referral: Referral, child: Child) -> tuple[int, list[str], int]:
    """(points, reasons, first-name similarity) from names, date of birth and postcode."""
    first_key, last_key, last_phon = name_keys(referral.first_name, referral.last_name)
    child_first = child.first_name_key or normalise_name(child.first_name)
    first_sim = _similarity(first_key, child_first)
    same_postcode = bool(referral.postcode) and normalise_postcode(
        referral.postcode
    ) == normalise_postcode(child.postcode)
    found = [
        _surname_points(referral, child, last_key, last_phon),
        _first_name_points(referral, child, first_key, first_sim),
        _dob_points(referral, child),
        (15, "Same postcode") if same_postcode else (0, ""),
    ]
    return sum(p for p, _ in found), [r for _, r in found if r], first_sim


def possible_matches(referral: Referral, limit: int = 5) -> list[Match]:
    """The children the referral may be about, best first (see the module docstring)."""
    matches = [m for c in candidates_for(referral) if (m := score(referral, c)) is not None]
    matches.sort(key=lambda m: (-m.score, m.child.pk))
    return matches[:limit]
