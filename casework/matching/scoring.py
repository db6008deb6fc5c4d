"""Scoring one candidate: a Fellegi-Sunter sum of evidence, hand-set (ADR 010).

Each field comparison falls into a level; each level carries a weight, the log2 of how
much more often that level is seen for the same child than for two different children
(m/u). The weights add up with a prior (the log2 odds that a candidate from the query
is the child before any field is compared) to the match weight, and the score is the
match probability in percent: :data:`MATCH_THRESHOLD` 50 is an even chance.

A UPN identifies one pupil: the same UPN is always proposed (score 100). A candidate who
differs in first name but shares two of surname, address and date of birth (a twin or a
sibling) is returned flagged, never as a plain proposal, whatever the score.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz.distance import JaroWinkler

from casework.matching.keys import (
    dob_string,
    first_token,
    name_keys,
    name_tokens,
    normalise_name,
    normalise_nhs_number,
    normalise_postcode,
    normalise_upn,
    phonetic,
    postcode_outward,
)
from casework.matching.nicknames import are_same_name
from casework.models import Case, Child
from referrals.models import Referral

#: Score (match probability, percent) at or above which a candidate is proposed.
MATCH_THRESHOLD = 50
#: First-name similarity (percent) below which two first names are different names.
FIRST_NAME_SAME_CHILD = 85
#: Surname similarity (percent) that counts as "similar" when the keys differ.
SURNAME_SIMILAR = 85
_CLOSE = 92  # percent: nearly the same (one letter)

#: log2 odds that a candidate is the child before comparing fields.
PRIOR = -13.0
#: Level weights (log2 m/u), hand-set from the rates in ADR 010 and tuned on seed 1.
W = {
    "first_exact": 6.0,
    "first_nickname": 5.0,
    "first_close": 4.5,
    "first_similar": 3.0,
    "first_other_name": 3.0,
    "first_initial": 1.0,
    "first_different": -4.5,
    "last_exact": 8.0,
    "last_phonetic": 6.5,
    "last_close": 6.0,
    "last_similar": 3.5,
    "last_other_name": 5.0,
    "last_different": -3.0,
    "swapped_names": 12.0,
    "dob_exact": 11.0,
    "dob_swapped": 8.0,
    "dob_one_digit": 6.0,
    "dob_near": -2.0,
    "dob_different": -6.0,
    "postcode_exact": 7.0,
    "address_exact": 5.0,
    "postcode_outward": 1.5,
    "postcode_different": -1.5,
    "gender_same": 0.5,
    "gender_different": -3.5,
    "nhs_exact": 14.0,
    "nhs_one_digit": 5.0,
    "nhs_different": -5.0,
    "upn_different": -3.0,
}
_KNOWN_GENDERS = {"F", "M"}
_DAYS_NEAR = 366


@dataclass(frozen=True)
class Match:
    """One candidate for a referral.

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


def similarity(a: str, b: str) -> int:
    if not a or not b:
        return 0
    return round(JaroWinkler.normalized_similarity(a, b) * 100)


@dataclass
class _Tally:
    weight: float = 0.0
    matched: list[str] = field(default_factory=list)
    differs: list[str] = field(default_factory=list)
    levels: dict[str, str] = field(default_factory=dict)

    def add(self, part: str, level: str, matched: str = "", differs: str = "") -> None:
        self.levels[part] = level
        self.weight += W.get(f"{part}_{level}", 0.0)
        if matched:
            self.matched.append(matched)
        if differs:
            self.differs.append(differs)


def _first_name(t: _Tally, referral: Referral, child: Child, ref_key: str) -> None:
    child_key = child.first_name_key or normalise_name(child.first_name)
    shown = f"{referral.first_name.strip()} / {child.first_name}"
    sim = similarity(ref_key, child_key)
    if not ref_key or not child_key:
        t.add("first", "missing")
    elif ref_key == child_key:
        t.add("first", "exact", "Same first name")
    elif sim >= _CLOSE:
        t.add("first", "close", f"First name similar ({shown}, {sim}%)")
    elif are_same_name(first_token(ref_key), first_token(child_key)):
        t.add("first", "nickname", f"First name is a form of the same name ({shown})")
    elif sim >= FIRST_NAME_SAME_CHILD or phonetic(ref_key) == phonetic(child_key):
        t.add("first", "similar", f"First name similar ({shown}, {sim}%)")
    elif ref_key in name_tokens(child.middle_names, child.other_names) or (
        child_key in name_tokens(referral.other_names)
    ):
        t.add("first", "other_name", f"First name matches a middle or other name ({shown})")
    elif len(ref_key) == 1 or len(child_key) == 1:
        t.add("first", "initial" if ref_key[0] == child_key[0] else "different")
    else:
        t.add("first", "different", differs=f"First name: {shown}")


def _surname(t: _Tally, referral: Referral, child: Child, ref_key: str, ref_phon: str) -> None:
    child_key = child.last_name_key or normalise_name(child.last_name)
    child_phon = child.last_name_phonetic or phonetic(child_key)
    shown = f"{referral.last_name.strip()} / {child.last_name}"
    sim = similarity(ref_key, child_key)
    if not ref_key or not child_key:
        t.add("last", "missing")
    elif ref_key == child_key:
        t.add("last", "exact", "Same surname")
    elif sim >= _CLOSE:
        t.add("last", "close", f"Surname similar ({shown}, {sim}%)")
    elif ref_phon and ref_phon == child_phon:
        t.add("last", "phonetic", f"Surname sounds the same ({shown})")
    elif sim >= SURNAME_SIMILAR:
        t.add("last", "similar", f"Surname similar ({shown}, {sim}%)")
    elif name_tokens(referral.last_name, referral.other_names) & name_tokens(
        child.last_name, child.other_names
    ):
        t.add("last", "other_name", f"Surname matches another name or spelling ({shown})")
    else:
        t.add("last", "different", differs=f"Surname: {shown}")


