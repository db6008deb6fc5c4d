"""Find a child: officers' and managers' search over every child record (issue 14 item 3).

One query, on both databases: each child that agrees on anything typed is a candidate, and
the database scores it (what agrees and how well) and returns the best first. On PostgreSQL
the candidates come from indexes (casework/migrations/0010_search_indexes.py): trigram GIN
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
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Greatest
from django.db.models.lookups import Exact, GreaterThanOrEqual, LessThanOrEqual
from doublemetaphone import doublemetaphone as _double_metaphone
from rapidfuzz.distance import Levenshtein

from casework.matching import normalise_name, normalise_postcode, normalise_upn, phonetic
from casework.models import Child
from casework.selectors.cases import require_caseworker
from cme.models import User

#: The most results a search shows: more than this and the officer should add a detail.
RESULT_LIMIT = 25
#: The most children one search scores: "Smith" alone is thousands of rows, and scoring
#: them all to show 25 costs more than the search may take. A search this broad says so.
CANDIDATE_LIMIT = 1000
#: The trigram similarity of a name "like" a word typed (pg_trgm's ``%`` default). Looked
#: up among the distinct names, not the children, so a low threshold costs little.
TRIGRAM_CANDIDATE = 0.3
#: Words this long or longer also find names one letter away (Levenshtein distance 1):
#: shorter, and one letter away is half the names of that length.
MIN_EDIT_WORD = 4
#: Trigram similarity (0-1) at which a name counts as "similar" in the score.
NAME_SIMILAR = 0.45
#: Words shorter than this are initials: they match nothing on their own.
MIN_WORD = 2
#: fuzzystrmatch's dmetaphone returns at most this many characters.
DMETAPHONE_LENGTH = 4
#: At most this many words of a name are compared (a pasted paragraph is not a name).
MAX_WORDS = 4

SAME_UPN, SAME_NHS = 100, 100
SURNAME_SAME, SURNAME_SOUNDS, SURNAME_SIMILAR = 30, 25, 20
# A first name that sounds the same scores a little above one only spelt alike (a typo).
FIRST_SAME, FIRST_SOUNDS, FIRST_SIMILAR, OTHER_NAME = 25, 20, 18, 15
DOB_SAME, DOB_SWAPPED, POSTCODE_SAME = 30, 15, 15

_REASONS: dict[str, dict[int, str]] = {
    "s_upn": {SAME_UPN: "Same UPN"},
    "s_nhs": {SAME_NHS: "Same NHS number"},
    "s_last": {
        SURNAME_SAME: "Same surname",
        SURNAME_SOUNDS: "Surname sounds the same",
        SURNAME_SIMILAR: "Surname similar",
    },
    "s_first": {
        FIRST_SAME: "Same first name",
        FIRST_SOUNDS: "First name sounds the same",
        FIRST_SIMILAR: "First name similar",
    },
    "s_other": {OTHER_NAME: "Matches a middle or other name"},
    "s_dob": {
        DOB_SAME: "Same date of birth",
        DOB_SWAPPED: "Date of birth with day and month swapped",
    },
    "s_postcode": {POSTCODE_SAME: "Same postcode"},
}
#: What the total adds up, in the order the page lists what matched.
_COMPONENTS = ("s_upn", "s_nhs", "s_name", "s_other", "s_dob", "s_postcode")


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


# -- the query --------------------------------------------------------------------------


class _TrigramSimilar(Func):
    """``a % b``: pg_trgm's similarity above its threshold, answered from a GIN index."""

    arg_joiner = " %% "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class _WordSimilar(Func):
    """``word <% text``: the word is similar to some word of ``text`` (GIN-indexed)."""

    arg_joiner = " <%% "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def _similarity(column: str, word: str) -> Func:
    return Func(F(column), Value(word), function="similarity", output_field=FloatField())


def _word_similarity(word: str, column: str) -> Func:
    return Func(Value(word), F(column), function="word_similarity", output_field=FloatField())


def _similar(column: str, word: str, *, word_in_text: bool = False) -> Q:
    """The candidate condition: indexed on PostgreSQL, a computed threshold elsewhere."""
    if connection.vendor == "postgresql":
        if word_in_text:
            return Q(_WordSimilar(Value(word), F(column)))
        return Q(_TrigramSimilar(F(column), Value(word)))
    score = _word_similarity(word, column) if word_in_text else _similarity(column, word)
    return Q(GreaterThanOrEqual(score, TRIGRAM_CANDIDATE))


def double_metaphone(key: str) -> str:
    """PostgreSQL's ``dmetaphone`` (fuzzystrmatch): the primary Double Metaphone code, cut to
    four characters (Khan and Kahn are both KN; Mohammed and Muhammad MHMT)."""
    if not key or not key.isascii():
        return ""  # it reads each byte of a letter outside ASCII as a sound ("N")
    return str(_double_metaphone(key)[0])[:DMETAPHONE_LENGTH]


