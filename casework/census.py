"""Who counts in the DfE's termly children missing education return: the one definition
(docs/rules.md, "The termly CME return"). The figures (reports.figures.census), the return
screen and the register's "counted at a census date" view all read it from here.

A child counts at a census date when a CME case of theirs was open at the end of that day
and the child was of compulsory school age that day (Education Act 1996 s8, s436A):

* a case closed on the census date does not count (closed by the end of the day);
* a reopened case does not count on a day between its closing and its reopening: the
  chronology's closing and reopening events say whether it was open then, not only the case's
  current dates (a reopen clears ``closed_at``);
* a child merged into another counts once, as the child kept (a merge moves the cases; the
  merged record keeps none, and is left out in any case);
* a case whose category changed counts whatever its category: both CME-WASP and CME-missing
  are missing education;
* a child who moved out of the area counts until the case is closed with that outcome, since
  the duty lasts until the other authority has accepted the child (or the move abroad is
  confirmed);
* a child with no date of birth counts (it cannot be shown not to be of the age) and is
  flagged on the return.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from casework.models import NOT_RECORDED, Case, Event, EventKind
from casework.services.closing import CLOSED_SUMMARY_PREFIX
from cme.statutory import (
    SEPTEMBER,
    earliest_dob_of_compulsory_school_age,
    latest_dob_of_compulsory_school_age,
    national_curriculum_year,
    national_curriculum_year_dobs,
)

#: A chronology event that closed a case (an untraceable decision is a CLOSED event too, but
#: leaves the case open: its summary starts otherwise).
_CLOSING = Q(kind=EventKind.CLOSED, summary__startswith=CLOSED_SUMMARY_PREFIX)
_TURNS = _CLOSING | Q(kind=EventKind.REOPENED)


def _start_of(d: date) -> datetime:
    """The aware local midnight that starts ``d`` (census dates are local days)."""
    return timezone.make_aware(datetime.combine(d, time.min))


def _closed_at_instant(cases: QuerySet[Case], t: datetime, name: str) -> tuple[QuerySet[Case], Q]:
    """``cases`` with what a filter needs to say "closed at instant ``t``": its latest
    closing is before ``t`` (so it is still closed), or the latest closing-or-reopening event
    before ``t`` is a closing. The latter is the one subquery a case, by its index on case."""
    last_turn = (
        Event.objects.filter(_TURNS, case=OuterRef("pk"), occurred_at__lt=t)
        .order_by("-occurred_at", "-id")
        .values("kind")[:1]
    )
    # No event before t gives NULL: "" keeps NOT (...) true for it (SQL's NULL would not).
    cases = cases.alias(**{name: Coalesce(Subquery(last_turn), Value(""))})
    return cases, Q(closed_at__lt=t) | Q(**{name: EventKind.CLOSED})


def _of_compulsory_school_age(first: date, last: date) -> Q:
    """Of compulsory school age on some day from ``first`` to ``last`` (one day: both the
    same), or of unknown date of birth."""
    return Q(child__date_of_birth__isnull=True) | Q(
        child__date_of_birth__lte=latest_dob_of_compulsory_school_age(last),
        child__date_of_birth__gte=earliest_dob_of_compulsory_school_age(first),
    )


def counted_at(census_date: date, cases: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """The cases (one a child) counted in the return at ``census_date``."""
    cases = Case.objects.all() if cases is None else cases
    end = _start_of(census_date + timedelta(days=1))
    cases = cases.filter(received_on__lte=census_date, child__merged_into__isnull=True).filter(
        _of_compulsory_school_age(census_date, census_date)
    )
    cases, closed = _closed_at_instant(cases, end, "turn_at_census")
    return cases.exclude(closed)


def previous_academic_year(census_date: date) -> tuple[date, date]:
    """1 September to 31 August of the academic year before the one ``census_date`` is in."""
    start = census_date.year if census_date.month >= SEPTEMBER else census_date.year - 1
    return date(start - 1, SEPTEMBER, 1), date(start, 8, 31)


def counted_in_year(first: date, last: date, cases: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """The cases open at any time from ``first`` to ``last`` of a child of compulsory school
    age at some time in it ("at any time in the academic year": count distinct children)."""
    cases = Case.objects.all() if cases is None else cases
    since, until = _start_of(first), _start_of(last + timedelta(days=1))
    reopened_in_year = Exists(
        Event.objects.filter(
            case=OuterRef("pk"),
            kind=EventKind.REOPENED,
            occurred_at__gte=since,
            occurred_at__lt=until,
        )
    )
    cases = cases.filter(received_on__lte=last, child__merged_into__isnull=True).filter(
        _of_compulsory_school_age(first, last)
    )
    cases, closed = _closed_at_instant(cases, since, "turn_at_year_start")
    # Left out: closed throughout the year (closed when it began and not reopened in it).
    return cases.exclude(Q(received_on__lt=first) & closed & ~Q(reopened_in_year))


# ------------------------------------------------------------------ the breakdowns' groups
# Each group is a filter on cases, so the figures (one conditional count a group, in one
# query a breakdown) and the register's lists of the same children use the same test.

UNKNOWN = "Unknown"

#: Sex as the return asks it: Female, Male, Unknown ("other or not known", or not recorded).
SEXES: dict[str, Q] = {
    "Female": Q(child__gender="F"),
    "Male": Q(child__gender="M"),
    UNKNOWN: ~Q(child__gender__in=["F", "M"]),
}

#: The duration bands by completed weeks missing education at the census date: "2 to 4
#: weeks" is 2 or 3 completed weeks, "Over 52 weeks" 53 or more. (label, first day, last day
#: + 1); Unknown when the date the child became missing education is not recorded or is
#: after the census date.
DURATION_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("Less than 2 weeks", 0, 14),
    ("2 to 4 weeks", 14, 28),
    ("4 to 8 weeks", 28, 56),
    ("8 to 12 weeks", 56, 84),
    ("12 to 26 weeks", 84, 182),
    ("26 to 52 weeks", 182, 371),
    ("Over 52 weeks", 371, None),
)

#: National Curriculum years the return counts: Reception (0) to Year 11.
YEAR_GROUPS: tuple[tuple[str, int], ...] = (
    ("Reception", 0),
    *((f"Year {y}", y) for y in range(1, 12)),
)
_YEAR_LABELS = {year: label for label, year in YEAR_GROUPS}


def duration_label(became_cme_on: date | None, on: date) -> str:
    """The duration band of one case at ``on`` (the same bands as :func:`duration_groups`)."""
    if became_cme_on is None or became_cme_on > on:
        return UNKNOWN
    days = (on - became_cme_on).days
    return next(label for label, first, after in DURATION_BANDS if after is None or days < after)


def year_group_label(dob: date | None, on: date) -> str:
    """The year group of one child at ``on`` (the same groups as :func:`year_groups`: both
    are cme.statutory's National Curriculum year, one as a label, one as a filter)."""
    if dob is None:
        return UNKNOWN
    return _YEAR_LABELS.get(national_curriculum_year(dob, on), UNKNOWN)


def duration_groups(census_date: date) -> dict[str, Q]:
    """Each duration band (and Unknown) as a filter, at ``census_date``."""
    groups: dict[str, Q] = {}
    for label, first, after in DURATION_BANDS:
        q = Q(became_cme_on__lte=census_date - timedelta(days=first))
        if after is not None:
            q &= Q(became_cme_on__gt=census_date - timedelta(days=after))
        groups[label] = q
    groups[UNKNOWN] = Q(became_cme_on__isnull=True) | Q(became_cme_on__gt=census_date)
    return groups


def year_groups(census_date: date) -> dict[str, Q]:
    """Each year group at ``census_date`` (and Unknown: no date of birth, or outside
    Reception to Year 11) as a filter."""
    groups: dict[str, Q] = {}
    known = Q()
    for label, year in YEAR_GROUPS:
        q = Q(child__date_of_birth__range=national_curriculum_year_dobs(year, census_date))
        groups[label] = q
        known |= q
    groups[UNKNOWN] = ~known | Q(child__date_of_birth__isnull=True)
    return groups


#: The checks made before a return is submitted: each a filter, so the register can list
#: exactly the children it found. (key, what the return screen says)
CHECKS: dict[str, tuple[str, Q]] = {
    "no_sex": ("Children without their sex recorded", SEXES[UNKNOWN]),
    "no_dob": ("Children without a date of birth", Q(child__date_of_birth__isnull=True)),
    "not_recorded": (
        'Cases with the primary reason "Not recorded"',
        Q(primary_reason=NOT_RECORDED),
    ),
    "no_became_date": (
        "Cases with no date the child became missing education",
        Q(became_cme_on__isnull=True),
    ),
}
