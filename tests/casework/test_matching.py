from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pytest_django import DjangoAssertNumQueries

from casework.matching import child_keys_save, possible_matches
from casework.matching.keys import name_keys, normalise_name
from casework.matching.scoring import FIRST_NAME_SAME_CHILD, MATCH_THRESHOLD, Match
from casework.models import Child
from referrals.models import Referral
from tests.factories import ChildFactory, ReferralFactory
from tests.support.people import person

pytestmark = pytest.mark.django_db

DOB = date(2014, 2, 3)


def make_child(**kwargs: Any) -> Child:
    return child_keys_save(ChildFactory.create(**kwargs))


def born(name: str, **fields: Any) -> dict[str, Any]:
    """A child's or a referral's fields, born on DOB unless ``fields`` say otherwise."""
    return person(name, **({"date_of_birth": DOB} | fields))


def refer(child: dict[str, Any], referral: dict[str, Any]) -> tuple[Child, Referral]:
    """The child saved with its matching keys, and a referral to match against it."""
    return make_child(**child), ReferralFactory.create(**referral)


def only_match(child: dict[str, Any], referral: dict[str, Any]) -> Match:
    """The one candidate the referral finds, checked to be the child."""
    saved, referred = refer(child, referral)
    [match] = possible_matches(referred)
    assert match.child == saved
    return match


def proposed(referral: Referral) -> list[Child]:
    """The candidates triage would offer as the same child (not the flagged ones)."""
    return [m.child for m in possible_matches(referral) if not m.possible_twin_or_sibling]


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
    match = only_match(
        born("John Smith", postcode="DE1 1AA"), born("John Smyth", postcode="NG7 2RD")
    )

    assert match.score >= MATCH_THRESHOLD
    assert {
        "Surname sounds the same (Smyth / Smith)",
        "Same date of birth",
        "Same first name",
    } <= set(match.reasons)


def test_a_similar_first_name_is_reported_with_its_similarity() -> None:
    match = only_match(born("John Smith"), born("Jon Smith"))

    assert any(r.startswith("First name similar (Jon / John, ") for r in match.reasons)


def test_finds_a_child_by_upn_whatever_else_differs() -> None:
    # Lower case: matching normalises the UPN (the column holds 13 characters, so no spaces).
    match = only_match(
        person(
            "Aisha Khan", date_of_birth=date(2011, 9, 9), postcode="LS1 4AP", upn="A123456789012"
        ),
        born("Ayesha Begum", postcode="M1 1AE", upn="a123456789012"),
    )

    assert match.score == 100
    assert match.reasons[0] == "Same UPN"


def test_a_sibling_who_shares_the_surname_and_the_address_is_flagged_not_proposed() -> None:
    home = {"address_line_1": "1 High Street", "postcode": "EX2 3CC"}
    sibling = make_child(**person("Amelia Smith", date_of_birth=date(2011, 6, 1), **home))
    same_child, referral = refer(
        born("Oliver Smith", **home), born("Oliver Smith", **(home | {"postcode": "EX23CC"}))
    )

    matches = possible_matches(referral)

    assert [m.child for m in matches if not m.possible_twin_or_sibling] == [same_child]
    [flagged] = [m for m in matches if m.possible_twin_or_sibling]
    assert flagged.child == sibling
    assert "First name: Oliver / Amelia" in flagged.differs


def test_a_same_upn_sibling_rule_does_not_hide_a_upn_match() -> None:
    # A different DOB and first name on a record with the same UPN is a data error on one
    # record, not a sibling: a UPN identifies one pupil.
    child, referral = refer(
        person("Amelia Smith", date_of_birth=date(2011, 6, 1), upn="B123456789012"),
        born("Oliver Smith", upn="B123456789012"),
    )

    assert [m.child for m in possible_matches(referral)] == [child]


def test_sibling_rule_threshold_is_documented_at_85() -> None:
    assert FIRST_NAME_SAME_CHILD == 85


def test_handles_accents_in_names() -> None:
    match = only_match(born("Zoë Brontë"), born("Zoe Bronte"))

    assert {"Same first name", "Same surname"} <= set(match.reasons)


def test_the_same_date_of_birth_and_postcode_find_a_child_whose_surname_changed() -> None:
    match = only_match(
        born("Maya Jones", postcode="EX2 3CC"), born("Maya Okafor", postcode="ex2 3cc")
    )

    assert "Same postcode" in match.reasons


def test_merged_children_are_not_proposed() -> None:
    kept, referral = refer(born("John Smith"), born("John Smith"))
    make_child(**born("John Smith", merged_into=kept))

    assert [m.child for m in possible_matches(referral)] == [kept]


