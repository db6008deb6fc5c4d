"""Settings for CME casework: the one module that reads the environment.

Defaults suit production (DEBUG off, secure cookies, secrets required). `make run` and the
tests set the few variables that relax them (see scripts/run-dev.sh and config/settings_test.py).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import django_stubs_ext
import environ
from django.core.exceptions import ImproperlyConfigured

# Generic Django classes (ModelAdmin[Case], ModelForm[School]) at runtime, as mypy strict wants.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"  # SQLite file, Celery folders and beat schedule for `make run`
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(str(BASE_DIR / ".env"))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Management commands run anywhere with the placeholder key, but a production web process
# refuses to start with it (config/wsgi.py) and `check --deploy` flags it.
INSECURE_DEV_SECRET_KEY = "django-insecure-dev-only-key-for-make-run"  # noqa: S105
SECRET_KEY = env("DJANGO_SECRET_KEY", default=INSECURE_DEV_SECRET_KEY)
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "cme.admin_site.CmeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "simple_history",
    "cme",
    "schools",
    "referrals",
    "casework",
    "transfers",
    "ehe",
    "cnis",
    "reports",
]
# The demo app (seed_demo, seed_scale, demo_totp) is for `make run`, the tests and the
# benchmarks: never in production. Production has a real secret key and DEBUG off (the web
# process refuses the placeholder key: config/wsgi.py), so that is what leaves it out.
CME_DEMO = env.bool("CME_DEMO", default=DEBUG or SECRET_KEY == INSECURE_DEV_SECRET_KEY)
if CME_DEMO:
    INSTALLED_APPS.append("demo")

MIDDLEWARE = [
    # X-Forwarded-Proto and -For are dropped unless from CME_TRUSTED_PROXIES (cme/net.py).
    "cme.middleware.TrustedProxyHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # NUL in a path or query string: 400 before any view or database sees it.
    "cme.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cme.middleware.SlidingSessionMiddleware",
    # django-otp's, and a single sign-on session counts as verified (cme/sso.py).
    "cme.middleware.OTPOrSingleSignOnMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records the signed-in user as history_user on every change (the audit trail).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cme.middleware.ContentSecurityPolicyMiddleware",
    "cme.middleware.NoStoreForSignedInMiddleware",
    "cme.middleware.RequireOTPMiddleware",
    # DEBUG (make run) only: the GOV.UK 404 page, not Django's technical one.
    "cme.middleware.GovukNotFoundUnderDebugMiddleware",
    # Last: turns a lockout into the lockout page (django-axes).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.service",
            ],
            # GOV.UK style times and hours (|govuk_time, |govuk_datetime, |hours) everywhere.
            "builtins": ["cme.templatetags.govuk_format"],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# A cache of what can be worked out again (the dashboard's figures). With REDIS_URL, Redis
# behind a backend that fails open with short timeouts (cme/cache.py): Redis down, the pages
# still answer. Limits and lockouts are counted in the database, never here (cme/limits.py).
def cache_settings(config: dict[str, object]) -> dict[str, object]:
    """A cache as django-environ parsed it; Redis becomes the fail-open backend."""
    if config["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        timeout = env.float("REDIS_CACHE_TIMEOUT_SECONDS", default=0.5)
        options = dict(config.get("OPTIONS") or {})  # type: ignore[call-overload]
        options.update(socket_connect_timeout=timeout, socket_timeout=timeout)
        return {**config, "BACKEND": "cme.cache.FailOpenRedisCache", "OPTIONS": options}
    return config


CACHES = {"default": cache_settings(env.cache("REDIS_URL", default="locmemcache://"))}
# After a cache failure, this process does not try Redis again for this many seconds.
CME_CACHE_RETRY_SECONDS = env.int("CME_CACHE_RETRY_SECONDS", default=5)

AUTH_USER_MODEL = "cme.User"
# django-axes first: it refuses a locked-out email address and IP address before the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2id first (docs/decisions/006-password-hashing.md); the others verify older hashes,
# which are re-hashed with Argon2id at their next sign-in.
PASSWORD_HASHERS = [
    "cme.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2  # two hours: a reset link is a key to children's data

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files that outlive a request (built board reports) are on no host's disk
# (docs/decisions/018-no-state-on-a-host.md): "private" is the database (cme.storage), or
# S3-compatible object storage through django-storages when CME_S3_BUCKET is set. Neither has
# a URL: the files are served only by views that check who is asking.
CME_S3_BUCKET = env("CME_S3_BUCKET", default="")
_private_storage: dict[str, object] = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": CME_S3_BUCKET,
            "endpoint_url": env("CME_S3_ENDPOINT_URL", default="") or None,
            "region_name": env("CME_S3_REGION", default="") or None,
            "access_key": env("CME_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("CME_S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env("CME_S3_PREFIX", default="cme"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if CME_S3_BUCKET
    else {"BACKEND": "cme.storage.DatabaseStorage"}
)
STORAGES = {
    "default": _private_storage,
    "private": _private_storage,
    "staticfiles": {
        "BACKEND": env(
            "DJANGO_STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
MEDIA_ROOT = env("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Before issue 18, built reports were files under this folder on the worker that built them:
# migration reports.0004 copies any still there into the private storage.
CME_REPORT_STORAGE = env("CME_REPORT_STORAGE", default=str(VAR_DIR / "reports"))
# Uploads are refused above this size before they reach a view (GIAS files, attachments).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The file data one request may carry, counted as it is read, before it is stored
# (cme/uploads.py): the largest file a form takes, the GIAS upload's 20 MB.
CME_MAX_UPLOAD_BYTES = env.int("CME_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "cme.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Email: console in `make run`, SMTP in production.
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="cme-team@example.gov.uk")
# Seconds an SMTP connect or send may take (Django's SMTP backend reads it). Every email goes
# through the outbox (cme.outbox) and a Celery task: no web request waits on the mail server.
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=10)
# Who delivers the outbox (cme.outbox): "smtp" (the default, Django's EMAIL_BACKEND above) or
# "notify", GOV.UK Notify through its official client (docs/decisions/011-notify.md): emails
# and, only there, letters. Its requests time out after EMAIL_TIMEOUT seconds, like SMTP.
CME_EMAIL_PROVIDER = env("CME_EMAIL_PROVIDER", default="smtp")
if CME_EMAIL_PROVIDER not in {"smtp", "notify"}:
    raise ImproperlyConfigured("CME_EMAIL_PROVIDER is smtp or notify")
# The key (`{name}-{service id}-{secret}`, from Notify's API integration page) is required in
# production when Notify is chosen: no default, as for the secret key.
NOTIFY_API_KEY = (
    env("NOTIFY_API_KEY")
    if CME_EMAIL_PROVIDER == "notify" and not DEBUG
    else env("NOTIFY_API_KEY", default="")
)
NOTIFY_BASE_URL = env("NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")
# Notify templates: one generic email template and one letter template whose content is
# ((subject)) and ((body)) (the app writes the words, as for SMTP), and optionally one per kind
# of message (same placeholders, plus the kind's own fields) where the council wants them.
NOTIFY_EMAIL_TEMPLATE_ID = env("NOTIFY_EMAIL_TEMPLATE_ID", default="")
NOTIFY_LETTER_TEMPLATE_ID = env("NOTIFY_LETTER_TEMPLATE_ID", default="")
NOTIFY_TEMPLATES = {
    kind: env(f"NOTIFY_TEMPLATE_{kind.upper()}", default="")
    for kind in (
        "escalation",
        "closure",
        "referrer_triage",
        "notification",
        "password_reset",
        "referrer_outcome_letter",
        "transfer_sent",  # to another LA's CME team: a link, no personal data (ADR 015)
    )
}
# Notify's reply-to address id (Settings > Reply-to email addresses), if the service has one.
NOTIFY_EMAIL_REPLY_TO_ID = env("NOTIFY_EMAIL_REPLY_TO_ID", default="")

# Security. Production defaults are strict; `make run` serves plain HTTP on loopback.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# DJANGO_COOKIES_SECURE=false only for the plain-HTTP load test on 127.0.0.1 (make bench).
SESSION_COOKIE_SECURE = env.bool("DJANGO_COOKIES_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Idle sessions end: a shared office PC must not stay signed in to children's records.
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_IDLE_SECONDS", default=30 * 60)
# Activity slides the expiry: cme.middleware.SlidingSessionMiddleware re-saves a session at
# most once a minute (not a database write per request), so idle sessions end after 29 to 30
# minutes.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = env.int("DJANGO_SESSION_REFRESH_SECONDS", default=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Lockout after repeated failed sign-ins (django-axes): per email address and IP address
# together, for 30 minutes. Wrong two-factor codes count too (cme/views_auth.py).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "cme.views_auth.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_VERBOSE = False
# ... and an address after this many failures across all accounts (password spraying):
# cme/lockout.py. Both in the database (axes' tables), whatever Redis is doing.
AXES_HANDLER = "cme.lockout.AddressLimitedAxesHandler"
CME_SIGN_IN_ADDRESS_FAILURE_LIMIT = env.int("CME_SIGN_IN_ADDRESS_FAILURE_LIMIT", default=20)
# The client's address behind the reverse proxy (cme/net.py), for lockouts and limits.
AXES_CLIENT_IP_CALLABLE = "cme.net.client_ip"
# The reverse proxies whose X-Forwarded-For is believed (addresses or networks, as the web
# process sees them: behind docker compose, the proxy's address on the docker network).
# Empty: REMOTE_ADDR is the client.
CME_TRUSTED_PROXIES = env.list("CME_TRUSTED_PROXIES", default=[])
# The public referral door: referrals SENT per client address in a window (Continue and error
# re-shows are not counted). A health visitor reporting siblings, or a family centre behind one
# address, sends several in an hour. Counted in the database: shared by every worker.
CME_PUBLIC_REFERRAL_RATE = env("CME_PUBLIC_REFERRAL_RATE", default="10/h")

# Celery: the app is in config/celery.py. `make run` uses kombu's filesystem transport (no server).
# With a host in the URL: "filesystem://" made kombu warn "No hostname was supplied" at start.
DEV_BROKER_URL = "filesystem://localhost//"
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=DEV_BROKER_URL)
_celery_dir = VAR_DIR / "celery"
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(_celery_dir / "queue"),
        "data_folder_out": str(_celery_dir / "queue"),
        "processed_folder": str(_celery_dir / "processed"),
        # kombu puts its control (broadcast) folder in the working directory otherwise.
        "control_folder": str(_celery_dir / "control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    # Redis down: a request that queues work fails fast (cme.tasks.enqueue) instead of hanging.
    # A task a killed worker held is given to another after visibility_timeout (acks late).
    else {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
        # ... found by a worker's scan for such tasks, every interval x throttle seconds.
        "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
        "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
        "socket_connect_timeout": 2,
        "socket_timeout": 2,
    }
)
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_IGNORE_RESULT = CELERY_RESULT_BACKEND is None
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=15 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=10 * 60)
# A task is acknowledged only when it has finished, so a killed worker's job runs again.
CELERY_TASK_ACKS_LATE = True
# One queue per deployment (the multi-host test gives each run its own on a shared Redis).
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Exactly one beat sends the schedule, however many run (cme/beat.py: a lease in the
# database); nothing of beat's is kept on the host's disk.
CELERY_BEAT_SCHEDULER = "cme.beat:LeasedScheduler"
CME_BEAT_LEASE_SECONDS = env.int("CME_BEAT_LEASE_SECONDS", default=30)
CME_BEAT_RETRY_SECONDS = env.int("CME_BEAT_RETRY_SECONDS", default=5)
# The beat schedule: the one reviewed place (never only in an admin). Each check runs on
# working days at a time set here (hour:minute, local time), which CME_TIME_<JOB> moves
# (CME_TIME_DAILY_DIGEST=08:00); the jobs are in each package's jobs.py and listed by
# `manage.py run_check`.
_JOB_TIMES = {
    "overdue_enquiries": "07:00",
    "continuous_absence": "06:30",
    "unmatched_leavers": "06:40",
    "late_returns": "06:50",
    "part_time_reviews": "07:10",
    "end_of_compulsory_age": "07:20",
    # The matcher's twin and sibling rates, measured on the Child table (ADR 010).
    "matching_priors": "05:50",
    "daily_digest": "07:45",
    "retention_anonymise": "02:30",
    "transfer_answers": "07:30",
    # Children not in school (issue 17): they do nothing while CME_CNIS_ENABLED is off.
    "cnis_chase": "07:25",
    "cnis_information_overdue": "07:30",
    "cnis_home_visits": "07:35",
}
CME_JOB_TIMES = {
    name: env(f"CME_TIME_{name.upper()}", default=hhmm) for name, hhmm in _JOB_TIMES.items()
}


def _beat_entry(name: str, hhmm: str) -> dict[str, object]:
    from celery.schedules import crontab

    hour, minute = hhmm.split(":")
    return {
        "task": "cme.tasks.run_job",
        "schedule": crontab(hour=hour, minute=minute, day_of_week="mon-fri"),
        "args": (name,),
        "options": {"expires": 6 * 60 * 60},
    }


CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    name: _beat_entry(name, hhmm) for name, hhmm in CME_JOB_TIMES.items()
}


def _report_entry(task: str, months: str) -> dict[str, object]:
    from celery.schedules import crontab

    # Days 1-7 at 06:00: the task itself builds only on the first working day of the month.
    return {
        "task": task,
        "schedule": crontab(hour="6", minute="0", day_of_month="1-7", month_of_year=months),
        "options": {"expires": 12 * 60 * 60},
    }


def _every(task: str, seconds: float, expires: int) -> dict[str, object]:
    """A beat entry sending `task` every `seconds`; a send not started within `expires`
    seconds is dropped (the next one comes soon)."""
    return {"task": task, "schedule": seconds, "options": {"expires": expires}}


# The board report: last month's on the first working day of each month, last quarter's on
# the first working day of January, April, July and October.
CELERY_BEAT_SCHEDULE["monthly_board_report"] = _report_entry(
    "reports.tasks.monthly_board_report", "*"
)
CELERY_BEAT_SCHEDULE["quarterly_board_report"] = _report_entry(
    "reports.tasks.quarterly_board_report", "1,4,7,10"
)
# Report runs left queued while the broker was down are sent again, and a run whose worker
# died (heartbeat stopped for 2 minutes) is rebuilt or failed: every minute (reports.jobs).
CELERY_BEAT_SCHEDULE["requeue_pending"] = _every("cme.tasks.requeue_pending", 60.0, 50)
# The job outbox (docs/decisions/005-job-outbox.md): referrals and emails after the sweeps.
CELERY_BEAT_SCHEDULE["outbox"] = _every("cme.tasks.outbox", 3 * 60.0, 2 * 60)

# The service's own rules (DOMAIN.md).
CME_SERVICE_NAME = env("CME_SERVICE_NAME", default="CME casework")
CME_LA_NAME = env("CME_LA_NAME", default="Exampleshire County Council")
CME_LA_CODE = env("CME_LA_CODE", default="999")
# The termly CME return (issue 15): the authority's 9-character ONS code (new_la_code in the
# DfE's files), its region's (for the comparison with the published regional figure), and
# its children aged 5 to 16 (ONS mid-year estimate: the DfE's rate per 100 is per these).
CME_LA_NEW_CODE = env("CME_LA_NEW_CODE", default="E10000999")
CME_REGION_CODE = env("CME_REGION_CODE", default="E12000009")
CME_LA_CHILD_POPULATION = env.int("CME_LA_CHILD_POPULATION", default=0)
# Where the service is reached: links in emails are built on it.
CME_SITE_URL = env("CME_SITE_URL", default="http://127.0.0.1:8000")
# Initial investigation clock: 10 working days (Derbyshire's policy; other LAs choose differently).
CME_ENQUIRY_WORKING_DAYS = env.int("CME_ENQUIRY_WORKING_DAYS", default=10)
# Transfers between councils (issue 16 item 4): the other LA's answer is chased after this many
# working days (local policy), and its download link works for this many calendar days.
CME_TRANSFER_ANSWER_WORKING_DAYS = env.int("CME_TRANSFER_ANSWER_WORKING_DAYS", default=10)
CME_TRANSFER_LINK_DAYS = env.int("CME_TRANSFER_LINK_DAYS", default=28)
# Wrong email addresses a transfer's download link takes in a window ("5/h"), then none until
# the oldest leaves the window (transfers.views_download.download; counted in the database).
CME_TRANSFER_DOWNLOAD_GUESSES = env("CME_TRANSFER_DOWNLOAD_GUESSES", default="5/h")
# Regulation 13: a joiner return is due by the end of the 5th day after admission.
CME_JOINER_RETURN_DAYS = env.int("CME_JOINER_RETURN_DAYS", default=5)
# A leaver to a school in the area with no joiner return from it within this many of the new
# school's school days is referred as "transition not completed" (the unmatched-leavers job).
CME_TRANSITION_SCHOOL_DAYS = env.int("CME_TRANSITION_SCHOOL_DAYS", default=10)
# Children's Wellbeing and Schools Act 2026: commencement not confirmed, so behind a switch.
# Off by default: the screens for the Act's duties (consent to home educate, s434A; the
# children-not-in-school register, ss436B-436G; the preliminary notice) show only when it is on.
CME_CNIS_ENABLED = env.bool("CME_CNIS_ENABLED", default=False)
# Elective home education (issue 17, ehe.rules): the first contact after a child comes onto
# the register (working days, local policy), the interval between contacts (calendar days:
# DfE EHE guidance 2019, at least annually) and the preliminary notice's period (CWSA 2026).
EHE_FIRST_CONTACT_WORKING_DAYS = env.int("EHE_FIRST_CONTACT_WORKING_DAYS", default=10)
EHE_CONTACT_INTERVAL_DAYS = env.int("EHE_CONTACT_INTERVAL_DAYS", default=365)
EHE_PRELIMINARY_NOTICE_DAYS = env.int("EHE_PRELIMINARY_NOTICE_DAYS", default=15)
# Two-factor authentication (TOTP, django-otp) for every LA role; school staff may opt in.
CME_REQUIRE_2FA = env.bool("CME_REQUIRE_2FA", default=True)
OTP_TOTP_ISSUER = CME_SERVICE_NAME
# Council single sign-on for LA staff (docs/decisions/019-single-sign-on.md): OpenID Connect,
# authorization code with PKCE, through authlib. Off unless the issuer and client id are set.
# The identity provider does the second factor: an SSO session counts as verified. Password +
# TOTP stays for school staff and, as a break-glass, for administrators.
# Exactly as the provider's discovery document gives it (a trailing slash matters: Auth0's has one).
CME_OIDC_ISSUER = env("CME_OIDC_ISSUER", default="")
CME_OIDC_CLIENT_ID = env("CME_OIDC_CLIENT_ID", default="")
CME_OIDC_CLIENT_SECRET = env("CME_OIDC_CLIENT_SECRET", default="")
CME_OIDC_ENABLED = bool(CME_OIDC_ISSUER and CME_OIDC_CLIENT_ID)
if CME_OIDC_ENABLED and not CME_OIDC_CLIENT_SECRET:
    raise ImproperlyConfigured("CME_OIDC_CLIENT_SECRET is required with CME_OIDC_ISSUER")
# Entra ID: "openid email profile" (groups come in the ID token when the app registration's
# groupMembershipClaims says so); other providers may want a "groups" scope.
CME_OIDC_SCOPES = env("CME_OIDC_SCOPES", default="openid email profile")
CME_OIDC_GROUPS_CLAIM = env("CME_OIDC_GROUPS_CLAIM", default="groups")
# Group (as the provider names it: an Entra object id, or a name) = role, comma separated:
# "1a2b...=officer,3c4d...=manager". Empty: roles are kept in the app (an administrator sets
# them), and only people who already have an LA account here can sign in with SSO.
CME_OIDC_GROUP_ROLES: dict[str, str] = env.dict("CME_OIDC_GROUP_ROLES", default={})
if set(CME_OIDC_GROUP_ROLES.values()) - {"officer", "manager", "ehe_officer", "administrator"}:
    raise ImproperlyConfigured(
        "CME_OIDC_GROUP_ROLES maps groups to officer, manager, ehe_officer or administrator"
    )
# Seconds of clock difference allowed on the ID token's iat and exp; the provider's discovery
# document and keys are kept this long in each process.
CME_OIDC_CLOCK_SKEW_SECONDS = env.int("CME_OIDC_CLOCK_SKEW_SECONDS", default=60)
CME_OIDC_METADATA_SECONDS = env.int("CME_OIDC_METADATA_SECONDS", default=60 * 60)
CME_OIDC_TIMEOUT_SECONDS = env.int("CME_OIDC_TIMEOUT_SECONDS", default=10)
# The name people know their council account by, on the sign-in button.
CME_OIDC_PROVIDER_NAME = env("CME_OIDC_PROVIDER_NAME", default="your council account")
# `make run` gives each demo LA user an authenticator key derived from this (printed with the
# sign-ins, so the demo stays usable); seed_demo is for demo databases only.
CME_DEMO_TOTP_SEED = env("CME_DEMO_TOTP_SEED", default="cme-casework-demo-totp")
# Retention (docs/decisions/004-retention.md): a child whose cases are all closed is
# anonymised this many years after their compulsory school age ended.
# How long the managers' dashboard figures are shared before they are worked out again.
CME_DASHBOARD_CACHE_SECONDS = env.int("CME_DASHBOARD_CACHE_SECONDS", default=5 * 60)
CME_RETENTION_YEARS = env.int("CME_RETENTION_YEARS", default=6)
# A report run still queued this long after it was asked for is sent to the queue again.
CME_REQUEUE_AFTER_MINUTES = env.int("CME_REQUEUE_AFTER_MINUTES", default=5)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {
        "no_4xx_traceback": {"()": "cme.log_filters.NoTracebackFor4xx"},
        "redact_token_urls": {"()": "cme.log_filters.RedactTokenURLs"},
    },
    "handlers": {
        # Every record: link tokens in paths (a transfer's download link, a password reset)
        # and query strings are replaced before anything is written.
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_token_urls"],
        }
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # Request lines can carry query strings; never log them at INFO in production.
        "django.server": {"level": "WARNING" if not DEBUG else "INFO"},
        # A 403 or 404 is one line, not a traceback (the exception is how Django answers).
        "django.request": {"filters": ["no_4xx_traceback"]},
        # The Notify client logs Notify's error messages, which can quote what was sent: the
        # outbox logs the status and error class instead (cme.outbox.notify).
        "notifications_python_client": {"level": "ERROR"},
        # WeasyPrint logs every page it lays out at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
# The email outbox (cme.outbox, issue 12 A1): due and retried emails every minute.
CELERY_BEAT_SCHEDULE["email_outbox"] = _every("cme.tasks.deliver_notifications", 60.0, 50)
# GOV.UK Notify's delivery status read back for what it has accepted (cme.outbox.notify):
# every 5 minutes; a no-op under SMTP.
CELERY_BEAT_SCHEDULE["notify_status"] = _every("cme.tasks.poll_notify_status", 5 * 60.0, 4 * 60)
# Expired sessions (which may hold a school's parsed CTF pupils) deleted every hour.
CELERY_BEAT_SCHEDULE["clear_expired_sessions"] = _every(
    "cme.tasks.clear_expired_sessions", 60 * 60.0, 50 * 60
)
