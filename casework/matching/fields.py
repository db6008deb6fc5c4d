"""The field comparisons of the match score (ADR 010): each compares one field of the
referral (or record) with the candidate's, adds the level it falls in to the tally, and says
what agrees and what differs."""

from __future__ import annotations

import re
from dataclasses import dataclass
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
from casework.matching.weights import CLOSE, FIRST_NAME_SAME_CHILD, SURNAME_SIMILAR, Tally, W
from casework.models import Child
from referrals.models import Referral

_KNOWN_GENDERS = {"F", "M"}
_DIGITS = re.compile(r"\d+")
_DAYS_NEAR = 366


def similarity(a: str, b: str) -> int:
    if not a or not b:
        return 0
    return round(JaroWinkler.normalized_similarity(a, b) * 100)


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


def _first_name(t: Tally, ref: _Names, child: _Names) -> None:
    a, b = ref.first, child.first
    shown = f"{ref.first_shown} / {child.first_shown}"
    sim = similarity(a, b)
    differs = f"First name: {shown}"  # written differently, even where it agrees
    if not a or not b:
        t.add("first", "missing")
    elif a == b:
        t.add("first", "exact", "Same first name")
    elif sim >= CLOSE:
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


def _surname(t: Tally, ref: _Names, child: _Names) -> None:
    a, b = ref.last, child.last
    shown = f"{ref.last_shown} / {child.last_shown}"
    sim = similarity(a, b)
    if not a or not b:
        t.add("last", "missing")
    elif a == b:
        t.add("last", "exact", "Same surname")
    elif sim >= CLOSE:
        t.add("last", "close", f"Surname similar ({shown}, {sim}%)")
    elif phonetic(a) == phonetic(b):
        t.add("last", "phonetic", f"Surname sounds the same ({shown})")
    elif sim >= SURNAME_SIMILAR:
        t.add("last", "similar", f"Surname similar ({shown}, {sim}%)")
    elif ({a} | ref.others) & ({b} | child.others):
        t.add("last", "other_name", f"Surname matches another name or spelling ({shown})")
    else:
        t.add("last", "different", differs=f"Surname: {shown}")


def _names(referral: Prepared, child: Child) -> Tally:
    """Names compared as written, or crossed (first for last) if that agrees better."""
    ref, theirs = referral.names, _child_names(child)
    straight = Tally()
    _first_name(straight, ref, theirs)
    _surname(straight, ref, theirs)
    if straight.levels["first"] == "exact" or straight.levels["last"] == "exact":
        return straight  # crossed, one of them would differ: never better
    crossed = Tally()
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


def _dob(t: Tally, referral: Prepared, child: Child) -> None:
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
    if not a or not b or similarity(a, b) < CLOSE:
        return False
    return _DIGITS.findall(a) == _DIGITS.findall(b)


def _address(t: Tally, referral: Prepared, child: Child) -> None:
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


def _gender(t: Tally, referral: Prepared, child: Child) -> None:
    if referral.gender in _KNOWN_GENDERS and child.gender in _KNOWN_GENDERS:
        if referral.gender == child.gender:
            t.add("gender", "same")
        else:
            t.add("gender", "different", differs=f"Gender: {referral.gender} / {child.gender}")


def _numbers(t: Tally, referral: Prepared, child: Child) -> None:
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


def tally(referral: Prepared, child: Child) -> Tally:
    t = _names(referral, child)
    _dob(t, referral, child)
    _address(t, referral, child)
    _gender(t, referral, child)
    _numbers(t, referral, child)
    return t
