"""Test settings: the production module with the few things tests need relaxed.

Environment variables are set before importing the base so that it reads them (Celery reads
its configuration once: eager mode must be decided here, not in a fixture).
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ.setdefault("CME_DEMO", "true")  # the demo data and its commands are tested
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault(
    "DJANGO_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
)

from config.settings import *  # noqa: F403

ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Tests travel in time (time_machine) after signing in: a session must outlive the jump.
# The idle expiry itself is tested with override_settings.
SESSION_COOKIE_AGE = 10 * 365 * 24 * 60 * 60
# Most tests sign in with force_login, which verifies no two-factor code: the 2FA tests (and
# the browser journeys' sign-in) turn it on with override_settings / the settings fixture.
CME_REQUIRE_2FA = False
# Tests serve static files from the finders; no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# One process: a local-memory cache, whatever REDIS_URL says (tests clear it between them).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The real-worker test (tests/integration) needs a database another process can open: on
# SQLite, a file (one per test run, so two runs in one tree do not share it), not memory.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"cme-test-{os.getpid()}.sqlite3")
    }
# ... and, without Redis, a private filesystem broker folder (never `make run`'s var/celery).
if CELERY_BROKER_URL.startswith("filesystem") and os.environ.get("CME_TEST_CELERY_DIR"):  # noqa: F405
    _dir = os.environ["CME_TEST_CELERY_DIR"]
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": os.path.join(_dir, "queue"),
        "data_folder_out": os.path.join(_dir, "queue"),
        "processed_folder": os.path.join(_dir, "processed"),
        "control_folder": os.path.join(_dir, "control"),
        "store_processed": False,
    }

# The multi-host test's beat probe (tests/integration/test_multihost.py): a task sent every
# second to a queue nothing consumes, so that the test sees which beat process sent what.
if os.environ.get("CME_TEST_BEAT_PROBE_QUEUE"):
    CELERY_BEAT_SCHEDULE["multihost_beat_probe"] = {  # noqa: F405
        "task": "tests.integration.beat_probe",
        "schedule": 1.0,
        "options": {"queue": os.environ["CME_TEST_BEAT_PROBE_QUEUE"]},
    }