def test_unrelated_children_are_not_proposed() -> None:
    _, referral = refer(
        person("Priya Patel", date_of_birth=date(2010, 1, 1), postcode="B1 1AA"),
        born("John Smith", postcode="EX2 3CC"),
    )

    assert possible_matches(referral) == []


def test_matches_are_best_first_and_limited() -> None:
    best, referral = refer(
        born("John Smith", postcode="EX2 3CC"), born("John Smith", postcode="EX2 3CC")
    )
    for _ in range(6):
        make_child(**born("Jon Smyth", postcode="DE1 1AA"))

    matches = possible_matches(referral, limit=5)

    assert len(matches) == 5
    assert matches[0].child == best
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_matching_runs_two_queries_however_many_candidates(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    for _ in range(20):
        make_child(**born("John Smith"))
    referral = ReferralFactory.create(**born("John Smith"))

    with django_assert_num_queries(2):  # the candidates, and their open cases
        matches = possible_matches(referral)
        [m.open_cases for m in matches]


def test_polish_and_nordic_letters_are_folded_so_luczak_is_luczak() -> None:
    assert normalise_name("Łuczak") == "luczak"
    assert (
        normalise_name("Søren Straße Işık Æthelred Đorđe") == "soren strasse isik aethelred dorde"  # noqa: RUF001
    )
    match = only_match(born("Łukasz Łuczak"), born("Lukasz Luczak"))

    assert {"Same first name", "Same surname"} <= set(match.matched)


def test_swapped_first_and_last_names_are_proposed() -> None:
    match = only_match(
        born("Hussain Ali", postcode="B8 1AA"), born("Ali Hussain", postcode="B8 1AA")
    )

    assert not match.possible_twin_or_sibling
    assert match.score >= MATCH_THRESHOLD
    assert any(r.startswith("First name and surname swapped") for r in match.matched)


def test_a_twin_is_flagged_with_what_differs_and_never_proposed_plainly() -> None:
    home = {"date_of_birth": DOB, "postcode": "M8 2AB"}
    make_child(**person("Amir Hassan", gender="M", **home))
    twin = make_child(**person("Amira Hassan", gender="F", **home))
    other_twin = make_child(**person("Yusuf Hassan", gender="M", **home))
    referral = ReferralFactory.create(**person("Amir Hassan", gender="M", **home))

    matches = possible_matches(referral)

    assert len(proposed(referral)) == 1
    flagged = {m.child: m for m in matches if m.possible_twin_or_sibling}
    assert set(flagged) == {twin, other_twin}
    assert "First name: Amir / Yusuf" in flagged[other_twin].differs
    assert "Gender: M / F" in flagged[twin].differs


def test_a_sibling_is_flagged_when_one_date_of_birth_is_missing() -> None:
    match = only_match(
        person("Zofia Nowak", date_of_birth=None, postcode="PE1 2XY"),
        born("Kacper Nowak", postcode="PE1 2XY"),
    )

    assert match.possible_twin_or_sibling


def test_a_nickname_is_the_same_first_name() -> None:
    match = only_match(born("William Jones"), born("Bill Jones"))

    assert not match.possible_twin_or_sibling
    assert "First name is a form of the same name (Bill / William)" in match.matched


# The referral names the same child in another way: triage proposes the child.
SAME_CHILD: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "muhammad spellings are the same first name": (born("Muhammad Iqbal"), born("Mohamed Iqbal")),
    "a changed surname with the same first name, dob and postcode": (
        born("Ffion Williams", postcode="CF10 1AA"),
        born("Ffion Price", postcode="CF10 1AA"),
    ),
    "a missing date of birth still finds the child by name and postcode": (
        born("Oliwia Kowalska", postcode="PE1 2XY"),
        person("Oliwia Kowalska", date_of_birth=None, postcode="PE12XY"),
    ),
    "the same nhs number outweighs a changed name": (
        born("Kayleigh Brown", nhs_number="943 476 5919"),
        born("Kayleigh Green", nhs_number="9434765919"),
    ),
    "an other name on the referral finds the child's earlier surname": (
        born("Maja Wiśniewska"),
        born("Maja Smith", other_names="Wisniewska"),
    ),
}


@pytest.mark.parametrize(("child", "referral"), SAME_CHILD.values(), ids=SAME_CHILD)
def test_the_same_child_named_another_way_is_proposed(
    child: dict[str, Any], referral: dict[str, Any]
) -> None:
    saved, referred = refer(child, referral)

    assert proposed(referred) == [saved]


def test_a_one_digit_error_in_the_date_of_birth_is_proposed() -> None:
    match = only_match(
        born("Siobhan Murphy", postcode="L4 0TH"),
        born("Siobhan Murphy", date_of_birth=date(2014, 2, 8), postcode="L5 1AB"),
    )

    assert not match.possible_twin_or_sibling
    assert "Date of birth differs by one digit" in match.matched
    assert "Date of birth: 08/02/2014 / 03/02/2014" in match.differs


