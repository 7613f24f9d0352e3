#!/usr/bin/env bash
# Load test of the dashboard and holdings routes: a Release build of src/FinSight.Web on a throwaway
# PostgreSQL 15 cluster, USERS users signed up and logged in, warm caches, then wrk. Everything
# listens on 127.0.0.1 only; the market is the offline simulated one. Everything started here is
# stopped on exit. Prints requests/s, p50/p99 and errors per measurement; exits 1 on any error.
#
# Two presets, chosen by USERS:
#   USERS=1 (default)  one user with 50 open positions from 2,000 transactions over 10 years (one
#                      CSV import); each route measured on its own: GET /health,
#                      GET /api/dashboard/overview and GET /holdings/profit-loss. The API rate limit
#                      is off: one user at thousands of requests per second is the point, not abuse.
#   USERS=200 (or any n > 1)  n users with a deposit, three buys and a sell each; one wrk run in
#                      which every request goes out as the next user and to the next of the
#                      overview, positions, trades, profit-loss and by-symbol routes. The rate limit
#                      stays on with its defaults (per user the load is far below it), pool 50.
#
# usage: bench/load/run.sh                     the one-user dashboard test
#        USERS=200 bench/load/run.sh           200 users at once
# settings (environment; defaults for USERS=1 / USERS>1):
#   USERS=1             users to sign up
#   TRANSACTIONS        generated transactions imported per user (2000 / 0); 0 seeds the small
#                       history above instead
#   ROUTES="/a /b"      GET routes to measure (see above); EXTRA_ROUTES="/c" adds to them
#   EACH_ROUTE=1 / 0    1: one wrk run per route, a table; 0: one run over all routes in turn
#   DURATION=30s / 60s  wrk duration per measurement    WARMUP=5s / 10s  unreported wrk run first
#   THREADS=2           wrk threads                     CONNECTIONS=50 / USERS
#   POOL= / 50          Npgsql Maximum Pool Size (empty: Npgsql's 100). Keep instances x pool below
#                       PostgreSQL's max_connections (100), or connections beyond it fail with 503
#   RATE_LIMIT=off / on the API rate limit
#   APP_CPUS, WRK_CPUS  optional taskset CPU lists (e.g. APP_CPUS=0 WRK_CPUS=1); default: no pinning,
#                       app and wrk share both cores
#   PGBIN=/usr/lib/postgresql/15/bin   KEEP=1 keeps the work directory (logs, CSV, tokens)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/bench/load"
USERS=${USERS:-1}
[[ $USERS =~ ^[1-9][0-9]*$ ]] || { echo "USERS must be a whole number of at least 1, not '$USERS'" >&2; exit 1; }
if (( USERS == 1 )); then
    TRANSACTIONS=${TRANSACTIONS:-2000}
    ROUTES=${ROUTES:-/health /api/dashboard/overview /holdings/profit-loss}
    EACH_ROUTE=${EACH_ROUTE:-1}
    DURATION=${DURATION:-30s}
    WARMUP=${WARMUP:-5s}
    CONNECTIONS=${CONNECTIONS:-50}
    POOL=${POOL:-}
    RATE_LIMIT=${RATE_LIMIT:-off}
else
    TRANSACTIONS=${TRANSACTIONS:-0}
    ROUTES=${ROUTES:-/api/dashboard/overview /api/dashboard/positions /holdings/profit-loss /holdings/by-symbol?symbol=MSFT /api/dashboard/trades?limit=20}
    EACH_ROUTE=${EACH_ROUTE:-0}
    DURATION=${DURATION:-60s}
    WARMUP=${WARMUP:-10s}
    CONNECTIONS=${CONNECTIONS:-$USERS}
    POOL=${POOL:-50}
    RATE_LIMIT=${RATE_LIMIT:-on}
