#!/usr/bin/env bash
# The hiregraph benchmark: see bench/README.md.
#
#   bench/run.sh --db postgres --scale 1 --duration 30 --connections 32
#   bench/run.sh --smoke --db postgres --scale 0.002 --duration 2     # CI
#
# Creates a scratch database, migrates and seeds it, then hands over to
# bench/lib/bench.mjs, which starts the server, checks and loads each
# operation, and prints a Markdown table (JSON results go to --out).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)

db=sqlite
scale=1
duration=30
connections=""
threads=2
smoke=0
profile=release
out=""
port=${BENCH_PORT:-0}
pg_admin_url=${BENCH_PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
seed_args=""
skip_sql=0
keep=0

usage() {
  cat <<USAGE
usage: bench/run.sh [options]
  --db sqlite|postgres   the database (default sqlite)
  --scale N              seed --scale N (default 1; 0.002 is a few hundred applications)
  --duration SECONDS     how long each operation is loaded (default 30)
  --connections C        concurrent connections of the load generator (default 32; 4 with --smoke)
  --threads T            load generator threads (default 2)
  --smoke                CI mode: debug build, fail on any wrong answer, failed request
                         or statement count over bench/expected-statements.json
  --debug                use the debug build (target/debug) instead of release
  --out FILE             where to write the JSON results (default bench/results/<db>-<scale>.json)
  --port P               the port the server listens on (default: a free one)
  --pg-admin-url URL     a Postgres URL to create the scratch database from
                         (default postgres://postgres@127.0.0.1:5432/postgres)
  --seed-args "..."      seed with these arguments instead of --scale N (e.g. "--demo")
  --no-sql               on Postgres, skip the pgbench floor
  --keep                 keep the scratch database and directory afterwards
USAGE
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --db) db=$2; shift 2 ;;
    --scale) scale=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --smoke) smoke=1; profile=debug; shift ;;
    --debug) profile=debug; shift ;;
    --out) out=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --pg-admin-url) pg_admin_url=$2; shift 2 ;;
    --seed-args) seed_args=$2; shift 2 ;;
    --no-sql) skip_sql=1; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ $db == sqlite || $db == postgres ]] || { echo "--db is sqlite or postgres" >&2; exit 2; }
[[ -n $seed_args ]] || seed_args="--scale $scale"
# The debug build of smoke mode is slow: fewer connections, so that each
# operation completes requests within a couple of seconds.
if [[ -z $connections ]]; then
  if [[ $smoke == 1 ]]; then connections=4; else connections=32; fi
fi

say() { echo "[bench] $*" >&2; }

for tool in node wrk; do
  command -v "$tool" >/dev/null || { echo "bench/run.sh needs $tool (apt-get install wrk; Node.js 20)" >&2; exit 2; }
done
if [[ $db == postgres ]]; then
  command -v psql >/dev/null || { echo "bench/run.sh --db postgres needs psql" >&2; exit 2; }
  [[ $skip_sql == 1 ]] || command -v pgbench >/dev/null || { echo "needs pgbench (or --no-sql)" >&2; exit 2; }
fi

cd "$root"
if [[ $profile == release ]]; then
  say "building the release binary"
  cargo build -q --release --bin hiregraph
else
  say "building the debug binary"
  cargo build -q --bin hiregraph
fi
bin="$root/target/$profile/hiregraph"

work=$(mktemp -d "${TMPDIR:-/tmp}/hiregraph-bench.XXXXXX")
server_db=""
cleanup() {
  if [[ $keep == 0 ]]; then
    if [[ -n $server_db ]]; then
      psql -X -q -d "$pg_admin_url" -c "DROP DATABASE IF EXISTS $server_db WITH (FORCE)" >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
  else
    say "kept $work${server_db:+ and database $server_db}"
  fi
}
trap cleanup EXIT

if [[ $db == postgres ]]; then
  server_db=hiregraph_bench
  say "creating the Postgres database $server_db"
  psql -X -q -v ON_ERROR_STOP=1 -d "$pg_admin_url" \
    -c "DROP DATABASE IF EXISTS $server_db WITH (FORCE)" -c "CREATE DATABASE $server_db" >/dev/null
  # The same server and user as the admin URL, another database.
  database_url="${pg_admin_url%/*}/$server_db"
  pg_url=$database_url
else
  database_url="sqlite://$work/bench.db?mode=rwc"
  pg_url=""
fi

export DATABASE_URL=$database_url
export HIREGRAPH_JWT_SECRET=${HIREGRAPH_JWT_SECRET:-$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')}
unset HIREGRAPH_JWT_PUBLIC_KEYS HIREGRAPH_JWT_JWKS_FILE HIREGRAPH_METRICS_TOKEN HIREGRAPH_SAFELIST_FILE

say "migrating"
"$bin" migrate up >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log" >&2; exit 1; }
say "seeding: hiregraph seed $seed_args"
seed_started=$(date +%s%N)
# shellcheck disable=SC2086
"$bin" seed $seed_args >"$work/seed.log" 2>&1 || { cat "$work/seed.log" >&2; exit 1; }
seed_seconds=$(( ($(date +%s%N) - seed_started) / 1000000000 ))
say "seeded in ${seed_seconds}s"
if [[ $db == postgres ]]; then
  psql -X -q -d "$pg_url" -c "VACUUM ANALYZE" >/dev/null
fi

status=0
mkdir -p "$here/results"
suffix=""
[[ $smoke == 0 ]] || suffix=-smoke
[[ -n $out ]] || out="$here/results/$db-$scale$suffix.json"

BENCH_BIN=$bin BENCH_DB=$db BENCH_SCALE=$scale BENCH_DURATION=$duration \
BENCH_CONNECTIONS=$connections BENCH_THREADS=$threads BENCH_SMOKE=$smoke \
BENCH_DIR=$here BENCH_WORK=$work BENCH_PORT=$port BENCH_JSON=$out \
BENCH_PG_URL=$pg_url BENCH_SKIP_SQL=$skip_sql BENCH_SEED_SECONDS=$seed_seconds \
  node "$here/lib/bench.mjs" || status=$?
say "JSON results: $out"
exit $status
