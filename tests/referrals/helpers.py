"""Answers for the referral form, shared by the referral tests."""

from __future__ import annotations

from datetime import date
from typing import Any

# Re-exported for the referral tests that import it from here; new code imports tests.conftest.
from tests.conftest import NOW
from tests.forms import answered, day

__all__ = ["NOW", "day"]

VALID_NHS = "9434765919"
INVALID_NHS = "9434765918"


def referral_post(**overrides: Any) -> dict[str, Any]:
    """A valid referral from a health visitor about Leo Fenwick."""
    data: dict[str, Any] = {
        "referrer_type": "agency",
        "referrer_name": "Hana Visitor",
        "referrer_organisation": "Exampleshire Community Health",
        "referrer_relationship": "Health visitor",
        "referrer_email": "hana@health.example.org",
        "referrer_phone": "01632 960001",
        "first_name": "Leo",
        "last_name": "Fenwick",
        **day("date_of_birth", date(2016, 4, 2)),
        "gender": "M",
        "nhs_number": VALID_NHS,
        "address_line_1": "4 Larch Lane",
        "town": "Exampleton",
        "postcode": "ex3 4dd",
        "last_school_name": "St Elsewhere Primary",
        **day("date_last_attended", date(2026, 10, 1)),
        "reasons": ["stopped_attending", "temporary_accommodation"],
        "flags": ["child_in_need"],
        "parent_knows": "unknown",
        "parent_1_name": "Jo Fenwick",
        "parent_1_relationship": "Mother",
        "parent_1_phone": "07700 900111",
        "sibling_1_name": "Amy Fenwick",
        "sibling_1_school": "Cedar Primary School",
        "details": "Family moved into a hostel in September.",
    }
    return answered(data, overrides)


def school_referral_post(school_pk: int, **overrides: Any) -> dict[str, Any]:
    """The referral as Alice Alder (staff of Alder Primary, the `staff_a` persona) sends it
    signed in, about a child whose last school is ``school_pk``."""
    return referral_post(
        **{
            "referrer_type": "school",
            "referrer_name": "Alice Alder",
            "referrer_organisation": "Alder Primary School",
            "referrer_email": "alice@alder.sch.uk",
            "last_school": str(school_pk),
            "last_school_name": "",
            **overrides,
        }
    )


def public_post(**overrides: Any) -> dict[str, Any]:
    return referral_post(**{"anonymous": "no", "website": "", **overrides})
