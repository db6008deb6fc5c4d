"""The children-not-in-school register's statutory rules (Education Act 1996 ss436B-436G, as
inserted by the Children's Wellbeing and Schools Act 2026). Pure functions; docs/rules.md."""

from __future__ import annotations

from datetime import date, timedelta

from cme.statutory import is_compulsory_school_age

#: The LA asks the parent for a home visit within this many (calendar) days of the child's
#: registration (issue 17 item 4).
HOME_VISIT_REQUEST_DAYS = 15
#: The period the LA gives a provider to answer its s436E request (calendar days; local
#: policy, since the section lets the LA specify it).
PROVIDER_RESPONSE_DAYS = 15
#: The period the LA gives a parent to give the information it asked for (local policy).
PARENT_RESPONSE_DAYS = 15


def is_eligible(
    *,
    lives_in_area: bool,
    date_of_birth: date | None,
    on: date,
    registered_pupil: bool,
    school_arranged_elsewhere_or_part_time: bool,
) -> bool:
    """s436B: a child is eligible for the register if they live in the LA's area, are of
    compulsory school age, and either are not a registered pupil at a relevant school, or are
    registered but the school has arranged for them to be educated elsewhere or to attend
    part-time."""
    if not lives_in_area or date_of_birth is None:
        return False
    if not is_compulsory_school_age(date_of_birth, on):
        return False
    return (not registered_pupil) or school_arranged_elsewhere_or_part_time


def home_visit_request_due(registered_on: date) -> date:
    """The last day the request for a home visit is in time: 15 days after registration."""
    return registered_on + timedelta(days=HOME_VISIT_REQUEST_DAYS)


def home_visit_requested_in_time(registered_on: date, requested_on: date) -> bool:
    return requested_on <= home_visit_request_due(registered_on)


def provider_request_due(sent_on: date) -> date:
    return sent_on + timedelta(days=PROVIDER_RESPONSE_DAYS)


def parent_information_due(requested_on: date) -> date:
    return requested_on + timedelta(days=PARENT_RESPONSE_DAYS)
