#!/usr/bin/env bash
# Load test for the dashboard (issue 5): a Release build of src/FinSight.Web on a throwaway
# PostgreSQL 15 cluster, one user with 50 positions built from 2,000 transactions over 10 years,
# warm caches, then wrk against GET /health, GET /api/dashboard/overview and
# GET /holdings/profit-loss in the same run. Everything listens on 127.0.0.1 only; the market is
# the offline simulated one. Everything started here is stopped on exit.
#
# usage: bench/load/run.sh
# settings (environment):
#   DURATION=30s      wrk duration per route        WARMUP=5s   unreported wrk run per route first
#   THREADS=2         wrk threads                   CONNECTIONS=50
#   APP_CPUS, WRK_CPUS  optional taskset CPU lists (e.g. APP_CPUS=0 WRK_CPUS=1); default: no pinning,
#                     app and wrk share both cores
#   PGBIN=/usr/lib/postgresql/15/bin   KEEP=1 keeps the work directory (logs, CSV)
#   EXTRA_ROUTES="/a /b"  more GET routes to measure after the three (sent with the bearer token)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/bench/load"
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-5s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-50}
APP_CPUS=${APP_CPUS:-}
WRK_CPUS=${WRK_CPUS:-}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

command -v dotnet >/dev/null || die "dotnet (the .NET 10 SDK) is not on PATH"
command -v curl >/dev/null || die "curl is missing"
[[ -x $PGBIN/initdb ]] || die "PostgreSQL 15 server binaries not found in $PGBIN (Debian: apt-get install postgresql-15)"
if ! command -v wrk >/dev/null; then
    [[ $(id -u) -eq 0 ]] || die "wrk is missing (Debian: apt-get install wrk)"
    log "installing wrk from Debian's packages"
    apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq wrk >/dev/null; }
fi

WORK=$(mktemp -d /tmp/finsight-load.XXXXXX)
chmod 755 "$WORK"
PGDATA="$WORK/pg"
APP_PID=""
PG_STARTED=""

