#!/usr/bin/env bash
# Memory bound: one user asks for the performance report against N distinct benchmarks (every one
# a listed symbol), and the app's resident memory is read from /proc before and after. A Release
# build of src/FinSight.Web on SQLite, the offline simulated market, the NASDAQ Trader directory
# from ../shared/data/symbols, the API rate limit and the vendor fair-use budget off (so the cache
# bound is what is measured, not the limits in front of it). Listens on 127.0.0.1 only; everything
# started here is stopped on exit.
#
# usage: bench/memory/benchmarks.sh [checkout]      (default: this checkout)
# settings (environment): N=1200 benchmarks   CACHE_SIZE_LIMIT= (empty: the app's default)
#                         SHARED=<checkout>/../shared/data   KEEP=1 keeps the work directory
set -euo pipefail

ROOT=$(cd "${1:-$(dirname "${BASH_SOURCE[0]}")/../..}" && pwd)
N=${N:-1200}
SHARED=${SHARED:-$ROOT/../shared/data}
[[ -f $SHARED/symbols/nasdaq-listed.csv ]] || { echo "no symbol directory at $SHARED/symbols (set SHARED)" >&2; exit 1; }
WORK=$(mktemp -d /tmp/finsight-memory-XXXXXX)
log() { printf '[memory] %s\n' "$*" >&2; }
APP_PID=
cleanup() {
    [[ -n $APP_PID ]] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null
    [[ ${KEEP:-0} == 1 ]] && log "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT

log "publishing $ROOT/src/FinSight.Web (Release)"
dotnet publish "$ROOT/src/FinSight.Web/FinSight.Web.csproj" -c Release -o "$WORK/app" --nologo -v quiet >"$WORK/publish.log" 2>&1 \
    || { cat "$WORK/publish.log" >&2; exit 1; }

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
mkdir -p "$WORK/data"
(
    cd "$WORK/app"
    export ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="$BASE" FinSight__DataDirectory="$WORK/data"
    Auth__SigningKey=$(head -c 48 /dev/urandom | base64 -w0); export Auth__SigningKey
    export MarketData__Providers__0=Simulated SymbolDirectory__LiveRefreshInterval=00:00:00 SymbolDirectory__ImportPath="$SHARED/symbols"
    export QuoteRefresh__Enabled=false RateLimiting__Enabled=false MarketData__FairUse__SymbolsPerWindow=0 Logging__LogLevel__Default=Warning
    [[ -n ${CACHE_SIZE_LIMIT:-} ]] && export Cache__SizeLimit="$CACHE_SIZE_LIMIT"
    exec env 'Logging__LogLevel__Microsoft.AspNetCore=Warning' dotnet FinSight.Web.dll
) >"$WORK/app.log" 2>&1 &
APP_PID=$!
for i in $(seq 600); do
    curl -fsS "$BASE/health" >/dev/null 2>&1 && break
    kill -0 "$APP_PID" 2>/dev/null || { cat "$WORK/app.log" >&2; exit 1; }
    sleep 0.2
done
PID=$(pgrep -P "$APP_PID" -f FinSight.Web.dll || echo "$APP_PID")
rss() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$PID/status"; }

post() { curl -fsS -X POST "$BASE$1" -H 'content-type: application/json' -H "${AUTH:-x-none: 1}" -d "$2"; }
post /users/signup '{"name":"Memory Bench","username":"membench","email":"membench@example.com","password":"memory-bench-password"}' >/dev/null
TOKEN=$(post /users/login '{"email":"membench@example.com","password":"memory-bench-password"}' | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
AUTH="authorization: Bearer $TOKEN"
for buy in AAPL:2021-03-01 MSFT:2021-06-01 NVDA:2022-01-03 AMZN:2023-02-01 GOOGL:2024-05-01; do
    post /api/transactions "{\"type\":\"buy\",\"symbol\":\"${buy%%:*}\",\"quantity\":10,\"price\":100,\"date\":\"${buy#*:}\"}" >/dev/null
done
curl -fsS "$BASE/api/dashboard/overview" -H "$AUTH" >/dev/null
curl -fsS "$BASE/api/dashboard/performance?range=1Y" -H "$AUTH" >/dev/null
BEFORE=$(rss)
log "after start-up and one dashboard: ${BEFORE} MB resident"

# The first N listed symbols that are plain tickers (the directory's own spelling).
mapfile -t SYMBOLS < <(tail -n +2 "$SHARED/symbols/nasdaq-listed.csv" | cut -d, -f1 | grep -E '^[A-Z]{1,5}$' | head -n "$N")
started=$(date +%s.%N)
declare -A codes=()
for s in "${SYMBOLS[@]}"; do
    code=$(curl -sS -o /dev/null -w '%{http_code}' "$BASE/api/dashboard/performance?range=1Y&benchmark=$s" -H "$AUTH")
    codes[$code]=$(( ${codes[$code]:-0} + 1 ))
done
elapsed=$(echo "$(date +%s.%N) - $started" | bc)
AFTER=$(rss)
PEAK=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$PID/status")
answers=$(for c in "${!codes[@]}"; do printf '%s x%s ' "$c" "${codes[$c]}"; done)
printf 'benchmarks: %s in %.0f s (%s)\nresident memory: %s MB before, %s MB after, peak %s MB\n' \
    "${#SYMBOLS[@]}" "$elapsed" "$answers" "$BEFORE" "$AFTER" "$PEAK"
