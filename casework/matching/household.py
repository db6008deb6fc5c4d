"""Twins and siblings in the match score (ADR 012): the rule that flags a candidate as a
possible twin or sibling, and the odds, from the LA's measured rates, that a flagged pair is
one child written wrong."""

from __future__ import annotations

from casework.matching.priors import HouseholdRates
from casework.matching.weights import Tally, W


def is_twin_or_sibling(t: Tally) -> bool:
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


#: The levels that, for the same child, are a recording error (weights under 0, so
#: 2 ** weight is about how often the same child is written so), and that twins and
#: siblings show as a matter of course (another first name, date of birth or gender).
_HOUSEHOLD_PARTS = ("first", "dob", "gender")


def household_odds(t: Tally, rates: HouseholdRates) -> float | None:
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
