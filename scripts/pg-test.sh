#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL server:  scripts/pg-test.sh COMMAND [ARGS...]
#
# Creates a cluster in a fresh directory under /tmp, starts it on 127.0.0.1 and a free port (no
# fsync: the data is thrown away), exports DATABASE_URL=postgres://postgres@127.0.0.1:PORT/postgres,
# runs COMMAND, then stops the server and deletes the directory, also when COMMAND fails or is
# interrupted. Exits with COMMAND's status.
#
# PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` system user
# (created by Debian's postgresql package); as any other user it belongs to that user.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

# The newest installed server version (Debian keeps them in /usr/lib/postgresql/VERSION/bin).
bindir="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' -printf '%h\n' 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -z "$bindir" ] && command -v pg_ctl >/dev/null 2>&1; then
    bindir="$(dirname "$(command -v pg_ctl)")"
fi
if [ -z "$bindir" ]; then
    echo "PostgreSQL server binaries not found: apt-get install -y postgresql" >&2
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
        echo "Running as root needs the 'postgres' system user (apt-get install -y postgresql)." >&2
        exit 1
    fi
    as_owner() { runuser -u postgres -- "$@"; }
else
    as_owner() { "$@"; }
fi

workdir="$(mktemp -d /tmp/civicmeet-pg.XXXXXX)"
datadir="$workdir/data"
started=""

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [ -n "$started" ]; then
        (cd /tmp && as_owner "$bindir/pg_ctl" stop -D "$datadir" -m immediate -s >/dev/null 2>&1) || true
    fi
    rm -rf "$workdir"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$workdir"
fi
chmod 700 "$workdir"

free_port() {
    "${PYTHON:-python3}" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
port="${PG_TEST_PORT:-$(free_port)}"

cd_tmp_and() { (cd /tmp && "$@"); }  # the owner may not be allowed into the current directory
cd_tmp_and as_owner "$bindir/initdb" -D "$datadir" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >"$workdir/initdb.log" 2>&1 || {
    cat "$workdir/initdb.log" >&2
    exit 1
}
started=1
if ! cd_tmp_and as_owner "$bindir/pg_ctl" start -D "$datadir" -w -t 60 -s -l "$workdir/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $workdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"; then
    cat "$workdir/server.log" >&2
    exit 1
fi

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (throw-away cluster in $workdir)"
status=0
"$@" || status=$?
exit "$status"
