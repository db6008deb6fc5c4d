from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pytest_django import DjangoAssertNumQueries

from casework.matching import (
    FIRST_NAME_SAME_CHILD,
    MATCH_THRESHOLD,
    child_keys_save,
    name_keys,
    normalise_name,
    possible_matches,
)
from casework.models import Child
from referrals.models import Referral
from tests.factories import ChildFactory, ReferralFactory

pytestmark = pytest.mark.django_db

DOB = date(2014, 2, 3)


def make_child(**kwargs: Any) -> Child:
    return child_keys_save(ChildFactory.create(**kwargs))


def test_names_are_normalised_without_case_accents_or_punctuation() -> None:
    assert normalise_name("  Zoë   O'Brien-Smith. ") == "zoe obriensmith"
    assert normalise_name("ÉLODIE") == "elodie"
    assert normalise_name("") == ""


def test_name_keys_give_the_same_phonetic_key_for_smith_and_smyth() -> None:
    assert name_keys("John", "Smith") == ("john", "smith", "SM0")
    assert name_keys("Jon", "Smyth")[2] == "SM0"


def test_child_keys_save_fills_and_saves_the_keys() -> None:
    child = ChildFactory.create(
        first_name="Zoë", last_name="Brontë", first_name_key="", last_name_key=""
    )
    child_keys_save(child)
    child.refresh_from_db()
    assert (child.first_name_key, child.last_name_key, child.last_name_phonetic) == (
        "zoe",
        "bronte",
        "BRNT",
    )


def test_finds_a_true_match_with_a_misspelt_surname_and_the_same_date_of_birth() -> None:
    child = make_child(first_name="John", last_name="Smith", date_of_birth=DOB, postcode="DE1 1AA")
    referral = ReferralFactory.create(
        first_name="John", last_name="Smyth", date_of_birth=DOB, postcode="NG7 2RD"
    )

    [match] = possible_matches(referral)

    assert match.child == child
    assert match.score >= MATCH_THRESHOLD
    assert "Surname sounds the same (Smyth / Smith)" in match.reasons
    assert "Same date of birth" in match.reasons
    assert "Same first name" in match.reasons


def test_a_similar_first_name_is_reported_with_its_similarity() -> None:
    make_child(first_name="John", last_name="Smith", date_of_birth=DOB)
    referral = ReferralFactory.create(first_name="Jon", last_name="Smith", date_of_birth=DOB)

    [match] = possible_matches(referral)

    assert any(r.startswith("First name similar (Jon / John, ") for r in match.reasons)


def test_finds_a_child_by_upn_whatever_else_differs() -> None:
    child = make_child(
        first_name="Aisha",
        last_name="Khan",
        date_of_birth=date(2011, 9, 9),
        postcode="LS1 4AP",
        upn="A123456789012",
    )
    # Lower case: matching normalises the UPN (the column holds 13 characters, so no spaces).
    referral = ReferralFactory.create(
        first_name="Ayesha",
        last_name="Begum",
        date_of_birth=DOB,
        postcode="M1 1AE",
        upn="a123456789012",
    )

    [match] = possible_matches(referral)

    assert match.child == child
    assert match.score == 100
    assert match.reasons[0] == "Same UPN"


def test_a_sibling_who_shares_the_surname_and_the_address_is_flagged_not_proposed() -> None:
    sibling = make_child(
        first_name="Amelia",
        last_name="Smith",
        date_of_birth=date(2011, 6, 1),
        address_line_1="1 High Street",
        postcode="EX2 3CC",
    )
    same_child = make_child(
        first_name="Oliver",
        last_name="Smith",
        date_of_birth=DOB,
        address_line_1="1 High Street",
        postcode="EX2 3CC",
    )
    referral = ReferralFactory.create(
        first_name="Oliver",
        last_name="Smith",
        date_of_birth=DOB,
        address_line_1="1 High Street",
        postcode="EX23CC",
    )

    matches = possible_matches(referral)

    assert [m.child for m in matches if not m.possible_twin_or_sibling] == [same_child]
    [flagged] = [m for m in matches if m.possible_twin_or_sibling]
    assert flagged.child == sibling
    assert "First name: Oliver / Amelia" in flagged.differs


