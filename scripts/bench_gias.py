#!/usr/bin/env python
"""Benchmark ``manage.py import_schools`` on a national-size GIAS file (issue 16 item 1).

Generates a file in the published ``edubasealldata`` layout (demo/gias_file.py: 50,000 rows,
40+ MB, the header of a real extract), then runs the command, each time as its own process
under ``/usr/bin/time -v``, on a throwaway PostgreSQL database:

1. into an empty directory (every school created);
2. the same file again (every school unchanged);
3. a second file of the same URNs with other values (every school updated).

Target for each: <= 10 s wall clock (Django's start included) and <= 500 MB peak memory
(maximum resident set size).

    make bench-gias
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cme_gias_bench \\
        .venv/bin/python scripts/bench_gias.py [--rows 50000] [--keep]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import ROOT, bench_url, drop_database, recreate_database, setup_django

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cme_gias_bench"
TARGET_SECONDS = 10.0
TARGET_MB = 500.0
TIME = "/usr/bin/time"


def run_import(path: Path, url: str) -> tuple[float, float, float, str]:
    """(wall s, peak MB, its own CPU s, the command's output) of one ``import_schools``
    process. The CPU time leaves out the database server's, which shares the machine."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    command = [sys.executable, str(ROOT / "manage.py"), "import_schools", str(path)]
    timed = Path(TIME).exists()
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [TIME, "-v", *command] if timed else command,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"import_schools failed:\n{done.stdout}\n{done.stderr}")
    peak_mb = cpu = float("nan")
    if timed:
        user = re.search(r"User time \(seconds\): ([\d.]+)", done.stderr)
        system = re.search(r"System time \(seconds\): ([\d.]+)", done.stderr)
        if user and system:
            cpu = float(user.group(1)) + float(system.group(1))
        peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
        clock = re.search(
            r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", done.stderr
        )
        if peak:
            peak_mb = int(peak.group(1)) / 1024
        if clock:
            *hours_minutes, seconds = clock.group(1).split(":")
            wall = float(seconds) + sum(
                int(v) * 60**i for i, v in enumerate(reversed(hours_minutes), start=1)
            )
    return wall, peak_mb, cpu, done.stdout.strip().splitlines()[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    if (url := bench_url(DEFAULT_URL)) is None:
        return 2
    recreate_database(url)  # then migrated empty: the import is the only thing timed
    setup_django(url)
    from django.core.management import call_command

    from demo.gias_file import write_gias_file

    call_command("migrate", verbosity=0)
    workdir = Path(tempfile.mkdtemp(prefix="bench-gias-"))
    failed = False
    try:
        first = write_gias_file(workdir / "edubasealldata.csv", args.rows, seed=1)
        second = write_gias_file(workdir / "edubasealldata-next.csv", args.rows, seed=2)
        size = first.stat().st_size / 1e6
        print(f"file: {first.name}, {args.rows} rows, {size:.1f} MB (published layout)")
        load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
        print(f"load average before: {load} ({os.cpu_count()} CPUs; the server shares them)")
        print(f"\n{'run':28} {'wall s':>7} {'peak MB':>8} {'cpu s':>6}  output")
        for label, path in (
            ("1 empty directory", first),
            ("2 same file again", first),
            ("3 every school changed", second),
        ):
            wall, peak_mb, cpu, output = run_import(path, url)
            ok = wall <= TARGET_SECONDS and peak_mb <= TARGET_MB
            failed = failed or not ok
            print(
                f"{label:28} {wall:7.2f} {peak_mb:8.1f} {cpu:6.2f}  {output}{'' if ok else '  OVER'}"
            )
        print(f"\ntarget: each <= {TARGET_SECONDS:.0f} s and <= {TARGET_MB:.0f} MB: "
              f"{'FAIL' if failed else 'pass'}")  # fmt: skip
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if not args.keep:
            drop_database(url)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
