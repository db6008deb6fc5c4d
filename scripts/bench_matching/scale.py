"""Scale: N children (default 1,000,000) in PostgreSQL by COPY, then possible_matches for
~1,000 referrals drawn like real ones (p50/p95), the search (when it is importable), and
the EXPLAIN of one candidate query (which indexes it uses)."""

from __future__ import annotations

import functools
import random
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from benchlib import pct

from bench_matching.generator import Generator
from bench_matching.records import Record, fitted

if TYPE_CHECKING:
    from casework.selectors.search import SearchTerms
    from referrals.models import Referral

TARGET_MATCH_P95_MS = 50.0
TARGET_SEARCH_P95_MS = 100.0
_MERGED_SHARE = 0.01


#: When every child was created and last updated.
_STAMP = "2026-01-01T00:00:00Z"


def _columns() -> tuple[str, ...]:
    """The casework_child columns the COPY fills: the record's fields, the matching keys
    and the flags (all off)."""
    from casework.matching import KEY_FIELDS
    from referrals.models import Referral
    from referrals.vocabulary import FLAG_FIELDS

    return (
        "id",
        "created_at",
        "updated_at",
        "middle_names",
        *Referral.CHILD_IDENTITY_FIELDS,
        *Referral.CHILD_ADDRESS_FIELDS,
        *KEY_FIELDS,
        *FLAG_FIELDS,
        "restricted",
    )


def _rows(
    gen: Generator, n: int, sample: list[Record], sample_size: int
) -> Iterator[tuple[Any, ...]]:
    """Families of children as COPY rows; a reservoir sample of them kept as records."""
    from casework.matching import child_keys
    from casework.models import Child

    columns = _columns()
    made = 0
    while made < n:
        for member in gen.family():
            if made >= n:
                return
            made += 1
            rec = replace(member, id=made)
            if len(sample) < sample_size:
                sample.append(rec)
            elif (j := gen.rng.randrange(made)) < sample_size:
                sample[j] = rec
            child = child_keys(
                Child(
                    id=made,
                    created_at=_STAMP,
                    updated_at=_STAMP,
                    **fitted(rec, Child, ("middle_names",)),
                )
            )
            yield tuple(getattr(child, column) for column in columns)


def seed(n: int, seed_value: int, sample_size: int) -> tuple[list[Record], Generator]:
    """Empty the children and COPY ``n`` in; a sample of them for the referrals."""
    from django.db import connection

    gen = Generator(seed_value)
    sample: list[Record] = []
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE casework_child, casework_historicalchild RESTART IDENTITY CASCADE")
        raw = cursor.connection
        with raw.cursor().copy(f"COPY casework_child ({', '.join(_columns())}) FROM STDIN") as copy:
            for row in _rows(gen, n, sample, sample_size):
                copy.write_row(row)
        # Some children merged into others: never candidates (the partial indexes skip them).
        cursor.execute(
            "UPDATE casework_child SET merged_into_id = id - 1 WHERE id > 1 AND id %% %s = 0",
            [round(1 / _MERGED_SHARE)],
        )
        # As autovacuum does after a bulk load: the visibility map (index-only scans) and
        # any GIN pending list merged, so the timings are of a table in its usual state.
        cursor.execute("VACUUM (ANALYZE) casework_child")
        cursor.execute("VACUUM (ANALYZE) casework_child_name")
    print(f"setup: COPY {n:,} children + VACUUM ANALYZE: {time.perf_counter() - started:.1f} s")
    return sample, gen


def referrals(sample: list[Record], gen: Generator, count: int) -> list[Any]:
    """70% about a known child (with a referrer's errors), 30% about a child we do not know."""
    from bench_matching.ours import referral

    rng = random.Random(7)
    out = []
    for _ in range(count):
        if rng.random() < 0.7 and sample:
            rec = gen.referral_of(rng.choice(sample))
        else:
            rec = gen.referral_of(gen.family()[0])
        out.append(referral(rec))
    return out


