"""The load test of scripts/bench_pages.py: gunicorn on 127.0.0.1 with production settings
(plain HTTP allowed) and a headless locust run (scripts/locustfile.py) against it."""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import runpy
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchlib import LOCMEM_EMAIL, ROOT, STATIC_STORAGE

BENCH_PASSWORD = "bench-" + "load-test-password-1"
PORT = 8765
TARGET_P95_MS = 300.0
BIN = Path(sys.executable).parent


def gunicorn_shape() -> str:
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    return (
        f"{conf['workers']} workers x {conf['threads']} threads, {conf['worker_class']}, "
        f"keep-alive {conf['keepalive']} s"
    )


def wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.3)


def server_env(url: str) -> dict[str, str]:
    """The environment gunicorn runs in for the benches: production settings on `url`, plain
    HTTP allowed on loopback, no second factor, email in memory."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_COOKIES_SECURE": "false",
        "CME_REQUIRE_2FA": "false",
        "DJANGO_STATICFILES_STORAGE": STATIC_STORAGE,
        "DJANGO_EMAIL_BACKEND": LOCMEM_EMAIL,
    }


@contextlib.contextmanager
def gunicorn(
    env: dict[str, str], port: int, folder: Path, app: str = "config.wsgi"
) -> Iterator[subprocess.Popen[bytes]]:
    """gunicorn (gunicorn.conf.py as in production) serving `app` on 127.0.0.1:`port`, with
    its log in `folder`, once every worker is warmed up; stopped on leaving."""
    folder.mkdir(parents=True, exist_ok=True)
    log_path = folder / "gunicorn.log"
    log = log_path.open("w")
    process = subprocess.Popen(  # noqa: S603
        # gunicorn.conf.py as in production, on loopback, with an access log for the bench.
        [
            str(BIN / "gunicorn"),
            app,
            "--config",
            "gunicorn.conf.py",
            "--pythonpath",
            str(ROOT / "scripts"),
            "-b",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "-",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", 30)
        # Every worker warmed up (gunicorn.conf.py's post_worker_init), not only the first.
        workers = int(runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"])
        deadline = time.monotonic() + 60
        while log_path.read_text().count(" ready") < workers:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"gunicorn's workers did not all start: see {log_path}")
            time.sleep(0.3)
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


def locust_env(env: dict[str, str], users: dict[str, Any], refs: list[str]) -> dict[str, str]:
    """`env` with the accounts and cases scripts/locustfile.py reads."""
    return {
        **env,
        "BENCH_PASSWORD": BENCH_PASSWORD,
        "BENCH_OFFICERS": ",".join(u.email for u in users["officers"]),
        "BENCH_MANAGERS": ",".join(u.email for u in users["managers"]),
        "BENCH_STAFF": ",".join(u.email for u in users["staff"]),
        "BENCH_CASES": ",".join(refs),
    }


def case_refs() -> list[str]:
    """300 open cases on children who are not restricted, for the case pages of the mix."""
    from casework.models import Case, CaseStatus

    return list(
        Case.objects.filter(status=CaseStatus.OPEN, child__restricted=False)
        .order_by("?")
        .values_list("reference", flat=True)[:300]
    )


def load_bench(url: str, users: dict[str, Any], args: argparse.Namespace) -> bool:
    from django.db import connections

    refs = case_refs()
    connections.close_all()
    host = f"http://127.0.0.1:{PORT}"
    env = server_env(url)
    tmp = Path(tempfile.mkdtemp(prefix="cme-bench-"))
    with gunicorn(env, PORT, tmp):
        prefix = tmp / "locust"
        print()
        print(
            f"load: locust -u {args.users} -r 10 -t {args.run_time} against gunicorn "
            f"(gunicorn.conf.py: {gunicorn_shape()}) on {host}"
        )
        subprocess.run(  # noqa: S603
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "scripts" / "locustfile.py"),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                "10",
                "-t",
                args.run_time,
                "--host",
                host,
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--stop-timeout",
                "5",
            ],
            cwd=ROOT,
            env=locust_env(env, users, refs),
            check=False,
            timeout=600,
            stdout=subprocess.DEVNULL,
        )
    return print_locust_stats(tmp)


def print_locust_stats(tmp: Path) -> bool:
    """Print locust's summary (from its CSVs in `tmp`); True if it met the targets."""
    with (tmp / "locust_stats.csv").open() as f:
        rows = list(csv.DictReader(f))
    header = f"{'request':34} {'count':>6} {'fails':>6} {'median':>7} {'p95':>6} {'req/s':>6}"
    print(header)
    print("-" * len(header))
    total: dict[str, str] = {}
    for row in rows:
        if row["Name"] == "Aggregated":
            total = row
            continue
        print(
            f"{row['Type'] + ' ' + row['Name']:34} {row['Request Count']:>6} "
            f"{row['Failure Count']:>6} {row['Median Response Time']:>7} {row['95%']:>6} "
            f"{float(row['Requests/s']):6.1f}"
        )
    fails = int(total["Failure Count"])
    p95 = float(total["95%"])
    print("-" * len(header))
    print(
        f"{'all':34} {total['Request Count']:>6} {fails:>6} "
        f"{total['Median Response Time']:>7} {p95:>6.0f} {float(total['Requests/s']):6.1f}"
    )
    ok = fails == 0 and p95 <= TARGET_P95_MS
    print(
        f"throughput {float(total['Requests/s']):.1f} req/s, p95 {p95:.0f} ms, "
        f"{fails} errors   targets (0 errors, p95 <= {TARGET_P95_MS:.0f} ms): "
        f"{'PASS' if fails == 0 else 'FAIL'} {'PASS' if p95 <= TARGET_P95_MS else 'FAIL'}"
    )
    failures = tmp / "locust_failures.csv"
    if fails and failures.exists():
        print(failures.read_text()[:2000])
    print(f"(locust CSVs and gunicorn log in {tmp})")
    return ok