as_postgres() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
    local rc=$?
    if [[ -n $APP_PID ]] && kill -0 "$APP_PID" 2>/dev/null; then
        kill -TERM "$APP_PID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$APP_PID" 2>/dev/null || true
    fi
    if [[ -n $PG_STARTED ]]; then
        as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true
    fi
    if [[ ${KEEP:-} == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    local port
    for _ in $(seq 200); do
        port=$(( 20000 + RANDOM % 30000 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
    done
    die "no free port found"
}

pin() { local cpus=$1; shift; if [[ -n $cpus ]]; then taskset -c "$cpus" "$@"; else "$@"; fi; }

# ---------------------------------------------------------------- build
log "publishing src/FinSight.Web (Release) to $WORK/app"
dotnet publish "$ROOT/src/FinSight.Web/FinSight.Web.csproj" -c Release -o "$WORK/app" --nologo -v quiet >"$WORK/publish.log" 2>&1 \
    || { cat "$WORK/publish.log" >&2; die "publish failed"; }

# ---------------------------------------------------------------- PostgreSQL
PGPORT=$(free_port)
mkdir -p "$PGDATA"
if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$PGDATA"; fi
chmod 700 "$PGDATA"
log "starting PostgreSQL 15 on 127.0.0.1:$PGPORT"
as_postgres "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 \
    || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 30 \
    -o "-p $PGPORT -c listen_addresses=127.0.0.1 -k $PGDATA -c fsync=off" start >/dev/null
PG_STARTED=1

# ---------------------------------------------------------------- app
APP_PORT=$(free_port)
BASE="http://127.0.0.1:$APP_PORT"
mkdir -p "$WORK/data"
log "starting the app on $BASE (Production, simulated market)"
(
    cd "$WORK/app"
    export ASPNETCORE_ENVIRONMENT=Production
    export ASPNETCORE_URLS="$BASE"
    export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=postgres"
    export Auth__SigningKey
    Auth__SigningKey=$(head -c 48 /dev/urandom | base64 -w0)
    export MarketData__Providers__0=Simulated
    export SymbolDirectory__LiveRefreshInterval=00:00:00
    export FinSight__DataDirectory="$WORK/data"
    export Logging__LogLevel__Default=Warning
    # One user at thousands of requests per second is this benchmark's point, not abuse.
    export RateLimiting__Enabled=false
    exec env 'Logging__LogLevel__Microsoft.AspNetCore=Warning' 'Logging__LogLevel__Microsoft.EntityFrameworkCore=Warning' \
        ${APP_CPUS:+taskset -c "$APP_CPUS"} dotnet FinSight.Web.dll
) >"$WORK/app.log" 2>&1 &
APP_PID=$!
for i in $(seq 300); do
    curl -fsS "$BASE/health" >/dev/null 2>&1 && break
    kill -0 "$APP_PID" 2>/dev/null || { cat "$WORK/app.log" >&2; die "the app exited"; }
    [[ $i -lt 300 ]] || { cat "$WORK/app.log" >&2; die "the app did not answer /health within 60 s"; }
    sleep 0.2
done

# ---------------------------------------------------------------- seed
post_json() { curl -fsS -X POST "$BASE$1" -H 'content-type: application/json' -d "$2"; }
log "seeding: sign up, log in, import 2,000 transactions across 50 symbols over 10 years"
post_json /users/signup '{"name":"Load Test","username":"loadtest","email":"loadtest@example.com","password":"load-test-password"}' >/dev/null
TOKEN=$(post_json /users/login '{"email":"loadtest@example.com","password":"load-test-password"}' | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
[[ -n $TOKEN ]] || die "no token"
AUTH="Authorization: Bearer $TOKEN"
"$HERE/gen-transactions.sh" "$ROOT/src/FinSight.MarketData/Directory/starter-symbols.csv" 2000 10 >"$WORK/transactions.csv"
curl -sS -o "$WORK/import.json" -w '%{http_code}' -X POST "$BASE/api/transactions/import" -H "$AUTH" \
    -H 'content-type: text/csv' --data-binary "@$WORK/transactions.csv" >"$WORK/import.status"
[[ $(cat "$WORK/import.status") == 200 ]] || { head -c 2000 "$WORK/import.json" >&2; echo >&2; die "import failed ($(cat "$WORK/import.status"))"; }
grep -q '"imported":2000' "$WORK/import.json" || die "import did not write 2,000 rows: $(head -c 500 "$WORK/import.json")"

# ---------------------------------------------------------------- warm caches
log "warming: state replay, quotes, performance report and snapshot, then $WARMUP of load per route (JIT)"
start_ns=$(date +%s%N)
curl -fsS "$BASE/api/dashboard/overview" -H "$AUTH" >"$WORK/overview.json"
log "first overview (replay + 10-year history + risk report + snapshot): $(( ($(date +%s%N) - start_ns) / 1000000 )) ms"
for _ in 1 2 3 4 5; do
    curl -fsS "$BASE/api/dashboard/overview" -H "$AUTH" >"$WORK/overview.json"
    curl -fsS "$BASE/holdings/profit-loss" -H "$AUTH" >"$WORK/profit-loss.json"
    curl -fsS "$BASE/health" >/dev/null
done
positions=$(grep -o '"position_count":[0-9]*' "$WORK/overview.json" | cut -d: -f2 || true)
log "overview: ${positions:-?} positions, $(wc -c <"$WORK/overview.json") bytes; profit-loss: $(wc -c <"$WORK/profit-loss.json") bytes"
[[ ${positions:-0} -eq 50 ]] || die "expected 50 open positions, the overview says ${positions:-nothing}"

ROUTES=(/health /api/dashboard/overview /holdings/profit-loss ${EXTRA_ROUTES:-})
run_wrk() { # duration route -> RESULT line
    local headers=()
    [[ $2 == /health ]] || headers=(-H "$AUTH")
    pin "$WRK_CPUS" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1" --latency -s "$HERE/report.lua" "${headers[@]}" "$BASE$2" \
        >>"$WORK/wrk.log" 2>&1
    grep '^RESULT' "$WORK/wrk.log" | tail -n 1
}
for route in "${ROUTES[@]}"; do run_wrk "$WARMUP" "$route" >/dev/null; done

# ---------------------------------------------------------------- measure
cores=$(nproc)
log "load average before measuring: $(cut -d' ' -f1-3 /proc/loadavg) ($cores cores)"
declare -A RPS P99 P50 ERR
for route in "${ROUTES[@]}"; do
    log "wrk -t$THREADS -c$CONNECTIONS -d$DURATION $route"
    line=$(run_wrk "$DURATION" "$route")
    field() { sed -E "s/.* $1=([^ ]+).*/\1/" <<<"$line"; }
    RPS[$route]=$(field rps); P99[$route]=$(field p99_ms); P50[$route]=$(field p50_ms)
    ERR[$route]=$(( $(field errors_connect) + $(field errors_read) + $(field errors_write) + $(field errors_status) + $(field errors_timeout) ))
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "FinSight load test  $(date -u +%FT%TZ)  commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "machine: $cores cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), .NET $(dotnet --version), PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}')"
echo "wrk: -t$THREADS -c$CONNECTIONS -d$DURATION (after a $WARMUP warm-up per route); app CPUs: ${APP_CPUS:-all}, wrk CPUs: ${WRK_CPUS:-all}"
echo "data: 1 user, 50 open positions from 2,000 transactions over 10 years; simulated quotes (cached 60 s)"
echo "load average after the run: $load_after"
echo
printf '%-26s %12s %10s %10s %8s\n' route 'requests/s' 'p50 ms' 'p99 ms' errors
for route in "${ROUTES[@]}"; do
    printf '%-26s %12.0f %10.2f %10.2f %8d\n' "$route" "${RPS[$route]}" "${P50[$route]}" "${P99[$route]}" "${ERR[$route]}"
done
ratio=$(awk -v a="${RPS[/api/dashboard/overview]}" -v b="${RPS[/health]}" 'BEGIN { printf "%.2f", a / b }')
echo
echo "overview / health throughput: $ratio (target >= 0.33)"
verdict=$(awk -v r="${RPS[/api/dashboard/overview]}" -v p="${P99[/api/dashboard/overview]}" \
    'BEGIN { print (r >= 3000 && p <= 20) ? "MET" : "MISSED" }')
echo "overview target (>= 3,000 requests/s and p99 <= 20 ms): $verdict"
