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
from matplotlib.ticker import MaxNLocator

from reports.suppression import SMALL_BELOW, SUPPRESSED

BLUE = "#1d70b8"
RED = "#d4351c"
GREEN = "#00703c"
GREY = "#505a5f"
TEXT = "#0b0c0c"
NO_CLOSURES = "No cases closed in this period"

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
    return suppressed and isinstance(value, int | float) and 0 < value < SMALL_BELOW


def _number(value: Cell) -> float:
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).replace(",", ""))
    except (TypeError, ValueError):
        return 0.0


#: SVG properties matplotlib writes as CSS in ``style=""``: WeasyPrint reads inline SVG's
#: style attributes as HTML CSS and logs "Ignored `stroke` ... unknown property" for each one,
#: so they are written as the presentation attributes SVG defines instead.
PRESENTATION = frozenset(
    {
        "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap",
        "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset",
        "stroke-opacity", "opacity", "text-anchor", "font-size", "font-family", "font-weight",
        "font-style", "clip-path",
    }
)  # fmt: skip
_QUOTE = {'"': "&quot;"}


def _declarations_as_attributes(declarations: str) -> str:
    attrs, rest = [], []
    for decl in declarations.split(";"):
        name, sep, value = decl.partition(":")
        name, value = name.strip(), value.strip()
        if not sep or not name:
            continue
        if name in PRESENTATION:
            attrs.append(f'{name}="{escape(value, _QUOTE)}"')
        else:
            rest.append(f"{name}: {value}")
    if rest:
        attrs.append(f'style="{escape("; ".join(rest), _QUOTE)}"')
    return " ".join(attrs)


def presentation_attributes(svg: str) -> str:
    """``svg`` with each ``style="..."`` of SVG properties turned into presentation attributes,
    and matplotlib's ``<style>`` rule (``*{stroke-linejoin: round; stroke-linecap: butt}``)
    moved onto the root as the same (inherited) attributes."""
    svg = re.sub(r'style="([^"]*)"', lambda m: _declarations_as_attributes(m.group(1)), svg)
    rules = re.search(r"<style[^>]*>\s*\*\s*\{([^}]*)\}\s*</style>\s*", svg)
    if rules:
        root = _declarations_as_attributes(rules.group(1))
        svg = svg[: rules.start()] + svg[rules.end() :]
        svg = svg.replace("<svg ", f"<svg {root} ", 1)
    return re.sub(r"<defs>\s*</defs>\s*", "", svg)


def _svg(fig: Figure, title: str, desc: str) -> str:
    """The figure as an <svg> element (no XML header or doctype), with <title> and <desc>."""
    buf = io.StringIO()
    with plt.rc_context(_RC):  # svg.fonttype is read when saving
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = buf.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, count=1, flags=re.S)
    text = presentation_attributes(text)
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
            # An axis label is laid out below the (two-line) month and year tick labels, so
            # the note never overlaps them (a fig.text at a fixed place did).
            ax.set_xlabel(
                "Months with fewer than 5 open cases are left off the line.",
                fontsize=8,
                color=GREY,
                loc="left",
                labelpad=6,
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
    empty: str = "",
) -> str:
    """Horizontal bars, one per category, each labelled with its number (or "<5").

    With ``empty`` and every value zero, the chart is that message alone (not a row of
    zero-length bars on a 0 to 1 axis)."""
    hidden = [_is_hidden(v, suppressed) for v in values]
    widths = [0.0 if h else _number(v) for v, h in zip(values, hidden, strict=True)]
    texts = [SUPPRESSED if h else _fmt(v) for v, h in zip(values, hidden, strict=True)]
    if empty and not any(hidden) and not any(widths):
        return empty_chart(title, empty)
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(7.0, max(1.2, 0.32 * len(labels) + 0.5)))
        y = list(range(len(labels)))
        bars = ax.barh(y, widths, color=colour, height=0.6)
        ax.set_yticks(y, labels)
        ax.invert_yaxis()
        # Counts: whole-number ticks, and room for "<5" bars (drawn at 0) to read as small.
        ax.set_xlim(left=0, right=max([*widths, 5.0 if any(hidden) else 1.0]) * 1.15)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
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


def empty_chart(title: str, message: str) -> str:
    """A chart with nothing to draw: its message, as text (no axes)."""
    with plt.rc_context(_RC):
        fig = plt.figure(figsize=(7.0, 0.6))
        fig.text(0, 0.5, message, fontsize=10, color=TEXT, va="center")
    return _svg(fig, title, message + ".")


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
    for key, table_key, title, colour, empty in (
        ("categories", "cases_by_category", "Cases by category", BLUE, ""),
        ("outcomes", "outcomes", "Outcomes of closed cases", GREEN, NO_CLOSURES),
    ):
        if table_key in tables:
            labels, values = _table_series(tables[table_key])
            charts[key] = bar_chart(
                title, labels, values, suppressed=figures.suppressed, colour=colour, empty=empty
            )
    return {key: _prefix_ids(svg, key) for key, svg in charts.items()}


def _prefix_ids(svg: str, prefix: str) -> str:
    """matplotlib numbers its ids per figure, so two charts on one page share ids (invalid
    HTML, and WeasyPrint warns): give each chart's ids, and the references to them, a prefix."""
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r'(xlink:href|href)="#([^"]+)"', rf'\1="#{prefix}-\2"', svg)
    return re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
