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
# Production never installs the demo app (seed_demo, demo_totp): config/settings.py CME_DEMO.
env -u DJANGO_DEBUG -u CME_DEMO \
  DJANGO_SECRET_KEY="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
  DJANGO_ALLOWED_HOSTS="cme.example.gov.uk" \
  DATABASE_URL="${DATABASE_URL:-sqlite:////tmp/cme-check-deploy.sqlite3}" \
  DJANGO_SETTINGS_MODULE=config.settings \
  .venv/bin/python -c "import django; django.setup(); from django.conf import settings; assert 'demo' not in settings.INSTALLED_APPS, 'the demo app is installed with production settings'"
