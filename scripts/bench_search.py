"""The scale benchmark of "Find a child" (issue 14 item 4: search p95 <= 100 ms on 1,000,000
children, PostgreSQL). Not a test: a measurement, for ``make bench-matching``.

    DATABASE_URL=postgres://... .venv/bin/python scripts/bench_search.py [--children 1000000]
        [--searches 1000] [--seed 1] [--explain]

It tops the database up to ``--children`` children with one INSERT ... SELECT over
generate_series (names drawn from Faker's lists for British, Irish, Polish and other Eastern
European, South Asian and other names, the common ones far more often, as surnames are), then
times ``casework.selectors.search.find_children_for_bench`` over searches built from children
in the table, with a typo in the surname of every name search, and prints p50 / p95 / max per
kind of search and overall. ``--explain`` prints the plan of one search of each kind.
Bench data only: run it on a database of its own, never on real records.
"""

from __future__ import annotations

import argparse
import importlib
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from casework.matching import normalise_name, phonetic  # noqa: E402
from casework.models import Child  # noqa: E402
from casework.selectors.search import (  # noqa: E402
    RESULT_LIMIT,
    SearchTerms,
    candidates,
    find_children_for_bench,
    search_plan,
)

LOCALES = ["en_GB", "en_IE", "en_IN", "hi_IN", "pl_PL", "cs_CZ", "sk_SK", "uk_UA", "lt_LT"]
LOCALES += ["ro_RO", "bg_BG", "hu_HU", "tr_TR", "en_US", "it_IT", "es_ES", "pt_PT", "nl_NL"]
#: Surnames and first names are drawn as index = n * random() ** SKEW: the first few of each
#: list are common (about 1% of children share the commonest surname, as Smith in England).
SKEW = 1.7


def _names(attrs: tuple[str, ...]) -> list[str]:
    seen: dict[str, str] = {}
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr in attrs:
            for name in list(getattr(provider, attr, ()) or ()):
                key = normalise_name(name)
                # Latin script only: the register holds names as the LA writes them.
                if key and key.isascii() and " " not in key and key not in seen:
                    seen[key] = name
    return list(seen.values())


def seed(children: int, rng: random.Random) -> None:
    have = Child.objects.count()
    if have >= children:
        print(f"{have:,} children already: nothing to add")
        return
    surnames = _names(("last_names", "last_names_male", "last_names_female"))
    firsts = _names(("first_names_male", "first_names_female", "first_names"))
    rng.shuffle(surnames)
    rng.shuffle(firsts)
    for common in ("Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Khan"):
        if common in surnames:
            surnames.remove(common)
        surnames.insert(0, common)
    print(
        f"adding {children - have:,} children ({len(surnames):,} surnames, {len(firsts):,} first)"
    )
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_names")
        cursor.execute(
            "CREATE TEMP TABLE bench_names (kind text, i int, name text, k text, p text)"
        )
        rows = [
            ("s", i, n, normalise_name(n), phonetic(normalise_name(n)))
            for i, n in enumerate(surnames)
        ]
        rows += [("f", i, n, normalise_name(n), "") for i, n in enumerate(firsts)]
        cursor.executemany("INSERT INTO bench_names VALUES (%s, %s, %s, %s, %s)", rows)
        cursor.execute(
            """
            WITH s AS (
                SELECT array_agg(name ORDER BY i) n, array_agg(k ORDER BY i) k,
                       array_agg(p ORDER BY i) p, count(*) c FROM bench_names WHERE kind = 's'
            ), f AS (
                SELECT array_agg(name ORDER BY i) n, array_agg(k ORDER BY i) k, count(*) c
                FROM bench_names WHERE kind = 'f'
            ), picks AS (
                SELECT g,
                       1 + floor(s.c * power(random(), %s))::int si,
                       1 + floor(f.c * power(random(), %s))::int fi,
                       1 + floor(f.c * random())::int mi,
                       random() r1, random() r2, random() r3
                FROM generate_series(%s, %s) g, s, f
            )
            INSERT INTO casework_child (
                created_at, updated_at, first_name, middle_names, last_name, other_names,
                date_of_birth, gender, upn, nhs_number, address_line_1, address_line_2, town,
                postcode, first_name_key, last_name_key, last_name_phonetic, other_name_keys,
                child_protection_plan, looked_after, child_in_need, ehcp_sen,
                gypsy_roma_traveller, young_carer, new_arrival_eal, youth_justice, restricted
            )
            SELECT now(), now(), f.n[fi], CASE WHEN r1 < 0.3 THEN f.n[mi] ELSE '' END, s.n[si],
                   CASE WHEN r2 < 0.05 THEN s.n[1 + (si * 7919) %% s.c] ELSE '' END,
                   CASE WHEN r3 < 0.97 THEN date '2008-09-01' + floor(random() * 6570)::int END,
                   CASE WHEN r1 < 0.5 THEN 'M' ELSE 'F' END,
                   CASE WHEN r2 < 0.7 THEN 'B' || lpad(g::text, 12, '0') ELSE '' END,
                   CASE WHEN r3 < 0.6 THEN (9000000000 + g)::text ELSE '' END,
                   g || ' High Street', '', 'Exampleton',
                   chr(65 + (g %% 23)) || chr(65 + (g / 23 %% 19)) || (1 + g / 437 %% 20)
                       || ' ' || (g / 8740 %% 10) || chr(65 + (g / 87400 %% 20))
                       || chr(65 + floor(random() * 20)::int),
                   f.k[fi], s.k[si], s.p[si],
                   concat_ws(' ', CASE WHEN r1 < 0.3 THEN f.k[mi] END,
                             CASE WHEN r2 < 0.05 THEN s.k[1 + (si * 7919) %% s.c] END),
                   false, false, false, false, false, false, false, false, r1 < 0.005
            FROM picks, s, f
            """,
            [SKEW, SKEW, have + 1, children],
        )
        # A few records merged into the one before them (a duplicate found later).
        cursor.execute(
            "UPDATE casework_child c SET merged_into_id = c.id - 1 WHERE mod(c.id, 200) = 0 "
            "AND merged_into_id IS NULL AND EXISTS (SELECT 1 FROM casework_child d WHERE d.id = c.id - 1)"
        )
        cursor.execute("ANALYZE casework_child")
    print(f"seeded in {time.monotonic() - started:.0f} s")


