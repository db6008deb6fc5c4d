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

import re
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz.distance import OSA, JaroWinkler

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
from casework.matching.priors import UNMEASURED, HouseholdRates
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
    "first_other_name": 2.0,
    "first_initial": 1.0,
    "first_different": -4.5,
    "last_exact": 8.0,
    "last_phonetic": 6.5,
    "last_close": 6.0,
    "last_similar": 3.5,
    "last_other_name": 5.0,
    "last_different": -3.0,
    "swapped_names": -1.0,  # added to the names compared crossed
    "dob_exact": 11.0,
    "dob_swapped": 8.0,
    "dob_one_digit": 6.0,
    "dob_near": -2.0,
    "dob_different": -5.0,
    "postcode_exact": 7.0,
    "postcode_address": 5.0,  # the same first line, another postcode
    "postcode_near": 3.0,
    "postcode_outward": 1.5,
    "street_same": 2.0,
    "postcode_different": -2.0,
    "gender_same": 0.5,
    "gender_different": -3.5,
    "nhs_exact": 14.0,
    "nhs_one_digit": 10.0,
    "nhs_different": -5.0,
    "upn_different": -3.0,
}
_KNOWN_GENDERS = {"F", "M"}
_DIGITS = re.compile(r"\d+")
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

    #: The matcher's verdict (what the bench counts as a link): the score is at or over
    #: :data:`MATCH_THRESHOLD` and, for a possible twin or sibling, the LA's twin and
    #: sibling rates were weighed in (``scoring.household_odds``). The app still shows a
    #: flagged candidate flagged, with what differs, never pre-selected (ADR 012).
    proposed: bool = False

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


@dataclass(frozen=True)
class _Names:
    """One record's names as compared: keys, as written, and its middle and other names."""

    first: str
    first_shown: str
    last: str
    last_shown: str
    others: frozenset[str]

    def swapped(self) -> _Names:
        return _Names(self.last, self.last_shown, self.first, self.first_shown, self.others)


def _referral_names(referral: Referral | Child) -> _Names:
    first, last, _ = name_keys(referral.first_name, referral.last_name)
    return _Names(
        first,
        referral.first_name.strip(),
        last,
        referral.last_name.strip(),
        frozenset(
            name_tokens(referral.other_names, referral.middle_names)
            if isinstance(referral, Child)
            else name_tokens(referral.other_names)
        ),
    )


@dataclass(frozen=True)
class Prepared:
    """The referral's side of every comparison, computed once for all its candidates."""

    names: _Names
    date_of_birth: date | None
    postcode: str
    postcode_key: str
    line_key: str
    gender: str
    nhs_key: str
    upn_key: str


def prepare(referral: Referral | Child) -> Prepared:
    return Prepared(
        names=_referral_names(referral),
        date_of_birth=referral.date_of_birth,
        postcode=referral.postcode,
        postcode_key=normalise_postcode(referral.postcode),
        line_key=normalise_name(referral.address_line_1),
        gender=referral.gender,
        nhs_key=normalise_nhs_number(referral.nhs_number),
        upn_key=normalise_upn(referral.upn),
    )


def _child_names(child: Child) -> _Names:
    return _Names(
        child.first_name_key or normalise_name(child.first_name),
        child.first_name,
        child.last_name_key or normalise_name(child.last_name),
        child.last_name,
        frozenset(name_tokens(child.middle_names, child.other_names)),
    )


def _first_name(t: _Tally, ref: _Names, child: _Names) -> None:
    a, b = ref.first, child.first
    shown = f"{ref.first_shown} / {child.first_shown}"
    sim = similarity(a, b)
    differs = f"First name: {shown}"  # written differently, even where it agrees
    if not a or not b:
        t.add("first", "missing")
    elif a == b:
        t.add("first", "exact", "Same first name")
    elif sim >= _CLOSE:
        t.add("first", "close", f"First name similar ({shown}, {sim}%)", differs)
    elif are_same_name(first_token(a), first_token(b)):
        t.add("first", "nickname", f"First name is a form of the same name ({shown})", differs)
    elif sim >= FIRST_NAME_SAME_CHILD or phonetic(a) == phonetic(b):
        t.add("first", "similar", f"First name similar ({shown}, {sim}%)", differs)
    elif a in child.others or b in ref.others:
        t.add(
            "first", "other_name", f"First name matches a middle or other name ({shown})", differs
        )
    elif len(a) == 1 or len(b) == 1:
        t.add("first", "initial" if a[0] == b[0] else "different")
    else:
        t.add("first", "different", differs=differs)


