#!/usr/bin/env bash
# The one test command, for a fresh Debian machine too: installs with apt-get what the tests need
# and the machine lacks (and says what), runs `dotnet test FinSight.slnx` with the arguments given
# (e.g. ./test.sh --filter "FullyQualifiedName~Dashboard"), and ends with one line,
# `tests: N passed, N failed`. Exits non-zero when a test failed, none ran, or something is missing.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
# The PostgreSQL tests start a throwaway cluster from the server binaries (unless PG_BIN names
# them or FINSIGHT_TEST_POSTGRES names a server; see the README's "Tests").
if [[ -z ${FINSIGHT_TEST_POSTGRES:-} && -z ${PG_BIN:-} ]] && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  missing+=(postgresql)
fi
# The browser tests drive Debian's Chromium through Playwright (never a downloaded browser).
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
# The web project's build installs its front-end packages with npm.
command -v npm >/dev/null || missing+=(npm)
# Redis, ahead of the tests that will need it, so that this command stays the same.
command -v redis-server >/dev/null || missing+=(redis-server)

if [[ ${#missing[@]} -gt 0 ]]; then
  how="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
  command -v apt-get >/dev/null || { echo "The tests need ${missing[*]}; install them (Debian: $how)." >&2; exit 1; }
  as_root=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null && sudo -n true 2>/dev/null \
      || { echo "The tests need ${missing[*]}; run this as root, or install them first: sudo sh -c '$how'" >&2; exit 1; }
    as_root=(sudo)
  fi
  echo "Installing with apt-get: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update -q
  "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
command -v dotnet >/dev/null || {
  echo "The .NET 10 SDK is required and dotnet is not on PATH: https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
  exit 1
}

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test FinSight.slnx "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One closing line over all test assemblies, from each one's summary: "Passed!  - Failed: 0,
# Passed: 80, ..." at the default verbosity, or "Total tests:" followed by "Passed:"/"Failed:" lines.
read -r passed failed < <(awk '
  /^(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+/ {
    f = $0; sub(/.*Failed: +/, "", f); failed += f + 0
    p = $0; sub(/.*Passed: +/, "", p); passed += p + 0
    next
  }
  /^Total tests: / { totals = 1; next }
  totals && /^ +Passed: +[0-9]+ *$/ { passed += $2; next }
  totals && /^ +Failed: +[0-9]+ *$/ { failed += $2; next }
  totals && /^ +(Skipped|Total time):/ { next }
  { totals = 0 }
  END { print passed + 0, failed + 0 }
' "$log")
if [[ $status -eq 0 && $passed -eq 0 ]]; then
  echo "No test ran." >&2
  status=1
fi
echo "tests: ${passed} passed, ${failed} failed"
exit "$status"
