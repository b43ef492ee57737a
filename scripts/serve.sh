#!/usr/bin/env bash
# Serve civicmeet in the production profile: granian (WSGI) plus the background task worker.
# `make serve` calls this; docs/operations.md explains every variable.
#
#   scripts/serve.sh                                   # SQLite in var/, http://127.0.0.1:8000
#   HOST=0.0.0.0 PORT=8080 DATABASE_URL=postgres://... scripts/serve.sh
#
# Before serving it migrates the database, collects the static files (served by whitenoise) and,
# with DEMO=1, loads the demo meeting (SERVE_SETUP=0 skips all three). Without SECRET_KEY or
# SECRET_KEY_FILE it generates a key once and keeps it in $CIVICMEET_VAR_DIR/secret_key (mode 600).
# Ctrl-C or SIGTERM stops the web server and the worker. Either one is started again if it fails.
#
# Variables (defaults in brackets): HOST [127.0.0.1], PORT [8000], WEB_WORKERS [2],
# WEB_THREADS [4: blocking threads per worker], WORKER [1: run `manage.py db_worker` alongside],
# DEMO [0], SERVE_SETUP [1], ALLOWED_HOSTS [HOST, plus localhost names for a loopback HOST],
# SITE_URL [http://HOST:PORT, made by the settings; 127.0.0.1 for HOST=0.0.0.0, [::1] for ::],
# STOP_TIMEOUT [20: seconds to stop before being killed], VENV_PYTHON [.venv/bin/python].
# Any GRANIAN_* variable reaches granian.
set -euo pipefail
cd "$(dirname "$0")/.."

# Links in emails and the API use SITE_URL; without it, the settings make it from HOST and PORT
# (config/settings/base.py), so they are exported.
export HOST="${HOST:-127.0.0.1}"
export PORT="${PORT:-8000}"
PY="${VENV_PYTHON:-.venv/bin/python}"
WEB_WORKERS="${WEB_WORKERS:-2}"
WEB_THREADS="${WEB_THREADS:-4}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.prod}"
export PYTHONUNBUFFERED=1
VAR_DIR="${CIVICMEET_VAR_DIR:-var}"
STOP_TIMEOUT="${STOP_TIMEOUT:-20}"
# shellcheck source=scripts/stopping.sh
. scripts/stopping.sh
mkdir -p "$VAR_DIR"

# Stopping. Whatever stops this script — Ctrl-C, SIGTERM to it alone (make passes it on) or to its
# whole process group (what `timeout`, a process supervisor or a closing terminal send), SIGHUP —
# and at whatever moment (during the migration too), it stops everything it started and waits
# until it is gone. The servers run in process groups of their own (job control, below), so a
# signal sent to this script's group never reaches them: the traps are their only way to hear of
# it, and they are set before anything is started.
pids=()
stop() {
    local status=$? pid deadline alive
    # A second signal (make passes SIGTERM on to this script, `timeout` also signals the group)
    # must not cut the stopping short.
    trap '' INT TERM HUP
    trap - EXIT
    # Every job still running, also one started just before the signal came (its pid not recorded yet).
    pids+=($(jobs -p))
    for pid in "${pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true # a supervisor passes it on to its process, once
    done
    await_stopped
    wait 2>/dev/null || true
    echo "Stopped the web server and the worker." >&2 || true # the terminal may be gone (SIGHUP)
    exit "$status"
}
trap stop EXIT
trap 'exit 0' INT TERM HUP # Ctrl-C is the normal way to stop

# A set-up step runs in the background and is waited for, so that a signal stops the script (and,
# through `stop`, the step) at once rather than when the step is done.
step() {
    "$@" &
    wait "$!"
}

if ! "$PY" - "$HOST" "$PORT" <<'EOF'
import socket, sys
host, port = sys.argv[1].strip("[]"), int(sys.argv[2])
family = socket.AF_INET6 if ":" in host else socket.AF_INET
with socket.socket(family) as s:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind((host, port))
    except OSError as error:
        sys.exit(f"Cannot serve on {host}:{port}: {error.strerror}. Is civicmeet already running? Try PORT={port + 1}")
EOF
then
    exit 1
fi

