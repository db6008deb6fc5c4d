"""What the benchmarks share (scripts/bench_*.py): the throwaway PostgreSQL database each
one fills, Django set up on it, the seeded data set, and percentiles.

Each script puts the project on ``sys.path`` by importing this module first (the scripts
run as ``python scripts/bench_*.py``, so this directory is on the path already).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LOCMEM_EMAIL = "django.core.mail.backends.locmem.EmailBackend"
#: Static files without the collectstatic manifest (the benches never run collectstatic).
STATIC_STORAGE = "django.contrib.staticfiles.storage.StaticFilesStorage"


def admin_url(url: str) -> tuple[str, str]:
    """The server's maintenance database URL, and the name of the database in `url`."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


def _admin_execute(url: str, statement: str, *, only_if_missing: bool = False) -> bool:
    """Run `statement` (``{}``: the database's name) on the server; False if skipped."""
    import psycopg
    from psycopg import sql

    admin, name = admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if only_if_missing and exists:
            return False
        conn.execute(sql.SQL(statement).format(sql.Identifier(name)))
    return True


def recreate_database(url: str) -> None:
    """Drop the database in `url` if it is there, and create it empty."""
    _admin_execute(url, "DROP DATABASE IF EXISTS {}")
    _admin_execute(url, "CREATE DATABASE {}")


def ensure_database(url: str) -> None:
    """Create the database in `url` if it is missing."""
    if _admin_execute(url, "CREATE DATABASE {}", only_if_missing=True):
        print(f"created database {admin_url(url)[1]}")


def drop_database(url: str) -> None:
    """Close Django's connections and drop the database in `url`."""
    from django.db import connections

    connections.close_all()
    _admin_execute(url, "DROP DATABASE IF EXISTS {}")


def bench_url(default: str) -> str | None:
    """DATABASE_URL (or `default`); None, with the reason printed, unless it names a
    throwaway *bench* database."""
    url = os.environ.get("DATABASE_URL", default)
    if "bench" not in url:
        print("refusing: DATABASE_URL must name a throwaway *bench* database")
        return None
    return url


def setup_django(
    url: str, env: dict[str, str] | None = None, defaults: dict[str, str] | None = None
) -> None:
    """Django on `url` with the project's settings: `env` set over the caller's environment,
    `defaults` where it has none."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.update(env or {})
    for name, value in (defaults or {}).items():
        os.environ.setdefault(name, value)
    import django

    django.setup()


def setup_page_django(url: str) -> None:
    """Django for timing pages in process: DEBUG on (the demo seeders refuse production
    settings), no second factor to sign in, static files without a manifest, email in memory."""
    setup_django(
        url,
        env={
            "DJANGO_DEBUG": "true",
            "CME_REQUIRE_2FA": "false",
            "DJANGO_STATICFILES_STORAGE": STATIC_STORAGE,
        },
        defaults={"DJANGO_EMAIL_BACKEND": LOCMEM_EMAIL},
    )


def seed_scale(children: int, *, analyze: bool = False) -> None:
    """Migrate and fill the database with ``seed_scale --children N --seed 1``, timed."""
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("seed_scale", children=children, seed=1, verbosity=0)
    if analyze:
        with connection.cursor() as cursor:  # fresh statistics, as autovacuum would leave
            cursor.execute("ANALYZE")
    print(
        f"setup: migrate + seed_scale --children {children}: {time.perf_counter() - started:.1f} s"
    )


def pct(values: list[float], p: float) -> float:
    """The `p`th percentile of `values` (nearest rank)."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def timed_gets(client: Any, url: str, n: int, warmup: int = 3) -> tuple[list[float], Any]:
    """The ms each of `n` GETs of `url` took, after `warmup` untimed ones (every one answered
    200), and the last response."""
    response: Any = None
    for _ in range(warmup):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)  # noqa: S101
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)  # noqa: S101
    return times, response


def bench_args(description: str, *, repeat: int) -> argparse.Namespace:
    """The arguments every data benchmark takes: --children, --repeat and --keep."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=repeat)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args()


def scale_bench(
    default_url: str, doc: str | None, *, repeat: int, analyze: bool = False
) -> tuple[argparse.Namespace, str] | None:
    """A data benchmark's start: its arguments (described by the first paragraph of `doc`),
    and its bench database recreated and filled by `seed_scale`; None (the reason printed)
    unless DATABASE_URL (or `default_url`) names a throwaway *bench* database."""
    args = bench_args((doc or "").split("\n\n")[0], repeat=repeat)
    url = bench_url(default_url)
    if url is None:
        return None
    recreate_database(url)
    setup_django(url, env={"DJANGO_DEBUG": "true"})  # seed_scale refuses production settings
    seed_scale(args.children, analyze=analyze)
    return args, url
