#!/usr/bin/env bash
# The whole suite. With DATABASE_URL / CELERY_BROKER_URL set (as .ci/run does) it runs on
# PostgreSQL and Redis; without, on SQLite with eager Celery.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-artifacts
exec .venv/bin/python -m pytest "$@"
