"""The board report PDF: it opens, has its sections, its text holds the numbers, and its
first pages are rendered to PNG (test-artifacts/) for a person to look at."""

from __future__ import annotations

import shutil
import subprocess
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from cme.pdf import css_string
from reports.charts import board_charts, trend_chart
from reports.figures import BoardFigures, Headline, Table, Trend
from reports.pdf import change_words, period_label, render_pdf

LA = "Exampleshire County Council"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"
PDFTOPPM = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="poppler-utils (pdftotext, pdftoppm) not installed",
)

SCHOOLS = [
    "Alder Primary School",
    "Birch Academy",
    "Cedar High School",
    "Damson Junior School",
    "Elm Park Academy",
    "Fir Tree Infant School",
    "Gorse Hill School",
    "Hazel Community College",
]


def _t(
    key: str,
    title: str,
    columns: list[str],
    rows: list[list[str | int | float | None]],
    *,
    total: bool = True,
    note: str = "",
) -> Table:
    counts = list(range(1, len(columns)))
    if total:
        sums: list[str | int | float | None] = ["Total"]
        sums += [sum(c for r in rows if isinstance(c := r[i], int)) for i in counts]
        rows = [*rows, sums]
    return Table(
        key=key,
        title=title,
        columns=columns,
        rows=rows,
        count_columns=counts,
        total_row=total,
        note=note,
    )


