"""casework.twins: which two records may be twins or siblings, and what differs."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from casework.models import Child
from casework.twins import normalise_address_line, same_address, twin_or_sibling_differences

DOB = date(2015, 5, 3)


#: What the records share unless a test says otherwise: one household's surname, date of
#: birth and address, no gender.
HOUSEHOLD: dict[str, Any] = {
    "last_name": "Khan",
    "date_of_birth": DOB,
    "address_line_1": "7 Wren Street",
    "postcode": "EX4 6TU",
    "gender": "",
}


def Record(first_name: str, **fields: Any) -> Child:
    """An unsaved child record (the rule reads fields only, no queries)."""
    return Child(first_name=first_name, **(HOUSEHOLD | fields))


def test_twins_born_the_same_day_with_alike_names_are_flagged_with_the_first_names() -> None:
    # Alike names and a different gender: twins, not one name mistyped.
    assert twin_or_sibling_differences(Record("Amir", gender="M"), Record("Amira", gender="F")) == [
        "First name: Amir / Amira",
        "Gender: M / F",
    ]
    assert twin_or_sibling_differences(Record("Amir"), Record("Zara")) == [
        "First name: Amir / Zara"
    ]


def test_a_sibling_says_the_dates_of_birth_differ_too() -> None:
    older = Record("Hassan", date_of_birth=date(2012, 1, 9))
    assert twin_or_sibling_differences(Record("Amir"), older) == [
        "First name: Amir / Hassan",
        "Date of birth: 03/05/2015 / 09/01/2012",
    ]


@pytest.mark.parametrize(
    ("other", "why"),
    [
        (Record("Zara", date_of_birth=None), "the surname and the address"),
        (Record("Zara", postcode="M1 1AA", address_line_1="1 Elm Road"), "surname and birthday"),
        (Record("Zara", last_name="Nowak"), "the date of birth and the address"),
    ],
)
def test_any_two_of_surname_address_and_date_of_birth_shared_are_enough(
    other: Child, why: str
) -> None:
    assert twin_or_sibling_differences(Record("Amir"), other)[0] == "First name: Amir / Zara", why


def test_one_shared_detail_alone_is_not_a_pair_the_address_list_shows_them() -> None:
    neighbour = Record("Zara", last_name="Nowak", date_of_birth=date(2010, 1, 1))
    assert twin_or_sibling_differences(Record("Amir"), neighbour) == []


def test_the_surname_is_listed_when_it_differs() -> None:
    assert twin_or_sibling_differences(Record("Amir"), Record("Zara", last_name="Nowak")) == [
        "First name: Amir / Zara",
        "Surname: Khan / Nowak",
    ]


def test_the_same_first_name_written_another_way_is_not_a_difference() -> None:
    assert twin_or_sibling_differences(Record("Zoë"), Record(" zoe ")) == []
    assert twin_or_sibling_differences(Record("Mary-Jane"), Record("Mary Jane")) == []


def test_a_first_name_not_known_on_either_record_flags_nothing() -> None:
    assert twin_or_sibling_differences(Record(""), Record("Amir")) == []
    assert twin_or_sibling_differences(Record("Amir"), Record("")) == []


def test_records_sharing_nothing_but_the_dob_unknown_are_not_flagged() -> None:
    stranger = Record("Zara", last_name="Nowak", date_of_birth=None, postcode="M1 1AA")
    assert twin_or_sibling_differences(Record("Amir", date_of_birth=None), stranger) == []


def test_the_address_is_never_quoted_in_the_differences() -> None:
    other = Record("Zara", address_line_1="1 Refuge Road", postcode="ZZ1 1ZZ")
    assert not any(
        "Refuge" in d or "ZZ1" in d for d in twin_or_sibling_differences(Record("Amir"), other)
    )


def test_an_address_line_is_normalised_and_its_street_type_spelt_out() -> None:
    assert normalise_address_line("7, Wren St.") == "7 wren street"
    assert normalise_address_line("Flat 2, 10 Oak Rd") == "flat 2 10 oak road"
    assert normalise_address_line("St Johns Road") == "st johns road"  # Saint, not Street
    assert normalise_address_line("") == ""


def test_the_same_address_is_the_postcode_and_the_first_line_or_the_postcode_alone() -> None:
    home = Record("Amir")
    assert same_address(home, Record("Zara", address_line_1="7 wren st", postcode="ex46tu"))
    assert not same_address(home, Record("Zara", address_line_1="9 Wren Street"))
    assert same_address(home, Record("Zara", address_line_1=""))  # no first line: postcode
    assert not same_address(home, Record("Zara", postcode="EX4 6TT"))
    assert not same_address(Record("Amir", postcode=""), Record("Zara", postcode=""))
