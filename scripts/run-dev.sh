#!/usr/bin/env bash
# Serve civicmeet for development together with its background worker (emails): `make run` calls
# this after migrating and loading the demo. Ctrl-C (or either process ending) stops both.
#
#   HOST=0.0.0.0 PORT=8080 scripts/run-dev.sh
set -euo pipefail
cd "$(dirname "$0")/.."

HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
PY="${VENV_PYTHON:-.venv/bin/python}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.dev}"
export PYTHONUNBUFFERED=1

if ! "$PY" - "$HOST" "$PORT" <<'EOF'
import socket, sys
host, port = sys.argv[1].strip("[]"), int(sys.argv[2])
family = socket.AF_INET6 if ":" in host else socket.AF_INET
with socket.socket(family) as s:
    try:
        s.bind((host, port))
    except OSError as error:
        sys.exit(f"Cannot serve on {host}:{port}: {error.strerror}. Is `make run` already running? Try PORT={port + 1} make run")
EOF
then
    exit 1
fi

# Each process gets its own process group (job control), so stopping a group also stops the
# children that runserver's and the worker's auto-reloaders start.
set -m
pids=()
stop() {
    local status=$?
    trap - EXIT INT TERM
    for pid in "${pids[@]}"; do
        kill -TERM -- "-$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    echo "Stopped the web server and the worker."
    exit "$status"
}
trap stop EXIT
trap 'exit 0' INT  # Ctrl-C is the normal way to stop
trap 'exit 0' TERM

"$PY" manage.py db_worker --interval 1 &
pids+=("$!")
"$PY" manage.py runserver "$HOST:$PORT" &
pids+=("$!")
echo "Serving http://$HOST:$PORT/ with the task worker (pids ${pids[*]}); press Ctrl-C to stop both."

# Return as soon as either process ends (a crash of one must not leave the other running alone).
wait -n
