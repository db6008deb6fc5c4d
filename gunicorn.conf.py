"""gunicorn's settings for the web container and `make bench` (gunicorn reads this file from
the working directory). Anything here can be overridden on the command line."""

import gc
import multiprocessing
import os
from typing import Any

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Processes x threads: processes use the cores (pages are mostly Python, which holds the GIL);
# threads overlap the waits on PostgreSQL. gunicorn's advice: 2 x cores + 1 processes.
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * multiprocessing.cpu_count() + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread"
timeout = 60
graceful_timeout = 30
# Keep idle connections open longer than a client (or the reverse proxy) waits between
# requests: with gunicorn's default of 2 s, a browser or proxy that sends its next request on
# a connection gunicorn is closing gets "connection reset by peer". The proxy in front must
# use a shorter idle timeout than this.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))
# gunicorn believes X-Forwarded-Proto (as wsgi.url_scheme) from these addresses, Django from
# CME_TRUSTED_PROXIES (cme.middleware.TrustedProxyHeadersMiddleware): the same list, so a
# client on the host itself is not taken to be on HTTPS. Unset, gunicorn's default (loopback).
if os.environ.get("CME_TRUSTED_PROXIES"):
    forwarded_allow_ips = os.environ["CME_TRUSTED_PROXIES"]
# No access log: request lines can carry query strings (see LOGGING in config/settings.py).
accesslog = None
errorlog = "-"


def post_worker_init(worker: Any) -> None:
    """Import every view and compile the page templates before the worker takes a request:
    Django does both lazily, so without this the first request to each new worker (after a
    deploy, or when gunicorn replaces a worker) waits a second or more."""
    from django.template import engines
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and every view module
    for name in ("base.html", "registration/login.html"):
        get_template(name)
    for engine in engines.all():
        getattr(engine, "engine", None)  # builds each Django engine and its cached loaders
    # Everything loaded so far lives as long as the worker: move it out of the collector's
    # sight, so a full collection scans only what requests allocate. Without this a page now
    # and then paused 50-60 ms for a full collection (measured on the register and triage
    # over 300 requests: max 52-62 ms; frozen, max 11-12 ms, medians unchanged).
    gc.freeze()
    worker.log.info("Worker %s ready", worker.pid)
