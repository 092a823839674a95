#!/usr/bin/env bash
# Database outage under a mixed read/write load: Postgres is stopped (as in a
# crash: `pg_ctl -m immediate`) while a writer and readers run, then started
# again. Checks that
# - during the outage requests fail fast: HTTP 503 with Retry-After and the
#   code SERVICE_UNAVAILABLE, none taking much longer than the pool's acquire
#   timeout, and /readyz answers 503;
# - once Postgres is back, hiregraph recovers by itself (no restart): /readyz
#   is 200 again and writes are acknowledged again within RECOVERY seconds;
# - every acknowledged write is in the database and whole, every other one
#   absent or whole (check.mjs).
#
#   bench/faults/outage.sh [OUTAGE_SECONDS]     (default 8; needs a built hiregraph)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
outage="${1:-8}"
acquire_timeout=2
recovery="${RECOVERY:-15}"

say "private Postgres on port $pg_port, hiregraph on $address"
pg_init
server_start HIREGRAPH_DB_ACQUIRE_TIMEOUT="${acquire_timeout}s"
token="$(admin_token)"
writer_start "$token"

read_query='{"query":"{ postings(first: 5) { totalCount nodes { title applications(first: 5) { totalCount } } } }"}'
# One read: prints "status seconds retry-after code".
probe() {
    curl -s -m 30 -o "$work/probe.json" -D "$work/probe.headers" -w '%{http_code} %{time_total}' \
        -H 'content-type: application/json' -H "authorization: Bearer $token" \
        -d "$read_query" "$graphql_url" || true
    printf ' %s %s\n' \
        "$(grep -i '^retry-after:' "$work/probe.headers" 2>/dev/null | tr -d '\r' | awk '{print $2}' | grep . || echo -)" \
        "$(node -e 'try { const b = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(b.errors?.[0]?.extensions?.code ?? "-") } catch { console.log("-") }' "$work/probe.json")"
}

sleep 3
[ "$(acks_since)" -gt 0 ] || fail "no write was acknowledged before the outage"
read -r status _ _ code <<<"$(probe)"
[ "$status" = 200 ] || fail "a read before the outage answered $status $code"

say "stopping Postgres for ${outage}s"
pg_stop
outage_started="$(now_ms)"
sleep 1
bad=0
while [ $(( $(now_ms) - outage_started )) -lt $(( outage * 1000 )) ]; do
    read -r status seconds retry code <<<"$(probe)"
    ready="$(status_of "http://${address}/readyz")"
    say "during the outage: read -> $status in ${seconds}s (Retry-After: $retry, code $code); /readyz -> $ready"
    if [ "$status" != 503 ] || [ "$retry" = - ] || [ "$code" != SERVICE_UNAVAILABLE ] || [ "$ready" != 503 ]; then
        bad=1
    fi
    node -e 'process.exit(Number(process.argv[1]) <= Number(process.argv[2]) + 1.5 ? 0 : 1)' "$seconds" "$acquire_timeout" || bad=1
    sleep 0.5
done
[ "$bad" = 0 ] || fail "during the outage, a request did not fail fast with 503, Retry-After and SERVICE_UNAVAILABLE, or /readyz was not 503"

say "starting Postgres again"
pg_start
back="$(now_ms)"
until [ "$(status_of "http://${address}/readyz")" = 200 ] && [ "$(acks_since "$back")" -gt 0 ]; do
    [ $(( $(now_ms) - back )) -lt $(( recovery * 1000 )) ] || fail "not recovered ${recovery}s after Postgres came back"
    sleep 0.2
done
say "recovered in $(( $(now_ms) - back )) ms, without a restart (pid $server_pid still serving)"
kill -0 "$server_pid" || fail "hiregraph is not running"

sleep 3
writer_stop
# The writer's failed requests during the outage did not hang either. A
# write can wait for a connection twice (seen once: 4.07 s with a 2 s
# acquire timeout, a write caught as Postgres went down), so the bound is
# two acquire timeouts; the reads above are held to one.
node -e '
  const [log, from, limitMs] = process.argv.slice(1);
  const events = require("fs").readFileSync(log, "utf8").split("\n").filter(Boolean).map(JSON.parse);
  const failed = events.filter(e => e.phase === "failed" && e.t >= Number(from));
  const slowest = Math.max(0, ...failed.map(e => e.ms));
  const codes = {};
  for (const e of failed) codes[`${e.status} ${e.code}`] = (codes[`${e.status} ${e.code}`] || 0) + 1;
  console.log(`writes refused during the outage: ${failed.length}, slowest ${slowest} ms`, JSON.stringify(codes));
  if (slowest > Number(limitMs)) { console.error("a write hung past the acquire timeout"); process.exit(1); }
' "$work/writes.jsonl" "$outage_started" "$(( 2 * acquire_timeout * 1000 + 1500 ))"
kill -TERM "$server_pid" && wait "$server_pid" || true
server_pid=""
say "comparing the writer's log with the database"
check_writes
