"""gunicorn's settings for the web container and `make bench` (gunicorn reads this file from
the working directory). Anything here can be overridden on the command line."""

import multiprocessing
import os

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
# No access log: request lines can carry query strings (see LOGGING in cme/settings.py).
accesslog = None
errorlog = "-"
