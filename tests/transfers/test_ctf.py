"""The transfer CTF: what the writer writes, our own CTF parser and the transfer reader read
back, hostile text included; and files that are not transfers refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

import pytest
from django.utils import timezone

from schools.ctf.parser import CtfError, parse_ctf
from tests.support.people import person
from tests.transfers.helpers import HOSTILE_FIRST, HOSTILE_LAST
from transfers.ctf import ERROR_NOT_TRANSFER, TransferFileError, read_transfer, write_transfer
from transfers.records import TransferChild, TransferEnquiry, TransferLA, TransferMessage

NOW = datetime(2026, 12, 3, 9, 30, tzinfo=timezone.get_default_timezone())


def message(**child: Any) -> TransferMessage:
    return TransferMessage(
        reference="TR-ABCD-EFGH",
        case_reference="CS-WXYZ-2345",
        sent_on=date(2026, 12, 3),
        from_la=TransferLA("999", "Exampleshire & Co <Council>", "olive@la.gov.uk"),
        to_la=TransferLA("888", "Otherborough Council", "cme@la888.example.gov.uk"),
        child=replace(
            TransferChild(
                **person("Ada Quillfeather", middle_names="Rose", other_names="Ada Q"),
                date_of_birth=date(2016, 5, 4),
                gender="F",
                upn="E999200119001",
                address_line_1="Flat 2, 14 Example Road",
                address_line_2="Northside",
                town="Exampleton",
                postcode="EX1 2AB",
                last_school_urn="100001",
                last_school_name="Alder Primary School",
            ),
            **child,
        ),
        officer_name="Olive Officer",
        officer_email="olive@la.gov.uk",
        officer_phone="01234 567890",
        trigger="moved",
        transfer_reasons="New address in Otherborough; <b>urgent</b> & unsafe",
        category="missing",
        became_cme_on=date(2026, 9, 14),
        outcome="moved_other_la",
        referral_reasons=(("moved_away", "Moved away, destination not known"),),
        flags=(("child_protection_plan", "Child protection plan"),),
        escalated_on=date(2026, 12, 1),
        escalation_reason="CP plan & no contact",
        social_care_referred=True,
        enquiries=(
            TransferEnquiry(
                made_on=date(2026, 11, 28),
                kind="home_visit",
                kind_label="Home visit",
                result="not_found",
                result_label="Not found",
                contact="Neighbour <no. 12>",
                notes="Moved & left no address",
            ),
        ),
    )


def test_our_ctf_parser_reads_the_pupil_back() -> None:
    data = write_transfer(message(), now=NOW)
    ctf = parse_ctf(data)
    assert not ctf.problems
    assert ctf.source.lea == "999"
    assert ctf.dest.lea == "888"
    (pupil,) = ctf.pupils
    assert (pupil.upn, pupil.forename, pupil.surname) == ("E999200119001", "Ada", "Quillfeather")
    assert pupil.middle_names == "Rose"
    assert pupil.date_of_birth == date(2016, 5, 4)
    assert pupil.sex == "F"
    assert pupil.address.as_lines() == ("Flat 2, 14 Example Road", "Northside", "Exampleton")
    assert pupil.address.postcode == "EX1 2AB"
    assert pupil.school_history[0].school.urn == "100001"


def test_the_transfer_reader_reads_every_field_back() -> None:
    original = message()
    assert read_transfer(write_transfer(original, now=NOW)).message == original


def test_hostile_names_round_trip_exactly_and_stay_text() -> None:
    original = message(first_name=HOSTILE_FIRST, last_name=HOSTILE_LAST)
    data = write_transfer(original, now=NOW)
    assert b"<script>" not in data  # escaped, not markup
    read = read_transfer(data)
    assert read.message == original
    assert read.ctf.pupils[0].forename == HOSTILE_FIRST
    assert read.ctf.pupils[0].surname == HOSTILE_LAST


def test_a_restricted_record_says_so_both_ways() -> None:
    original = replace(message(), restricted=True)
    assert read_transfer(write_transfer(original, now=NOW)).message.restricted


def test_characters_xml_cannot_carry_are_dropped_not_fatal() -> None:
    original = message(first_name="Ada\x00\x07", last_name="Quill\x1bfeather")
    read = read_transfer(write_transfer(original, now=NOW))
    assert read.message.child.first_name == "Ada"
    assert read.message.child.last_name == "Quillfeather"


def test_a_child_with_no_upn_is_still_a_transfer() -> None:
    # Our CTF parser keeps a pupil with no UPN and reports it; the transfer carries the child.
    read = read_transfer(write_transfer(message(upn=""), now=NOW))
    assert [(p.upn, p.surname) for p in read.ctf.pupils] == [("", "Quillfeather")]
    assert [(p.upn, p.kept) for p in read.ctf.problems] == [("", True)]
    assert read.message.child.last_name == "Quillfeather"


def test_a_ctf_that_is_not_a_transfer_is_refused() -> None:
    data = write_transfer(message(), now=NOW)
    start = data.index(b"<cme:CMEtransfer")
    end = data.index(b"</cme:CMEtransfer>") + len(b"</cme:CMEtransfer>")
    with pytest.raises(TransferFileError, match=ERROR_NOT_TRANSFER):
        read_transfer(data[:start] + data[end:])


def test_entities_are_refused_before_anything_is_read() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE CTfile [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><CTfile><Header><CTFversion>21</CTFversion>'
        b"</Header><CTFpupilData><Pupil><UPN>&b;</UPN></Pupil></CTFpupilData></CTfile>"
    )
    with pytest.raises(CtfError, match="document type declaration"):
        read_transfer(bomb)


def test_a_file_too_big_is_refused() -> None:
    with pytest.raises(TransferFileError, match="smaller than 2 MB"):
        read_transfer(b" " * (2 * 1024 * 1024 + 1))
