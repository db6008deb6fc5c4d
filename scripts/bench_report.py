#!/usr/bin/env python
"""Benchmark the safeguarding board report end to end (issue 5 item 6).

Fills a throwaway PostgreSQL database with `manage.py seed_scale --children 100000`
(100,000 children, 20,000 cases over five years), then times a 12-month report the way a
report run builds it — figures (the queries), suppression, charts, PDF and CSV — and prints
the split. Target: end to end <= 5 s.

    make bench-report
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cme_report_bench \\
        .venv/bin/python scripts/bench_report.py [--children 100000] [--repeat 3] [--keep]
"""

from __future__ import annotations

import statistics
import time
from datetime import date, timedelta
from typing import Any

from benchlib import drop_database, scale_bench

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cme_report_bench"
TARGET_SECONDS = 5.0


def report_period(today: date) -> tuple[date, date]:
    """The last twelve full months."""
    end = today.replace(day=1) - timedelta(days=1)  # the last full month
    start = date(end.year - 1, end.month, 1) + timedelta(days=31)
    return start.replace(day=1), end


def time_report(start: date, end: date, repeat: int) -> list[tuple[Any, ...]]:
    """Each run's split: figures, suppression + charts, PDF, CSV, total (s); queries, bytes."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.charts import board_charts
    from reports.csv_pack import csv_pack
    from reports.figures import board_figures
    from reports.pdf import condense, render_pdf
    from reports.suppression import suppress

    # Warm up once (imports, Pango, fonts), as a long-running worker would be.
    render_pdf(suppress(condense(board_figures(start, end))), settings.CME_LA_NAME)

    rows = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            figures = board_figures(start, end)
        t1 = time.perf_counter()
        shown = suppress(condense(figures))
        charts = board_charts(shown)
        t2 = time.perf_counter()
        pdf = render_pdf(shown, settings.CME_LA_NAME, charts=charts)
        t3 = time.perf_counter()
        csv_text = csv_pack(suppress(figures))
        t4 = time.perf_counter()
        rows.append(
            (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0, len(queries), len(pdf), len(csv_text))
        )
    return rows


def print_split(rows: list[tuple[Any, ...]]) -> float:
    """Print the median of each step; the median end to end."""

    def med(i: int) -> float:
        return float(statistics.median(r[i] for r in rows))

    total = med(4)
    print()
    print(f"{'step':32} {'median s':>9}")
    print(f"{'figures (' + str(rows[0][5]) + ' queries)':32} {med(0):9.2f}")
    print(f"{'suppression + SVG charts':32} {med(1):9.2f}")
    print(f"{'PDF rendering (WeasyPrint)':32} {med(2):9.2f}")
    print(f"{'CSV data pack':32} {med(3):9.3f}")
    print(f"{'end to end':32} {total:9.2f}   target <= {TARGET_SECONDS:.0f} s: "
          f"{'PASS' if total <= TARGET_SECONDS else 'FAIL'}")  # fmt: skip
    print(f"PDF {rows[0][6] / 1024:.0f} KB, CSV {rows[0][7] / 1024:.0f} KB, {len(rows)} runs")
    return total


def main() -> int:
    bench = scale_bench(DEFAULT_URL, __doc__, repeat=3)
    if bench is None:
        return 2
    args, url = bench
    from django.utils import timezone

    from casework.models import Case, Child

    print(f"data: {Child.objects.count():,} children, {Case.objects.count():,} cases")
    start, end = report_period(timezone.localdate())
    print(f"report period: {start} to {end} (12 months), suppression on")
    total = print_split(time_report(start, end, args.repeat))
    if not args.keep:
        drop_database(url)
    return 0 if total <= TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
