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

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cme_report_bench"
TARGET_SECONDS = 5.0


def admin_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


def recreate_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    admin, name = admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str) -> None:
    import psycopg
    from django.db import connections
    from psycopg import sql

    connections.close_all()
    admin, name = admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if "bench" not in url:
        print("refusing: DATABASE_URL must name a throwaway *bench* database")
        return 2
    recreate_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_DEBUG"] = "true"  # seed_scale refuses production settings
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from reports.charts import board_charts
    from reports.csv_pack import csv_pack
    from reports.figures import board_figures
    from reports.pdf import condense, render_pdf
    from reports.suppression import suppress

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("seed_scale", children=args.children, seed=1, verbosity=0)
    print(f"setup: migrate + seed_scale --children {args.children}: "
          f"{time.perf_counter() - started:.1f} s")
    from casework.models import Case, Child

    print(f"data: {Child.objects.count():,} children, {Case.objects.count():,} cases")

    today = timezone.localdate()
    end = today.replace(day=1) - timedelta(days=1)  # the last full month
    start = date(end.year - 1, end.month, 1) + timedelta(days=31)
    start = start.replace(day=1)
    print(f"report period: {start} to {end} (12 months), suppression on")

    # Warm up once (imports, Pango, fonts), as a long-running worker would be.
    render_pdf(suppress(condense(board_figures(start, end))), settings.CME_LA_NAME)

    rows = []
    for _ in range(args.repeat):
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
        rows.append((t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0, len(queries), len(pdf), len(csv_text)))

    def med(i: int) -> float:
        return statistics.median(r[i] for r in rows)

    total = med(4)
    print()
    print(f"{'step':32} {'median s':>9}")
    print(f"{'figures (' + str(rows[0][5]) + ' queries)':32} {med(0):9.2f}")
    print(f"{'suppression + SVG charts':32} {med(1):9.2f}")
    print(f"{'PDF rendering (WeasyPrint)':32} {med(2):9.2f}")
    print(f"{'CSV data pack':32} {med(3):9.3f}")
    print(f"{'end to end':32} {total:9.2f}   target <= {TARGET_SECONDS:.0f} s: "
          f"{'PASS' if total <= TARGET_SECONDS else 'FAIL'}")
    print(f"PDF {rows[0][6] / 1024:.0f} KB, CSV {rows[0][7] / 1024:.0f} KB, {args.repeat} runs")
    if not args.keep:
        drop_database(url)
    return 0 if total <= TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
