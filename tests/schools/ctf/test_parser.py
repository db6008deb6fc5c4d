"""The CTF reader: what it takes from a file, and the files it refuses (issue 16 item 3)."""

from __future__ import annotations

import time
from datetime import date

import pytest

from schools.ctf import CtfError, parse_ctf
from schools.ctf.records import relationship_label
from tests.schools.ctf.files import ctf_bytes


def test_reads_the_header_schools_and_every_pupil() -> None:
    ctf = parse_ctf(ctf_bytes("joiners.xml"))
    assert ctf.version == "20.0"
    assert (ctf.source.lea, ctf.source.estab, ctf.source.urn) == ("999", "2002", "100002")
    assert ctf.source.name == "Birch Academy"
    assert ctf.dest.urn == "100001"
    assert [p.upn for p in ctf.pupils] == ["E999200119001", "U999200119002"]
    assert ctf.problems == ()


def test_reads_names_birth_and_sex_from_basic_details() -> None:
    ada = parse_ctf(ctf_bytes("joiners.xml")).pupils[0]
    assert (ada.forename, ada.middle_names, ada.surname) == ("Ada", "Rose", "Quillfeather")
    assert (ada.preferred_surname, ada.former_surname) == ("Quillfeather", "Marrowby")
    assert ada.date_of_birth == date(2016, 4, 12)
    assert ada.sex == "F"
    assert ada.nc_year == "5"


def test_reads_gender_where_an_older_file_has_no_sex() -> None:
    theo = parse_ctf(ctf_bytes("joiners.xml")).pupils[1]
    assert theo.sex == "M"


def test_a_bs7666_address_keeps_its_parts_and_gives_the_forms_lines() -> None:
    address = parse_ctf(ctf_bytes("joiners.xml")).pupils[0].address
    assert (address.saon, address.paon, address.street) == ("Flat 2", "14", "Example Road")
    assert (address.locality, address.town, address.post_town) == (
        "Westfield",
        "Exampleton",
        "Exampleton",
    )
    assert address.administrative_area == "Exampleshire"
    assert address.postcode == "EX1 2AB"
    assert address.as_lines() == ("Flat 2, 14 Example Road", "Westfield", "Exampleton")


def test_address_lines_give_the_last_line_as_the_town() -> None:
    address = parse_ctf(ctf_bytes("joiners.xml")).pupils[1].address
    assert address.lines == ("3 Sample Close", "Northgate", "Exampleton")
    assert address.as_lines() == ("3 Sample Close", "Northgate", "Exampleton")


def test_reads_contacts_in_order_with_title_phones_and_email() -> None:
    first, second = parse_ctf(ctf_bytes("joiners.xml")).pupils[0].contacts
    assert (first.title, first.forename, first.surname) == ("Ms", "Bea", "Quillfeather")
    assert first.full_name == "Ms Bea Quillfeather"
    assert first.relationship == "PAM"
    assert first.relationship_words == "mother"
    assert first.phone_numbers == ("07700 900123",)
    assert first.phones[0].type == "M"
    assert first.email == "bea.quillfeather@example.com"
    assert (second.order, second.relationship, second.email) == (2, "PAF", "")


def test_reads_school_history_and_attendance() -> None:
    ada = parse_ctf(ctf_bytes("joiners.xml")).pupils[0]
    (spell,) = ada.school_history
    assert (spell.school.urn, spell.school.name) == ("100002", "Birch Academy")
    assert (spell.entry_date, spell.leaving_date) == (date(2020, 9, 3), date(2026, 11, 13))
    assert spell.leaving_reason == "Moved house"
    (year,) = ada.attendance
    assert (year.year, year.sessions_possible, year.sessions_authorised) == ("2026", 96, 4)
    assert year.sessions_unauthorised == 2


def test_a_pupil_waiting_in_a_session_from_before_phone_types_still_reads() -> None:
    pupil = parse_ctf(ctf_bytes("joiners.xml")).pupils[0]
    older = pupil.to_dict()
    for contact in older["contacts"]:
        contact["phones"] = [p["number"] for p in contact["phones"]]
        del contact["address"]
    del older["address"]["uprn"]
    read = type(pupil).from_dict(older)
    assert [c.phone_numbers for c in read.contacts] == [c.phone_numbers for c in pupil.contacts]
    assert read.address == pupil.address
    assert all(c.address.is_empty for c in read.contacts)


def test_a_pupil_survives_the_trip_through_the_session() -> None:
    pupils = (
        parse_ctf(ctf_bytes("joiners.xml")).pupils + parse_ctf(ctf_bytes("contacts.xml")).pupils
    )
    for pupil in pupils:
        assert type(pupil).from_dict(pupil.to_dict()) == pupil


def test_each_problem_is_reported_by_pupil_and_the_rest_are_kept() -> None:
    ctf = parse_ctf(ctf_bytes("mixed.xml"))
    # Pupil 2's UPN has a wrong check letter: the pupil is kept, the UPN left out. Pupil 3 has
    # no date of birth: left out, a return cannot be made without one.
    assert [(p.position, p.upn) for p in ctf.pupils] == [
        (1, "F999200218003"),
        (2, ""),
        (4, "U999200119002"),
    ]
    reported = [(p.pupil, p.kept) for p in ctf.problems]
    assert reported == [
        ("UPN A999200218003", True),
        ("UPN Y999200120005", False),
        ("UPN U999200119002", True),
    ]
    assert "check letter" in ctf.problems[0].message
    assert "it was left out" in ctf.problems[0].message
    assert "date of birth" in ctf.problems[1].message
    assert "not a real date" in ctf.problems[2].message
    assert ctf.pupils[2].school_history[0].entry_date is None


