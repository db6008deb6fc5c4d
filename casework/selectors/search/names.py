"""The name part of the search: candidates (surname, first, middle and other names; typos,
other spellings, names in either order) and their scores, as query expressions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import Greatest
from django.db.models.lookups import Exact, GreaterThanOrEqual, LessThanOrEqual
from doublemetaphone import doublemetaphone as _double_metaphone

from casework.matching import normalise_name, phonetic
from casework.models import Child
from casework.selectors.search.scores import (
    FIRST_SAME,
    FIRST_SIMILAR,
    FIRST_SOUNDS,
    OTHER_NAME,
    REASONS,
    SURNAME_SAME,
    SURNAME_SIMILAR,
    SURNAME_SOUNDS,
)

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


class _WordsOverlap(Func):
    """``string_to_array(column, ' ') && keys``: one of the column's words is one of the
    keys (the GIN index child_other_name_keys_gin, casework/migrations/0016)."""

    arg_joiner = " && "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def _other_name_candidates(word: str, names: SimilarKeys | None) -> Q:
    """Children with a middle or other name like ``word``: on PostgreSQL one of their
    ``other_name_keys`` is the word or a name like it (exact keys, a GIN index); elsewhere
    trigram word similarity computed row by row."""
    if names is None:
        return _similar("middle_names", word, word_in_text=True) | _similar(
            "other_names", word, word_in_text=True
        )
    keys = sorted({word, *names.get(word, []), *transpositions(word)})
    words = Func(F("other_name_keys"), Value(" "), function="string_to_array")
    return Q(_WordsOverlap(words, Value(keys))) & ~Q(other_name_keys="")


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


def name_words(name: str) -> list[str]:
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
    table of distinct names (casework/migrations/0013_search_indexes.py), in one query:
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


def _best_assignment(row: Any, n_words: int) -> tuple[int, tuple[int, int]]:
    def value(name: str) -> int:
        got = row.get(name) if isinstance(row, dict) else getattr(row, name, 0)
        return int(got or 0)

    best, parts = 0, (0, 0)
    for i, j in assignments(n_words):
        last = value(f"s_last_{i}") if i is not None else 0
        first = value(f"s_first_{j}") if j is not None else 0
        if last + first > best:
            best, parts = last + first, (last, first)
    return best, parts


def name_reasons(row: Child, n_words: int) -> list[str]:
    """What matched in the name, read as the best assignment (the one the score took)."""
    _, (last, first) = _best_assignment(row, n_words)
    return [
        reason for reason in (REASONS["s_last"].get(last), REASONS["s_first"].get(first)) if reason
    ]


def _given_candidates(word: str, names: SimilarKeys | None) -> Q:
    """Children whose first name is, sounds like or looks like ``word``, or one of whose
    middle or other names looks like it."""
    where = Q(first_name_key=word) | _looks_like("first_name_key", word, names)
    if double := double_metaphone(word):
        where |= Q(Exact(_dmetaphone("first_name_key"), double))
    return where | _other_name_candidates(word, names)


@dataclass(frozen=True)
class NameQuery:
    #: The children a name finds: for two words or more, a surname like one word AND a
    #: first, middle or other name like another (names typed in either order).
    strong: Q
    #: For two words or more, if ``strong`` finds nobody: a surname like any word (a first
    #: name the record does not have, "Bob" for Robert).
    broad: Q | None
    scores: dict[str, Any]


def name_query(words: list[str], names: SimilarKeys | None, *, alone: bool) -> NameQuery:
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
        strong = surname | _other_name_candidates(word, names)
        if alone:
            strong |= _given_candidates(word, names)
        broad = None
    else:
        given = Q()
        known_as = Q()
        for word in words:
            given |= _given_candidates(word, names)
            known_as &= _other_name_candidates(word, names)
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
    return NameQuery(strong=strong, broad=broad, scores=scores)
