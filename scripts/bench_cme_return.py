#!/usr/bin/env python
"""Benchmark the termly CME return (issue 15): every breakdown at a census date, as the
managers' return screen computes it, and "Mark as submitted" (the children counted, frozen).

Fills a throwaway PostgreSQL database with `manage.py seed_scale --children 100000`
(100,000 children, 20,000 cases over five years), adds a census date a fortnight ago (so the
scale data's open cases are counted), then times the figures and the submission. Target: a
term's return (the figures) <= 2 s.

    make bench-cme-return
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cme_return_bench \\
        .venv/bin/python scripts/bench_cme_return.py [--children 100000] [--repeat 5] [--keep]
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

from benchlib import drop_database, scale_bench

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cme_return_bench"
TARGET_SECONDS = 2.0


def main() -> int:
    bench = scale_bench(DEFAULT_URL, __doc__, repeat=5, analyze=True)
    if bench is None:
        return 2
    args, url = bench

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from casework.models import Case, Child, Event
    from cme.models import User
    from reports.census_services import census_submit
    from reports.figures.census import census_figures
    from reports.models import CensusDate, Term

    census_day = timezone.localdate() - timedelta(days=14)
    census, _ = CensusDate.objects.get_or_create(
        census_date=census_day, defaults={"academic_year": 2099, "term": Term.AUTUMN}
    )
    print(
        f"data: {Child.objects.count():,} children, {Case.objects.count():,} cases, "
        f"{Event.objects.count():,} events; census date {census_day}"
    )
    census_figures(census_day)  # warm up (connections, plans)
    times, queries = [], 0
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            figures = census_figures(census_day)
        times.append(time.perf_counter() - t0)
        queries = len(captured)
    by = User.objects.filter(role="manager").first() or User.objects.first()
    if by is None:
        print("no user in the scale data to submit as")
        return 2
    t0 = time.perf_counter()
    submission = census_submit(census=census, by=by)
    submit = time.perf_counter() - t0
    median = float(statistics.median(times))
    print()
    print(f"{'step':40} {'median s':>9}")
    print(f"{'figures, every breakdown (' + str(queries) + ' queries)':40} {median:9.3f}")
    print(f"{'slowest of ' + str(args.repeat):40} {max(times):9.3f}")
    print(
        f"{'mark as submitted (' + str(len(submission.children)) + ' children)':40} {submit:9.3f}"
    )
    print(
        f"counted: {figures.total:,}; checks: "
        + ", ".join(f"{c.key} {c.count}" for c in figures.checks)
    )
    verdict = "PASS" if median <= TARGET_SECONDS else "FAIL"
    print(f"term's return: {median:.3f} s, target <= {TARGET_SECONDS:.0f} s: {verdict}")
    if not args.keep:
        drop_database(url)
    return 0 if median <= TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
