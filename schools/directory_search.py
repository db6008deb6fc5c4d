"""Finding a school in the directory by name, URN, postcode or town (issue 16 item 2): the
server side of the school picker, at national scale (about 50,000 establishments).

One query whatever the directory's size, ordered so that the school meant is near the top:
the exact URN; then open schools; then the LA's own; then names that start with what was
typed; then by name. Every word typed must match the name (anywhere), the town (its start)
or the postcode (its start, spaces ignored); the whole query may also be a postcode with its
space, or a URN.

On PostgreSQL each of the three is served by an index (schools migrations 0011 and 0013): a
GIN trigram index on the upper-cased name for the match anywhere, b-tree ``text_pattern_ops``
indexes on the upper-cased town and compacted postcode for the matches at the start, so a
search reads only the rows it may return (a BitmapOr of the three), not the directory. The
lookups below must stay the ones those indexes were built over (``icontains`` and
``istartswith`` render ``UPPER(col::text) LIKE ...``). On SQLite (``make run``) there are no
such indexes and the few demo schools are scanned.
"""

from __future__ import annotations

from typing import TypedDict, Unpack

from django.conf import settings
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Replace, Upper

from cme.models import User
from schools.gias.types import school_types
from schools.models import School

#: At most this many schools are returned (the picker shows a short list, not the directory).
MAX_RESULTS = 20
#: Fewer characters than this find nothing (two letters of a name match thousands).
MIN_QUERY = 2
MAX_QUERY = 100
_MAX_WORDS = 6
_MAX_URN = 2_147_483_647


def _compact(text: str) -> str:
    return "".join(text.split()).upper()


def _word_matches(word: str) -> Q:
    match = Q(name__icontains=word) | Q(town__istartswith=word)
    match |= Q(postcode_compact__startswith=_compact(word))
    if word.isascii() and word.isdigit() and int(word) <= _MAX_URN:
        match |= Q(urn=int(word))
    return match


def school_label(school: School) -> str:
    """What the picker shows: enough to tell two schools of the same name apart. The URN in
    brackets is what the picker reads back from a label typed or pasted without JavaScript."""
    where = ", ".join(part for part in (school.town, school.postcode) if part)
    label = f"{school.name} ({school.urn})"
    if where:
        label += f", {where}"
    return label if school.is_open else f"{label} (closed)"


class SearchOptions(TypedDict, total=False):
    schools_only: bool
    in_area_only: bool
    open_only: bool
    limit: int


def directory_search(user: User, query: str, **options: Unpack[SearchOptions]) -> list[School]:
    """`search_schools` for a signed-in person. Everyone signed in may search the directory,
    which is public data: `user` is taken, as every selector takes it, for the day that
    changes."""
    del user  # the directory is the same for everyone
    return search_schools(query, **options)


def search_schools(
    query: str,
    *,
    schools_only: bool = False,
    in_area_only: bool = False,
    open_only: bool = False,
    limit: int = MAX_RESULTS,
) -> list[School]:
    """Up to `limit` + 1 schools matching `query`, best first (the extra one tells the caller
    there are more). `schools_only` leaves out what is not a school for CME (colleges,
    universities, establishments abroad...: `schools.gias.types`); a school added by hand,
    with no GIAS type, is kept. `in_area_only` and `open_only` narrow it to the LA's own and
    to open schools (as the leaver's "new school in this area" question asks). A form field,
    which has no user, calls this directly (the picker's step without JavaScript)."""
    query = " ".join(query.split())[:MAX_QUERY]
    if len(query) < MIN_QUERY:
        return []
    words = query.split()[:_MAX_WORDS]
    every_word = Q()
    for word in words:
        every_word &= _word_matches(word)
    # The whole query may be a postcode with its space ("EX1 2AB"); one word already is.
    found = every_word
    if len(words) > 1:
        found |= Q(postcode_compact__startswith=_compact(query))
    digits = query.isascii() and query.isdigit() and int(query) <= _MAX_URN
    qs: QuerySet[School] = School.objects.annotate(
        postcode_compact=Upper(Replace("postcode", Value(" "), Value("")))
    ).filter(found)
    if schools_only:
        qs = qs.exclude(gias_type__in=school_types(is_school=False))
    if in_area_only:
        qs = qs.filter(la_code=settings.CME_LA_CODE)
    if open_only:
        qs = qs.filter(is_open=True)
    qs = qs.annotate(
        urn_rank=Case(When(urn=int(query), then=0), default=1, output_field=IntegerField())
        if digits
        else Value(1, output_field=IntegerField()),
        area_rank=Case(
            When(la_code=settings.CME_LA_CODE, then=0), default=1, output_field=IntegerField()
        ),
        name_rank=Case(
            When(name__istartswith=query, then=0), default=1, output_field=IntegerField()
        ),
    ).order_by("urn_rank", "-is_open", "area_rank", "name_rank", "name", "urn")
    return list(qs[: limit + 1])
