"""casework.twins: which two records may be twins or siblings, and what differs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from casework.twins import normalise_address_line, same_address, twin_or_sibling_differences

DOB = date(2015, 5, 3)


@dataclass
class Record:
    first_name: str
    last_name: str = "Khan"
    date_of_birth: date | None = DOB
    address_line_1: str = "7 Wren Street"
    postcode: str = "EX4 6TU"


def test_twins_born_the_same_day_with_alike_names_are_flagged_with_the_first_names() -> None:
    assert twin_or_sibling_differences(Record("Amir"), Record("Amira")) == [
        "First name: Amir / Amira"
    ]


def test_a_sibling_says_the_dates_of_birth_differ_too() -> None:
    older = Record("Hassan", date_of_birth=date(2012, 1, 9))
    assert twin_or_sibling_differences(Record("Amir"), older) == [
        "First name: Amir / Hassan",
        "Date of birth: 3 May 2015 / 9 January 2012",
    ]


@pytest.mark.parametrize(
    ("other", "why"),
    [
        (Record("Zara", date_of_birth=None, postcode="M1 1AA"), "the surname alone"),
        (Record("Zara", last_name="Nowak", postcode="M1 1AA"), "the date of birth alone"),
        (
            Record("Zara", last_name="Nowak", date_of_birth=date(2010, 1, 1)),
            "the address alone",
        ),
    ],
)
def test_any_one_shared_surname_address_or_date_of_birth_is_enough(other: Record, why: str) -> None:
    assert twin_or_sibling_differences(Record("Amir"), other)[0] == "First name: Amir / Zara", why


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
