"""Find a child: officers' and managers' search over every child record (issue 14 item 3).

One query, on both databases: each child that agrees on anything typed is a candidate, and
the database scores it (what agrees and how well) and returns the best first. On PostgreSQL
the candidates come from indexes (casework/migrations/0013_search_indexes.py): trigram GIN
indexes over the normalised names (``%`` and ``<%``, so that typos are found), the surname's
metaphone key, Double Metaphone (fuzzystrmatch's ``dmetaphone``) of the first name and
surname, and b-trees on date of birth, UPN, NHS number and postcode. SQLite (``make run``)
has neither extension: the same three functions are registered on the connection in Python
and the names are compared row by row, which is fine at a demo's size.

Scores (out of the sum), best first; the UPN and NHS number identify a child on their own:

* UPN the same 100; NHS number the same 100;
* surname: the same 30, sounds the same 25, similar 20;
* first name: the same 25, sounds the same 20, similar 18; a middle or other name 15;
  ("similar": trigram similarity 0.45, or one letter added, dropped, changed or swapped);
* date of birth: the same 30, day and month swapped 15;
* postcode: the same 15.

A record merged into another leads to the record it was merged into (shown once, at the best
score of the two); an anonymised record (casework/retention.py) is never found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, Q, QuerySet, Value, When

from casework.matching import normalise_postcode, normalise_upn
from casework.models import Child
from casework.selectors.cases import require_caseworker
from casework.selectors.search.names import (
    MIN_WORD,
    assignments,
    name_query,
    name_reasons,
    name_words,
    similar_names,
)
from casework.selectors.search.scores import (
    COMPONENTS,
    DOB_SAME,
    DOB_SWAPPED,
    POSTCODE_SAME,
    REASONS,
    SAME_NHS,
    SAME_UPN,
)
from casework.selectors.search.sqlite import (
    register_sqlite_functions,
    trigram_similarity,
    trigram_word_similarity,
)
from cme.models import User

__all__ = [
    "CANDIDATE_LIMIT",
    "MIN_WORD",
    "RESULT_LIMIT",
    "SearchResult",
    "SearchTerms",
    "candidates",
    "find_children",
    "find_children_for_bench",
    "register_sqlite_functions",
    "search_plan",
    "trigram_similarity",
    "trigram_word_similarity",
]

#: The most results a search shows: more than this and the officer should add a detail.
RESULT_LIMIT = 25
#: The most children one search scores: "Smith" alone is thousands of rows, and scoring
#: them all to show 25 costs more than the search may take. A search this broad says so.
CANDIDATE_LIMIT = 1000
#: With a date of birth, UPN, NHS number or postcode typed as well, the children those find
#: are scored in full by a query of their own; the name's query only adds namesakes that
#: differ in them, who rank below, so fewer are scored (each costs the name's expressions).
CANDIDATE_LIMIT_WITH_DETAILS = 250


@dataclass(frozen=True)
class SearchTerms:
    """What the officer typed, cleaned by the form (any of them may be empty)."""

    name: str = ""
    date_of_birth: date | None = None
    upn: str = ""
    nhs_number: str = ""
    postcode: str = ""

    def given(self) -> list[str]:
        """The kinds of term given, in the form's words (for the access log)."""
        labels = {
            "name": "name",
            "date_of_birth": "date of birth",
            "upn": "UPN",
            "nhs_number": "NHS number",
            "postcode": "postcode",
        }
        return [label for attr, label in labels.items() if getattr(self, attr)]

    def as_json(self) -> dict[str, str]:
        """The terms as stored in the session and the access log (dates as ISO strings)."""
        values = {
            "name": self.name,
            "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else "",
            "upn": self.upn,
            "nhs_number": self.nhs_number,
            "postcode": self.postcode,
        }
        return {k: v for k, v in values.items() if v}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SearchTerms:
        born = data.get("date_of_birth") or ""
        return cls(
            name=str(data.get("name", "")),
            date_of_birth=date.fromisoformat(born) if born else None,
            upn=str(data.get("upn", "")),
            nhs_number=str(data.get("nhs_number", "")),
            postcode=str(data.get("postcode", "")),
        )


@dataclass(frozen=True)
class SearchResult:
    """One child found: the record to open, how well it agrees, and what agrees.

    ``restricted`` results are shown as "a restricted record" only: no name, date of birth,
    address or what matched (a postcode that matches would say where the family lives)."""

    child: Child
    score: int
    matched: list[str] = field(default_factory=list)
    restricted: bool = False
    #: The record the terms were found on, when it was merged into ``child``.
    found_on: int | None = None


