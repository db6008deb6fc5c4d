"""The twin and sibling rates measured on the LA's own children, and how the matcher weighs a
twin-shaped candidate with them (ADR 010, amended 2026-12-03; ADR 012): the score moves, the
flag never does."""

from __future__ import annotations

import re
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from casework.forms_triage import TWIN_OR_SIBLING
from casework.matching import MATCH_THRESHOLD, child_keys_save, possible_matches, priors, score
from casework.matching.priors import (
    PRIOR_CHILDREN,
    RATE_FLOOR,
    TWIN_RATE_NATIONAL,
    UNMEASURED,
    HouseholdRates,
    smoothed,
)
from casework.matching.scoring import W
from casework.models import Case, Child
from casework.services.triage import ERROR_TWIN_REASON_REQUIRED
from cme.jobs import run_job
from referrals.models import Referral
from tests.factories import ChildFactory, ReferralFactory

pytestmark = pytest.mark.django_db

DOB = date(2015, 5, 3)
TODAY = date(2026, 12, 3)
HOME = {"address_line_1": "7 Wren Street", "postcode": "EX4 6TU"}
BLANK = {"gender": "", "nhs_number": "", "upn": ""}
#: How often one child's first name is written as another name: 2 ** W["first_different"].
M_FIRST = 2.0 ** W["first_different"]


def known(first: str, last: str = "Khan", **kwargs: Any) -> Child:
    fields: dict[str, Any] = {"date_of_birth": DOB, **HOME, **BLANK, **kwargs}
    return child_keys_save(ChildFactory.create(first_name=first, last_name=last, **fields))


def referral_for(first: str, last: str = "Khan", **kwargs: Any) -> Referral:
    fields: dict[str, Any] = {"date_of_birth": DOB, **HOME, **BLANK, **kwargs}
    referral: Referral = ReferralFactory.create(first_name=first, last_name=last, **fields)
    return referral


def rates(twin: float, sibling: float = 0.5) -> HouseholdRates:
    return HouseholdRates(twin=twin, sibling=sibling, children=1000, measured=TODAY)


# ------------------------------------------------------------------------ the estimate


def test_no_children_seen_gives_the_national_rate() -> None:
    assert smoothed(0, 0, TWIN_RATE_NATIONAL) == pytest.approx(TWIN_RATE_NATIONAL)


def test_a_small_register_leans_on_the_national_rate_a_large_one_on_its_own() -> None:
    assert smoothed(0, PRIOR_CHILDREN, 0.04) == pytest.approx(0.02)  # half and half
    assert smoothed(600, 10_000, 0.03) == pytest.approx((600 + 3) / 10_100)


def test_a_register_with_no_twins_lowers_the_rate_to_the_floor_never_to_zero() -> None:
    assert smoothed(0, 1_000_000, TWIN_RATE_NATIONAL) == RATE_FLOOR
    # Just over the floor stays what was measured.
    seen = 2000
    assert smoothed(seen, 1_000_000, TWIN_RATE_NATIONAL) == pytest.approx((seen + 3) / 1_000_100)
    assert smoothed(seen, 1_000_000, TWIN_RATE_NATIONAL) > RATE_FLOOR


@pytest.mark.parametrize(("seen", "children"), [(-1, 10), (11, 10), (0, -1)])
def test_a_count_that_is_not_a_share_is_refused(seen: int, children: int) -> None:
    with pytest.raises(ValueError, match="not a share"):
        smoothed(seen, children, TWIN_RATE_NATIONAL)


def test_twins_and_siblings_are_counted_on_the_childrens_keys() -> None:
    known("Amir")
    known("Zara")  # Amir's twin: 2 children in a twin group
    known("Amira", date_of_birth=date(2012, 1, 1))  # their sister
    known("Ben", "Hall")
    known("Ben", "Hall")  # one child twice with the same first name: not twins
    known("Ola", "Nowak", postcode="")  # no postcode: not counted at all
    merged_into = known("Eve", "Ross")
    known("Ava", "Ross", merged_into=merged_into)  # merged: not counted

    measured = priors.measure(TODAY)

    assert (measured.children, measured.twins_seen, measured.siblings_seen) == (6, 2, 3)
    assert measured.twin == pytest.approx((2 + PRIOR_CHILDREN * 0.03) / (6 + PRIOR_CHILDREN))
    assert measured.measured == TODAY


def test_the_rates_are_read_from_the_store_and_unmeasured_until_refreshed() -> None:
    assert priors.current() == UNMEASURED
    stored = priors.refresh(TODAY)
    assert priors.current() == stored
    cache.set(priors.CACHE_KEY, {"an": "older shape"})
    assert priors.current() == UNMEASURED


def test_the_nightly_job_stores_the_rates_and_its_dry_run_stores_nothing() -> None:
    known("Amir")
    known("Zara")
    run_job("matching_priors", today=TODAY, dry_run=True)
    assert priors.current() == UNMEASURED
    run_job("matching_priors", today=TODAY)
    run_job("matching_priors", today=TODAY)  # twice: the same figures
    assert priors.current() == priors.measure(TODAY)
    out = StringIO()
    call_command("run_check", stdout=out)
    assert "matching_priors" in out.getvalue()


def test_possible_matches_reads_the_rates_without_a_query_per_candidate(
    django_assert_max_num_queries: Any,
) -> None:
    for first in ("Zara", "Omar", "Sami"):
        known(first)
    priors.refresh(TODAY)
    referral = referral_for("Amir")
    with django_assert_max_num_queries(2):  # the candidates, their open cases
        assert len(possible_matches(referral)) == 3