def _timed(calls: list[Callable[[], object]]) -> list[float]:
    times = []
    for call in calls:
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _timed_with_floor(
    terms: list[SearchTerms], search: Callable[[SearchTerms], object]
) -> tuple[list[float], list[float]]:
    """Each search timed, and before it the floor: one indexed SQL statement (the 25
    children with the first word's surname key), so that the load on the machine at that
    moment shows in both and the ratio can be compared between runs."""
    from django.db import connection

    from casework.matching import normalise_name

    times, floor = [], []
    with connection.cursor() as cursor:
        for t in terms:
            key = (normalise_name(t.name).split() or [""])[-1]
            started = time.perf_counter()
            cursor.execute(
                "SELECT id FROM casework_child WHERE last_name_key = %s LIMIT 25",
                [key],
            )
            cursor.fetchall()
            floor.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            search(t)
            times.append((time.perf_counter() - started) * 1000)
    return times, floor


def _load() -> str:
    import os

    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


_INDEX = re.compile(r"(Bitmap Index Scan|Index Scan|Index Only Scan) on (\w+)")


def explain(ref: Any) -> list[str]:
    """The candidate query's plan, summed up: node types and the indexes it reads."""
    from casework.matching.blocking import candidate_queryset

    qs = candidate_queryset(ref)
    if qs is None:
        return ["(nothing to match on)"]
    plan = qs.explain(analyze=True)
    indexes = sorted({m.group(2) for m in _INDEX.finditer(plan)})
    nodes = [n for n in ("BitmapOr", "Bitmap Heap Scan", "Seq Scan") if n in plan]
    timing = [line.strip() for line in plan.splitlines() if "Execution Time" in line]
    return [
        f"plan nodes: {', '.join(nodes)}",
        f"indexes used: {', '.join(indexes)}",
        *timing,
        "seq scan on casework_child: " + ("YES" if "Seq Scan on casework_child" in plan else "no"),
    ]


def _search_terms(refs: list[Referral]) -> list[tuple[str, SearchTerms]]:
    """What officers type into Find a child, drawn from the referrals (with their typos): in
    turn a full name, a name and date of birth, a first name and postcode, a surname and
    date of birth."""
    from casework.selectors.search import SearchTerms

    out: list[tuple[str, SearchTerms]] = []
    for i, r in enumerate(refs):
        full = f"{r.first_name} {r.last_name}".strip()
        kind = i % 4
        if (
            kind == 0
            or (kind in {1, 3} and r.date_of_birth is None)
            or (kind == 2 and not r.postcode)
        ):
            out.append(("full name", SearchTerms(name=full)))
        elif kind == 1:
            out.append(
                ("name + date of birth", SearchTerms(name=full, date_of_birth=r.date_of_birth))
            )
        elif kind == 2:
            out.append(
                ("first name + postcode", SearchTerms(name=r.first_name, postcode=r.postcode))
            )
        else:
            out.append(
                (
                    "surname + date of birth",
                    SearchTerms(name=r.last_name, date_of_birth=r.date_of_birth),
                )
            )
    return out


def _existing(n: int, seed_value: int, count: int) -> tuple[list[Record], Generator] | None:
    """With ``--reuse``: the children a previous run left (--keep), if there are ``n``."""
    from casework.models import Child

    if Child.objects.count() != n:
        return None
    gen = Generator(seed_value)
    fields = [f for f in Record.__dataclass_fields__ if f not in {"id", "entity"}]
    rows = Child.objects.order_by("?").values("pk", *fields)[:count]
    print(f"setup: reusing the {n:,} children already in the bench database")
    return [Record(id=r.pop("pk"), entity=0, **r) for r in rows], gen