def find_children(*, user: User, terms: SearchTerms) -> list[SearchResult]:
    """The children an officer or manager is looking for, best first (404 for anyone else).

    The caller records the search in the access log (it has the request)."""
    require_caseworker(user)
    return _search(terms)


def find_children_for_bench(terms: SearchTerms) -> list[SearchResult]:
    """The same search with nobody asking: for the scale benchmark (make bench-matching)."""
    return _search(terms)


def _swapped(born: date) -> date | None:
    if born.day == born.month or born.day > 12:  # noqa: PLR2004 - months in a year
        return None
    return born.replace(day=born.month, month=born.day)


def _identifier_scores(terms: SearchTerms) -> tuple[Q, dict[str, Any]]:
    where = Q()
    scores: dict[str, Any] = {}
    upn = normalise_upn(terms.upn)
    if upn:
        where |= Q(upn=upn)
        scores["s_upn"] = Case(When(upn=upn, then=Value(SAME_UPN)), default=Value(0))
    nhs = re.sub(r"\D", "", terms.nhs_number)
    if nhs:
        where |= Q(nhs_number=nhs)
        scores["s_nhs"] = Case(When(nhs_number=nhs, then=Value(SAME_NHS)), default=Value(0))
    born = terms.date_of_birth
    if born is not None:
        swapped = _swapped(born)
        where |= Q(date_of_birth__in=[born, swapped] if swapped else [born])
        scores["s_dob"] = Case(
            When(date_of_birth=born, then=Value(DOB_SAME)),
            *([When(date_of_birth=swapped, then=Value(DOB_SWAPPED))] if swapped else []),
            default=Value(0),
        )
    postcodes = _postcode_spellings(terms.postcode)
    if postcodes:
        where |= Q(postcode__in=postcodes)
        scores["s_postcode"] = Case(
            When(postcode__in=postcodes, then=Value(POSTCODE_SAME)), default=Value(0)
        )
    return where, scores


def _postcode_spellings(value: str) -> list[str]:
    """A postcode as it may be stored: 'EX2 3CC' (the forms' spelling) and 'EX23CC'."""
    bare = normalise_postcode(value)
    if not bare:
        return []
    inward = 3  # the last three characters of a UK postcode: "3CC" of "EX2 3CC"
    return sorted({bare, f"{bare[:-inward]} {bare[-inward:]}"}) if len(bare) > inward else [bare]


def candidates(terms: SearchTerms, *, broad: bool = False) -> list[QuerySet[Child]]:
    """The candidate queries, each row with its score components (``s_*`` and the per-word
    ``s_last_*`` / ``s_first_*``), unordered: one for the children a UPN, NHS number, date
    of birth or postcode finds (a few hundred at most: a day's births in a county), one for
    those the name finds, at most :data:`CANDIDATE_LIMIT` of them ("Smith" alone is
    thousands). Two queries, so that a common surname never crowds out the child with the
    date of birth typed. ``broad``: the name's broad conditions only (see :class:`NameQuery`).

    Each component is one SQL expression, selected once; the name's score (the best reading
    of the words as surname and first name) and the total are added up in Python
    (:func:`_scored_rows`): as SQL, every reading repeats every word's expression, and the
    database evaluated each a dozen times per row (30 ms for 400 rows).

    On PostgreSQL this first looks up the names like the words typed (one query)."""
    register_sqlite_functions()
    words = name_words(terms.name)
    identified, scores = _identifier_scores(terms)
    named: Q | None = None
    if words:
        alone = not (terms.date_of_birth or terms.upn or terms.nhs_number or terms.postcode)
        names = similar_names(words) if connection.vendor == "postgresql" else None
        name = name_query(words, names, alone=alone)
        named = name.broad if broad and name.broad is not None else name.strong
        scores.update(name.scores)
    per_word = {k: v for k, v in scores.items() if k.startswith(("s_last_", "s_first_"))}
    annotations = {c: scores.get(c, Value(0)) for c in COMPONENTS if c != "s_name"}

    def scored(children: QuerySet[Child]) -> QuerySet[Child]:
        return (
            children.filter(anonymised_at__isnull=True)
            .annotate(**per_word, **annotations)
            .order_by()
        )

    queries = []
    if identified and not broad:
        queries.append(scored(Child.objects.filter(identified)))
    if named:
        # Unordered, so that the LIMIT stops the scan (Child's default order sorts them all).
        found = Child.objects.filter(named, anonymised_at__isnull=True).order_by().values("pk")
        limit = CANDIDATE_LIMIT if broad or not identified else CANDIDATE_LIMIT_WITH_DETAILS
        queries.append(scored(Child.objects.filter(pk__in=found[:limit])))
    return queries


