"""The one formula-neutralising rule every export writes its cells through."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from cme.spreadsheet import FORMULA_STARTS, EchoBuffer, neutralise


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(start: str) -> None:
    assert neutralise(f"{start}SUM(A1)") == f"'{start}SUM(A1)"


@pytest.mark.parametrize("value", ["Smith", "O'Neil", " =1+1", "1+1", "", "café = ok"])
def test_ordinary_text_is_unchanged(value: str) -> None:
    assert neutralise(value) == value


@pytest.mark.parametrize("value", [None, -3, 2.5, date(2026, 1, 2), True])
def test_values_that_are_not_text_are_unchanged(value: object) -> None:
    assert neutralise(value) is value


def test_a_streamed_row_is_the_csv_line() -> None:
    line = csv.writer(EchoBuffer()).writerow([neutralise(v) for v in ("=1+1", None, 4)])
    assert line == "'=1+1,,4\r\n"
    assert next(csv.reader(io.StringIO(line))) == ["'=1+1", "", "4"]