def typo(word: str, rng: random.Random) -> str:
    """One keying error: a letter dropped, doubled, swapped with the next, or replaced."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["drop", "double", "swap", "replace"])
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice("aeiounrst") + word[i + 1 :]


KINDS = [
    ("first name and surname with a typo", 35),
    ("surname with a typo", 15),
    ("surname and date of birth", 15),
    ("date of birth", 10),
    ("UPN", 10),
    ("NHS number", 5),
    ("postcode", 5),
    ("name and postcode", 5),
]


def terms_for(kind: str, child: Child, rng: random.Random) -> SearchTerms:
    surname = typo(child.last_name, rng)
    postcode = child.postcode.replace(" ", "") if rng.random() < 0.5 else child.postcode
    return {
        "first name and surname with a typo": SearchTerms(name=f"{child.first_name} {surname}"),
        "surname with a typo": SearchTerms(name=surname),
        "surname and date of birth": SearchTerms(
            name=child.last_name, date_of_birth=child.date_of_birth
        ),
        "date of birth": SearchTerms(date_of_birth=child.date_of_birth or date(2015, 1, 1)),
        "UPN": SearchTerms(upn=child.upn or "B000000000001"),
        "NHS number": SearchTerms(nhs_number=child.nhs_number or "9000000001"),
        "postcode": SearchTerms(postcode=postcode),
        "name and postcode": SearchTerms(name=child.first_name, postcode=postcode),
    }[kind]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bench(searches: int, rng: random.Random, explain: bool) -> None:
    top = Child.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ids = [rng.randint(1, top) for _ in range(searches * 2)]
    sample = {c.pk: c for c in Child.objects.filter(pk__in=ids)}
    weights = [w for _, w in KINDS]
    times: dict[str, list[float]] = defaultdict(list)
    found: dict[str, int] = defaultdict(int)
    explained: set[str] = set()
    needs = {"UPN": "upn", "NHS number": "nhs_number", "date of birth": "date_of_birth"}
    needs["surname and date of birth"] = "date_of_birth"
    misses: list[str] = []
    for pk in ids:
        child = sample.get(pk)
        if child is None or sum(map(len, times.values())) >= searches:
            continue
        kind = rng.choices([k for k, _ in KINDS], weights)[0]
        if kind in needs and not getattr(child, needs[kind]):
            continue  # a search for a detail this child's record does not hold
        terms = terms_for(kind, child, rng)
        started = time.perf_counter()
        results = find_children_for_bench(terms)
        times[kind].append((time.perf_counter() - started) * 1000)
        hit = any(r.child.pk in (child.pk, child.merged_into_id) for r in results[:5])
        found[kind] += hit
        if not hit and kind == KINDS[0][0] and len(misses) < 10:
            misses.append(f"{terms.name!r} for {child.full_name} ({child.pk})")
        if explain and kind not in explained:
            explained.add(kind)
            with search_plan():
                plans = [q[: RESULT_LIMIT * 2].explain(analyze=True) for q in candidates(terms)]
            for plan in plans:
                print(f"\n-- EXPLAIN ANALYZE: {kind}\n{plan}")
    every = [t for ts in times.values() for t in ts]
    print(f"\n{len(every):,} searches over {Child.objects.count():,} children")
    # "in top 5": the child searched for is among the first five results (a date of birth
    # alone is shared by a few hundred children: it cannot single one out).
    print(f"{'kind':<38} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'in top 5':>9}")
    for kind, _ in KINDS:
        ts = times[kind]
        if ts:
            row = (statistics.median(ts), percentile(ts, 95), max(ts), found[kind] / len(ts))
            print(
                f"{kind:<38} {len(ts):>5} {row[0]:>8.1f} {row[1]:>8.1f} {row[2]:>8.1f}"
                f" {row[3]:>9.1%}"
            )
    if misses:
        print(f"some {KINDS[0][0]} searches that missed:", *misses, sep="\n  ")
    share = sum(found.values()) / len(every)
    print(
        f"{'all':<38} {len(every):>5} {statistics.median(every):>8.1f} "
        f"{percentile(every, 95):>8.1f} {max(every):>8.1f} {share:>9.1%}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=1_000_000)
    parser.add_argument("--searches", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--explain", action="store_true")
    args: Any = parser.parse_args(argv)
    if connection.vendor != "postgresql":
        raise SystemExit("The scale benchmark needs PostgreSQL: set DATABASE_URL")
    rng = random.Random(args.seed)  # noqa: S311 - bench data, not a secret
    seed(args.children, rng)
    bench(args.searches, rng, args.explain)


if __name__ == "__main__":
    main()
