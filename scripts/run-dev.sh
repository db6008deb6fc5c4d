#!/usr/bin/env bash
# The development service, as `make run` starts it (after installing, migrating and loading the
# demo data): a Celery worker and beat in the background, runserver in the foreground.
# Ctrl-C (or any exit) stops all three.
#
# Needs no server: SQLite in var/db.sqlite3 and kombu's filesystem broker in var/celery/. Set
# DATABASE_URL and/or CELERY_BROKER_URL to use PostgreSQL / Redis instead, e.g.
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
#   CELERY_BROKER_URL=redis://127.0.0.1:6379/0 make run
# Logs: var/log/celery-worker.log and var/log/celery-beat.log (runserver logs to the terminal).
set -euo pipefail
cd "$(dirname "$0")/.."

export DJANGO_DEBUG=true
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings}"

PY=.venv/bin/python
CELERY=.venv/bin/celery
LOG_DIR=var/log
WORKER_LOG="$LOG_DIR/celery-worker.log"
BEAT_LOG="$LOG_DIR/celery-beat.log"
ADDRESS=127.0.0.1:8000

if [ ! -x "$PY" ] || [ ! -x "$CELERY" ]; then
  echo "run-dev: .venv is missing: run 'make run' (it installs everything first)" >&2
  exit 1
fi

# The folders the filesystem broker reads and writes (see CELERY_BROKER_TRANSPORT_OPTIONS).
mkdir -p "$LOG_DIR" var/celery/queue var/celery/processed

pids=()

stop_background() {
  trap - EXIT INT TERM
  [ "${#pids[@]}" -gt 0 ] || return 0
  echo
  echo "Stopping the Celery worker and beat (pids ${pids[*]})..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  # A warm shutdown lets a running task finish (an idle worker takes about 7 seconds on the
  # filesystem broker); give it 15 seconds, then force.
  for _ in $(seq 1 30); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" -eq 1 ] || break
    sleep 0.5
  done
  for pid in "${pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      # Still running after the grace period: stop it and its pool processes now.
      for child in $(ps -o pid= --ppid "$pid" 2>/dev/null || true); do
        kill -KILL "$child" 2>/dev/null || true
      done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  wait 2>/dev/null || true
}
trap stop_background EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

describe() {  # scheme and host only: never print a password from a URL
  local url="$1"
  local scheme="${url%%://*}" rest="${url#*://}"
  rest="${rest#*@}"
  echo "${scheme}://${rest%%/*}"
}
if [ -n "${DATABASE_URL:-}" ]; then db="$(describe "$DATABASE_URL")"; else db="SQLite (var/db.sqlite3)"; fi
if [ -n "${CELERY_BROKER_URL:-}" ] && [[ "$CELERY_BROKER_URL" != filesystem* ]]; then
  broker="$(describe "$CELERY_BROKER_URL")"
else
  broker="filesystem (var/celery/)"
fi
echo "Database: $db"
echo "Broker:   $broker"

"$CELERY" -A config worker -l info --concurrency 2 >"$WORKER_LOG" 2>&1 &
pids+=("$!")
"$CELERY" -A config beat -l info --schedule var/celerybeat-schedule >"$BEAT_LOG" 2>&1 &
pids+=("$!")

# Wait (up to 30 s) for the worker to say it is ready, so a broken broker shows here.
for _ in $(seq 1 60); do
  grep -q "ready\." "$WORKER_LOG" 2>/dev/null && break
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "run-dev: a Celery process stopped at startup; the end of its logs:" >&2
      tail -n 20 "$WORKER_LOG" "$BEAT_LOG" >&2
      exit 1
    fi
  done
  sleep 0.5
done
if grep -q "ready\." "$WORKER_LOG"; then
  echo "Celery worker ready (log: $WORKER_LOG); beat running (log: $BEAT_LOG)"
else
  echo "run-dev: the Celery worker is not ready yet; see $WORKER_LOG" >&2
fi
echo

"$PY" manage.py seed_demo --print-only
echo
echo "Starting the web server on http://$ADDRESS (Ctrl-C stops everything)"
echo

"$PY" manage.py runserver "$ADDRESS"
