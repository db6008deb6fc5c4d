#!/usr/bin/env bash
# `manage.py check --deploy` with the environment production uses: it must report nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
env -u DJANGO_DEBUG \
  DJANGO_SECRET_KEY="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
  DJANGO_ALLOWED_HOSTS="cme.example.gov.uk" \
  DJANGO_CSRF_TRUSTED_ORIGINS="https://cme.example.gov.uk" \
  DATABASE_URL="${DATABASE_URL:-sqlite:////tmp/cme-check-deploy.sqlite3}" \
  DJANGO_SETTINGS_MODULE=config.settings \
  .venv/bin/python manage.py check --deploy --fail-level WARNING
