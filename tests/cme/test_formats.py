"""Issue 12: times in GOV.UK style (6:12am, midday, midnight) and hours without ".0", by one
filter everywhere."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from pytest_django import Settings

from cme.formats import govuk_datetime, govuk_time, hours, number

UTC = ZoneInfo("UTC")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (time(6, 12), "6:12am"),
        (time(18, 12), "6:12pm"),
        (time(9, 0), "9am"),
        (time(17, 0), "5pm"),
        (time(12, 0), "midday"),
        (time(0, 0), "midnight"),
        (time(12, 30), "12:30pm"),
        (time(0, 5), "12:05am"),
        (None, ""),
    ],
)
def test_govuk_time(value: time | None, shown: str) -> None:
    assert govuk_time(value) == shown


def test_an_aware_time_is_shown_in_london_time(settings: Settings) -> None:
    settings.TIME_ZONE = "Europe/London"
    summer = datetime(2026, 7, 1, 5, 12, tzinfo=UTC)  # 6:12am BST
    assert govuk_time(summer) == "6:12am"
    assert govuk_datetime(summer) == "1 July 2026 at 6:12am"


def test_the_template_filters_are_builtin() -> None:
    out = Template(
        '{{ t|govuk_time }} / {{ d|govuk_datetime:"j M Y" }} / {{ h|hours }} / {{ n|hours }}'
    ).render(
        Context(
            {
                "t": time(6, 12),
                "d": datetime(2026, 12, 2, 12, 0, tzinfo=UTC),
                "h": Decimal("20.0"),
                "n": Decimal("12.5"),
            }
        )
    )
    assert out == "6:12am / 2 Dec 2026 at midday / 20 hours / 12.5 hours"
    assert "a.m." not in out


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("20.0"), "20 hours"),
        (Decimal("12.5"), "12.5 hours"),
        (1, "1 hour"),
        ("15.0", "15 hours"),
        (None, ""),
    ],
)
def test_hours(value: Decimal | int | str | None, shown: str) -> None:
    assert hours(value) == shown


def test_number_keeps_what_matters() -> None:
    assert number(Decimal("10.0")) == "10"
    assert number(Decimal("0.5")) == "0.5"
    assert number(Decimal("100")) == "100"


def test_a_table_head_gives_every_header_the_column_scope_and_escapes_it() -> None:
    rendered = Template('{% govuk_table_head "When" "Who" label %}').render(
        Context({"label": "<b>Reason</b>"})
    )
    assert rendered == (
        '<thead class="govuk-table__head"><tr class="govuk-table__row">'
        '<th scope="col" class="govuk-table__header">When</th>'
        '<th scope="col" class="govuk-table__header">Who</th>'
        '<th scope="col" class="govuk-table__header">&lt;b&gt;Reason&lt;/b&gt;</th>'
        "</tr></thead>"
    )


def test_a_table_head_can_end_with_a_header_only_screen_readers_read() -> None:
    rendered = Template('{% govuk_table_head "When" hidden="Action" %}').render(Context())
    assert rendered == (
        '<thead class="govuk-table__head"><tr class="govuk-table__row">'
        '<th scope="col" class="govuk-table__header">When</th>'
        '<th scope="col" class="govuk-table__header">'
        '<span class="govuk-visually-hidden">Action</span></th>'
        "</tr></thead>"
    )