def run(n: int, count: int, seed_value: int, *, reuse: bool = False) -> list[str]:
    from casework.matching import possible_matches
    from casework.selectors.search import find_children_for_bench

    print(f"load average (1, 5, 15 min) at the start: {_load()}", flush=True)
    found = _existing(n, seed_value, count) if reuse else None
    sample, gen = found or seed(n, seed_value, sample_size=max(count, 1))
    refs = referrals(sample, gen, count)
    # The nightly job's measurement over every child, stored as in production, so that the
    # referrals below read measured rates (ADR 010: the LA's twin and sibling rates).
    from django.utils import timezone

    from casework.matching import priors

    started = time.perf_counter()
    rates = priors.refresh(timezone.localdate())
    priors_line = (
        f"twin and sibling rates (the nightly job matching_priors, two GROUP BY queries over "
        f"{rates.children:,} children): {time.perf_counter() - started:.1f} s; twin "
        f"{rates.twin:.4f}, sibling {rates.sibling:.4f}"
    )
    for ref in refs[:20]:  # warm the cache as a running service would be
        possible_matches(ref)
    times = _timed([functools.partial(possible_matches, r) for r in refs])
    p50, p95 = pct(times, 50), pct(times, 95)
    verdict = "PASS" if p95 <= TARGET_MATCH_P95_MS else "FAIL"
    lines = [
        priors_line,
        f"possible_matches over {n:,} children, {len(refs)} referrals: "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms (target p95 <= {TARGET_MATCH_P95_MS:.0f} ms: {verdict})",
    ]
    searches = _search_terms(refs)
    for _, terms in searches[:20]:  # warm, as for the matches
        find_children_for_bench(terms)
    s_times, floor = _timed_with_floor([t for _, t in searches], find_children_for_bench)
    s95 = pct(s_times, 95)
    lines.append(
        f"search (Find a child) over {n:,} children, {len(searches)} searches: "
        f"p50 {pct(s_times, 50):.1f} ms, p95 {s95:.1f} ms (target p95 <= "
        f"{TARGET_SEARCH_P95_MS:.0f} ms: {'PASS' if s95 <= TARGET_SEARCH_P95_MS else 'FAIL'})"
    )
    lines.append(
        f"  floor, one SQL statement before each search (25 children by surname key): "
        f"p50 {pct(floor, 50):.2f} ms, p95 {pct(floor, 95):.2f} ms; search / floor: "
        f"p50 {pct(s_times, 50) / pct(floor, 50):.0f}x, p95 {s95 / pct(floor, 95):.0f}x"
    )
    lines.append(f"  load average (1, 5, 15 min) at the end: {_load()}")
    for kind in dict.fromkeys(k for k, _ in searches):
        kt = [t for (k, _), t in zip(searches, s_times, strict=True) if k == kind]
        lines.append(
            f"  {kind:<24} {len(kt):>4} searches: p50 {pct(kt, 50):.1f} ms, p95 {pct(kt, 95):.1f} ms"
        )
    lines.append("EXPLAIN ANALYZE of one candidate query (a referral about a known child):")
    lines.extend(f"  {line}" for line in explain(refs[0]))
    kind, terms = next((k, t) for k, t in searches if k == "name + date of birth")
    lines.append(f"EXPLAIN ANALYZE of one search ({kind}), each of its candidate queries:")
    lines.extend(f"  {line}" for line in explain_search(terms))
    return lines


def explain_search(terms: SearchTerms) -> list[str]:
    """The search's candidate queries' plans, summed up as :func:`explain` does."""
    from casework.selectors.search import candidates, search_plan

    out = []
    with search_plan():
        for query in candidates(terms):
            plan = query.explain(analyze=True)
            indexes = sorted({m.group(2) for m in _INDEX.finditer(plan)})
            timing = [line.strip() for line in plan.splitlines() if "Execution Time" in line]
            seq = "YES" if "Seq Scan on casework_child" in plan else "no"
            out.append(f"indexes: {', '.join(indexes)}; {' '.join(timing)}; seq scan: {seq}")
    return out
