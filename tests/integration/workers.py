"""Starting a real ``celery worker`` process on the test database, for the integration tests."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import IO
from urllib.parse import quote

from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)


def database_url() -> str:
    """A URL for the database this test session uses (the test database, not the real one)."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(s["NAME"])
        # Only SQLite's wrapper has is_in_memory_db; django-stubs type the base wrapper.
        in_memory = connection.is_in_memory_db()  # type: ignore[attr-defined]
        assert not in_memory, "the worker needs a file: see settings_test"
        return f"sqlite:///{name}"
    assert connection.vendor == "postgresql"
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = s.get("HOST") or "127.0.0.1"
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{s['NAME']}"


def start_worker(
    *, name: str, log: IO[str], env: Mapping[str, str], queues: tuple[str, ...] = ()
) -> subprocess.Popen[bytes]:
    """A solo-pool worker named ``name`` on the test database, logging to ``log``; ``env`` adds
    the broker's settings (and any other); ``queues``, when given, are all it consumes."""
    queue_args = ["-Q", ",".join(queues)] if queues else []
    return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            str(Path(sys.executable).with_name("celery")),
            *("-A", "config", "worker", "--pool", "solo", "-l", "info"),
            *queue_args,
            # One worker, alone on its broker: no cluster chatter to wait for.
            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            *("-n", name),
        ],
        cwd=BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "DATABASE_URL": database_url(),
            "DATABASE_CONN_MAX_AGE": "0",
            **env,
        },
        stdout=log,
        stderr=subprocess.STDOUT,
    )
