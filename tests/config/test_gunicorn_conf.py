"""gunicorn.conf.py: the web server's settings for Docker and `make bench`."""

from __future__ import annotations

import gc
import logging
import runpy
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_idle_connections_outlive_a_clients_pause_and_there_is_no_access_log(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GUNICORN_KEEPALIVE", raising=False)
    conf = runpy.run_path(str(CONF))
    # A browser or proxy reusing a connection gunicorn is closing gets "connection reset".
    assert conf["keepalive"] >= 60
    assert conf["worker_class"] == "gthread"
    assert conf["accesslog"] is None  # request lines can carry query strings
    assert conf["workers"] >= 1
    assert conf["threads"] >= 1


def test_a_worker_is_warmed_up_before_it_takes_requests(caplog: pytest.LogCaptureFixture) -> None:
    class Worker:
        pid = 4242
        log = logging.getLogger("gunicorn.error")

    conf = runpy.run_path(str(CONF))
    gc.unfreeze()
    try:
        with caplog.at_level(logging.INFO, logger="gunicorn.error"):
            conf["post_worker_init"](Worker())
        # What was loaded is out of the collector's sight: no full-collection pauses for it.
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    assert "Worker 4242 ready" in caplog.text
    from django.urls import get_resolver

    assert get_resolver().url_patterns  # the URLconf and every view module are imported