def _surname(t: _Tally, ref: _Names, child: _Names) -> None:
    a, b = ref.last, child.last
    shown = f"{ref.last_shown} / {child.last_shown}"
    sim = similarity(a, b)
    if not a or not b:
        t.add("last", "missing")
    elif a == b:
        t.add("last", "exact", "Same surname")
    elif sim >= _CLOSE:
        t.add("last", "close", f"Surname similar ({shown}, {sim}%)")
    elif phonetic(a) == phonetic(b):
        t.add("last", "phonetic", f"Surname sounds the same ({shown})")
    elif sim >= SURNAME_SIMILAR:
        t.add("last", "similar", f"Surname similar ({shown}, {sim}%)")
    elif ({a} | ref.others) & ({b} | child.others):
        t.add("last", "other_name", f"Surname matches another name or spelling ({shown})")
    else:
        t.add("last", "different", differs=f"Surname: {shown}")


def _names(referral: Prepared, child: Child) -> _Tally:
    """Names compared as written, or crossed (first for last) if that agrees better."""
    ref, theirs = referral.names, _child_names(child)
    straight = _Tally()
    _first_name(straight, ref, theirs)
    _surname(straight, ref, theirs)
    if straight.levels["first"] == "exact" or straight.levels["last"] == "exact":
        return straight  # crossed, one of them would differ: never better
    crossed = _Tally()
    _first_name(crossed, ref.swapped(), theirs)
    _surname(crossed, ref.swapped(), theirs)
    if crossed.weight + W["swapped_names"] <= straight.weight:
        return straight
    crossed.weight += W["swapped_names"]
    crossed.matched.insert(
        0,
        f"First name and surname swapped ({ref.first_shown} {ref.last_shown} / "
        f"{theirs.first_shown} {theirs.last_shown})",
    )
    return crossed


def _dob(t: _Tally, referral: Prepared, child: Child) -> None:
    dob, child_dob = referral.date_of_birth, child.date_of_birth
    if not dob or not child_dob:
        t.add("dob", "missing", "Date of birth not known on one record" if dob or child_dob else "")
        return
    if dob == child_dob:
        t.add("dob", "exact", "Same date of birth")
        return
    shown = f"Date of birth: {dob:%d/%m/%Y} / {child_dob:%d/%m/%Y}"
    if dob.year == child_dob.year and dob.day == child_dob.month and dob.month == child_dob.day:
        t.add("dob", "swapped", "Date of birth with day and month swapped", shown)
    elif OSA.distance(dob_string(dob), dob_string(child_dob)) == 1:
        t.add("dob", "one_digit", "Date of birth differs by one digit", shown)
    elif abs((dob - child_dob).days) <= _DAYS_NEAR:
        t.add("dob", "near", differs=shown)
    else:
        t.add("dob", "different", differs=shown)


def same_first_line(a: str, b: str) -> bool:
    """Two normalised first lines of an address are one: nearly the same words (a typo) and
    the same house numbers ("150 kings road" is not "157 kings road", though 97% alike)."""
    if not a or not b or similarity(a, b) < _CLOSE:
        return False
    return _DIGITS.findall(a) == _DIGITS.findall(b)


def _address(t: _Tally, referral: Prepared, child: Child) -> None:
    pc = referral.postcode_key
    child_pc = child.postcode_key or normalise_postcode(child.postcode)
    line, child_line = referral.line_key, normalise_name(child.address_line_1)
    same_line = same_first_line(line, child_line)
    # Never the postcodes themselves: either record may be a restricted child's.
    shown = "Postcode differs"
    if pc and pc == child_pc:
        t.add("postcode", "exact", "Same postcode")
    elif pc and child_pc and OSA.distance(pc, child_pc) == 1:
        t.add("postcode", "near", "Postcode differs by one character", shown)
    elif same_line:
        t.add("postcode", "address", "Same address (first line)", shown if pc and child_pc else "")
        return
    elif not pc or not child_pc:
        t.add("postcode", "missing")
    elif postcode_outward(pc) == postcode_outward(child_pc):
        t.add("postcode", "outward", differs=shown)
    else:
        t.add("postcode", "different", differs=shown)
    if same_line and t.levels["postcode"] in {"exact", "near"}:
        t.add("street", "same", "Same address (first line)")


def _gender(t: _Tally, referral: Prepared, child: Child) -> None:
    if referral.gender in _KNOWN_GENDERS and child.gender in _KNOWN_GENDERS:
        if referral.gender == child.gender:
            t.add("gender", "same")
        else:
            t.add("gender", "different", differs=f"Gender: {referral.gender} / {child.gender}")


def _numbers(t: _Tally, referral: Prepared, child: Child) -> None:
    """An NHS number has a check digit that catches one wrong or two swapped digits, so
    two numbers one such error apart are one number mistyped, never twins' numbers."""
    nhs = referral.nhs_key
    child_nhs = child.nhs_number_key or normalise_nhs_number(child.nhs_number)
    if nhs and child_nhs:
        if nhs == child_nhs:
            t.add("nhs", "exact", "Same NHS number")
        elif OSA.distance(nhs, child_nhs) == 1:
            t.add("nhs", "one_digit", "NHS number differs by one digit", "NHS number differs")
        else:
            t.add("nhs", "different", differs="NHS number differs")
    upn, child_upn = referral.upn_key, normalise_upn(child.upn)
    if upn and child_upn and upn != child_upn:
        t.add("upn", "different", differs="UPN differs")


