#!/usr/bin/env bash
# Soak: a mixed load (readers over the benchmark's read operations, writers
# applying and moving applications) for SECONDS (default 600), with memory and
# latency reported per minute; then every acknowledged write is checked.
#
#   bench/faults/soak.sh [SECONDS] [SCALE]
#
# With SCALE, the database is seeded with `hiregraph seed --scale SCALE`;
# without it, with the demo data. Use a release build for figures worth
# keeping: HIREGRAPH_BIN=target/release/hiregraph.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
seconds="${1:-600}"
scale="${2:-}"

say "private Postgres on port $pg_port, hiregraph on $address"
pg_init
if [ -n "$scale" ]; then
    DATABASE_URL="$database_url" "$HIREGRAPH_BIN" migrate up >/dev/null
    say "seeding at scale $scale"
    DATABASE_URL="$database_url" "$HIREGRAPH_BIN" seed --scale "$scale" >"$work/seed.log" 2>&1 || { tail "$work/seed.log"; fail "seed"; }
    server_start HIREGRAPH_DEMO_DATA=never
else
    server_start
fi
token="$(admin_token)"
WRITERS="${WRITERS:-2}" writer_start "$token"
say "soaking for ${seconds}s"
node "$repo/bench/faults/soak.mjs" "$graphql_url" "$token" "$server_pid" "$seconds" "${READERS:-8}" "${WINDOW:-60}"
writer_stop
say "writes: $(acks_since) acknowledged"
kill -TERM "$server_pid" && wait "$server_pid" || true
server_pid=""
check_writes
