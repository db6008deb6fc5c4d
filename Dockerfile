# CME casework: one image for the web (gunicorn + whitenoise), the Celery worker and beat.
# docker-compose.yml runs it; configuration comes from the environment (.env, see .env.example).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    DJANGO_MEDIA_ROOT=/app/media \
    WEB_CONCURRENCY=3

# WeasyPrint's system libraries (PDF board reports) and a font for them.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 cme \
    && useradd --system --uid 10001 --gid cme --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin cme

WORKDIR /app

# Dependencies first (a separate layer, rebuilt only when the lock file changes). Every package,
# transitive ones included, is pinned with its hashes: pip refuses anything else.
COPY requirements.lock ./
RUN pip install --require-hashes --no-deps -r requirements.lock

COPY . .
# Bytecode now, since PYTHONDONTWRITEBYTECODE stops processes writing it: otherwise each new
# worker compiles every module it imports (about a second on its first request).
RUN python -m compileall -q /app /usr/local/lib/python3.11/site-packages

# Static files are collected at build time (whitenoise serves them with hashed names). The key
# is a throwaway for this one command: the web process refuses to start without a real one.
RUN DJANGO_SECRET_KEY=build-only-collectstatic-key-not-a-secret \
    python manage.py collectstatic --no-input --verbosity 0 \
    && mkdir -p /app/var /app/media \
    && chown -R cme:cme /app/var /app/media

USER cme

EXPOSE 8000

# Settings in gunicorn.conf.py (workers: WEB_CONCURRENCY; threads, keep-alive; no access
# log). TLS ends at the reverse proxy in front.
CMD ["gunicorn", "config.wsgi:application", "--config", "gunicorn.conf.py"]