def _scored_rows(query: QuerySet[Child], n_words: int, limit: int) -> list[dict[str, Any]]:
    """The query's best ``limit`` rows as their components (no other column), with the
    name's score and the total, best first. The components are selected once, in the inner
    query; the outer one adds them up over their column names (cheap) and sorts, so only
    ``limit`` rows leave the database."""
    columns = [c for c in query.query.annotations if c.startswith("s_")]
    inner, params = query.values("pk", "last_name", "first_name", *columns).query.sql_with_params()
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"  # SQLite's
    readings = [
        " + ".join(f"c.s_{part}_{k}" for part, k in (("last", i), ("first", j)) if k is not None)
        for i, j in assignments(n_words)
    ]
    name = f"{greatest}(0, {', '.join(readings)})" if readings else "0"
    total = " + ".join([name, *(f"c.{c}" for c in COMPONENTS if c in columns)])
    sql = (
        f"SELECT c.*, {name} AS s_name, {total} AS total FROM ({inner}) c "  # noqa: S608 - our own column names
        "ORDER BY total DESC, c.last_name, c.first_name, c.pk LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _best_rows(terms: SearchTerms, *, broad: bool = False) -> list[Child]:
    """The best :data:`RESULT_LIMIT` x 2 of each candidate query, as children (one more
    query, for their records and the records they were merged into) carrying the scores."""
    n_words = len(name_words(terms.name))
    best: dict[int, dict[str, Any]] = {}
    for query in candidates(terms, broad=broad):
        for row in _scored_rows(query, n_words, RESULT_LIMIT * 2):
            best.setdefault(row["pk"], row)
    children = Child.objects.filter(pk__in=list(best)).select_related("merged_into").order_by()
    found = []
    for child in children:
        for name, value in best[child.pk].items():
            if name.startswith("s_") or name == "total":
                setattr(child, name, value)
        found.append(child)
    return sorted(found, key=_order)


def _order(row: Child) -> tuple[int, str, str, int]:
    return (-int(getattr(row, "total", 0)), row.last_name, row.first_name, row.pk)


@contextmanager
def search_plan() -> Iterator[None]:
    """PostgreSQL, for the queries inside: no parallel workers (starting them costs more
    than the few hundred rows a search reads) and no sequential scan (every condition has an
    index, but with a LIMIT over a broad name the planner bets on finding 1,000 rows early in
    a scan of the table, and loses: 90 ms). ``set_config(..., true)``: local to the
    transaction, which a request already has; nothing else sees it."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('max_parallel_workers_per_gather', '0', true), "
            "set_config('enable_seqscan', 'off', true)"
        )
        yield


def _search(terms: SearchTerms) -> list[SearchResult]:
    # Merged records and their kept record can both be found: a few spare rows so that the
    # page still fills after they are shown once.
    with search_plan():
        rows = _best_rows(terms)
        if not any(_name_matched(row) for row in rows) and len(name_words(terms.name)) > 1:
            rows = sorted(
                {r.pk: r for r in rows + _best_rows(terms, broad=True)}.values(), key=_order
            )
    results: dict[int, SearchResult] = {}
    for row in rows:
        kept = row.merged_into if row.merged_into_id is not None else row
        assert kept is not None  # noqa: S101 - select_related gave it
        if kept.pk in results:
            continue  # already found, at a better score (rows come best first)
        matched = []
        for c in COMPONENTS:
            if c == "s_name":
                matched += name_reasons(row, len(name_words(terms.name)))
            elif (value := getattr(row, c)) in REASONS[c]:
                matched.append(REASONS[c][value])
        results[kept.pk] = SearchResult(
            child=kept,
            score=int(getattr(row, "total", 0)),
            matched=matched,
            restricted=kept.restricted or row.restricted,
            found_on=row.pk if kept.pk != row.pk else None,
        )
        if len(results) == RESULT_LIMIT:
            break
    return list(results.values())


def _name_matched(row: Child) -> bool:
    return bool(getattr(row, "s_name", 0) or getattr(row, "s_other", 0))
