#!/usr/bin/env bash
# Serve civicmeet for development together with its background worker (emails): `make run` calls
# this after migrating and loading the demo. Ctrl-C (or either process ending) stops both.
#
#   HOST=0.0.0.0 PORT=8080 scripts/run-dev.sh
#
# Links in emails and the API use SITE_URL; without it, the settings make it from HOST and PORT
# (config/settings/base.py), so they are exported here.
set -euo pipefail
cd "$(dirname "$0")/.."

export HOST="${HOST:-127.0.0.1}"
export PORT="${PORT:-8000}"
PY="${VENV_PYTHON:-.venv/bin/python}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.dev}"
export PYTHONUNBUFFERED=1
# Seconds the web server and the worker get to stop before they are killed.
STOP_TIMEOUT="${STOP_TIMEOUT:-20}"
# shellcheck source=scripts/stopping.sh
. scripts/stopping.sh

# Stopping. Whatever stops this script — Ctrl-C, SIGTERM to it alone (make passes it on) or to its
# whole process group (what `timeout`, a process supervisor or a closing terminal send), SIGHUP —
# it stops everything it started and waits until it is gone. Its children run in process groups of
# their own (job control, below), so a signal sent to this script's group never reaches them: the
# traps are their only way to hear of it, and they are set before anything is started.
pids=()
stop() {
    local status=$? pid deadline alive
    # A second signal (make passes SIGTERM on to this script, `timeout` also signals the group)
    # must not cut the stopping short.
    trap '' INT TERM HUP
    trap - EXIT
    # Every job still running, also one started just before the signal came (its pid not recorded yet).
    pids+=($(jobs -p))
    # Each job's whole group: runserver's and the worker's auto-reloaders run their servers as children.
    for pid in "${pids[@]}"; do
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    done
    await_stopped
    wait 2>/dev/null || true
    echo "Stopped the web server and the worker." >&2 || true  # the terminal may be gone (SIGHUP)
    exit "$status"
}
trap stop EXIT
trap 'exit 0' INT TERM HUP # Ctrl-C is the normal way to stop

if ! "$PY" - "$HOST" "$PORT" <<'EOF'; then
import socket, sys
host, port = sys.argv[1].strip("[]"), int(sys.argv[2])
family = socket.AF_INET6 if ":" in host else socket.AF_INET
with socket.socket(family) as s:
    try:
        s.bind((host, port))
    except OSError as error:
        sys.exit(f"Cannot serve on {host}:{port}: {error.strerror}. Is `make run` already running? Try PORT={port + 1} make run")
EOF
    exit 1
fi

# Each process gets its own process group (job control), so stopping a group also stops the
# children that runserver's and the worker's auto-reloaders start.
set -m

"$PY" manage.py db_worker --interval 1 &
pids+=("$!")
"$PY" manage.py runserver "$HOST:$PORT" &
pids+=("$!")
echo "Serving http://$HOST:$PORT/ with the task worker (pids ${pids[*]}); press Ctrl-C to stop both."

# Return as soon as either process ends (a crash of one must not leave the other running alone).
wait -n
