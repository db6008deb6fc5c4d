"""The board report's charts (issue 12, smaller defects): WeasyPrint draws them without a
warning, the footnote sits below the year labels, and no closures give a message, not bars."""

from __future__ import annotations

import logging
import re
from datetime import date

import pytest

from reports.charts import NO_CLOSURES, bar_chart, board_charts, trend_chart
from reports.pdf import render_pdf
from tests.reports.test_pdf import LA, sample_figures

MONTHS = [date(2026, m, 1) for m in range(1, 13)]


def _texts(svg: str) -> list[tuple[float, float, str]]:
    """(x, y, text) of each <text>, placed by translate() or by x and y attributes."""
    out = []
    for attrs, text in re.findall(r"<text([^>]*)>([^<]*)", svg):
        at = re.search(r"translate\(([\d.-]+) ([\d.-]+)\)", attrs) or re.search(
            r'x="([\d.-]+)" y="([\d.-]+)"', attrs
        )
        if at:
            out.append((float(at.group(1)), float(at.group(2)), text))
    return out


def test_rendering_a_report_logs_no_ignored_css_from_weasyprint(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="weasyprint")
    render_pdf(sample_figures(suppressed=True, small=3), LA)
    ignored = [r.getMessage() for r in caplog.records if "Ignored" in r.getMessage()]
    assert ignored == []
    warnings = [
        r
        for r in caplog.records
        if r.name.startswith("weasyprint") and r.levelno >= logging.WARNING
    ]
    assert warnings == []


def test_the_charts_use_presentation_attributes_not_css() -> None:
    for key, svg in board_charts(sample_figures(suppressed=True, small=3)).items():
        assert "style=" not in svg, key
        assert "<style" not in svg, key
        assert 'fill="#1d70b8"' in svg or 'fill="#00703c"' in svg, key


def test_the_open_cases_footnote_is_below_the_year_labels() -> None:
    svg = trend_chart(MONTHS, [10] * 12, [3, *[10] * 10, "<5"], suppressed=True)
    texts = _texts(svg)
    years = [y for _, y, t in texts if t == "2026"]
    [note] = [y for _, y, t in texts if t.startswith("Months with fewer than 5 open cases")]
    assert len(years) == 12
    assert note > max(years) + 8  # at least a line of 8pt text clear of the years


def test_no_closures_shows_a_message_not_zero_bars() -> None:
    figures = sample_figures(suppressed=True, small=3)
    outcomes = next(t for t in figures.tables if t.key == "outcomes")
    zero_rows = [[r[0], *(0 for _ in r[1:])] for r in outcomes.rows]
    from dataclasses import replace

    figures = replace(
        figures,
        tables=[replace(t, rows=zero_rows) if t.key == "outcomes" else t for t in figures.tables],
    )
    svg = board_charts(figures)["outcomes"]
    assert NO_CLOSURES in svg
    assert not any(t == "0" for _, _, t in _texts(svg))  # no axis, no zero labels


def test_a_chart_of_small_counts_has_a_whole_number_axis() -> None:
    svg = bar_chart("Outcomes", ["a", "b"], [2, 1], suppressed=False)
    ticks = [t for _, _, t in _texts(svg) if re.fullmatch(r"[\d.]+", t)]
    assert ticks
    assert all("." not in t for t in ticks), ticks
    assert NO_CLOSURES not in svg
