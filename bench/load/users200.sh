#!/usr/bin/env bash
# 200 concurrent users (issue 8): a Release build of src/FinSight.Web on a throwaway PostgreSQL 15
# cluster, USERS users signed up and logged in, each with a few holdings, then wrk with
# CONNECTIONS connections for DURATION, every request as the next user (users200.lua rotates the
# tokens) and to the next of the dashboard and holdings routes (overview, positions, trades,
# profit-loss, by-symbol). The API rate limit stays on with its defaults: per user the load is far
# below it. Everything listens on 127.0.0.1 only; the market is the offline simulated one.
# Everything started here is stopped on exit. Prints throughput, p50/p99 and errors (target: 0).
#
# usage: bench/load/users200.sh
# settings (environment):
#   USERS=200  DURATION=60s  WARMUP=10s  THREADS=2  CONNECTIONS=200  POOL=50 (Npgsql Maximum Pool Size)
#   APP_CPUS, WRK_CPUS  optional taskset CPU lists (e.g. APP_CPUS=0 WRK_CPUS=1); default: no pinning,
#                     app and wrk share both cores
#   PGBIN=/usr/lib/postgresql/15/bin   KEEP=1 keeps the work directory (logs, CSV)
#   EXTRA_ROUTES="/a /b"  more GET routes to measure after the three (sent with the bearer token)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/bench/load"
USERS=${USERS:-200}
POOL=${POOL:-50}
DURATION=${DURATION:-60s}
WARMUP=${WARMUP:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-200}
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

WORK=$(mktemp -d /tmp/finsight-users200.XXXXXX)
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
    # Npgsql's default pool (100) would exceed PostgreSQL's default max_connections (100) under
    # 200 users: the extra connections fail with 53300 (503). Keep pool x instances < max_connections.
    export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=postgres;Maximum Pool Size=$POOL"
    export Auth__SigningKey
    Auth__SigningKey=$(head -c 48 /dev/urandom | base64 -w0)
    export MarketData__Providers__0=Simulated
    export SymbolDirectory__LiveRefreshInterval=00:00:00
    export FinSight__DataDirectory="$WORK/data"
    export Logging__LogLevel__Default=Warning
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
post_json() { curl -fsS -X POST "$BASE$1" -H 'content-type: application/json' "${@:3}" -d "$2"; }
seed_user() { # n -> token on stdout
    local n=$1 token auth
    post_json /users/signup "{\"name\":\"Load User $n\",\"username\":\"load$n\",\"email\":\"load$n@example.com\",\"password\":\"load-test-password-$n\"}" >/dev/null
    token=$(post_json /users/login "{\"email\":\"load$n@example.com\",\"password\":\"load-test-password-$n\"}" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
    auth="Authorization: Bearer $token"
    post_json /api/transactions '{"type":"deposit","amount":50000,"date":"2024-01-02"}' -H "$auth" >/dev/null
    post_json /api/transactions "{\"type\":\"buy\",\"symbol\":\"MSFT\",\"quantity\":$(( n % 7 + 1 )),\"price\":380.25,\"date\":\"2024-02-01\"}" -H "$auth" >/dev/null
    post_json /api/transactions "{\"type\":\"buy\",\"symbol\":\"AAPL\",\"quantity\":$(( n % 5 + 2 )),\"price\":175.5,\"date\":\"2024-03-01\"}" -H "$auth" >/dev/null
    post_json /api/transactions "{\"type\":\"buy\",\"symbol\":\"NVDA\",\"quantity\":3,\"price\":495.6,\"date\":\"2024-04-01\"}" -H "$auth" >/dev/null
    post_json /api/transactions "{\"type\":\"sell\",\"symbol\":\"AAPL\",\"quantity\":1,\"price\":190,\"date\":\"2024-06-03\"}" -H "$auth" >/dev/null
    echo "$token"
}
export -f seed_user post_json
export BASE
log "seeding $USERS users (signup, login, a deposit, 3 buys and a sell each)"
start_ns=$(date +%s%N)
seq "$USERS" | xargs -P 4 -I{} bash -c 'seed_user {}' >"$WORK/tokens.txt" || die "seeding failed"
[[ $(grep -c . "$WORK/tokens.txt") -eq $USERS ]] || die "expected $USERS tokens, got $(grep -c . "$WORK/tokens.txt")"
log "seeded in $(( ($(date +%s%N) - start_ns) / 1000000 )) ms"
export TOKENS_FILE="$WORK/tokens.txt"

# ---------------------------------------------------------------- warm up, then measure
run_wrk() { # duration -> RESULT line
    pin "$WRK_CPUS" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1" --latency --timeout 10s -s "$HERE/users200.lua" "$BASE" >>"$WORK/wrk.log" 2>&1
    grep '^RESULT' "$WORK/wrk.log" | tail -n 1
}
log "warming up for $WARMUP (every user's first dashboard: replay, quotes, snapshot)"
run_wrk "$WARMUP" >/dev/null
cores=$(nproc)
log "wrk -t$THREADS -c$CONNECTIONS -d$DURATION as $USERS users; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
line=$(run_wrk "$DURATION")
field() { sed -E "s/.* $1=([^ ]+).*/\1/" <<<"$line"; }
errors=$(( $(field errors_connect) + $(field errors_read) + $(field errors_write) + $(field errors_status) + $(field errors_timeout) ))
app_errors=$(grep -c '"LogLevel":"Error"' "$WORK/app.log" || true)

echo
echo "FinSight 200-user load test  $(date -u +%FT%TZ)  commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "machine: $cores cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), .NET $(dotnet --version), PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}')"
echo "wrk: -t$THREADS -c$CONNECTIONS -d$DURATION after a $WARMUP warm-up; $USERS users rotated per request over 5 dashboard/holdings routes; rate limit on (defaults)"
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '\n%12s %12s %10s %10s %10s %10s %12s\n' requests 'requests/s' 'p50 ms' 'p90 ms' 'p99 ms' 'max ms' errors
printf '%12d %12.0f %10.2f %10.2f %10.2f %10.2f %12d\n' "$(field requests)" "$(field rps)" "$(field p50_ms)" "$(field p90_ms)" "$(field p99_ms)" "$(field max_ms)" "$errors"
echo "(errors: connect $(field errors_connect), read $(field errors_read), write $(field errors_write), non-2xx $(field errors_status), timeout $(field errors_timeout); app error log lines: $app_errors)"
[[ $errors -eq 0 ]] && echo "zero errors: MET" || { echo "zero errors: MISSED"; exit 1; }