def sample_figures(*, suppressed: bool = False, small: int = 3) -> BoardFigures:
    """A realistic figure set: every table of the contract, with a few small numbers
    (``small`` and 2) that suppression must hide."""
    s = "<5" if suppressed else small
    two = "<5" if suppressed else 2
    months = [date(2025, m, 1) for m in range(4, 13)] + [date(2026, m, 1) for m in range(1, 4)]
    tables = [
        _t(
            "referrals_by_source",
            "Referrals by source",
            ["Source", "Referrals", "Last year"],
            [
                ["School", 212, 190],
                ["Public", 41, 38],
                ["Health", 27, 30],
                ["Police", s, 6],
                ["Other local authority", 58, 49],
            ],
        ),
        _t(
            "referrals_by_reason",
            "Referrals by reason",
            ["Reason", "Referrals"],
            [
                ["Moved out of area", 131],
                ["Left for elective home education", 64],
                ["Not attending", 97],
                ["Removed from roll", 43],
                ["Unknown", two],
            ],
        ),
        _t(
            "cases_by_category",
            "Cases by category",
            ["Category", "Cases"],
            [
                ["Missing: whereabouts unknown", 37],
                ["Not on a school roll", 118],
                ["At risk of missing education", 154],
                ["Traced: awaiting a place", 22],
                ["Left the country", s],
            ],
        ),
        _t(
            "open_by_age",
            "Open cases by age",
            ["Age group", "Open cases"],
            [["5 to 7", 46], ["8 to 10", 61], ["11 to 13", 88], ["14 to 16", 101]],
        ),
        _t(
            "vulnerability",
            "Vulnerability of children in open cases",
            ["Vulnerability", "Children"],
            [
                ["Child in need", 31],
                ["Child protection plan", 12],
                ["Child looked after", s],
                ["EHC plan", 44],
                ["SEN support", 70],
                ["Young carer", 9],
            ],
            total=False,
            note="A child may have more than one vulnerability.",
        ),
        _t(
            "outcomes",
            "Outcomes of closed cases",
            ["Outcome", "Cases"],
            [
                ["Found a school place", 188],
                ["Elective home education", 52],
                ["Moved to another local authority", 61],
                ["Left England", 23],
                ["Not found after all enquiries", two],
            ],
        ),
        _t(
            "investigations",
            "Initial investigations",
            ["Measure", "Number"],
            [["Completed", 301], ["Completed within 10 working days", 262], ["Overdue now", 14]],
            total=False,
        ),
        Table(
            key="durations",
            title="How long cases stayed open",
            columns=["Measure", "Days"],
            rows=[["Median", 34], ["Mean", 47.5], ["Longest", 412]],
            count_columns=[1],
        ),
        _t(
            "untraceable",
            "Children not found",
            ["Status", "Children"],
            [["Untraceable, referred to the Lost Pupils Database", 9], ["Still being traced", 17]],
        ),
        _t(
            "deletions_by_ground",
            "Deletions from roll by ground",
            ["Ground (reg 9)", "Deletions"],
            [
                ["(1)(a) Registered at another school", 403],
                ["(1)(b) Home education", 118],
                ["(1)(c) Ceased to live within distance", 87],
                ["(1)(i) 20 school days' absence", 29],
            ],
        ),
        _t(
            "deletions_by_school",
            "Deletions from roll by school",
            ["School", "Deletions"],
            [[n, 30 + 11 * i] for i, n in enumerate(SCHOOLS)],
        ),
        _t(
            "returns_by_school",
            "Returns from schools on time",
            ["School", "Returns", "Late"],
            [[n, 80 + 7 * i, i % 3] for i, n in enumerate(SCHOOLS)],
        ),
        _t(
            "part_time",
            "Part-time timetables",
            ["Measure", "Pupils"],
            [["On a part-time timetable", 64], ["Over 6 weeks", 19], ["Review overdue", s]],
            total=False,
        ),
    ]
    headlines = [
        Headline("open_now", "Open cases now", 296, 251),
        Headline("new_referrals", "New referrals", 1348, 1211),
        Headline("cases_opened", "Cases opened", 877, 902),
        Headline("overdue", "Investigations overdue", 14, 21),
        Headline("untraceable", "Children not found", s, 6),
        Headline("on_time_pct", "Investigations on time", 87.0, 81.5, "%"),
    ]
    return BoardFigures(
        start=date(2025, 4, 1),
        end=date(2026, 3, 31),
        previous_start=date(2024, 4, 1),
        previous_end=date(2025, 3, 31),
        headlines=headlines,
        tables=tables,
        trend=Trend(
            months=months,
            referrals=[118, 104, 96, 61, 40, 131, 142, 127, 88, 119, 151, 171],
            open_cases=[240, 251, 262, 255, 248, 270, 281, 290, 276, 284, 291, 296],
        ),
        definitions=[
            (
                "Child missing education (CME)",
                "A child of compulsory school age who is not registered at a school and is not receiving suitable education otherwise than at a school.",
            ),
            (
                "Referral",
                "A notification to the CME service that a child may be missing education.",
            ),
            ("Open case", "A case not yet closed on the last day of the period."),
            (
                "On time",
                "An initial investigation completed within 10 working days of the referral.",
            ),
            ("Suppression", "Counts from 1 to 4 are shown as “<5” in versions for distribution."),
        ],
        suppressed=suppressed,
        generated_at=datetime(2026, 4, 1, 6, 0, tzinfo=UTC),
    )


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(  # noqa: S603
        [PDFTOTEXT, "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def render_pages(pdf: bytes, tmp_path: Path, prefix: str, last: int = 3) -> list[Path]:
    ARTIFACTS.mkdir(exist_ok=True)
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    for old in ARTIFACTS.glob(f"{prefix}-*.png"):
        old.unlink()
    subprocess.run(  # noqa: S603
        [
            PDFTOPPM,
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            str(last),
            str(path),
            str(ARTIFACTS / prefix),
        ],
        check=True,
    )
    return sorted(ARTIFACTS.glob(f"{prefix}-*.png"))


# ------------------------------------------------------------------------------- helpers


def test_period_labels() -> None:
    assert period_label(date(2026, 3, 1), date(2026, 3, 31)) == "March 2026"
    assert period_label(date(2025, 12, 1), date(2025, 12, 31)) == "December 2025"
    assert period_label(date(2026, 1, 1), date(2026, 3, 31)) == "1 January 2026 to 31 March 2026"


def test_change_on_the_year_in_words() -> None:
    assert change_words(110, 100) == "up 10 (10%) from 100"
    assert change_words(90, 100) == "down 10 (10%) from 100"
    assert change_words(5, 5) == "no change from 5 last year"
    assert change_words(87.0, 81.5, "%") == "up 5.5 percentage points from 81.5%"
    assert change_words("<5", 6) == "6 in the same period last year (change not shown)"
    assert change_words(12, None) == "no figure for the same period last year"


def test_running_head_cannot_break_out_of_the_style_element() -> None:
    assert css_string('A "B" </style>') == '"A \\22 B\\22  \\3c /style\\3e "'


def test_charts_are_accessible_svg_without_xml_header() -> None:
    charts = board_charts(sample_figures())
    assert set(charts) == {"trend", "categories", "outcomes"}
    for svg in charts.values():
        assert svg.startswith("<svg")
        assert "<?xml" not in svg
        assert "<title>" in svg
        assert "<desc>" in svg
        assert 'role="img"' in svg
        # Text stays text (svg.fonttype none), in the report's font stack.
        assert "<text" in svg
        assert "Liberation Sans" in svg
        assert "DejaVuSans-" not in svg
    assert "#1d70b8" in charts["trend"]
    assert "#d4351c" in charts["trend"]
    assert "Alder" not in "".join(charts.values())


def test_a_suppressed_chart_does_not_draw_small_numbers() -> None:
    svg = trend_chart([date(2026, 1, 1), date(2026, 2, 1)], [3, 40], [2, 50], suppressed=True)
    assert "&lt;5" in svg
    assert ">3<" not in svg
    assert ": 3 referrals" not in svg
    assert "fewer than 5 open cases" in svg


# ------------------------------------------------------------------------------ the PDF


@needs_poppler
def test_the_pdf_has_its_sections_and_numbers(tmp_path: Path) -> None:
    figures = sample_figures(suppressed=False)
    started = time.perf_counter()
    pdf = render_pdf(figures, LA)
    elapsed = time.perf_counter() - started
    print(f"render_pdf took {elapsed:.2f} s for {len(pdf):,} bytes")
    assert pdf.startswith(b"%PDF")
    text = " ".join(pdf_text(pdf, tmp_path).split())
    for heading in [
        "Children missing education: report to the Safeguarding Children",
        "Contents",
        "Executive summary",
        "Charts",
        "Tables",
        "Definitions",
        "OFFICIAL-SENSITIVE",
        LA,
        "1 April 2025 to 31 March 2026",
        "1 April 2024 to 31 March 2025",
    ]:
        assert heading in text, heading
    for table in figures.tables:
        assert table.title in text, table.title
    for number in [
        "1,348",
        "1,211",
        "296",
        "251",
        "87%",
        "81.5%",
        "up 137 (11%) from 1,211",
        "down 25 (3%) from 902",
        "403",
        "Alder Primary School",
        "47.5",
    ]:
        assert number in text, number
    assert "Page 1 of" in text
    assert "Page 3 of" in text
    assert "NOT suppressed" in text
    assert "Open cases at month end" in text  # the charts' text is text in the PDF
    pages = render_pages(pdf, tmp_path, "report-page")
    assert len(pages) == 3
    for page in pages:
        assert page.stat().st_size > 5_000, page


@needs_poppler
def test_suppressed_pdf_shows_under_five_and_not_the_small_numbers(tmp_path: Path) -> None:
    pdf = render_pdf(sample_figures(suppressed=True, small=3), LA)
    text = pdf_text(pdf, tmp_path)
    assert "<5" in text
    assert "Small numbers are suppressed" in text
    # The small counts (3 police referrals, 2 unknown reasons ...) are not printed.
    lines = {" ".join(line.split()) for line in text.splitlines()}
    assert not any(line.startswith("Police 3") for line in lines)
    assert any(line.startswith("Police <5") for line in lines)
    assert not any(line.startswith("Unknown 2") for line in lines)
    render_pages(pdf, tmp_path, "report-suppressed-page", last=2)


def test_real_board_figures_render(db: None) -> None:
    figures_mod = pytest.importorskip("reports.figures")
    figures = figures_mod.board_figures(date(2026, 1, 1), date(2026, 3, 31))
    pdf = render_pdf(figures, LA)
    assert pdf.startswith(b"%PDF")
