"""Is the child on a new referral a child we already know? Possible matches for triage.

* :mod:`~casework.matching.keys`: names folded to ASCII keys (Łuczak is Luczak), metaphone
  keys of first name and surname, postcodes and NHS numbers without spaces;
* :mod:`~casework.matching.nicknames`: Bill is William, Kate is Katherine;
* :mod:`~casework.matching.blocking`: the candidate query (one indexed query, an OR of
  key pairs, plus one to prefetch open cases; never Python over every child);
* :mod:`~casework.matching.scoring`: the evidence for each candidate, as a match
  probability in percent (ADR 010), and the twin or sibling flag; it adds up the field
  comparisons of :mod:`~casework.matching.fields` with the weights of
  :mod:`~casework.matching.weights`, and :mod:`~casework.matching.household` holds the twin
  and sibling rule and odds.

:func:`possible_matches` returns the proposed candidates best first, then the possible
twins and siblings (flagged: shown with what differs, never pre-selected).
"""

from __future__ import annotations

from django.db.models import prefetch_related_objects

from casework.matching import priors
from casework.matching.blocking import MAX_CANDIDATES, candidates_for, open_cases_prefetch
from casework.matching.keys import (
    name_keys,
    normalise_name,
    normalise_nhs_number,
    normalise_postcode,
    normalise_upn,
    other_name_keys,
    phonetic,
)
from casework.matching.scoring import (
    FIRST_NAME_SAME_CHILD,
    MATCH_THRESHOLD,
    SURNAME_SIMILAR,
    Match,
    prepare,
    score,
)
from casework.models import Child
from referrals.models import Referral

__all__ = [
    "FIRST_NAME_SAME_CHILD",
    "KEY_FIELDS",
    "MATCH_THRESHOLD",
    "MAX_CANDIDATES",
    "SURNAME_SIMILAR",
    "Match",
    "candidates_for",
    "child_keys_save",
    "name_keys",
    "normalise_name",
    "normalise_postcode",
    "normalise_upn",
    "phonetic",
    "possible_matches",
    "score",
]

#: The Child columns :func:`child_keys_save` fills.
KEY_FIELDS = (
    "first_name_key",
    "last_name_key",
    "last_name_phonetic",
    "first_name_phonetic",
    "postcode_key",
    "nhs_number_key",
    "other_name_keys",
)


def child_keys(child: Child) -> Child:
    """Fill the child's matching keys from its names, postcode and NHS number (unsaved)."""
    child.first_name_key, child.last_name_key, child.last_name_phonetic = name_keys(
        child.first_name, child.last_name
    )
    child.first_name_phonetic = phonetic(child.first_name_key)
    child.postcode_key = normalise_postcode(child.postcode)
    child.nhs_number_key = normalise_nhs_number(child.nhs_number)
    child.other_name_keys = other_name_keys(child.middle_names, child.other_names)
    return child


def child_keys_save(child: Child, *, save: bool = True) -> Child:
    """Fill the child's matching keys (and save them, unless told not to: a caller that is
    about to save the child anyway passes ``save=False``)."""
    child_keys(child)
    if save and child.pk is not None:
        child.save(update_fields=list(KEY_FIELDS))
    return child


def possible_matches(referral: Referral, limit: int = 5) -> list[Match]:
    """The children the referral may be about: proposed ones best first, then possible
    twins and siblings (flagged), at most ``limit``."""
    prepared = prepare(referral)
    rates = priors.current()  # the LA's twin and sibling rates, stored by a nightly job
    candidates = candidates_for(referral, with_cases=False)
    matches = [m for c in candidates if (m := score(prepared, c, rates)) is not None]
    matches.sort(key=lambda m: (m.possible_twin_or_sibling, -m.score, m.child.pk))
    shown = matches[:limit]
    # Open cases for the shown children only (one query), not for every candidate.
    prefetch_related_objects([m.child for m in shown], open_cases_prefetch())
    return shown
