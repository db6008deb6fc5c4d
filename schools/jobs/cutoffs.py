"""Cut-off dates per school for the sweeps that count school days (absence, transitions).

School days are counted on each school's term calendar (its own terms, or the LA's:
`schools.selectors.term_calendar_for`), so a threshold date is not a SQL expression. Rather
than compute a date for every row (or store one on it, which a closure added later, a snow
day, would leave stale), each check counts back from today once per school: "20 school days
from the first day of absence have passed by today" is the same as "the first day is on or
before the 20th school day counting back from today", because the count only grows as the
first day moves earlier. That gives one date per school, recomputed on every run from the
calendar as it stands. Most schools count on the LA's calendar: its cut-offs are counted once,
and separately only for the few schools with terms or closures of their own in the window
(`school_cutoffs`: one query for all the terms and closures), so the whole check is one
statement comparing each row with the LA's date, or with its school's by a CASE over those few
schools (`_before_cutoff`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connection

from cme.statutory import TermCalendar
from schools.models import Closure, Term

# Far enough back for any 20 school days, a summer holiday included.
_CALENDAR_LOOKBACK = timedelta(days=366)


#: Cut-off dates counted on one calendar (one per condition of a check).
Cutoffs = tuple[date | None, ...]


@dataclass(frozen=True)
class SchoolCutoffs:
    """A check's cut-off dates counted on the LA's calendar (``la``), and on their own
    calendar for the schools whose terms or closures give other dates (``own``, by id)."""

    la: Cutoffs
    own: dict[int, Cutoffs]


def school_cutoffs(today: date, count: Callable[[TermCalendar], Cutoffs]) -> SchoolCutoffs:
    """``count`` (the cut-offs of a check) over the LA's calendar once, and over the calendar
    of each school with terms or closures of its own in the window
    (`schools.selectors.term_calendar_for`: its own terms if it has any there, else the LA's;
    the LA-wide closures and its own). ONE small query (the terms and the closures in the
    window), however many schools and rows; each distinct calendar counted once. Most schools
    count on the LA's calendar and are not listed, nor is a school whose own calendar gives
    the LA's dates."""
    start, end = today - _CALENDAR_LOOKBACK, today
    qn = connection.ops.quote_name
    day = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:  # the terms, then the closures (no last day)
        cursor.execute(
            f"SELECT school_id, start, {qn('end')} FROM {qn(Term._meta.db_table)} "  # noqa: S608
            f"WHERE start <= %s AND {qn('end')} >= %s UNION ALL "
            f"SELECT school_id, {qn('date')}, NULL FROM {qn(Closure._meta.db_table)} "
            f"WHERE {qn('date')} BETWEEN %s AND %s ORDER BY 2, 3",
            [day(end), day(start), day(start), day(end)],
        )
        rows = cursor.fetchall()
    la_terms: list[tuple[date, date]] = []
    own_terms: dict[int, list[tuple[date, date]]] = defaultdict(list)
    la_closures: set[date] = set()
    own_closures: dict[int, set[date]] = defaultdict(set)
    for school_id, first_raw, last_raw in rows:
        first, last = first_raw, last_raw
        if isinstance(first, str):  # SQLite gives raw SQL's dates as ISO text
            first = date.fromisoformat(first)
            last = last and date.fromisoformat(last)
        if last is None:
            (la_closures if school_id is None else own_closures[school_id]).add(first)
        else:
            (la_terms if school_id is None else own_terms[school_id]).append((first, last))
    la_calendar = TermCalendar(terms=tuple(la_terms), closures=frozenset(la_closures))
    counted = {la_calendar: count(la_calendar)}
    own: dict[int, Cutoffs] = {}
    for pk in sorted(own_terms.keys() | own_closures.keys()):
        cal = TermCalendar(
            terms=tuple(own_terms.get(pk) or la_terms),
            closures=frozenset(la_closures | own_closures.get(pk, set())),
        )
        if cal not in counted:
            counted[cal] = count(cal)
        if counted[cal] != counted[la_calendar]:
            own[pk] = counted[cal]
    return SchoolCutoffs(la=counted[la_calendar], own=own)


def before_cutoff(
    value: str, op: str, school: str, cutoffs: SchoolCutoffs, i: int
) -> tuple[str, list[Any]] | None:
    """SQL for "``value`` <op> the ``i``-th cut-off of the row's school" (``school``: SQL for
    the school's id) and its parameters; None if no calendar has that cut-off (too few school
    days). One comparison with the LA's date when no school has dates of its own; otherwise
    the latest of the dates first (a range the planner can use), then the school's own date
    by a CASE over the few schools listed (NULL, so false, where their calendar has none)."""
    adapt = connection.ops.adapt_datefield_value
    la = cutoffs.la[i]
    own = {pk: dates[i] for pk, dates in cutoffs.own.items()}
    known = [d for d in (la, *own.values()) if d is not None]
    if not known:
        return None
    if not own:
        return f"{value} {op} %s", [adapt(la)]
    whens = " ".join(["WHEN %s THEN %s"] * len(own))
    params: list[Any] = [adapt(max(known))]
    for pk, day in own.items():
        params += [pk, adapt(day)]
    params.append(adapt(la))
    return f"({value} {op} %s AND {value} {op} CASE {school} {whens} ELSE %s END)", params