def test_a_same_upn_sibling_rule_does_not_hide_a_upn_match() -> None:
    # A different DOB and first name on a record with the same UPN is a data error on one
    # record, not a sibling: a UPN identifies one pupil.
    child = make_child(
        first_name="Amelia", last_name="Smith", date_of_birth=date(2011, 6, 1), upn="B123456789012"
    )
    referral = ReferralFactory.create(
        first_name="Oliver", last_name="Smith", date_of_birth=DOB, upn="B123456789012"
    )

    assert [m.child for m in possible_matches(referral)] == [child]


def test_sibling_rule_threshold_is_documented_at_85() -> None:
    assert FIRST_NAME_SAME_CHILD == 85


def test_handles_accents_in_names() -> None:
    child = make_child(first_name="Zoë", last_name="Brontë", date_of_birth=DOB)
    referral = ReferralFactory.create(first_name="Zoe", last_name="Bronte", date_of_birth=DOB)

    [match] = possible_matches(referral)

    assert match.child == child
    assert "Same first name" in match.reasons
    assert "Same surname" in match.reasons


def test_the_same_date_of_birth_and_postcode_find_a_child_whose_surname_changed() -> None:
    child = make_child(first_name="Maya", last_name="Jones", date_of_birth=DOB, postcode="EX2 3CC")
    referral = ReferralFactory.create(
        first_name="Maya", last_name="Okafor", date_of_birth=DOB, postcode="ex2 3cc"
    )

    [match] = possible_matches(referral)

    assert match.child == child
    assert "Same postcode" in match.reasons


def test_merged_children_are_not_proposed() -> None:
    kept = make_child(first_name="John", last_name="Smith", date_of_birth=DOB)
    make_child(first_name="John", last_name="Smith", date_of_birth=DOB, merged_into=kept)
    referral = ReferralFactory.create(first_name="John", last_name="Smith", date_of_birth=DOB)

    assert [m.child for m in possible_matches(referral)] == [kept]


def test_unrelated_children_are_not_proposed() -> None:
    make_child(
        first_name="Priya", last_name="Patel", date_of_birth=date(2010, 1, 1), postcode="B1 1AA"
    )
    referral = ReferralFactory.create(
        first_name="John", last_name="Smith", date_of_birth=DOB, postcode="EX2 3CC"
    )

    assert possible_matches(referral) == []


