"""This product's side: the known records as Child rows (bulk) in the bench database, and
``possible_matches`` on an unsaved Referral for each query, through the real code path."""

from __future__ import annotations

import time
from typing import Any

from bench_matching.records import DataSet, Record, fitted, pair_key

#: Candidates asked for: enough for a FEBRL3 cluster (up to 10 records of one person).
LIMIT = 20


def load(records: list[Record]) -> str:
    """Replace every child in the bench database with ``records`` (keys computed as on save),
    then measure the LA's twin and sibling rates on them, as the nightly job does in
    production (``casework.matching.priors.refresh``); returns those rates, to print."""
    from django.db import connection

    from casework.matching import child_keys
    from casework.models import Child

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE casework_child, casework_historicalchild RESTART IDENTITY CASCADE")
    seen: set[int] = set()
    rows = []
    for r in records:
        if r.id in seen:  # a deduplication passes each record once
            continue
        seen.add(r.id)
        rows.append(child_keys(Child(pk=r.id, **fitted(r, Child, ("middle_names",)))))
    Child.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE casework_child")
    from django.utils import timezone

    from casework.matching import priors

    rates = priors.refresh(timezone.localdate())
    return (
        f"  known children's rates (priors.refresh): twin {rates.twin:.4f} "
        f"({rates.twins_seen} of {rates.children} in a same surname, DOB and postcode group "
        f"with another first name), sibling {rates.sibling:.4f} ({rates.siblings_seen})"
    )


def referral(r: Record) -> Any:
    from referrals.models import Referral

    return Referral(**fitted(r, Referral))


def run(
    data: DataSet, flagged: set[tuple[int, int]] | None = None, notes: list[str] | None = None
) -> tuple[set[tuple[int, int]], set[tuple[int, int]], float]:
    """(predicted pairs: proposed, that is scored at or above the threshold with the known
    children's twin and sibling rates weighed in, flagged or not; candidate pairs; seconds
    in possible_matches). The flagged pairs (possible twins or siblings, shown with what
    differs and never pre-selected in the app) go into ``flagged`` too; the rates measured
    into ``notes``. The candidate query is run again, untimed, for blocking recall."""
    from casework.matching import candidates_for, possible_matches

    rates = load(data.known)
    if notes is not None:
        notes.append(rates)
    predicted: set[tuple[int, int]] = set()
    blocked: set[tuple[int, int]] = set()
    seconds = 0.0
    for q in data.queries:
        ref = referral(q)
        started = time.perf_counter()
        matches = possible_matches(ref, limit=LIMIT)
        seconds += time.perf_counter() - started
        for m in matches:
            if m.child.pk != q.id:
                key = pair_key(q.id, m.child.pk, dedupe=data.dedupe)
                if m.proposed:
                    predicted.add(key)
                if m.possible_twin_or_sibling and flagged is not None:
                    flagged.add(key)
        for child in candidates_for(ref):
            if child.pk != q.id:
                blocked.add(pair_key(q.id, child.pk, dedupe=data.dedupe))
    return predicted, blocked, seconds
