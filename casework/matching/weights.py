"""The weights of the match score (ADR 010): the thresholds, the prior and the level weights
(log2 m/u), the tally a comparison adds its levels to, and the probability a weight is."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Score (match probability, percent) at or above which a candidate is proposed.
MATCH_THRESHOLD = 50
#: First-name similarity (percent) below which two first names are different names.
FIRST_NAME_SAME_CHILD = 85
#: Surname similarity (percent) that counts as "similar" when the keys differ.
SURNAME_SIMILAR = 85
CLOSE = 92  # percent: nearly the same (one letter)

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


@dataclass
class Tally:
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


def probability(weight: float) -> float:
    return float(1.0 / (1.0 + 2.0 ** -(weight + PRIOR)))


def flagged_probability(weight: float, odds: float) -> float:
    """Fellegi-Sunter with two ways of not being the child: a stranger (the usual
    ``2 ** -(weight + PRIOR)``) or a twin or sibling (``1 / odds``); the odds against add."""
    against = 2.0 ** -(weight + PRIOR) + 1.0 / odds
    return float(1.0 / (1.0 + against))
