"""How often the LA's own children have a twin or a sibling: the prior the matcher weighs a
twin-shaped candidate with (ADR 010, amended 2026-12-03; ADR 012).

A referral that agrees with a known child on surname, date of birth and address but not on
first name is either that child with the first name written wrong, or the child's twin.
Fellegi-Sunter weighs the two: the odds that it is the same child are about
``m / rate``, where ``m`` is how often the same child's first name is written as another
name (``2 ** W["first_different"]``, about 1 in 23) and ``rate`` is how often a child
has a twin at the same address, which is measured here on the known children, not fixed.
An LA with twins on its register keeps the pair under the threshold; a register with none
(two files of distinct people, as FEBRL4) lets the misspelt child through. Either way the
app still shows the candidate flagged, with what differs, never pre-selected (ADR 012).

The rates are a stored statistic: :func:`refresh` counts them with two ``GROUP BY``
queries over the Child table (set-based; the nightly job ``matching_priors`` and the
bench call it) and keeps them in the cache without expiry; :func:`current` reads them
once per ``possible_matches`` call. Never a per-referral scan: when nothing is stored
(a new install, a cache flushed) :data:`UNMEASURED` is used, a rate of 1 (every child may
have a twin), so that no twin-shaped candidate is proposed until the LA's rate is known.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from django.core.cache import cache
from django.db.models import Count, QuerySet, Sum

from casework.models import Child

CACHE_KEY = "casework:matching:household-rates:v1"

#: About 3 in 100 children in England are a twin (ONS: ~15 multiple maternities per 1,000).
TWIN_RATE_NATIONAL = 0.03
#: About half of children live with a brother or sister of the same surname (ONS families).
SIBLING_RATE_NATIONAL = 0.5
#: The national rate counts as this many children seen (a small register leans on it).
PRIOR_CHILDREN = 100
#: Never below 1 in 1,000: a register that shows no twins lowers the guard, never removes it.
RATE_FLOOR = 0.001


@dataclass(frozen=True)
class HouseholdRates:
    """The share of known children who have a twin (another first name, the same surname,
    date of birth and postcode) and a sibling (another first name, the same surname and
    postcode), after :func:`smoothed`; ``children`` counted, ``measured`` when (None:
    nothing measured yet, and the rates are 1: no twin-shaped candidate is proposed)."""

    twin: float = 1.0
    sibling: float = 1.0
    children: int = 0
    twins_seen: int = 0
    siblings_seen: int = 0
    measured: date | None = None


#: Before the first measurement: as protective as the rule was before rates were measured.
UNMEASURED = HouseholdRates()


def smoothed(seen: int, children: int, national: float) -> float:
    """The share ``seen / children`` pulled towards ``national`` as if ``PRIOR_CHILDREN``
    more children had been seen at that rate, and never under :data:`RATE_FLOOR`."""
    if seen < 0 or children < 0 or seen > children:
        raise ValueError(f"{seen} of {children} children: not a share")
    rate = (seen + PRIOR_CHILDREN * national) / (children + PRIOR_CHILDREN)
    return max(RATE_FLOOR, min(1.0, rate))


def _children_in_groups(rows: QuerySet[Child], *keys: str) -> int:
    """How many children share ``keys`` with a child of another first name: one GROUP BY."""
    groups = (
        rows.values(*keys)
        .annotate(n=Count("id"), names=Count("first_name_key", distinct=True))
        .filter(names__gt=1)
    )
    return int(groups.aggregate(total=Sum("n"))["total"] or 0)


def measure(today: date) -> HouseholdRates:
    """Count the rates on the Child table (the records not merged into another, with a
    surname, a first name and a postcode): two set-based queries, no rows in Python.

    An unmerged duplicate of one child with its first name written two ways counts as a
    twin here: the estimate errs towards protecting twins."""
    rows = (
        Child.objects.filter(merged_into__isnull=True)
        .exclude(last_name_key="")
        .exclude(first_name_key="")
        .exclude(postcode_key="")
    )
    children = rows.count()
    twins = _children_in_groups(
        rows.filter(date_of_birth__isnull=False), "last_name_key", "date_of_birth", "postcode_key"
    )
    siblings = _children_in_groups(rows, "last_name_key", "postcode_key")
    return HouseholdRates(
        twin=smoothed(twins, children, TWIN_RATE_NATIONAL),
        sibling=smoothed(siblings, children, SIBLING_RATE_NATIONAL),
        children=children,
        twins_seen=twins,
        siblings_seen=siblings,
        measured=today,
    )


def refresh(today: date) -> HouseholdRates:
    """Measure the rates and store them for :func:`current` (no expiry: the job replaces them)."""
    rates = measure(today)
    cache.set(CACHE_KEY, asdict(rates), timeout=None)
    return rates


def current() -> HouseholdRates:
    """The stored rates, or :data:`UNMEASURED` when none are stored (one cache read)."""
    stored = cache.get(CACHE_KEY)
    if not isinstance(stored, dict):
        return UNMEASURED
    try:
        return HouseholdRates(**stored)
    except TypeError:  # stored by another version of this class
        return UNMEASURED
