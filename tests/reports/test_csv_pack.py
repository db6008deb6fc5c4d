"""The CSV data pack carries the same numbers as the figures, and cannot carry a formula."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from reports.csv_pack import csv_pack
from reports.figures import BoardFigures, board_figures
from reports.suppression import SUPPRESSED, suppress
from tests.factories import LeaverReturnFactory, SchoolFactory
from tests.reports.conftest import JUNE
from tests.reports.test_figures import case, local, referral

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_july")]


def _sections(text: str) -> list[list[list[str]]]:
    sections: list[list[list[str]]] = [[]]
    for line in csv.reader(io.StringIO(text)):
        if line:
            sections[-1].append(line)
        else:
            sections.append([])
    return sections


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _build() -> BoardFigures:
    school = SchoolFactory.create(name='=HYPERLINK("http://evil.example","Click")')
    for day in (2, 3, 4):
        LeaverReturnFactory.create(
            school=school,
            deletion_date=date(2026, 6, day),
            ground_met_date=date(2026, 6, day) - timedelta(days=1),
        )
    for day in range(1, 8):
        referral(local(date(2026, 6, day)))
    case(date(2026, 6, 1), investigation_completed_at=local(date(2026, 6, 5)))
    return board_figures(*JUNE)


def test_the_pack_parses_back_to_the_same_numbers() -> None:
    figures = _build()

    sections = _sections(csv_pack(figures))

    period = sections[0]
    assert period[0] == ["Period", "2026-06-01", "2026-06-30"]
    assert period[1] == ["Previous period", "2025-06-01", "2025-06-30"]
    headlines = sections[1]
    assert headlines[:2] == [["Headlines"], ["Figure", "This period", "Previous period", "Unit"]]
    assert headlines[2:] == [
        [h.label, _cell(h.value), _cell(h.previous), h.unit] for h in figures.headlines
    ]
    for table, section in zip(figures.tables, sections[2:], strict=False):
        assert section[0][0] == table.title
        assert section[1] == table.columns
        expected = [[_cell(c) for c in r] for r in table.rows]
        # Only a label can start with a formula character: the school named "=HYPERLINK".
        assert [[c.removeprefix("'") for c in r] for r in section[2:]] == expected
    trend = sections[2 + len(figures.tables)]
    assert trend[2:] == [
        [m.strftime("%Y-%m"), str(r), str(o)]
        for m, r, o in zip(
            figures.trend.months, figures.trend.referrals, figures.trend.open_cases, strict=True
        )
    ]
    definitions = sections[3 + len(figures.tables)]
    assert definitions[0] == ["Definitions"]
    assert [tuple(r) for r in definitions[1:]] == figures.definitions


def test_a_label_that_is_a_formula_is_neutralised() -> None:
    text = csv_pack(_build())

    assert "'=HYPERLINK" in text
    rows = list(csv.reader(io.StringIO(text)))
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)


def test_the_suppressed_pack_says_so_and_hides_small_counts() -> None:
    figures = suppress(_build())

    sections = _sections(csv_pack(figures))

    assert ["Small numbers suppressed", "yes"] in sections[0]
    by_school = next(s for s in sections if s[0][0] == "Deletions from school registers by school")
    assert by_school[2] == ['\'=HYPERLINK("http://evil.example","Click")', SUPPRESSED, "0"]
    assert by_school[3] == ["Total", SUPPRESSED, "0"]
