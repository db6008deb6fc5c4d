"""The transfer answer period and the link's life, at their edges."""

from __future__ import annotations

from datetime import date

from pytest_django import Settings

from transfers.rules import transfer_answer_due, transfer_link_expires


def test_ten_working_days_from_an_ordinary_monday() -> None:
    assert transfer_answer_due(date(2026, 11, 2)) == date(2026, 11, 16)


def test_bank_holidays_and_weekends_are_not_counted() -> None:
    # Thursday 17 December 2026: 18, 21-24, 29-31 December, 4 and 5 January.
    assert transfer_answer_due(date(2026, 12, 17)) == date(2027, 1, 5)


def test_sent_at_the_weekend_the_clock_starts_on_monday() -> None:
    assert transfer_answer_due(date(2026, 11, 7)) == date(2026, 11, 20)


def test_the_period_is_a_setting(settings: Settings) -> None:
    settings.CME_TRANSFER_ANSWER_WORKING_DAYS = 1
    assert transfer_answer_due(date(2026, 11, 6)) == date(2026, 11, 9)  # Friday -> Monday


def test_the_link_works_for_28_calendar_days(settings: Settings) -> None:
    assert transfer_link_expires(date(2026, 12, 3)) == date(2026, 12, 31)
    settings.CME_TRANSFER_LINK_DAYS = 7
    assert transfer_link_expires(date(2026, 12, 3)) == date(2026, 12, 10)