def _name_words(name: str) -> list[str]:
    words = [w for w in normalise_name(name).split() if len(w) >= MIN_WORD]
    return list(dict.fromkeys(words))[:MAX_WORDS]


def _best(cases: list[Case]) -> Any:
    if not cases:
        return Value(0)
    return cases[0] if len(cases) == 1 else Greatest(*cases)


def _dmetaphone(column: str) -> Func:
    return Func(F(column), function="dmetaphone", output_field=CharField())


def _surname_score(word: str, *, fuzzy: bool = True) -> Case:
    sound, double = phonetic(word), double_metaphone(word)
    sounds = Q(last_name_phonetic=sound) if sound else Q()
    if double:
        sounds |= Q(Exact(_dmetaphone("last_name_key"), double))
    return Case(
        When(last_name_key=word, then=Value(SURNAME_SAME)),
        *([When(sounds, then=Value(SURNAME_SOUNDS))] if sounds else []),
        *([When(_alike("last_name_key", word), then=Value(SURNAME_SIMILAR))] if fuzzy else []),
        default=Value(0),
        output_field=IntegerField(),
    )


def _alike(column: str, word: str) -> Q:
    """Scored "similar": trigram similarity of :data:`NAME_SIMILAR`, one letter added,
    dropped or changed (in a word of :data:`MIN_EDIT_WORD` letters or more), or two letters
    next to each other swapped."""
    alike = Q(GreaterThanOrEqual(_similarity(column, word), NAME_SIMILAR))
    if swaps := transpositions(word):
        alike |= Q(**{f"{column}__in": swaps})
    if len(word) >= MIN_EDIT_WORD:
        distance = Func(F(column), Value(word), function="levenshtein", output_field=IntegerField())
        alike |= Q(LessThanOrEqual(distance, 1))
    return alike


#: Names like a word, found in ``casework_child_name``: word -> keys (PostgreSQL only).
SimilarKeys = dict[str, list[str]]
#: At most this many names like one word: the closest first.
MAX_SIMILAR_NAMES = 100


def transpositions(word: str) -> list[str]:
    """The word with two letters next to each other swapped (Coehn for Cohen): the keying
    error trigrams and edit distance 1 both miss in a short name."""
    swapped = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    return sorted(swapped - {word})


def similar_names(words: list[str]) -> SimilarKeys:
    """PostgreSQL: the names (first names and surnames) that look like each word, from the
    table of distinct names (casework/migrations/0010_search_indexes.py), in one query:
    trigram similarity and one letter added, dropped or changed (Levenshtein, for words of
    :data:`MIN_EDIT_WORD` letters or more); two letters swapped are looked up among the
    children directly (:func:`_looks_like`). Elsewhere, {}: the children are compared
    directly."""
    if not words or connection.vendor != "postgresql":
        return {}
    found: SimilarKeys = {w: [] for w in words}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w, n.key FROM unnest(%s::text[]) AS w, LATERAL ("
            "  SELECT key FROM ("
            "    SELECT key FROM casework_child_name"
            "    WHERE key %% w AND similarity(key, w) >= %s"
            "    UNION SELECT key FROM casework_child_name"
            "    WHERE length(w) >= %s AND length(key) BETWEEN length(w) - 1 AND length(w) + 1"
            "    AND levenshtein_less_equal(key, w, 1) <= 1"
            "  ) AS alike ORDER BY similarity(key, w) DESC, key LIMIT %s"
            ") AS n",
            [words, TRIGRAM_CANDIDATE, MIN_EDIT_WORD, MAX_SIMILAR_NAMES],
        )
        for word, key in cursor.fetchall():
            found[word].append(key)
    return found


def _looks_like(column: str, word: str, names: SimilarKeys | None) -> Q:
    """The column's value looks like the word (as :func:`similar_names` says): by exact key
    among the similar names on PostgreSQL (a b-tree), computed row by row elsewhere."""
    if names is None:
        return _similar(column, word) | _alike(column, word)
    keys = [*names.get(word, []), *transpositions(word)]
    return Q(**{f"{column}__in": keys}) if keys else Q()


def _surname_candidates(word: str, names: SimilarKeys | None, *, fuzzy: bool = True) -> Q:
    """Children whose surname is, sounds like (metaphone, double metaphone) or, with
    ``fuzzy``, looks like ``word``: every branch answered from an index."""
    where = Q(last_name_key=word)
    if sound := phonetic(word):
        where |= Q(last_name_phonetic=sound)
    if double := double_metaphone(word):
        where |= Q(Exact(_dmetaphone("last_name_key"), double))
    if fuzzy:
        where |= _looks_like("last_name_key", word, names)
    return where