fi
read -r -a ROUTES <<<"$ROUTES ${EXTRA_ROUTES:-}"
THREADS=${THREADS:-2}
APP_CPUS=${APP_CPUS:-}
WRK_CPUS=${WRK_CPUS:-}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ $RATE_LIMIT == on || $RATE_LIMIT == off ]] || die "RATE_LIMIT is on or off, not '$RATE_LIMIT'"
[[ $TRANSACTIONS =~ ^[0-9]+$ ]] || die "TRANSACTIONS must be a whole number, not '$TRANSACTIONS'"
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
log "starting the app on $BASE (Production, simulated market, pool ${POOL:-default}, rate limit $RATE_LIMIT)"
(
    cd "$WORK/app"
    export ASPNETCORE_ENVIRONMENT=Production
    export ASPNETCORE_URLS="$BASE"
    export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=postgres${POOL:+;Maximum Pool Size=$POOL}"
    export Auth__SigningKey
    Auth__SigningKey=$(head -c 48 /dev/urandom | base64 -w0)
    export MarketData__Providers__0=Simulated
    export SymbolDirectory__LiveRefreshInterval=00:00:00
    export FinSight__DataDirectory="$WORK/data"
    export Logging__LogLevel__Default=Warning
    if [[ $RATE_LIMIT == off ]]; then export RateLimiting__Enabled=false; fi
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
    local n=$1 token auth status
    post_json /users/signup "{\"name\":\"Load User $n\",\"username\":\"load$n\",\"email\":\"load$n@example.com\",\"password\":\"load-test-password-$n\"}" >/dev/null
    token=$(post_json /users/login "{\"email\":\"load$n@example.com\",\"password\":\"load-test-password-$n\"}" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
    [[ -n $token ]] || { echo "no token for user $n" >&2; return 1; }
    auth="Authorization: Bearer $token"
    if (( TRANSACTIONS > 0 )); then
        status=$(curl -sS -o "$WORK/import-$n.json" -w '%{http_code}' -X POST "$BASE/api/transactions/import" -H "$auth" \
            -H 'content-type: text/csv' --data-binary "@$WORK/transactions.csv")
        [[ $status == 200 ]] || { head -c 2000 "$WORK/import-$n.json" >&2; echo "import for user $n failed ($status)" >&2; return 1; }
        grep -q "\"imported\":$TRANSACTIONS" "$WORK/import-$n.json" \
            || { echo "import for user $n did not write $TRANSACTIONS rows: $(head -c 500 "$WORK/import-$n.json")" >&2; return 1; }
    else
        post_json /api/transactions '{"type":"deposit","amount":50000,"date":"2024-01-02"}' -H "$auth" >/dev/null
        post_json /api/transactions "{\"type\":\"buy\",\"symbol\":\"MSFT\",\"quantity\":$(( n % 7 + 1 )),\"price\":380.25,\"date\":\"2024-02-01\"}" -H "$auth" >/dev/null
        post_json /api/transactions "{\"type\":\"buy\",\"symbol\":\"AAPL\",\"quantity\":$(( n % 5 + 2 )),\"price\":175.5,\"date\":\"2024-03-01\"}" -H "$auth" >/dev/null
        post_json /api/transactions "{\"type\":\"buy\",\"symbol\":\"NVDA\",\"quantity\":3,\"price\":495.6,\"date\":\"2024-04-01\"}" -H "$auth" >/dev/null
        post_json /api/transactions "{\"type\":\"sell\",\"symbol\":\"AAPL\",\"quantity\":1,\"price\":190,\"date\":\"2024-06-03\"}" -H "$auth" >/dev/null
    fi
    echo "$token"
}
if (( TRANSACTIONS > 0 )); then
    "$HERE/gen-transactions.sh" "$ROOT/src/FinSight.MarketData/Directory/starter-symbols.csv" "$TRANSACTIONS" 10 >"$WORK/transactions.csv"
    seeding="an import of $TRANSACTIONS transactions across 50 symbols over 10 years"
else
    seeding="a deposit, 3 buys and a sell"
fi
export -f seed_user post_json
export BASE WORK TRANSACTIONS
log "seeding $USERS user(s): signup, login, $seeding each"
start_ns=$(date +%s%N)
seq "$USERS" | xargs -P 4 -I{} bash -c 'set -e; seed_user {}' >"$WORK/tokens.txt" || die "seeding failed"
[[ $(grep -c . "$WORK/tokens.txt") -eq $USERS ]] || die "expected $USERS tokens, got $(grep -c . "$WORK/tokens.txt")"
log "seeded in $(( ($(date +%s%N) - start_ns) / 1000000 )) ms"
export TOKENS_FILE="$WORK/tokens.txt"
AUTH="Authorization: Bearer $(head -n 1 "$WORK/tokens.txt")"

# ---------------------------------------------------------------- warm caches
if (( USERS == 1 )); then
    log "warming: state replay, quotes, performance report and snapshot"
    start_ns=$(date +%s%N)
    curl -fsS "$BASE/api/dashboard/overview" -H "$AUTH" >"$WORK/overview.json"
    log "first overview (replay + history + risk report + snapshot): $(( ($(date +%s%N) - start_ns) / 1000000 )) ms"
    for _ in 1 2 3 4 5; do
        curl -fsS "$BASE/api/dashboard/overview" -H "$AUTH" >"$WORK/overview.json"
        curl -fsS "$BASE/holdings/profit-loss" -H "$AUTH" >"$WORK/profit-loss.json"
        curl -fsS "$BASE/health" >/dev/null
    done
    positions=$(grep -o '"position_count":[0-9]*' "$WORK/overview.json" | cut -d: -f2 || true)
    log "overview: ${positions:-?} positions, $(wc -c <"$WORK/overview.json") bytes; profit-loss: $(wc -c <"$WORK/profit-loss.json") bytes"
    expected=$(( TRANSACTIONS > 0 ? 50 : 3 ))
    [[ ${positions:-0} -eq $expected ]] || die "expected $expected open positions, the overview says ${positions:-nothing}"
fi

# wrk with load.lua: one user on one route is a plain request (the fastest wrk can send, with the
# token as a header); anything else goes out as the next user and/or route per request.
run_wrk() { # duration route... -> RESULT line
    local duration=$1 headers=()
    shift
    if (( USERS == 1 && $# == 1 )); then
        [[ $1 == /health ]] || headers=(-H "$AUTH")
        ROUTES='' pin "$WRK_CPUS" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --latency --timeout 10s -s "$HERE/load.lua" \
            "${headers[@]}" "$BASE$1" >>"$WORK/wrk.log" 2>&1
    else
        ROUTES="$*" pin "$WRK_CPUS" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --latency --timeout 10s -s "$HERE/load.lua" \
            "$BASE" >>"$WORK/wrk.log" 2>&1
    fi
    grep '^RESULT' "$WORK/wrk.log" | tail -n 1
}
if [[ $EACH_ROUTE == 1 ]]; then
    MEASURE=("${ROUTES[@]}")
else
    MEASURE=("${ROUTES[*]}")
fi
log "warming up: $WARMUP of load per measurement (JIT; with several users, every user's first dashboard)"
for routes in "${MEASURE[@]}"; do
    read -r -a parts <<<"$routes"
    run_wrk "$WARMUP" "${parts[@]}" >/dev/null
done

# ---------------------------------------------------------------- measure
cores=$(nproc)
log "load average before measuring: $(cut -d' ' -f1-3 /proc/loadavg) ($cores cores)"
declare -A LINE
for routes in "${MEASURE[@]}"; do
    log "wrk -t$THREADS -c$CONNECTIONS -d$DURATION $routes"
    read -r -a parts <<<"$routes"
    LINE[$routes]=$(run_wrk "$DURATION" "${parts[@]}")
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
field() { sed -E "s/.* $2=([^ ]+).*/\1/" <<<"${LINE[$1]}"; }
errors_of() { echo $(( $(field "$1" errors_connect) + $(field "$1" errors_read) + $(field "$1" errors_write) + $(field "$1" errors_status) + $(field "$1" errors_timeout) )); }

echo
echo "FinSight load test  $(date -u +%FT%TZ)  commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "machine: $cores cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), .NET $(dotnet --version), PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}')"
echo "wrk: -t$THREADS -c$CONNECTIONS -d$DURATION (after a $WARMUP warm-up per measurement); app CPUs: ${APP_CPUS:-all}, wrk CPUs: ${WRK_CPUS:-all}"
echo "data: $USERS user(s) with $seeding each; simulated quotes (cached 60 s); pool ${POOL:-default}; rate limit $RATE_LIMIT"
(( USERS == 1 )) || echo "requests rotate over the $USERS users$( [[ $EACH_ROUTE == 1 ]] || echo " and the routes")"
echo "load average after the run: $load_after"
echo
printf '%-40s %10s %12s %9s %9s %9s %9s %8s\n' route requests 'requests/s' 'p50 ms' 'p90 ms' 'p99 ms' 'max ms' errors
total_errors=0
for routes in "${MEASURE[@]}"; do
    name=$routes
    [[ $routes != *' '* ]] || name="all ${#ROUTES[@]} routes in turn"
    printf '%-40s %10d %12.0f %9.2f %9.2f %9.2f %9.2f %8d\n' "$name" "$(field "$routes" requests)" "$(field "$routes" rps)" \
        "$(field "$routes" p50_ms)" "$(field "$routes" p90_ms)" "$(field "$routes" p99_ms)" "$(field "$routes" max_ms)" "$(errors_of "$routes")"
    if (( $(errors_of "$routes") > 0 )); then
        echo "  (errors: connect $(field "$routes" errors_connect), read $(field "$routes" errors_read), write $(field "$routes" errors_write), non-2xx $(field "$routes" errors_status), timeout $(field "$routes" errors_timeout))"
    fi
    total_errors=$(( total_errors + $(errors_of "$routes") ))
done
echo "app error log lines: $(grep -c '"LogLevel":"Error"' "$WORK/app.log" || true)"
if [[ -n ${LINE[/api/dashboard/overview]:-} && -n ${LINE[/health]:-} ]]; then
    ratio=$(awk -v a="$(field /api/dashboard/overview rps)" -v b="$(field /health rps)" 'BEGIN { printf "%.2f", a / b }')
    echo "overview / health throughput: $ratio (target >= 0.33)"
fi
if [[ -n ${LINE[/api/dashboard/overview]:-} ]] && (( USERS == 1 )); then
    verdict=$(awk -v r="$(field /api/dashboard/overview rps)" -v p="$(field /api/dashboard/overview p99_ms)" \
        'BEGIN { print (r >= 3000 && p <= 20) ? "MET" : "MISSED" }')
    echo "overview target (>= 3,000 requests/s and p99 <= 20 ms): $verdict"
fi
if (( total_errors == 0 )); then echo "zero errors: MET"; else echo "zero errors: MISSED"; exit 1; fi
