"""Reads that depend on who asks. School staff only ever reach their own schools' rows."""

from __future__ import annotations

from datetime import date

from django.db.models import F, Q, QuerySet

from cme.models import User
from cme.statutory import TermCalendar
from schools.models import Closure, School, SchoolReturn, Term


def schools_for_user(user: User) -> QuerySet[School]:
    """The schools a person acts for: their memberships for school staff, every school for LA staff."""
    if user.is_la_user:
        return School.objects.all()
    return School.objects.filter(memberships__user=user).order_by("name")


def with_absence_threshold(qs: QuerySet[SchoolReturn]) -> QuerySet[SchoolReturn]:
    """Adds ``absence_threshold_on``: the day the continuous_absence check found an absence
    notification at the deletion threshold (NULL for other returns), for the status shown to
    the school and the LA. One join, so a list of any length costs the same query."""
    return qs.annotate(absence_threshold_on=F("absencenotification__threshold_reached_on"))


def returns_visible_to(user: User) -> QuerySet[SchoolReturn]:
    """Returns a person may see: their own schools' for school staff, all for LA staff."""
    qs = with_absence_threshold(SchoolReturn.objects.select_related("school", "created_by"))
    if user.is_la_user:
        return qs
    return qs.filter(school__memberships__user=user)


def term_calendar_for(school: School | None, start: date, end: date) -> TermCalendar:
    """The term calendar a school counts school days on, between two dates.

    A school with terms of its own (an academy setting its own dates) uses only those; any
    other school uses the LA's. Closures are the school's own plus the LA-wide ones.
    """
    terms = Term.objects.filter(start__lte=end, end__gte=start)
    own = terms.filter(school=school) if school is not None else terms.none()
    chosen = own if own.exists() else terms.filter(school__isnull=True)
    closures = Closure.objects.filter(date__range=(start, end)).filter(
        Q(school__isnull=True) | Q(school=school)
    )
    return TermCalendar(
        terms=tuple(chosen.order_by("start").values_list("start", "end")),
        closures=frozenset(closures.values_list("date", flat=True)),
    )


def school_closed_on(school: School | None, day: date) -> str:
    """Why ``school`` does not meet on ``day``, in words ("" if nothing says so): Christmas
    Day, or a closure day (its own, or one for every school). At most one query."""
    if (day.month, day.day) == (12, 25):
        return "Christmas Day"
    closures = Closure.objects.filter(date=day).filter(Q(school__isnull=True) | Q(school=school))
    closure = closures.select_related("school").order_by(F("school").asc(nulls_last=True)).first()
    if closure is None:
        return ""
    where = closure.school.name if closure.school is not None else "every school in the area"
    return f"a closure day for {where} ({closure.reason})"
