"""gunicorn's application for `make bench`'s capacity run (scripts/bench_capacity.py): the
project's own WSGI application (config.wsgi, the same settings and middleware) with the
bench URLs added after the real ones, and the control pages (/bench-bare/<index>/) given the
hand-written SQL of the pages they stand beside (scripts/bench_pages.py)."""

from __future__ import annotations

from bench_pages import bench_page_table
from bench_pages_admin import BARE_STATEMENTS, install_bench_urlconf

from config.wsgi import application

__all__ = ["application"]


def _install() -> None:
    from django.conf import settings
    from django.db import connections

    settings.ROOT_URLCONF = install_bench_urlconf()
    BARE_STATEMENTS[:] = [statements for _, _, _, statements, _ in bench_page_table()]
    connections.close_all()  # the worker's threads open their own


_install()