def test_a_pupil_with_no_upn_is_kept_and_named_by_name_and_place_in_the_file() -> None:
    data = ctf_bytes("mixed.xml").replace(b"<UPN>F999200218003</UPN>", b"")
    ctf = parse_ctf(data)
    assert (ctf.pupils[0].upn, ctf.pupils[0].surname) == ("", "Hollowmere")
    problem = ctf.problems[0]
    assert problem.pupil == "Kit Hollowmere (pupil 1 in the file)"
    assert problem.kept
    assert problem.message.startswith("The pupil has no UPN in the file")


def test_a_temporary_upn_is_taken_like_any_other() -> None:
    data = ctf_bytes("mixed.xml").replace(b"F999200218003", b"N99920021800A")
    kit = parse_ctf(data).pupils[0]
    assert kit.upn == "N99920021800A"


def test_contacts_keep_every_one_every_phone_their_address_and_uprn() -> None:
    ctf = parse_ctf(ctf_bytes("contacts.xml"))
    assert ctf.problems == ()
    (pip,) = ctf.pupils
    assert pip.address.uprn == "100023336956"
    assert pip.address.as_lines() == ("5 Example Row", "", "Exampleton")
    mother, father, granny = pip.contacts
    assert mother.phone_numbers == ("07700 900777", "01632 960777", "020 7946 0777")
    assert [p.type for p in mother.phones] == ["M", "H", "W"]
    assert mother.address.is_empty
    assert (father.relationship, father.relationship_words) == ("PAF", "father")
    assert (father.address.paon, father.address.street) == ("22", "Other Street")
    assert (father.address.postcode, father.address.uprn) == ("EX9 9ZZ", "100023336957")
    assert (granny.order, granny.relationship, granny.forename) == (3, "GRM", "Flo")


def test_an_unknown_relationship_code_or_a_bad_uprn_is_reported_and_the_pupil_kept() -> None:
    data = (
        ctf_bytes("contacts.xml")
        .replace(b"<Relationship>GRM</Relationship>", b"<Relationship>ZZZ</Relationship>")
        .replace(b"<UPRN>100023336956</UPRN>", b"<UPRN>12AB</UPRN>")
    )
    ctf = parse_ctf(data)
    (pip,) = ctf.pupils
    assert pip.address.uprn == ""
    assert pip.contacts[2].relationship == "ZZZ"
    assert pip.contacts[2].relationship_words == ""
    messages = [p.message for p in ctf.problems]
    assert all(p.kept for p in ctf.problems)
    assert any("UPRN '12AB' of the pupil's address" in m for m in messages)
    assert any("relationship code 'ZZZ' is not a CBDS" in m for m in messages)


def test_a_relationship_code_is_shown_with_its_label() -> None:
    assert relationship_label("PAM") == "Mother (PAM)"
    assert relationship_label("ZZZ") == "ZZZ"
    assert relationship_label("") == ""


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("version18.xml", "CTF version 18: export it again from your school's system as CTF 19"),
        ("malformed.xml", "is not valid XML"),
        ("billion_laughs.xml", "document type declaration or entities"),
        ("external_entity.xml", "document type declaration or entities"),
        ("too_deep.xml", "nested more deeply than a CTF can be"),
        ("not_a_ctf.xml", "is not a common transfer file"),
    ],
)
def test_refuses_a_file_that_is_not_a_safe_ctf_19_or_later(name: str, message: str) -> None:
    with pytest.raises(CtfError, match=message):
        parse_ctf(ctf_bytes(name))


def test_a_billion_laughs_is_refused_before_it_expands() -> None:
    started = time.monotonic()
    with pytest.raises(CtfError):
        parse_ctf(ctf_bytes("billion_laughs.xml"))
    assert time.monotonic() - started < 1


def test_an_external_entity_is_never_read() -> None:
    with pytest.raises(CtfError) as refused:
        parse_ctf(ctf_bytes("external_entity.xml"))
    assert "root:" not in str(refused.value)


def test_refuses_a_file_over_the_size_limit_before_reading_it() -> None:
    with pytest.raises(CtfError, match="smaller than 1 MB"):
        parse_ctf(b"<CTfile>" + b" " * (1024 * 1024) + b"</CTfile>", max_bytes=1024 * 1024)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not valid XML"),
        (b"<CTfile><CTFpupilData/></CTfile>", "no CTF header"),
        (b"<CTfile><Header><CTFversion>x</CTFversion></Header></CTfile>", "which CTF version"),
    ],
)
def test_refuses_an_empty_or_headless_file(data: bytes, message: str) -> None:
    with pytest.raises(CtfError, match=message):
        parse_ctf(data)


def test_a_namespaced_file_is_read_like_any_other() -> None:
    data = ctf_bytes("leavers.xml").replace(b"<CTfile>", b'<CTfile xmlns="urn:example:ctf">')
    (isla,) = parse_ctf(data).pupils
    assert (isla.forename, isla.surname, isla.sex) == ("Isla", "Ottercombe", "F")