def _twin_or_sibling(t: _Tally) -> bool:
    """A different first name (or a middle name; or a similar one or a nickname, Charlie for
    Charlotte, and a different gender; or a similar one and a different date of birth) with two of surname, address and date of birth shared, and no shared or
    mistyped NHS number."""
    lv = t.levels
    first = lv.get("first")
    dob_agrees = lv.get("dob") in {"exact", "swapped", "one_digit"}
    differs = (
        first in {"different", "other_name"}
        or (first in {"similar", "initial"} and not dob_agrees)
        # Alike names (Asha, Aisha) born years apart: a sibling, not a typing error.
        or (first in {"close", "nickname"} and lv.get("dob") == "different")
        or (
            first in {"close", "similar", "nickname", "initial"} and lv.get("gender") == "different"
        )
    )
    shared = (
        (lv.get("last") in {"exact", "phonetic", "close", "other_name"})
        + (lv.get("postcode") in {"exact", "near", "address"})
        + (lv.get("dob") in {"exact", "swapped"})
    )
    return differs and shared >= 2 and lv.get("nhs") not in {"exact", "one_digit"}  # noqa: PLR2004


def probability(weight: float) -> float:
    return float(1.0 / (1.0 + 2.0 ** -(weight + PRIOR)))


#: The levels that, for the same child, are a recording error (weights under 0, so
#: 2 ** weight is about how often the same child is written so), and that twins and
#: siblings show as a matter of course (another first name, date of birth or gender).
_HOUSEHOLD_PARTS = ("first", "dob", "gender")


def household_odds(t: _Tally, rates: HouseholdRates) -> float | None:
    """The odds that a flagged pair is one child written wrong rather than a twin or a
    sibling: ``m / rate``. ``m`` is how often one child's records differ as these do (the
    product of ``2 ** weight`` over the negative first-name, date-of-birth and gender
    levels); ``rate`` how often a known child has a twin (the date of birth agrees) or a
    sibling (it does not) at the same address, measured on the LA's children (``priors``).

    None (never proposed) unless the first names are plainly different: alike names
    (Amir, Amira), a nickname or one twin's first name as the other's middle name are as
    common between twins as between a child's own records, so no rate tells them apart."""
    if t.levels.get("first") != "different":
        return None
    m = 1.0
    for part in _HOUSEHOLD_PARTS:
        level = t.levels.get(part)
        if level is not None:
            m *= 2.0 ** min(0.0, W.get(f"{part}_{level}", 0.0))
    twin_shaped = t.levels.get("dob") in {"exact", "swapped", "one_digit"}
    return m / (rates.twin if twin_shaped else rates.sibling)


def flagged_probability(weight: float, odds: float) -> float:
    """Fellegi-Sunter with two ways of not being the child: a stranger (the usual
    ``2 ** -(weight + PRIOR)``) or a twin or sibling (``1 / odds``); the odds against add."""
    against = 2.0 ** -(weight + PRIOR) + 1.0 / odds
    return float(1.0 / (1.0 + against))


def _tally(referral: Prepared, child: Child) -> _Tally:
    t = _names(referral, child)
    _dob(t, referral, child)
    _address(t, referral, child)
    _gender(t, referral, child)
    _numbers(t, referral, child)
    return t


def twin_or_sibling(record: Referral | Child, child: Child) -> list[str]:
    """What differs when ``record`` and ``child`` may be twins or siblings (the rule of
    :func:`_twin_or_sibling`), or ``[]`` when they are not such a pair. The one rule for
    triage's flag, the accept service and the merge of two records."""
    t = _tally(prepare(record), child)
    return t.differs if _twin_or_sibling(t) else []


def score(
    referral: Referral | Prepared, child: Child, rates: HouseholdRates = UNMEASURED
) -> Match | None:
    """Score one candidate; None if it is neither proposed nor a possible twin or sibling.

    A possible twin or sibling is scored with the LA's ``rates`` (``priors.current()``;
    unmeasured by default, which proposes none): where twins are common its score stays
    under the threshold, where the register has none a misspelt first name can reach it.
    It is flagged either way."""
    if not isinstance(referral, Prepared):
        referral = prepare(referral)
    upn = referral.upn_key
    t = _tally(referral, child)
    if upn and upn == normalise_upn(child.upn):
        return Match(
            child=child,
            score=100,
            matched=["Same UPN", *t.matched],
            differs=t.differs,
            proposed=True,
        )
    flagged = _twin_or_sibling(t)
    odds = household_odds(t, rates) if flagged else None
    p = probability(t.weight) if odds is None else flagged_probability(t.weight, odds)
    points = min(99, round(100 * p))
    if points < MATCH_THRESHOLD and not flagged:
        return None
    return Match(
        child=child,
        score=points,
        matched=t.matched,
        differs=t.differs,
        possible_twin_or_sibling=flagged,
        proposed=points >= MATCH_THRESHOLD and (not flagged or odds is not None),
    )
