"""Twins and siblings are never silently the same child (issue 14, item 2): triage shows a
possible twin or sibling flagged with what differs and never pre-selected, linking the
referral to one needs a reason, and the page says which children we know live at the
referral's address."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from casework.forms_triage import TWIN_OR_SIBLING
from casework.matching import child_keys_save, possible_matches, score
from casework.models import Case, Category, Child, Event, EventKind
from casework.selectors.address import children_at_address
from casework.services.triage import ERROR_TWIN_REASON_REQUIRED, TriageError, referral_accept
from casework.twins import twin_or_sibling_differences
from cme.models import User
from referrals.models import Referral, ReferralStatus
from tests.factories import CaseFactory, ChildFactory, ReferralFactory

pytestmark = pytest.mark.usefixtures("frozen")

DOB = date(2015, 5, 3)
HOME = {"address_line_1": "7 Wren Street", "postcode": "EX4 6TU"}


def known(first: str, **kwargs: Any) -> Child:
    fields: dict[str, Any] = {"last_name": "Khan", "date_of_birth": DOB, **HOME, **kwargs}
    return child_keys_save(ChildFactory.create(first_name=first, **fields))


def referral_for(first: str = "Amir", last: str = "Khan", **kwargs: Any) -> Referral:
    fields: dict[str, Any] = {"date_of_birth": DOB, **HOME, **kwargs}
    referral: Referral = ReferralFactory.create(first_name=first, last_name=last, **fields)
    return referral


def page(client: Client, referral: Referral) -> str:
    return client.get(reverse("triage:detail", args=[referral.reference])).content.decode()


def child_radio(html: str, child: Child) -> str:
    found = re.search(
        rf'<input type="radio" name="accept-child"[^>]*value="{child.pk}"[^>]*>', html
    )
    assert found, "the child is offered"
    return found.group(0)


def accept(client: Client, referral: Referral, child: Child, **extra: str) -> Any:
    return client.post(
        reverse("triage:accept", args=[referral.reference]),
        {
            "accept-child": str(child.pk),
            "accept-category": "wasp",
            "accept-primary_reason": "other",
            **extra,
        },
    )


# --------------------------------------------------------------------------- flagged


def test_a_twin_is_shown_flagged_with_what_differs_beside_what_matched(
    officer_client: Client,
) -> None:
    twin = known("Zara")
    html = page(officer_client, referral_for("Amir"))

    row = next(
        r
        for r in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", html, re.S)
        if "Zara Khan" in r
    )
    assert f'govuk-tag--orange govuk-!-margin-top-1">{TWIN_OR_SIBLING}' in row
    assert "Same date of birth" in row  # what matched
    assert "First name: Amir / Zara" in row  # what differs
    assert f"{TWIN_OR_SIBLING}. What differs: First name: Amir / Zara" in html  # the radio's hint
    assert " checked" not in child_radio(html, twin)


def test_a_sibling_the_old_matcher_dropped_is_now_shown_flagged(officer_client: Client) -> None:
    # Same surname and home, another first name and birthday: the matcher used to drop her.
    sister = known("Aisha", date_of_birth=date(2012, 9, 1))
    referral = referral_for("Asha")
    [match] = possible_matches(referral)

    assert match.child == sister
    assert match.possible_twin_or_sibling
    assert match.differs == [
        "First name: Asha / Aisha",
        "Date of birth: 03/05/2015 / 01/09/2012",
    ]
    assert "Date of birth: 03/05/2015 / 01/09/2012" in page(officer_client, referral)


def test_the_same_child_is_not_flagged_and_no_match_is_pre_selected(officer_client: Client) -> None:
    same = known("Amir")
    html = page(officer_client, referral_for("Amir"))
    assert TWIN_OR_SIBLING not in html
    assert " checked" not in child_radio(html, same)
    assert not re.search(r'name="accept-child"[^>]*checked', html)


@pytest.mark.parametrize(
    ("first", "child_fields"),
    [
        ("Zara", {}),
        ("Aisha", {"date_of_birth": date(2012, 9, 1)}),
        ("Amir", {}),
        ("Zara", {"last_name": "Nowak"}),
        ("Jon", {"postcode": "M1 1AA", "date_of_birth": None}),
    ],
)
def test_the_matchers_flag_is_the_twins_rule(
    db: None, first: str, child_fields: dict[str, Any]
) -> None:
    """The triage page (the matcher's flag) and the service (casework.twins) must agree, or
    the page would not ask for a reason the service demands."""
    child = known(first, **child_fields)
    referral = referral_for("Amir")
    match = score(referral, child)
    if match is not None:
        assert match.possible_twin_or_sibling == bool(twin_or_sibling_differences(referral, child))
        assert match.differs == twin_or_sibling_differences(referral, child)


# --------------------------------------------------------------------------- accepting


def test_accepting_a_twin_without_a_reason_shows_the_error_and_keeps_the_answers(
    officer_client: Client,
) -> None:
    twin = known("Zara")
    referral = referral_for("Amir")

    response = accept(officer_client, referral, twin, **{f"accept-reason_{twin.pk}": "   "})

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "<title>Error:" in html
    assert f'href="#id_accept-reason_{twin.pk}"' in html  # the summary links to the textarea
    assert ERROR_TWIN_REASON_REQUIRED in html
    assert " checked" in child_radio(html, twin)  # the choice is kept
    assert re.search(r'name="accept-category"[^>]*value="wasp"[^>]*checked', html)
    assert not Case.objects.exists()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.NEW


def test_a_reason_too_long_is_refused_and_kept(officer_client: Client) -> None:
    twin = known("Zara")
    referral = referral_for("Amir")
    typed = "Spelling. " * 201
    html = accept(
        officer_client, referral, twin, **{f"accept-reason_{twin.pk}": typed}
    ).content.decode()
    assert "The reason must be 2000 characters or fewer" in html
    assert ERROR_TWIN_REASON_REQUIRED not in html  # one error for one answer
    assert typed.strip() in html
    assert not Case.objects.exists()


def test_accepting_a_twin_with_a_reason_records_it_with_the_decision(
    officer_client: Client,
) -> None:
    twin = known("Zara")
    referral = referral_for("Amir")
    reason = "Her school confirmed the referrer misspelt Zara"

    response = accept(officer_client, referral, twin, **{f"accept-reason_{twin.pk}": reason})

    assert response.status_code == 302
    case = Case.objects.get(referral=referral)
    assert case.child == twin
    decision = Event.objects.get(case=case, kind=EventKind.DECISION)
    assert reason in decision.detail
    assert "First name: Amir / Zara" in decision.detail
    referral.refresh_from_db()
    assert reason in referral.decision_notes
    # The decided referral shows why it was linked to a possible twin.
    assert reason in page(officer_client, referral)


def test_the_reason_typed_under_another_child_does_not_count(officer_client: Client) -> None:
    twin = known("Zara")
    sister = known("Aisha", date_of_birth=date(2012, 9, 1))
    referral = referral_for("Amir")
    html = accept(
        officer_client, referral, twin, **{f"accept-reason_{sister.pk}": "Not her"}
    ).content.decode()
    assert ERROR_TWIN_REASON_REQUIRED in html
    assert not Case.objects.exists()


def test_a_new_child_record_needs_no_reason_when_twins_are_offered(
    officer_client: Client,
) -> None:
    known("Zara")
    referral = referral_for("Amir")
    response = officer_client.post(
        reverse("triage:accept", args=[referral.reference]),
        {"accept-child": "new", "accept-category": "wasp", "accept-primary_reason": "other"},
    )
    assert response.status_code == 302
    assert Case.objects.get(referral=referral).child.first_name == "Amir"


def test_the_service_refuses_a_twin_without_a_reason(officer: User) -> None:
    twin = known("Zara")
    referral = referral_for("Amir")
    with pytest.raises(TriageError, match=ERROR_TWIN_REASON_REQUIRED):
        referral_accept(referral=referral, by=officer, child=twin, category=Category.WASP)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.NEW
    assert not Event.objects.exists()


def test_the_same_child_needs_no_reason(officer: User) -> None:
    same = known("Amir")
    case = referral_accept(
        referral=referral_for("Amir"), by=officer, child=same, category=Category.WASP
    )
    assert case.child == same
    assert Event.objects.get(case=case, kind=EventKind.DECISION).detail == ""


# --------------------------------------------------------------------------- at the address


def test_the_children_we_know_at_the_address_are_listed_a_restricted_one_masked(
    officer_client: Client,
) -> None:
    zara = known("Zara")
    hidden = known(
        "Priya", last_name="Quennevillex", date_of_birth=date(2010, 1, 1), restricted=True
    )
    lodger = known(
        "Tom",
        last_name="Jones",
        date_of_birth=None,
        address_line_1="7, Wren St.",
        postcode="EX46TU",
    )
    known("Next", last_name="Door", address_line_1="9 Wren Street")  # same postcode only
    merged = known("Dup", last_name="Licate")
    Child.objects.filter(pk=merged.pk).update(merged_into=zara)
    known("Gone", last_name="Away", anonymised_at=timezone.now())
    referral = referral_for("Amir")

    html = page(officer_client, referral)

    assert "3 children we know live at this address" in html
    section = html.split('id="at-address"')[1].split("</ul>")[0]
    for child in (zara, hidden, lodger):
        assert reverse("cases:child", args=[child.pk]) in section
    assert ">a restricted record</a>" in section
    assert "Priya" not in html
    assert "Quennevillex" not in html
    for absent in ("Next Door", "Dup Licate", "Gone Away"):
        assert absent not in section
    assert "No child we know matches this referral's name, date of birth, postcode" not in html


def test_without_a_first_line_the_postcode_alone_is_the_address(officer: User) -> None:
    here = known("Zara")
    next_door = known("Next", last_name="Door", address_line_1="9 Wren Street")
    no_line = known("Nolan", last_name="Line", address_line_1="")
    referral = referral_for("Amir", address_line_1="")
    found = {c.pk for c in children_at_address(officer, referral)}
    assert found == {here.pk, next_door.pk, no_line.pk}
    # With a first line, a child recorded with none at the postcode is named too.
    found = {c.pk for c in children_at_address(officer, referral_for("Amir"))}
    assert found == {here.pk, no_line.pk}


def test_one_child_lives_and_none_lives_at_an_address(officer_client: Client) -> None:
    known("Zara", last_name="Nowak", date_of_birth=date(2009, 1, 1))
    html = page(officer_client, referral_for("Amir"))
    assert "1 child we know lives at this address" in html
    html = page(officer_client, referral_for("Amir", postcode="M1 1AA"))
    assert "No child we know lives at this address" in html
    assert "No child we know matches this referral's name, date of birth and UPN." in html


def test_school_staff_cannot_ask_who_lives_at_an_address(staff_a: User) -> None:
    from django.http import Http404

    with pytest.raises(Http404):
        children_at_address(staff_a, referral_for())


@pytest.mark.parametrize("at_address", [1, 6])
def test_the_address_list_runs_a_constant_number_of_queries(
    officer_client: Client, at_address: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for i in range(at_address):
        child = known(f"Child{i}", last_name=f"Family{i}", date_of_birth=date(2009, 1, 1 + i))
        CaseFactory.create(child=child)
    referral = referral_for("Amir")
    with django_assert_max_num_queries(16):
        html = page(officer_client, referral)
    assert f"{at_address} {'child' if at_address == 1 else 'children'} we know" in html


def test_the_address_list_is_one_query_whatever_its_length(officer: User) -> None:
    referral = referral_for("Amir")
    counts = []
    for extra in (1, 5):
        for i in range(extra):
            known(f"Kid{extra}{i}", last_name="Other")
        with CaptureQueriesContext(connection) as queries:
            children_at_address(officer, referral)
        counts.append(len(queries))
    assert counts == [1, 1]
