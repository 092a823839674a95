# Shared by the fault scripts: a private Postgres cluster (so that stopping or
# killing the database disturbs nothing else on the machine) and a hiregraph
# server on it. Source it; it expects `set -euo pipefail`.

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HIREGRAPH_BIN="${HIREGRAPH_BIN:-$repo/target/debug/hiregraph}"
pg_bin="/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -V | tail -n 1)/bin"
work="$(mktemp -d /tmp/hiregraph-faults.XXXXXX)"
server_pid=""
writer_pid=""

say() { printf '%s  %s\n' "$(date -u +%H:%M:%S)" "$*"; }
fail() { say "FAILED: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }

free_port() {
    node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}

# Runs a Postgres tool as the postgres user when we are root (initdb refuses root).
as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_port="$(free_port)"
pg_data="$work/pg"
database_url="postgres://postgres@127.0.0.1:${pg_port}/hiregraph"

pg_init() {
    mkdir -p "$pg_data"
    [ "$(id -u)" = 0 ] && chown -R postgres "$work"
    as_postgres "$pg_bin/initdb" -D "$pg_data" -A trust -U postgres >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log"; fail "initdb"; }
    pg_start
    as_postgres "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres hiregraph
}
pg_start() {
    as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -l "$work/pg.log" -w -t 30 \
        -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1 -c fsync=on" start >/dev/null
}
# `immediate` is a crash of the database: no checkpoint, connections cut.
pg_stop() {
    as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -m immediate -w stop >/dev/null
}

secret="faults-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
http_port="$(free_port)"
address="127.0.0.1:${http_port}"
graphql_url="http://${address}/graphql"

# Starts `hiregraph serve` on the private database (extra VAR=value arguments
# are its environment) and waits until /readyz answers 200.
server_start() {
    env -u HIREGRAPH_JWT_PUBLIC_KEYS -u HIREGRAPH_JWT_JWKS_FILE NO_COLOR=1 RUST_LOG=info \
        DATABASE_URL="$database_url" HIREGRAPH_LISTEN="$address" HIREGRAPH_JWT_SECRET="$secret" \
        HIREGRAPH_DEMO_DATA=always HIREGRAPH_APPLY_RATE_PER_ADDRESS=1000000/1s HIREGRAPH_APPLY_RATE_PER_EMAIL=1000000/1s \
        "$@" "$HIREGRAPH_BIN" serve >>"$work/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 300); do
        kill -0 "$server_pid" 2>/dev/null || { tail -n 30 "$work/server.log"; fail "hiregraph serve exited"; }
        [ "$(status_of "http://${address}/readyz")" = 200 ] && return 0
        sleep 0.1
    done
    tail -n 30 "$work/server.log"
    fail "hiregraph serve did not become ready"
}

# The HTTP status of GET $1 ("000" when nothing answers).
status_of() { curl -s -o /dev/null -m 10 -w '%{http_code}' "$1" || true; }

admin_token() {
    DATABASE_URL="$database_url" HIREGRAPH_JWT_SECRET="$secret" \
        "$HIREGRAPH_BIN" token --user admin@hiregraph.example --role ADMIN | tail -n 1
}

writer_start() {
    node "$repo/bench/faults/writer.mjs" "$graphql_url" "$1" "$work/writes.jsonl" "${WRITERS:-6}" 2>>"$work/writer.log" &
    writer_pid=$!
}
writer_stop() {
    if [ -n "$writer_pid" ]; then
        kill -TERM "$writer_pid" 2>/dev/null || true
        wait "$writer_pid" 2>/dev/null || true
        writer_pid=""
    fi
}
# Acknowledged writes so far (after $1, a time in ms, when given).
acks_since() {
    node -e '
      const since = Number(process.argv[2] || 0);
      const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean);
      console.log(lines.map(JSON.parse).filter(e => e.phase === "ack" && e.t > since).length);
    ' "$work/writes.jsonl" "${1:-0}" 2>/dev/null || echo 0
}

check_writes() {
    node "$repo/bench/faults/check.mjs" "$work/writes.jsonl" "$database_url"
}

cleanup() {
    writer_stop
    [ -n "$server_pid" ] && kill -9 "$server_pid" 2>/dev/null || true
    [ -f "$pg_data/postmaster.pid" ] && pg_stop 2>/dev/null || true
    if [ -n "${KEEP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