def _swapped_names(referral: Referral, child: Child) -> bool:
    first, last, _ = name_keys(referral.first_name, referral.last_name)
    c_first = child.first_name_key or normalise_name(child.first_name)
    c_last = child.last_name_key or normalise_name(child.last_name)
    if not (first and last and c_first and c_last) or (first, last) == (c_first, c_last):
        return False
    return similarity(first, c_last) >= _CLOSE and similarity(last, c_first) >= _CLOSE


def _dob(t: _Tally, referral: Referral, child: Child) -> None:
    dob, child_dob = referral.date_of_birth, child.date_of_birth
    if not dob or not child_dob:
        t.add("dob", "missing", "Date of birth not known on one record" if dob or child_dob else "")
        return
    if dob == child_dob:
        t.add("dob", "exact", "Same date of birth")
        return
    shown = f"Date of birth: {dob:%d/%m/%Y} / {child_dob:%d/%m/%Y}"
    a, b = dob_string(dob), dob_string(child_dob)
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    if dob.year == child_dob.year and dob.day == child_dob.month and dob.month == child_dob.day:
        t.add("dob", "swapped", "Date of birth with day and month swapped", shown)
    elif len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]):  # noqa: PLR2004
        t.add("dob", "one_digit", "Date of birth differs by one digit", shown)
    elif abs((dob - child_dob).days) <= _DAYS_NEAR:
        t.add("dob", "near", differs=shown)
    else:
        t.add("dob", "different", differs=shown)


def _address(t: _Tally, referral: Referral, child: Child) -> None:
    pc, child_pc = (
        normalise_postcode(referral.postcode),
        child.postcode_key or (normalise_postcode(child.postcode)),
    )
    line, child_line = normalise_name(referral.address_line_1), normalise_name(child.address_line_1)
    if pc and pc == child_pc:
        t.add("postcode", "exact", "Same postcode")
    elif line and line == child_line:
        t.add("postcode", "address", "Same address (first line)")
    elif not pc or not child_pc:
        t.add("postcode", "missing")
    elif postcode_outward(pc) == postcode_outward(child_pc):
        t.add("postcode", "outward", differs=f"Postcode: {referral.postcode} / {child.postcode}")
    else:
        t.add("postcode", "different", differs=f"Postcode: {referral.postcode} / {child.postcode}")


def _gender(t: _Tally, referral: Referral, child: Child) -> None:
    if referral.gender in _KNOWN_GENDERS and child.gender in _KNOWN_GENDERS:
        if referral.gender == child.gender:
            t.add("gender", "same")
        else:
            t.add("gender", "different", differs=f"Gender: {referral.gender} / {child.gender}")


def _numbers(t: _Tally, referral: Referral, child: Child) -> None:
    nhs = normalise_nhs_number(referral.nhs_number)
    child_nhs = child.nhs_number_key or normalise_nhs_number(child.nhs_number)
    if nhs and child_nhs:
        if nhs == child_nhs:
            t.add("nhs", "exact", "Same NHS number")
        elif (
            len(nhs) == len(child_nhs)
            and sum(x != y for x, y in zip(nhs, child_nhs, strict=True)) == 1
        ):
            t.add("nhs", "one_digit", "NHS number differs by one digit", "NHS number differs")
        else:
            t.add("nhs", "different", differs="NHS number differs")
    upn, child_upn = normalise_upn(referral.upn), normalise_upn(child.upn)
    if upn and child_upn and upn != child_upn:
        t.add("upn", "different", differs="UPN differs")


def _twin_or_sibling(t: _Tally, referral: Referral, child: Child) -> bool:
    """A different first name (or a similar one and a different gender) with two of
    surname, address and date of birth shared, and no shared NHS number."""
    lv = t.levels
    first = lv.get("first")
    differs = first == "different" or (
        first in {"close", "similar", "initial"} and lv.get("gender") == "different"
    )
    shared = (
        (lv.get("last") in {"exact", "phonetic", "close", "other_name"})
        + (lv.get("postcode") in {"exact", "address"})
        + (lv.get("dob") in {"exact", "swapped"})
    )
    return differs and shared >= 2 and lv.get("nhs") != "exact"  # noqa: PLR2004


def probability(weight: float) -> float:
    return float(1.0 / (1.0 + 2.0 ** -(weight + PRIOR)))


def score(referral: Referral, child: Child) -> Match | None:
    """Score one candidate; None if it is neither proposed nor a possible twin or sibling."""
    upn = normalise_upn(referral.upn)
    first_key, last_key, last_phon = name_keys(referral.first_name, referral.last_name)
    t = _Tally()
    if _swapped_names(referral, child):
        t.add(
            "swapped",
            "names",
            f"First name and surname swapped ({referral.first_name} {referral.last_name} / {child.first_name} {child.last_name})",
        )
    else:
        _first_name(t, referral, child, first_key)
        _surname(t, referral, child, last_key, last_phon)
    _dob(t, referral, child)
    _address(t, referral, child)
    _gender(t, referral, child)
    _numbers(t, referral, child)
    if upn and upn == normalise_upn(child.upn):
        return Match(child=child, score=100, matched=["Same UPN", *t.matched], differs=t.differs)
    points = min(99, round(100 * probability(t.weight)))
    flagged = _twin_or_sibling(t, referral, child)
    if points < MATCH_THRESHOLD and not flagged:
        return None
    return Match(
        child=child,
        score=points,
        matched=t.matched,
        differs=t.differs,
        possible_twin_or_sibling=flagged,
    )
