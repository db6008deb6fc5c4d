#!/usr/bin/env python
"""Benchmark every page that had a school dropdown, with the demo directory and then with the
national one (issue 16 item 2).

Fills a throwaway PostgreSQL database with ``seed_demo`` (five schools), times each page in
process (django.test.Client: the median of `--requests` after warm-ups), then imports a
generated national-size GIAS file (demo/gias_file.py: 50,000 establishments) and times the
same pages again. Targets for each page with the national directory: HTML <= 200 KB and the
median server time <= 2x the same page with the demo directory. The school search itself
(the autocomplete's JSON) is timed too, and must stay under 200 ms with the national one.

    make bench-pickers
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cme_picker_bench \\
        .venv/bin/python scripts/bench_pickers.py [--rows 50000] [--requests 15] [--keep]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchlib import bench_url, drop_database, recreate_database, setup_page_django, timed_gets

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cme_picker_bench"
TARGET_KB = 200.0
TARGET_RATIO = 2.0
TARGET_SEARCH_MS = 200.0


def pages() -> list[tuple[str, str, str]]:
    """(page, who, URL) for every page that had a school <select>, and the search."""
    from django.urls import reverse

    from casework.models import Case, CaseStatus

    search = reverse("schools:school_search")
    case = Case.objects.filter(status=CaseStatus.OPEN, child__restricted=False).order_by("pk")
    reference = case.values_list("reference", flat=True).first()
    assert reference is not None  # noqa: S101 - seed_demo makes open cases
    return [
        ("joiner return", "school", reverse("schools:return_start", args=["joiner"])),
        ("leaver return", "school", reverse("schools:return_start", args=["leaver"])),
        ("school referral", "school", reverse("referrals:new")),
        ("public referral", "public", reverse("referrals:public_start")),
        ("officer referral", "officer", reverse("referrals:new")),
        ("LA returns list", "officer", reverse("schools:la_returns")),
        ("register", "officer", reverse("cases:register")),
        ("case close", "officer", reverse("cases:close", args=[reference])),
        *(
            (f"search {q!r} (JSON)", "officer", f"{search}?q={q}&format=json")
            for q in ("primary", "alder", "ex1")
        ),
    ]


def measure(clients: dict[str, Any], n: int) -> dict[str, tuple[float, float]]:
    """Per page: (KB of HTML, median ms)."""
    found: dict[str, tuple[float, float]] = {}
    for name, who, url in pages():
        times, response = timed_gets(clients[who], url, n)
        found[name] = (len(response.content) / 1024, statistics.median(times))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    if (url := bench_url(DEFAULT_URL)) is None:
        return 2
    recreate_database(url)
    setup_page_django(url)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings

    from cme.models import User
    from demo.gias_file import write_gias_file
    from schools.models import School

    workdir = Path(tempfile.mkdtemp(prefix="bench-pickers-"))
    try:
        call_command("migrate", verbosity=0)
        call_command("seed_demo", verbosity=0)
        clients: dict[str, Any] = {"public": Client()}
        for who, email in (
            ("school", "staff@alder.example.sch.uk"),
            ("officer", "officer@la.example.gov.uk"),
        ):
            clients[who] = Client()
            clients[who].force_login(User.objects.get(email=email))
        with override_settings(DEBUG=False, CME_REQUIRE_2FA=False, ALLOWED_HOSTS=["testserver"]):
            connection.force_debug_cursor = False
            demo_count = School.objects.count()
            demo = measure(clients, args.requests)
            path = write_gias_file(workdir / "edubasealldata.csv", args.rows, seed=1)
            started = time.perf_counter()
            call_command("import_schools", str(path), verbosity=0)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE schools_school")
            national_count = School.objects.count()
            print(
                f"directory: demo {demo_count} schools; national {national_count} "
                f"(import {time.perf_counter() - started:.1f} s)"
            )
            national = measure(clients, args.requests)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if not args.keep:
            drop_database(url)

    failed = False
    print(f"\n{'page':22} {'KB':>7} {'ms demo':>8} {'ms national':>12} {'ratio':>6}")
    for name, (kb, ms) in national.items():
        demo_ms = demo[name][1]
        ratio = ms / demo_ms
        ok = kb <= TARGET_KB and ratio <= TARGET_RATIO
        if name.startswith("search"):
            ok = ms <= TARGET_SEARCH_MS
        failed = failed or not ok
        print(f"{name:22} {kb:7.1f} {demo_ms:8.1f} {ms:12.1f} {ratio:6.2f}{'' if ok else '  OVER'}")
    print(
        f"\ntarget: HTML <= {TARGET_KB:.0f} KB and time <= {TARGET_RATIO:.0f}x the demo "
        f"directory's; the search <= {TARGET_SEARCH_MS:.0f} ms: "
        f"{'FAIL' if failed else 'pass'}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
