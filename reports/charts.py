"""The board report's charts: matplotlib drawn to SVG strings for inline use in the PDF.

Text stays text in the SVG (``svg.fonttype = 'none'``) so WeasyPrint sets it in the report's
font and ``pdftotext`` can read it. Each SVG carries a <title> and <desc> for assistive
technology. A suppressed count ("<5", or 1 to 4 in a suppressed report) is never drawn at
its size: its bar is drawn at 0 and labelled "<5", and a suppressed point on a line is left
out, with a note saying so.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

BLUE = "#1d70b8"
RED = "#d4351c"
GREEN = "#00703c"
GREY = "#505a5f"
TEXT = "#0b0c0c"
SUPPRESSED = "<5"

_RC: Any = {
    "svg.fonttype": "none",
    "svg.hashsalt": "cme-board-report",  # stable ids: the same figures give the same SVG
    "font.family": "sans-serif",
    "font.sans-serif": ["Arial", "Liberation Sans", "DejaVu Sans"],
    "font.size": 9,
    "axes.edgecolor": GREY,
    "axes.labelcolor": TEXT,
    "xtick.color": TEXT,
    "ytick.color": TEXT,
    "axes.spines.top": False,
    "axes.spines.right": False,
}

Cell = int | float | str | None


def _is_hidden(value: Cell, suppressed: bool) -> bool:
    """True if the chart must not show ``value`` at its size."""
    if isinstance(value, str):
        return value.strip() == SUPPRESSED
    return suppressed and isinstance(value, int | float) and 0 < value < 5


def _number(value: Cell) -> float:
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).replace(",", ""))
    except (TypeError, ValueError):
        return 0.0


def _svg(fig: Figure, title: str, desc: str) -> str:
    """The figure as an <svg> element (no XML header or doctype), with <title> and <desc>."""
    buf = io.StringIO()
    with plt.rc_context(_RC):  # svg.fonttype is read when saving
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = buf.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, count=1, flags=re.S)
    head_end = text.index(">") + 1
    head = text[:head_end].replace("<svg ", '<svg role="img" class="chart" ', 1)
    return f"{head}\n<title>{escape(title)}</title>\n<desc>{escape(desc)}</desc>{text[head_end:]}"


def _label_bars(ax: Any, bars: Any, labels: Sequence[str]) -> None:
    for bar, label in zip(bars, labels, strict=True):
        ax.annotate(
            label,
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
            color=TEXT,
        )


def _fmt(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, int | float):
        return f"{value:,}"
    return str(value)


def trend_chart(
    months: Sequence[date],
    referrals: Sequence[Cell],
    open_cases: Sequence[Cell],
    *,
    suppressed: bool,
) -> str:
    """Referrals per month (bars) and open cases at each month end (line)."""
    labels = [f"{m:%b}\n{m:%Y}" for m in months]
    hidden_bars = [_is_hidden(v, suppressed) for v in referrals]
    heights = [0.0 if h else _number(v) for v, h in zip(referrals, hidden_bars, strict=True)]
    hidden_line = [_is_hidden(v, suppressed) for v in open_cases]
    line = [float("nan") if h else _number(v) for v, h in zip(open_cases, hidden_line, strict=True)]
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(7.0, 3.0))
        x = list(range(len(labels)))
        bars = ax.bar(x, heights, color=BLUE, label="New referrals in the month", width=0.6)
        _label_bars(
            ax,
            bars,
            [SUPPRESSED if h else _fmt(v) for v, h in zip(referrals, hidden_bars, strict=True)],
        )
        ax.plot(x, line, color=RED, marker="o", linewidth=2, label="Open cases at month end")
        ax.set_xticks(x, labels)
        ax.set_ylim(bottom=0)
        ax.margins(y=0.15)
        ax.yaxis.grid(True, color="#b1b4b6", linewidth=0.5)
        ax.set_axisbelow(True)
        ax.legend(loc="upper left", frameon=False, ncols=2, bbox_to_anchor=(0, 1.15))
        if any(hidden_line):
            fig.text(
                0,
                -0.02,
                "Months with fewer than 5 open cases are left off the line.",
                fontsize=8,
                color=GREY,
            )
    parts = [
        f"{lab.replace(chr(10), ' ')}: {SUPPRESSED if hb else _fmt(r)} referrals, "
        f"{SUPPRESSED if hl else _fmt(o)} open cases"
        for lab, r, o, hb, hl in zip(
            labels, referrals, open_cases, hidden_bars, hidden_line, strict=True
        )
    ]
    return _svg(
        fig,
        "New referrals and open cases by month",
        "Bar chart of new referrals per month with a line of open cases at each month end. "
        + "; ".join(parts)
        + ".",
    )


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[Cell],
    *,
    suppressed: bool,
    colour: str = BLUE,
) -> str:
    """Horizontal bars, one per category, each labelled with its number (or "<5")."""
    hidden = [_is_hidden(v, suppressed) for v in values]
    widths = [0.0 if h else _number(v) for v, h in zip(values, hidden, strict=True)]
    texts = [SUPPRESSED if h else _fmt(v) for v, h in zip(values, hidden, strict=True)]
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(7.0, max(1.2, 0.32 * len(labels) + 0.5)))
        y = list(range(len(labels)))
        bars = ax.barh(y, widths, color=colour, height=0.6)
        ax.set_yticks(y, labels)
        ax.invert_yaxis()
        ax.set_xlim(left=0, right=max([*widths, 1.0]) * 1.15)
        ax.xaxis.grid(True, color="#b1b4b6", linewidth=0.5)
        ax.set_axisbelow(True)
        for bar, text in zip(bars, texts, strict=True):
            ax.annotate(
                text,
                (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
                color=TEXT,
            )
    desc = "; ".join(f"{lab}: {t}" for lab, t in zip(labels, texts, strict=True))
    return _svg(fig, title, f"Bar chart. {desc}." if desc else "Bar chart with no data.")


def _table_series(table: Any) -> tuple[list[str], list[Cell]]:
    """Labels (first column) and values (first count column) of a figures Table, no total."""
    rows = list(table.rows)
    if getattr(table, "total_row", False) and rows:
        rows = rows[:-1]
    col = table.count_columns[0] if table.count_columns else 1
    return [str(r[0]) for r in rows], [r[col] for r in rows]


def board_charts(figures: Any) -> dict[str, str]:
    """The three charts of a BoardFigures, keyed trend, categories, outcomes (as SVG)."""
    tables = {t.key: t for t in figures.tables}
    charts = {
        "trend": trend_chart(
            figures.trend.months,
            figures.trend.referrals,
            figures.trend.open_cases,
            suppressed=figures.suppressed,
        )
    }
    for key, table_key, title, colour in (
        ("categories", "cases_by_category", "Cases by category", BLUE),
        ("outcomes", "outcomes", "Outcomes of closed cases", GREEN),
    ):
        if table_key in tables:
            labels, values = _table_series(tables[table_key])
            charts[key] = bar_chart(
                title, labels, values, suppressed=figures.suppressed, colour=colour
            )
    return {key: _prefix_ids(svg, key) for key, svg in charts.items()}


def _prefix_ids(svg: str, prefix: str) -> str:
    """matplotlib numbers its ids per figure, so two charts on one page share ids (invalid
    HTML, and WeasyPrint warns): give each chart's ids, and the references to them, a prefix."""
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r'(xlink:href|href)="#([^"]+)"', rf'\1="#{prefix}-\2"', svg)
    return re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
