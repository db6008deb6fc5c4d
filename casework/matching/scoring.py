"""Scoring one candidate: a Fellegi-Sunter sum of evidence, hand-set (ADR 010).

Each field comparison falls into a level (:mod:`~casework.matching.fields`); each level
carries a weight (:mod:`~casework.matching.weights`), the log2 of how much more often that
level is seen for the same child than for two different children (m/u). The weights add up
with a prior (the log2 odds that a candidate from the query is the child before any field is
compared) to the match weight, and the score is the match probability in percent:
:data:`MATCH_THRESHOLD` 50 is an even chance.

A UPN identifies one pupil: the same UPN is always proposed (score 100). A candidate who
differs in first name but shares two of surname, address and date of birth (a twin or a
sibling, :mod:`~casework.matching.household`) is returned flagged, never as a plain
proposal, whatever the score.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from casework.matching.fields import Prepared, prepare, same_first_line, similarity, tally
from casework.matching.household import household_odds, is_twin_or_sibling
from casework.matching.keys import normalise_upn
from casework.matching.priors import UNMEASURED, HouseholdRates
from casework.matching.weights import (
    FIRST_NAME_SAME_CHILD,
    MATCH_THRESHOLD,
    PRIOR,
    SURNAME_SIMILAR,
    W,
    flagged_probability,
    probability,
)
from casework.models import Case, Child
from referrals.models import Referral

__all__ = [
    "FIRST_NAME_SAME_CHILD",
    "MATCH_THRESHOLD",
    "PRIOR",
    "SURNAME_SIMILAR",
    "Match",
    "Prepared",
    "W",
    "flagged_probability",
    "household_odds",
    "prepare",
    "probability",
    "same_first_line",
    "score",
    "similarity",
    "twin_or_sibling",
]


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
    #: sibling rates were weighed in (``household.household_odds``). The app still shows a
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


def twin_or_sibling(record: Referral | Child, child: Child) -> list[str]:
    """What differs when ``record`` and ``child`` may be twins or siblings (the rule of
    :func:`~casework.matching.household.is_twin_or_sibling`), or ``[]`` when they are not
    such a pair. The one rule for triage's flag, the accept service and the merge of two
    records."""
    t = tally(prepare(record), child)
    return t.differs if is_twin_or_sibling(t) else []


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
    t = tally(referral, child)
    if upn and upn == normalise_upn(child.upn):
        return Match(
            child=child,
            score=100,
            matched=["Same UPN", *t.matched],
            differs=t.differs,
            proposed=True,
        )
    flagged = is_twin_or_sibling(t)
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