def test_a_different_gender_and_nhs_number_stop_a_proposal_on_names_alone() -> None:
    _, referral = refer(
        person("Sam Taylor", date_of_birth=None, gender="F", nhs_number="4010232137"),
        born("Sam Taylor", gender="M", nhs_number="9434765919"),
    )

    assert proposed(referral) == []


def test_the_query_count_is_the_same_for_flagged_and_proposed_candidates(
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for first in ("Amir", "Amira", "Yusuf", "Zain", "Amir"):
        make_child(**born(f"{first} Hassan", postcode="M8 2AB"))
    referral = ReferralFactory.create(**born("Amir Hassan", postcode="M8 2AB"))

    with django_assert_max_num_queries(2):
        [m.open_cases for m in possible_matches(referral)]


def test_a_nickname_with_another_gender_at_the_same_address_is_a_possible_sibling() -> None:
    match = only_match(
        person("Charlie Evans", date_of_birth=date(2013, 4, 13), postcode="L4 5RS", gender="M"),
        born("Charlotte Evans", postcode="L4 5RS", gender="F"),
    )

    assert match.possible_twin_or_sibling
    assert "Gender: F / M" in match.differs


# -- issue 14, the gaps to Splink: more blocking rules, the address weight ------------------


def test_the_date_of_birth_and_postcode_district_find_a_child_misspelt_everywhere_else() -> None:
    # Both names misspelt (no metaphone in common), the inward code mistyped: only the date
    # of birth and the district ("EX2") agree among the keys the query uses, and the NHS
    # number one digit out says it is one child.
    street = {"address_line_1": "14 Markham Street"}
    child, referral = refer(
        born("Robin Morrison", postcode="EX2 3CC", nhs_number="9434765919", **street),
        born("Rboin Morrion", postcode="EX2 3DC", nhs_number="9434765991", **street),
    )
    namesake = make_child(**born("Robin Morrison", postcode="NG7 2RD"))

    # The namesake born the same day elsewhere is proposed too (names alike, the same
    # date of birth), below the child whose address and NHS number agree.
    assert proposed(referral) == [child, namesake]


def test_the_district_rule_needs_a_full_postcode_and_a_date_of_birth() -> None:
    from casework.matching.blocking import candidate_queryset

    make_child(**born("Ann Lee", postcode="EX2 3CC"))

    def found(**fields: Any) -> int:
        query = candidate_queryset(ReferralFactory.create(**born("Zed Qux", **fields)))
        return 0 if query is None else len(query)

    no_dob, district_only = found(date_of_birth=None), found(postcode="EX2")
    assert (no_dob, district_only, found(postcode="EX20 3CC")) == (0, 0, 0)
    assert found(postcode="EX2 9ZZ") == 1


def test_swapped_names_misspelt_at_the_same_postcode_are_found() -> None:
    # The referral's first name is the child's surname; its surname a typo of the child's
    # first name (no metaphone in common) and no date of birth: only the crossed surname
    # and the postcode agree.
    home = {"address_line_1": "7 Erldunda Circuit", "postcode": "B8 1AA"}
    match = only_match(
        born("Harrison Capurso", nhs_number="4086030000", **home),
        person("Capurso Harirson", date_of_birth=None, nhs_number="4086300000", **home),
    )

    assert any(r.startswith("First name and surname swapped") for r in match.matched)


def test_the_same_first_line_at_another_postcode_counts_as_the_same_address() -> None:
    from casework.matching.fields import prepare
    from casework.matching.fields import tally as _tally
    from casework.matching.weights import W

    child, moved_postcode = refer(
        person("Kyra Wilde", address_line_1="26 Groom Street", postcode="EX2 3CC"),
        person("Kyra Wilde", address_line_1="26 Groom St", postcode="NG7 2RD"),
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
    _, referral = refer(
        person(
            "Conor MacNamara",
            date_of_birth=date(2018, 3, 31),
            address_line_1="13 High Street",
            postcode="SL9 5RE",
        ),
        person(
            "Conor MacNamara",
            date_of_birth=date(2016, 6, 30),
            address_line_1="39 High Street",
            postcode="CF4 2WY",
        ),
    )

    assert proposed(referral) == []


def test_child_keys_fill_the_other_name_keys_from_middle_and_other_names() -> None:
    child = ChildFactory.create(
        first_name="Amira", middle_names="Zoë Noor", other_names="Smith-Jones", other_name_keys=""
    )
    child_keys_save(child)
    child.refresh_from_db()
    assert child.other_name_keys == "noor smithjones zoe"