# A secret key that survives restarts (sessions and password-reset links stay valid), created
# once with permissions that let only this user read it.
if [ -z "${SECRET_KEY:-}" ] && [ -z "${SECRET_KEY_FILE:-}" ]; then
    key_file="$VAR_DIR/secret_key"
    if [ ! -s "$key_file" ]; then
        (umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(64))' >"$key_file.tmp" && mv "$key_file.tmp" "$key_file")
        echo "Generated a secret key in $key_file (keep it: sessions and links depend on it)."
    fi
    chmod 600 "$key_file"
    export SECRET_KEY_FILE="$key_file"
fi

host_name="${HOST#[}"
host_name="${host_name%]}"
case "$host_name" in
    127.0.0.1 | localhost | ::1) default_hosts="127.0.0.1,localhost,[::1]" ;;
    0.0.0.0 | ::) default_hosts="127.0.0.1,localhost,[::1],$(hostname -f 2>/dev/null || hostname)" ;;
    *:*) default_hosts="[$host_name]" ;;
    *) default_hosts="$host_name" ;;
esac
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-$default_hosts}"
case "$host_name" in
    *:*) url_host="[$host_name]" ;;
    *) url_host="$host_name" ;;
esac

if [ "${SERVE_SETUP:-1}" != "0" ]; then
    step "$PY" manage.py migrate --noinput
    step "$PY" manage.py collectstatic --noinput -v 0
    if [ "${DEMO:-0}" = "1" ]; then
        step "$PY" manage.py load_demo
    fi
fi

# Each process runs under a small supervisor that starts it again when it fails: granian itself
# replaces a web worker that dies, but gives up ("crash loop") when a new worker dies within a few
# seconds; the task worker could die too. A clean exit (status 0) is not restarted.
supervise() {
    local name="$1" child="" status failures=0 window_start=$SECONDS
    shift
    # Its jobs, not `$child`: the signal may come between starting the process and recording its
    # pid, or during the pause before a restart (the `sleep`).
    trap 'trap "" TERM INT HUP; kill -TERM $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; exit 0' TERM INT HUP
    while :; do
        "$@" &
        child=$!
        status=0
        wait "$child" || status=$?
        if [ "$status" -eq 0 ]; then
            exit 0
        fi
        # Something that cannot start at all (bad settings, database unreachable) is not retried forever.
        if [ $((SECONDS - window_start)) -gt 60 ]; then
            failures=0
            window_start=$SECONDS
        fi
        failures=$((failures + 1))
        if [ "$failures" -gt 5 ]; then
            echo "The $name failed $failures times within a minute (last status $status); giving up." >&2
            exit "$status"
        fi
        echo "The $name exited with status $status; starting it again in ${RESTART_DELAY:-1} s." >&2
        sleep "${RESTART_DELAY:-1}" &
        wait "$!"
    done
}

# Job control: each supervisor gets its own process group, so a Ctrl-C in the terminal reaches only
# this script, which then stops each supervisor (and so its process) exactly once (`stop` above).
set -m

if [ "${WORKER:-1}" != "0" ]; then
    supervise "task worker" "$PY" manage.py db_worker --interval 1 &
    pids+=("$!")
fi
# A web worker that dies (out of memory, killed) is replaced after a second; the others keep serving.
supervise "web server" "$(dirname "$PY")/granian" --interface wsgi --host "$host_name" --port "$PORT" \
    --workers "$WEB_WORKERS" --blocking-threads "$WEB_THREADS" \
    --respawn-failed-workers --respawn-interval "${GRANIAN_RESPAWN_INTERVAL:-1}" \
    --workers-kill-timeout "${GRANIAN_WORKERS_KILL_TIMEOUT:-10}" \
    --log-level "${GRANIAN_LOG_LEVEL:-warning}" \
    config.wsgi:application &
pids+=("$!")
with_worker=""
[ "${WORKER:-1}" != "0" ] && with_worker=" and the task worker"
echo "Serving http://$url_host:$PORT/ (production profile: $WEB_WORKERS granian workers$with_worker; pids ${pids[*]}); press Ctrl-C to stop."

# Return as soon as either ends for good (one must not keep running alone).
wait -n