def test_matches_are_best_first_and_limited() -> None:
    best = make_child(first_name="John", last_name="Smith", date_of_birth=DOB, postcode="EX2 3CC")
    for _ in range(6):
        make_child(first_name="Jon", last_name="Smyth", date_of_birth=DOB, postcode="DE1 1AA")
    referral = ReferralFactory.create(
        first_name="John", last_name="Smith", date_of_birth=DOB, postcode="EX2 3CC"
    )

    matches = possible_matches(referral, limit=5)

    assert len(matches) == 5
    assert matches[0].child == best
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_matching_runs_two_queries_however_many_candidates(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    for _ in range(20):
        make_child(first_name="John", last_name="Smith", date_of_birth=DOB)
    referral = ReferralFactory.create(first_name="John", last_name="Smith", date_of_birth=DOB)

    with django_assert_num_queries(2):  # the candidates, and their open cases
        matches = possible_matches(referral)
        [m.open_cases for m in matches]


def proposed(referral: Referral) -> list[Child]:
    """The candidates triage would offer as the same child (not the flagged ones)."""
    return [m.child for m in possible_matches(referral) if not m.possible_twin_or_sibling]


def test_polish_and_nordic_letters_are_folded_so_luczak_is_luczak() -> None:
    assert normalise_name("Łuczak") == "luczak"
    assert (
        normalise_name("Søren Straße Işık Æthelred Đorđe") == "soren strasse isik aethelred dorde"  # noqa: RUF001
    )
    child = make_child(first_name="Łukasz", last_name="Łuczak", date_of_birth=DOB)
    referral = ReferralFactory.create(first_name="Lukasz", last_name="Luczak", date_of_birth=DOB)

    [match] = possible_matches(referral)

    assert match.child == child
    assert {"Same first name", "Same surname"} <= set(match.matched)


def test_swapped_first_and_last_names_are_proposed() -> None:
    child = make_child(first_name="Hussain", last_name="Ali", date_of_birth=DOB, postcode="B8 1AA")
    referral = ReferralFactory.create(
        first_name="Ali", last_name="Hussain", date_of_birth=DOB, postcode="B8 1AA"
    )

    [match] = possible_matches(referral)

    assert match.child == child
    assert not match.possible_twin_or_sibling
    assert match.score >= MATCH_THRESHOLD
    assert any(r.startswith("First name and surname swapped") for r in match.matched)


def test_a_twin_is_flagged_with_what_differs_and_never_proposed_plainly() -> None:
    make_child(
        first_name="Amir", last_name="Hassan", date_of_birth=DOB, postcode="M8 2AB", gender="M"
    )
    twin = make_child(
        first_name="Amira", last_name="Hassan", date_of_birth=DOB, postcode="M8 2AB", gender="F"
    )
    other_twin = make_child(
        first_name="Yusuf", last_name="Hassan", date_of_birth=DOB, postcode="M8 2AB", gender="M"
    )
    referral = ReferralFactory.create(
        first_name="Amir", last_name="Hassan", date_of_birth=DOB, postcode="M8 2AB", gender="M"
    )

    matches = possible_matches(referral)

    assert len(proposed(referral)) == 1
    flagged = {m.child: m for m in matches if m.possible_twin_or_sibling}
    assert set(flagged) == {twin, other_twin}
    assert "First name: Amir / Yusuf" in flagged[other_twin].differs
    assert "Gender: M / F" in flagged[twin].differs


def test_a_sibling_is_flagged_when_one_date_of_birth_is_missing() -> None:
    sibling = make_child(
        first_name="Zofia", last_name="Nowak", date_of_birth=None, postcode="PE1 2XY"
    )
    referral = ReferralFactory.create(
        first_name="Kacper", last_name="Nowak", date_of_birth=DOB, postcode="PE1 2XY"
    )

    [match] = possible_matches(referral)

    assert match.child == sibling
    assert match.possible_twin_or_sibling


def test_a_nickname_is_the_same_first_name() -> None:
    child = make_child(first_name="William", last_name="Jones", date_of_birth=DOB)
    referral = ReferralFactory.create(first_name="Bill", last_name="Jones", date_of_birth=DOB)

    assert proposed(referral) == [child]
    assert "First name is a form of the same name (Bill / William)" in (
        possible_matches(referral)[0].matched
    )


def test_muhammad_spellings_are_the_same_first_name() -> None:
    child = make_child(first_name="Muhammad", last_name="Iqbal", date_of_birth=DOB)
    referral = ReferralFactory.create(first_name="Mohamed", last_name="Iqbal", date_of_birth=DOB)

    assert proposed(referral) == [child]


def test_a_changed_surname_with_the_same_first_name_dob_and_postcode_is_proposed() -> None:
    child = make_child(
        first_name="Ffion", last_name="Williams", date_of_birth=DOB, postcode="CF10 1AA"
    )
    referral = ReferralFactory.create(
        first_name="Ffion", last_name="Price", date_of_birth=DOB, postcode="CF10 1AA"
    )

    assert proposed(referral) == [child]


def test_a_one_digit_error_in_the_date_of_birth_is_proposed() -> None:
    child = make_child(
        first_name="Siobhan", last_name="Murphy", date_of_birth=DOB, postcode="L4 0TH"
    )
    referral = ReferralFactory.create(
        first_name="Siobhan",
        last_name="Murphy",
        date_of_birth=date(2014, 2, 8),
        postcode="L5 1AB",
    )

    [match] = possible_matches(referral)

    assert match.child == child
    assert not match.possible_twin_or_sibling
    assert "Date of birth differs by one digit" in match.matched
    assert "Date of birth: 08/02/2014 / 03/02/2014" in match.differs


def test_a_missing_date_of_birth_still_finds_the_child_by_name_and_postcode() -> None:
    child = make_child(
        first_name="Oliwia", last_name="Kowalska", date_of_birth=DOB, postcode="PE1 2XY"
    )
    referral = ReferralFactory.create(
        first_name="Oliwia", last_name="Kowalska", date_of_birth=None, postcode="PE12XY"
    )

    assert proposed(referral) == [child]


def test_the_same_nhs_number_outweighs_a_changed_name() -> None:
    child = make_child(
        first_name="Kayleigh", last_name="Brown", date_of_birth=DOB, nhs_number="943 476 5919"
    )
    referral = ReferralFactory.create(
        first_name="Kayleigh", last_name="Green", date_of_birth=DOB, nhs_number="9434765919"
    )

    assert proposed(referral) == [child]


def test_a_different_gender_and_nhs_number_stop_a_proposal_on_names_alone() -> None:
    make_child(
        first_name="Sam",
        last_name="Taylor",
        date_of_birth=None,
        gender="F",
        nhs_number="4010232137",
    )
    referral = ReferralFactory.create(
        first_name="Sam", last_name="Taylor", date_of_birth=DOB, gender="M", nhs_number="9434765919"
    )

    assert proposed(referral) == []


def test_an_other_name_on_the_referral_finds_the_childs_earlier_surname() -> None:
    child = make_child(first_name="Maja", last_name="Wiśniewska", date_of_birth=DOB)
    referral = ReferralFactory.create(
        first_name="Maja", last_name="Smith", other_names="Wisniewska", date_of_birth=DOB
    )

    assert proposed(referral) == [child]


def test_the_query_count_is_the_same_for_flagged_and_proposed_candidates(
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for first in ("Amir", "Amira", "Yusuf", "Zain", "Amir"):
        make_child(first_name=first, last_name="Hassan", date_of_birth=DOB, postcode="M8 2AB")
    referral = ReferralFactory.create(
        first_name="Amir", last_name="Hassan", date_of_birth=DOB, postcode="M8 2AB"
    )

    with django_assert_max_num_queries(2):
        [m.open_cases for m in possible_matches(referral)]


def test_a_nickname_with_another_gender_at_the_same_address_is_a_possible_sibling() -> None:
    sibling = make_child(
        first_name="Charlie",
        last_name="Evans",
        date_of_birth=date(2013, 4, 13),
        postcode="L4 5RS",
        gender="M",
    )
    referral = ReferralFactory.create(
        first_name="Charlotte", last_name="Evans", date_of_birth=DOB, postcode="L4 5RS", gender="F"
    )

    [match] = possible_matches(referral)

    assert match.child == sibling
    assert match.possible_twin_or_sibling
    assert "Gender: F / M" in match.differs


# -- issue 14, the gaps to Splink: more blocking rules, the address weight ------------------


def test_the_date_of_birth_and_postcode_district_find_a_child_misspelt_everywhere_else() -> None:
    # Both names misspelt (no metaphone in common), the inward code mistyped: only the date
    # of birth and the district ("EX2") agree among the keys the query uses, and the NHS
    # number one digit out says it is one child.
    child = make_child(
        first_name="Robin",
        last_name="Morrison",
        date_of_birth=DOB,
        address_line_1="14 Markham Street",
        postcode="EX2 3CC",
        nhs_number="9434765919",
    )
    namesake = make_child(
        first_name="Robin", last_name="Morrison", date_of_birth=DOB, postcode="NG7 2RD"
    )
    referral = ReferralFactory.create(
        first_name="Rboin",
        last_name="Morrion",
        date_of_birth=DOB,
        address_line_1="14 Markham Street",
        postcode="EX2 3DC",
        nhs_number="9434765991",
    )

    matches = [m for m in possible_matches(referral) if not m.possible_twin_or_sibling]

    # The namesake born the same day elsewhere is proposed too (names alike, the same
    # date of birth), below the child whose address and NHS number agree.
    assert [m.child for m in matches] == [child, namesake]


def test_the_district_rule_needs_a_full_postcode_and_a_date_of_birth() -> None:
    from casework.matching.blocking import candidate_queryset

    make_child(first_name="Ann", last_name="Lee", date_of_birth=DOB, postcode="EX2 3CC")
    no_dob = ReferralFactory.create(first_name="Zed", last_name="Qux", date_of_birth=None)
    district_only = ReferralFactory.create(
        first_name="Zed", last_name="Qux", date_of_birth=DOB, postcode="EX2"
    )
    other_district = ReferralFactory.create(
        first_name="Zed", last_name="Qux", date_of_birth=DOB, postcode="EX20 3CC"
    )
    same_district = ReferralFactory.create(
        first_name="Zed", last_name="Qux", date_of_birth=DOB, postcode="EX2 9ZZ"
    )

    def found(referral: Referral) -> int:
        query = candidate_queryset(referral)
        return 0 if query is None else len(query)

    assert (found(no_dob), found(district_only), found(other_district)) == (0, 0, 0)
    assert found(same_district) == 1


def test_swapped_names_misspelt_at_the_same_postcode_are_found() -> None:
    # The referral's first name is the child's surname; its surname a typo of the child's
    # first name (no metaphone in common) and no date of birth: only the crossed surname
    # and the postcode agree.
    child = make_child(
        first_name="Harrison",
        last_name="Capurso",
        date_of_birth=DOB,
        address_line_1="7 Erldunda Circuit",
        postcode="B8 1AA",
        nhs_number="4086030000",
    )
    referral = ReferralFactory.create(
        first_name="Capurso",
        last_name="Harirson",
        date_of_birth=None,
        address_line_1="7 Erldunda Circuit",
        postcode="B8 1AA",
        nhs_number="4086300000",
    )

    [match] = possible_matches(referral)

    assert match.child == child
    assert any(r.startswith("First name and surname swapped") for r in match.matched)


def test_the_same_first_line_at_another_postcode_counts_as_the_same_address() -> None:
    from casework.matching.fields import prepare
    from casework.matching.fields import tally as _tally
    from casework.matching.weights import W

    child = make_child(
        first_name="Kyra", last_name="Wilde", address_line_1="26 Groom Street", postcode="EX2 3CC"
    )
    moved_postcode = ReferralFactory.create(
        first_name="Kyra", last_name="Wilde", address_line_1="26 Groom St", postcode="NG7 2RD"
    )

    tally = _tally(prepare(moved_postcode), child)

    assert tally.levels["postcode"] == "address"
    assert "Same address (first line)" in tally.matched
    assert W["postcode_address"] > 0
    # Every level the scorer can give has a weight (or is meant to be 0: "missing").
    assert all(f"{part}_{level}" in W or level == "missing" for part, level in tally.levels.items())


def test_another_house_number_in_the_same_street_is_not_the_same_address() -> None:
    from casework.matching.scoring import same_first_line

    assert same_first_line("26 groom street", "26 groom stret")
    assert not same_first_line("150 kings road", "157 kings road")
    assert not same_first_line("39 high street", "13 high street")
    assert not same_first_line("", "39 high street")


def test_a_namesake_in_the_same_street_of_another_town_is_not_proposed() -> None:
    # The same first name, surname and street name, another house number and postcode and
    # a date of birth years apart: two children (seen on the UK-shaped bench).
    make_child(
        first_name="Conor",
        last_name="MacNamara",
        date_of_birth=date(2018, 3, 31),
        address_line_1="13 High Street",
        postcode="SL9 5RE",
    )
    referral = ReferralFactory.create(
        first_name="Conor",
        last_name="MacNamara",
        date_of_birth=date(2016, 6, 30),
        address_line_1="39 High Street",
        postcode="CF4 2WY",
    )

    assert [m for m in possible_matches(referral) if not m.possible_twin_or_sibling] == []


def test_child_keys_fill_the_other_name_keys_from_middle_and_other_names() -> None:
    child = ChildFactory.create(
        first_name="Amira", middle_names="Zoë Noor", other_names="Smith-Jones", other_name_keys=""
    )
    child_keys_save(child)
    child.refresh_from_db()
    assert child.other_name_keys == "noor smithjones zoe"
