"""The dates of the EHE register and of the school attendance order route (no models).

Every period of the route is in calendar days beginning with the day of service
(`cme.statutory.period_beginning_with`): the Act says "days", not working or school days,
and "beginning with the day on which the notice is served" counts that day as the first
(docs/decisions/016-ehe.md).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings

from cme.statutory import add_working_days, period_beginning_with

#: EA 1996 s437(2): the s437(1) period "shall not be less than 15 days beginning with the
#: day on which the notice is served".
S437_MIN_DAYS = 15
#: EA 1996 s438(3), (4): the parent may choose a school "within the period of 15 days
#: beginning with the day on which the notice is served".
S438_CHOICE_DAYS = 15

ERROR_S437_TOO_SHORT = (
    "The period must be at least 15 days, counting the day the notice is served (s437(2))"
)


def s437_period_end(served_on: date, days: int = S437_MIN_DAYS) -> date:
    """The last day on which the parent may satisfy the authority under a s437(1) notice
    served on ``served_on`` with a period of ``days`` (at least 15, s437(2))."""
    if days < S437_MIN_DAYS:
        raise ValueError(ERROR_S437_TOO_SHORT)
    return period_beginning_with(served_on, days)


def s438_choice_end(served_on: date) -> date:
    """The last day of the parent's 15 days to choose a school named in a notice of
    intention served on ``served_on`` (s438(3), (4))."""
    return period_beginning_with(served_on, S438_CHOICE_DAYS)


def preliminary_notice_days() -> int:
    """The period of the Children's Wellbeing and Schools Act 2026 preliminary notice, in
    calendar days beginning with service: ``EHE_PRELIMINARY_NOTICE_DAYS`` (default 15, the
    s437(2) minimum, until the commencement regulations set one)."""
    days: int = settings.EHE_PRELIMINARY_NOTICE_DAYS
    return days


def preliminary_period_end(served_on: date) -> date:
    return period_beginning_with(served_on, preliminary_notice_days())


def period_over(period_ends_on: date, today: date) -> bool:
    """The period has run out: ``today`` is after its last day (an answer on the last day
    is in time)."""
    return today > period_ends_on


def first_contact_due(registered_on: date) -> date:
    """Local policy: the LA first contacts a family ``EHE_FIRST_CONTACT_WORKING_DAYS``
    working days (default 10) after the child comes onto the register."""
    days: int = settings.EHE_FIRST_CONTACT_WORKING_DAYS
    return add_working_days(registered_on, days)


def next_contact_due(last_contact_on: date) -> date:
    """DfE, Elective home education: departmental guidance for local authorities (2019): the
    authority makes contact with home-educating families at least annually. ``EHE_CONTACT_INTERVAL_DAYS`` calendar days (default 365) after the
    last contact."""
    days: int = settings.EHE_CONTACT_INTERVAL_DAYS
    return last_contact_on + timedelta(days=days)
