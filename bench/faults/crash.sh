#!/usr/bin/env bash
# Crash safety: hiregraph killed with SIGKILL in the middle of a mutation mix,
# several times, then restarted; every acknowledged write must be in the
# database and whole, every unacknowledged one absent or whole (check.mjs).
#
#   bench/faults/crash.sh [ROUNDS]      (default 5; needs a built hiregraph)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
rounds="${1:-5}"

say "private Postgres on port $pg_port, hiregraph on $address"
pg_init
server_start
token="$(admin_token)"
writer_start "$token"

for round in $(seq 1 "$rounds"); do
    sleep "$(node -e 'console.log((1.5 + Math.random() * 2).toFixed(2))')"
    before="$(acks_since)"
    kill -9 "$server_pid"
    wait "$server_pid" 2>/dev/null || true
    say "round $round: killed hiregraph (SIGKILL) after $before acknowledged writes"
    server_start
    say "round $round: restarted, ready"
done
sleep 2
writer_stop
kill -TERM "$server_pid" && wait "$server_pid" || true
server_pid=""
say "comparing the writer's log with the database"
check_writes

say "the check can fail: remove one acknowledged application's last transition"
psql "$database_url" -X -q -c "DELETE FROM stage_transitions WHERE id = (SELECT max(t.id) FROM stage_transitions t JOIN applications a ON a.id = t.application_id JOIN candidates c ON c.id = a.candidate_id WHERE c.email LIKE 'fault-%')"
if check_writes >/dev/null 2>&1; then
    fail "the check passed on a database with a half-written change"
fi
say "it reports the violation"
