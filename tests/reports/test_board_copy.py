"""The board's copy leaks no small number (issue 12, A6): every cell of the CSV data pack (of a
run and of the dashboard), of what the PDF is given and of the PDF's text, on a small data set
whose figures are known: 3 investigations completed in June, 2 of them within the clock."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from casework.models import Case
from cme.models import User
from referrals.models import ReferrerType
from reports import services as svc
from reports.csv_pack import csv_pack
from reports.figures import BoardFigures, Table, board_figures
from reports.models import ReportRun, RunStatus
from reports.pdf import condense, report_context
from reports.suppression import DERIVED_SUPPRESSED, SUPPRESSED, is_hidden, suppress
from tests.reports.conftest import JUNE
from tests.reports.test_figures import case, local, referral
from tests.reports.test_pdf import LA, PDFTOTEXT, needs_poppler

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_july")]

HIDDEN = {SUPPRESSED, DERIVED_SUPPRESSED}


@pytest.fixture
def small_june() -> None:
    """3 cases opened on 1 June (due 15 June), all still open at the period end; their
    investigations completed on 5, 8 and 22 June: 2 of 3 within the clock. 10 referrals from
    schools and 3 from the public (the cases' own) in June; 1 referral in March."""
    for completed in (date(2026, 6, 5), date(2026, 6, 8), date(2026, 6, 22)):
        case(date(2026, 6, 1), investigation_completed_at=local(completed))
    for day in range(2, 12):
        referral(local(date(2026, 6, day)), referrer_type=ReferrerType.SCHOOL)
    referral(local(date(2026, 3, 10)))
    assert Case.objects.count() == 3


def _unsuppressed() -> BoardFigures:
    return board_figures(*JUNE)


def _number(text: str) -> float | None:
    text = text.strip().replace(",", "").removesuffix("%").strip()
    try:
        return float(text)
    except ValueError:
        return None


def _is_small_number(text: str) -> bool:
    value = _number(text)
    return value is not None and 1 <= value <= 4


def _csv_cells(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    return [r for r in rows if r and r[0] not in ("Period", "Previous period", "Generated at")]


def _data_rows(text: str) -> list[list[str]]:
    """The rows with figures: up to the definitions (whose text has no figures to check)."""
    rows = _csv_cells(text)
    return rows[: next(i for i, r in enumerate(rows) if r[0] == "Definitions")]


def test_the_unsuppressed_figures_do_have_the_small_numbers(small_june: None) -> None:
    figures = _unsuppressed()
    inv = next(t for t in figures.tables if t.key == "investigations")
    assert [r[1] for r in inv.rows] == [3, 2, 66.7, inv.rows[3][1]]
    assert figures.trend.referrals[-1] == 13
    assert figures.trend.referrals[-4] == 1
    assert figures.trend.open_cases[-1] == 3


def _check_figures(figures: BoardFigures) -> None:
    """Every figure of a suppressed copy: no count from 1 to 4, no figure derived from a
    hidden count, and never a lone hidden cell beside a total."""
    for h in figures.headlines:
        for v in (h.value, h.previous):
            assert not (isinstance(v, int | float) and not isinstance(v, bool) and 1 <= v <= 4), h
    for v in [*figures.trend.referrals, *figures.trend.open_cases]:
        assert not (isinstance(v, int) and 1 <= v <= 4), figures.trend
    for t in figures.tables:
        _check_table(t)


def _check_table(t: Table) -> None:
    for row in t.rows:
        for col in t.count_columns:
            v = row[col]
            assert not (type(v) is int and 1 <= v <= 4), (t.key, row)
    for derived, bases in t.derived.items():
        for col in t.count_columns:
            if any(is_hidden(t.rows[b][col]) for b in bases) and t.rows[derived][col] is not None:
                assert t.rows[derived][col] == DERIVED_SUPPRESSED, (t.key, t.rows[derived])
    if t.total_row:
        body = t.rows[:-1]
        for col in t.count_columns:
            hidden = [r for r in body if is_hidden(r[col])]
            assert len(hidden) != 1, (t.key, col, t.rows)


def test_every_figure_of_the_board_copy_is_suppressed(small_june: None) -> None:
    figures = suppress(_unsuppressed())
    _check_figures(figures)
    tables = {t.key: t for t in figures.tables}
    inv = tables["investigations"]
    assert [r[1] for r in inv.rows] == [
        SUPPRESSED,
        SUPPRESSED,
        DERIVED_SUPPRESSED,
        DERIVED_SUPPRESSED,
    ]
    durations = tables["durations"]
    assert [r[1] for r in durations.rows] == [DERIVED_SUPPRESSED, DERIVED_SUPPRESSED, SUPPRESSED]
    on_time = next(h for h in figures.headlines if h.key == "on_time_pct")
    assert on_time.value == DERIVED_SUPPRESSED
    assert figures.trend.referrals[-1] == 13
    assert figures.trend.referrals[-4] == SUPPRESSED
    assert figures.trend.open_cases[-1] == SUPPRESSED
    # Secondary: 3 public referrals are hidden, so the next smallest (10 from schools) is too:
    # the total 13 no longer gives the 3 away.
    sources = tables["referrals_by_source"]
    hidden = [r[0] for r in sources.rows[:-1] if r[1] == SUPPRESSED]
    assert len(hidden) == 2
    assert sources.rows[-1][1] == 13


def test_every_cell_of_the_dashboard_board_data_pack(
    small_june: None, manager_client: Client
) -> None:
    response = manager_client.get(reverse("dashboard:data_pack") + "?period=last_month&suppress=on")
    assert response.status_code == 200
    text = response.content.decode()
    rows = _data_rows(text)
    leaks = [r for r in rows if any(_is_small_number(c) for c in r[1:])]
    assert leaks == []
    assert "66.7" not in text
    by_label = {r[0]: r for r in rows}
    assert by_label["Share within 10 working days (%)"][1] == DERIVED_SUPPRESSED
    assert by_label["Median working days taken"][1] == DERIVED_SUPPRESSED
    assert by_label["Median days open"][1] == DERIVED_SUPPRESSED
    assert by_label["Longest days open"][1] == DERIVED_SUPPRESSED
    assert by_label["Investigations on time"][1] == DERIVED_SUPPRESSED
    assert by_label["2026-03"][1] == SUPPRESSED
    assert by_label["2026-06"][2] == SUPPRESSED
    # The same CSV as the one function gives (but for the time it was generated).
    assert _csv_cells(text) == _csv_cells(csv_pack(suppress(_unsuppressed())))


@pytest.fixture
def board_run(small_june: None, manager: User, settings: Settings, tmp_path: Path) -> ReportRun:
    settings.CME_REPORT_STORAGE = str(tmp_path / "reports")
    settings.CME_LA_NAME = LA
    run = ReportRun.objects.create(
        requested_by=manager, period_start=JUNE[0], period_end=JUNE[1], suppressed=True
    )
    assert svc.report_build(run.pk) is True
    run.refresh_from_db()
    assert run.status == RunStatus.READY
    return run


def test_the_run_csv_and_the_dashboard_pack_are_the_same_board_copy(
    board_run: ReportRun, manager_client: Client
) -> None:
    run_csv = board_run.csv_file.read().decode("utf-8-sig")
    pack = manager_client.get(reverse("dashboard:data_pack") + "?period=last_month&suppress=on")
    assert _csv_cells(run_csv) == _csv_cells(pack.content.decode())
    assert [r for r in _data_rows(run_csv) if any(_is_small_number(c) for c in r[1:])] == []


def test_the_pdf_is_given_the_same_suppressed_figures(small_june: None) -> None:
    figures = condense(suppress(_unsuppressed()))
    context = report_context(figures, LA, charts={})
    for h in context["headlines"]:
        assert not _is_small_number(h["value"]), h
        assert not _is_small_number(h["previous"]), h
    for t in context["tables"]:
        for row in t["rows"]:
            for text, is_number in row.cells:
                assert not (is_number and _is_small_number(text)), (t["key"], row.cells)
    cells = {t["key"]: [[c for c, _ in r.cells] for r in t["rows"]] for t in context["tables"]}
    assert cells["investigations"][2][1] == DERIVED_SUPPRESSED
    assert cells["durations"][1][1] == DERIVED_SUPPRESSED
    on_time = next(h for h in context["headlines"] if h["key"] == "on_time_pct")
    assert on_time["value"] == DERIVED_SUPPRESSED


@needs_poppler
def test_the_pdf_text_shows_no_share_of_a_small_group(board_run: ReportRun, tmp_path: Path) -> None:
    pdf = tmp_path / "board.pdf"  # the file is in the shared storage, not on a disk
    pdf.write_bytes(board_run.pdf_file.open("rb").read())
    text = subprocess.run(  # noqa: S603
        [PDFTOTEXT, "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "66.7" not in text
    line = next(ln for ln in text.splitlines() if "Share within 10 working days" in ln)
    assert DERIVED_SUPPRESSED in line
    line = next(ln for ln in text.splitlines() if "Longest days open" in ln)
    assert DERIVED_SUPPRESSED in line
    assert not re.search(r"\b\d+\b", line.split("open", 1)[1])


def test_a_part_whose_rest_is_small_is_hidden() -> None:
    from reports.suppression import suppress_table

    table = Table(
        key="investigations",
        title="T",
        columns=["Measure", "This period"],
        rows=[["Completed", 20], ["Within the clock", 17], ["Share (%)", 85.0]],
        count_columns=[1],
        derived={2: (0, 1)},
        parts=((1, 0),),
    )
    got = suppress_table(table)
    # 20 - 17 = 3 late: showing 17 of 20 would give the 3 away.
    assert [r[1] for r in got.rows] == [20, SUPPRESSED, DERIVED_SUPPRESSED]


def test_a_condensed_table_hides_the_sum_of_rows_with_a_hidden_one() -> None:
    from tests.reports.test_pdf_condense import figures_with

    rows: list[list[Any]] = [[f"School {i:02d}", 10 + i] for i in range(20)] + [["Tiny", 2]]
    total = sum(r[1] for r in rows)
    table = Table(
        key="deletions_by_school",
        title="Deletions by school",
        columns=["School", "Deletions"],
        rows=[*rows, ["Total", total]],
        count_columns=[1],
        total_row=True,
    )
    suppressed = suppress(figures_with(table))
    [full] = suppressed.tables
    [short] = condense(suppressed, max_rows=15).tables
    # In the CSV: "Tiny" and the next smallest hidden. In the PDF, the rows kept read the same,
    # and the rest (holding both) is hidden, not a sum that gives them away.
    kept = {r[0]: r[1] for r in full.rows}
    for label, value in short.rows[:15]:
        assert kept[label] == value
    assert short.rows[15][0].startswith("All other rows")
    assert short.rows[15][1] == SUPPRESSED
    assert short.rows[-1] == ["Total", total]