def _first_name_scores(words: list[str]) -> list[Case]:
    cases = []
    for word in words:
        double = double_metaphone(word)
        cases.append(
            Case(
                When(first_name_key=word, then=Value(FIRST_SAME)),
                *(
                    [When(Exact(_dmetaphone("first_name_key"), double), then=Value(FIRST_SOUNDS))]
                    if double
                    else []
                ),
                When(_alike("first_name_key", word), then=Value(FIRST_SIMILAR)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
    return cases


#: Which word is the surname and which the first name: (surname word, first-name word),
#: either None. Each word plays one part: "Glenn Coehn" must not score Glenn Gillen for a
#: first name Glenn and a surname that sounds like Glenn.
Assignment = tuple[int | None, int | None]


def assignments(n_words: int) -> list[Assignment]:
    """Every way to read ``n_words`` words as a surname and a first name; with two words or
    more, word ``n_words`` is the whole name as one surname ("Van der Berg")."""
    surnames = n_words + 1 if n_words > 1 else n_words
    pairs: list[Assignment] = [(i, j) for i in range(n_words) for j in range(n_words) if i != j]
    return pairs + [(i, None) for i in range(surnames)] + [(None, j) for j in range(n_words)]


def _name_total(n_words: int) -> Any:
    """The name's score: the best of :func:`assignments`."""
    parts = []
    for i, j in assignments(n_words):
        last: Any = F(f"s_last_{i}") if i is not None else Value(0)
        parts.append(last + F(f"s_first_{j}") if j is not None else last)
    return parts[0] if len(parts) == 1 else Greatest(*parts)


def _name_reasons(row: Child, n_words: int) -> list[str]:
    """What matched in the name, read as the best assignment (the one the score took)."""

    def value(i: int | None, j: int | None) -> tuple[int, int]:
        last = getattr(row, f"s_last_{i}") if i is not None else 0
        first = getattr(row, f"s_first_{j}") if j is not None else 0
        return last, first

    best = max(assignments(n_words), key=lambda a: sum(value(*a)), default=(None, None))
    last, first = value(*best)
    return [
        reason
        for reason in (_REASONS["s_last"].get(last), _REASONS["s_first"].get(first))
        if reason
    ]


def _given_candidates(word: str, names: SimilarKeys | None) -> Q:
    """Children whose first name is, sounds like or looks like ``word``, or one of whose
    middle or other names looks like it."""
    where = Q(first_name_key=word) | _looks_like("first_name_key", word, names)
    if double := double_metaphone(word):
        where |= Q(Exact(_dmetaphone("first_name_key"), double))
    for column in ("middle_names", "other_names"):
        where |= _similar(column, word, word_in_text=True)
    return where


@dataclass(frozen=True)
class _NameQuery:
    #: The children a name finds: for two words or more, a surname like one word AND a
    #: first, middle or other name like another (names typed in either order).
    strong: Q
    #: For two words or more, if ``strong`` finds nobody: a surname like any word (a first
    #: name the record does not have, "Bob" for Robert).
    broad: Q | None
    scores: dict[str, Any]


def _name_query(words: list[str], names: SimilarKeys | None, *, alone: bool) -> _NameQuery:
    """The candidate conditions and the three name scores for the words of a name.

    One word: a surname, middle or other name like it; a first name too when it is all that
    was typed ("Oliver" with a date of birth finds the Olivers born that day through the
    date, and every Oliver in the county would be a thousand rows the score throws away).
    """
    last = [_surname_score(w) for w in words]
    surname = Q()
    for word in words:
        surname |= _surname_candidates(word, names)
    if len(words) == 1:
        word = words[0]
        strong = surname
        for column in ("middle_names", "other_names"):
            strong |= _similar(column, word, word_in_text=True)
        if alone:
            strong |= _given_candidates(word, names)
        broad = None
    else:
        given = Q()
        known_as = Q()
        for word in words:
            given |= _given_candidates(word, names)
            known_as &= _similar("other_names", word, word_in_text=True)
        # The whole name as one surname: "Van der Berg", "Abu Bakr".
        whole = " ".join(words)
        strong = (surname & given) | known_as | _surname_candidates(whole, names, fuzzy=False)
        last.append(_surname_score(whole, fuzzy=False))
        broad = surname | known_as
    other = [
        Case(
            When(
                GreaterThanOrEqual(_word_similarity(word, column), NAME_SIMILAR),
                then=Value(OTHER_NAME),
            ),
            default=Value(0),
            output_field=IntegerField(),
        )
        for word in words
        for column in ("middle_names", "other_names")
    ]
    scores: dict[str, Any] = {f"s_last_{i}": case for i, case in enumerate(last)}
    scores.update({f"s_first_{j}": case for j, case in enumerate(_first_name_scores(words))})
    scores["s_other"] = _best(other)
    return _NameQuery(strong=strong, broad=broad, scores=scores)


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
    """The scored candidate queries, each best first (``total`` and the ``s_*`` components):
    one for the children a UPN, NHS number, date of birth or postcode finds (a few hundred at
    most: a day's births in a county), one for those the name finds, at most
    :data:`CANDIDATE_LIMIT` of them ("Smith" alone is thousands). Two queries, so that a
    common surname never crowds out the child with the date of birth typed. ``broad``: the
    name's broad conditions only (see :class:`_NameQuery`).

    On PostgreSQL this first looks up the names like the words typed (one query)."""
    register_sqlite_functions()
    words = _name_words(terms.name)
    identified, scores = _identifier_scores(terms)
    named: Q | None = None
    if words:
        alone = not (terms.date_of_birth or terms.upn or terms.nhs_number or terms.postcode)
        names = similar_names(words) if connection.vendor == "postgresql" else None
        name = _name_query(words, names, alone=alone)
        named = name.broad if broad and name.broad is not None else name.strong
        scores.update(name.scores)
    per_word = {k: v for k, v in scores.items() if k.startswith(("s_last_", "s_first_"))}
    annotations = {c: scores.get(c, Value(0)) for c in _COMPONENTS if c != "s_name"}
    annotations["s_name"] = _name_total(len(words)) if words else Value(0)
    total = sum((F(c) for c in _COMPONENTS[1:]), F(_COMPONENTS[0]))

    def scored(children: QuerySet[Child]) -> QuerySet[Child]:
        return (
            children.filter(anonymised_at__isnull=True)
            .annotate(**per_word)
            .annotate(**annotations)
            .annotate(total=total)
            .select_related("merged_into")
            .order_by("-total", "last_name", "first_name", "pk")
        )

    queries = []
    if identified and not broad:
        queries.append(scored(Child.objects.filter(identified)))
    if named:
        # Unordered, so that the LIMIT stops the scan (Child's default order sorts them all).
        found = Child.objects.filter(named, anonymised_at__isnull=True).order_by().values("pk")
        queries.append(scored(Child.objects.filter(pk__in=found[:CANDIDATE_LIMIT])))
    return queries


def _best_rows(terms: SearchTerms, *, broad: bool = False) -> list[Child]:
    rows: dict[int, Child] = {}
    for query in candidates(terms, broad=broad):
        for row in query[: RESULT_LIMIT * 2]:
            rows.setdefault(row.pk, row)
    return sorted(rows.values(), key=_order)


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
        if not any(_name_matched(row) for row in rows) and len(_name_words(terms.name)) > 1:
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
        for c in _COMPONENTS:
            if c == "s_name":
                matched += _name_reasons(row, len(_name_words(terms.name)))
            elif (value := getattr(row, c)) in _REASONS[c]:
                matched.append(_REASONS[c][value])
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


# -- SQLite: pg_trgm's two functions in Python -------------------------------------------

_NON_WORD = re.compile(r"[^\w]+")


def _trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word lower-cased, padded with two spaces before, one after."""
    found: set[str] = set()
    for word in _NON_WORD.split(text.lower()):
        if word:
            padded = f"  {word} "
            found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return found


def trigram_similarity(a: str | None, b: str | None) -> float:
    """pg_trgm's ``similarity``: shared trigrams over all trigrams of the two."""
    left, right = _trigrams(a or ""), _trigrams(b or "")
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def trigram_word_similarity(word: str | None, text: str | None) -> float:
    """Close to pg_trgm's ``word_similarity``: the best similarity of ``word`` to one word
    of ``text`` (pg_trgm also tries runs of words; a name search does not need them)."""
    return max((trigram_similarity(word, w) for w in (text or "").split()), default=0.0)


def _levenshtein(a: str | None, b: str | None) -> int:
    return int(Levenshtein.distance(a or "", b or ""))


def register_sqlite_functions() -> None:
    if connection.vendor != "sqlite":
        return
    # Registering is cheap (no query), and a new connection needs it again: every search.
    connection.ensure_connection()
    raw = connection.connection
    raw.create_function("similarity", 2, trigram_similarity, deterministic=True)
    raw.create_function("word_similarity", 2, trigram_word_similarity, deterministic=True)
    raw.create_function("dmetaphone", 1, double_metaphone, deterministic=True)
    raw.create_function("levenshtein", 2, _levenshtein, deterministic=True)