# -------------------------------------------------------------------------- the rule


def test_where_the_la_has_no_twins_a_twin_shaped_candidate_is_proposed_and_still_flagged() -> None:
    child = known("Zara")
    match = score(referral_for("Amir"), child, rates(RATE_FLOOR))
    assert match is not None
    assert match.proposed
    assert match.score >= MATCH_THRESHOLD
    assert match.possible_twin_or_sibling
    assert "First name: Amir / Zara" in match.differs


@pytest.mark.parametrize("twin_rate", [None, 0.0646, TWIN_RATE_NATIONAL * 2])
def test_where_twins_are_common_or_not_yet_measured_a_twin_shaped_candidate_is_not_proposed(
    twin_rate: float | None,
) -> None:
    child = known("Zara")
    measured = UNMEASURED if twin_rate is None else rates(twin_rate)
    match = score(referral_for("Amir"), child, measured)
    assert match is not None
    assert not match.proposed
    assert match.score < MATCH_THRESHOLD
    assert match.possible_twin_or_sibling


def test_the_threshold_is_a_twin_rate_equal_to_how_often_a_first_name_is_miswritten() -> None:
    """At a twin rate of m = 2 ** W["first_different"] the odds are even (score 50,
    proposed); a little above it, not."""
    child = known("Zara")
    at = score(referral_for("Amir"), child, rates(M_FIRST))
    above = score(referral_for("Amir"), child, rates(M_FIRST * 1.05))
    assert at is not None
    assert above is not None
    assert (at.score, at.proposed) == (50, True)
    assert (above.score, above.proposed) == (49, False)


@pytest.mark.parametrize(
    ("first", "child_first", "child_fields"),
    [
        ("Amir", "Amira", {"gender": "F"}),  # alike names: as common between twins
        ("Sam", "Samuel", {"gender": "F"}),  # a nickname, another gender
        ("Lauren", "Isabella", {"middle_names": "Lauren"}),  # the twin's middle name
    ],
)
def test_alike_first_names_are_never_proposed_however_few_twins_the_la_has(
    first: str, child_first: str, child_fields: dict[str, Any]
) -> None:
    child = known(child_first, **child_fields)
    ref = referral_for(first, gender="M" if child_fields.get("gender") else "")
    match = score(ref, child, rates(RATE_FLOOR))
    assert match is not None
    assert match.possible_twin_or_sibling
    assert not match.proposed


def test_another_gender_is_weighed_as_one_more_difference_a_twin_shows() -> None:
    """Two recording errors (first name and gender) against a twin: proposed only where twins
    are rarer than both errors together (2 ** (W first_different + W gender_different))."""
    child = known("Zara", gender="F")
    same_gender = known("Zara", "Shah", gender="M")
    ref = referral_for("Amir", gender="M")
    other = score(ref, child, rates(RATE_FLOOR))
    same = score(referral_for("Amir", "Shah", gender="M"), same_gender, rates(RATE_FLOOR))
    national = score(ref, child, rates(TWIN_RATE_NATIONAL))
    assert other is not None
    assert same is not None
    assert national is not None
    assert other.score < same.score
    assert other.possible_twin_or_sibling
    assert not national.proposed


def test_a_sibling_shaped_candidate_is_weighed_with_the_sibling_rate() -> None:
    child = known("Zara", date_of_birth=date(2012, 9, 1))
    low = score(referral_for("Amir"), child, rates(RATE_FLOOR, sibling=RATE_FLOOR))
    high = score(referral_for("Amir"), child, rates(RATE_FLOOR, sibling=0.6))
    assert low is not None
    assert high is not None
    assert high.score < low.score
    assert not low.proposed  # a first name and a date of birth both miswritten: still unlikely
    assert low.possible_twin_or_sibling


def test_the_same_child_is_scored_alike_whatever_the_rates() -> None:
    child = known("Amir")
    scores = {
        m.score
        for r in (UNMEASURED, rates(RATE_FLOOR), rates(0.5))
        if (m := score(referral_for("Amir"), child, r))
    }
    assert len(scores) == 1


# --------------------------------------------------------------------------- the app


def test_the_app_flags_a_proposed_twin_shaped_candidate_and_never_pre_selects_it(
    officer_client: Client,
) -> None:
    """In an LA whose register has no twins, the misspelt child is proposed, and triage still
    shows it flagged with what differs, unselected, and asks for a reason to link it."""
    for n in range(30):  # a register of children, none a twin
        known(
            f"Child{n}",
            f"Family{n}",
            date_of_birth=date(2010, 1, 1 + n),
            address_line_1=f"{n} Elm Road",
            postcode=f"TR{n} 1AA",
        )
    child = known("Zara")
    priors.refresh(TODAY)
    assert priors.current().twins_seen == 0
    referral = referral_for("Amir")
    [match] = possible_matches(referral)
    assert match.proposed
    assert match.possible_twin_or_sibling

    html = officer_client.get(reverse("triage:detail", args=[referral.reference])).content.decode()
    assert f"{TWIN_OR_SIBLING}. What differs: First name: Amir / Zara" in html
    radio = re.search(
        rf'<input type="radio" name="accept-child"[^>]*value="{child.pk}"[^>]*>', html
    )
    assert radio
    assert " checked" not in radio.group(0)

    response = officer_client.post(
        reverse("triage:accept", args=[referral.reference]),
        {
            "accept-child": str(child.pk),
            "accept-category": "wasp",
            "accept-primary_reason": "other",
        },
    )
    assert ERROR_TWIN_REASON_REQUIRED in response.content.decode()
    assert not Case.objects.exists()
