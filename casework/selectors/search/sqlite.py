"""SQLite (``make run``): pg_trgm's and fuzzystrmatch's functions, in Python."""

from __future__ import annotations

import re

from django.db import connection
from rapidfuzz.distance import Levenshtein

from casework.selectors.search.names import double_metaphone

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
