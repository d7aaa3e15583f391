#!/usr/bin/env bash
# The README's test command: provision, build Release, run every test project with TRX output,
# and end with exactly one line "tests: N passed, M failed[, K skipped]" computed from the TRX files.
# Exits non-zero when a test failed, when no test ran, or when a test run broke without reporting.
# Extra arguments go to `dotnet test`:  infra/test.sh --filter Area=Scheduling
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
RESULTS="$ROOT/artifacts/test-results"
STATE_DIR=${DCOS_STATE_DIR:-/var/lib/orleansdcos}
PROJECTS=(Tests/Unit Tests/Integration Tests/EndToEnd)

summary() { # summary <passed> <failed> <skipped>
  local line="tests: $1 passed, $2 failed"
  [ "$3" -gt 0 ] && line="$line, $3 skipped"
  echo "$line"
}

if ! bash infra/provision.sh; then
  echo "test: provisioning failed (see the line above)"
  summary 0 0 0
  exit 1
fi
set -a
# shellcheck disable=SC1091
. "$STATE_DIR/test.env"
set +a

if ! dotnet build OrleansDcos.sln -c Release -nologo -v quiet; then
  echo "test: the Release build failed"
  summary 0 0 0
  exit 1
fi

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
run_failed=0
for project in "${PROJECTS[@]}"; do
  name=$(basename "$project")
  echo "test: running $project"
  # --blame-hang-timeout: a hung test is reported and killed instead of eating the CI budget.
  if ! dotnet test "$project" -c Release --no-build -nologo \
      --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS" \
      --blame-hang-timeout 10m "$@"; then
    run_failed=1
  fi
done

passed=0; failed=0; skipped=0; files=0
for trx in "$RESULTS"/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  attr() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  p=$(attr passed); f=$(attr failed); e=$(attr error); t=$(attr timeout); a=$(attr aborted); n=$(attr notExecuted)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0}))
  skipped=$((skipped + ${n:-0}))
done

status=0
if [ "$failed" -gt 0 ]; then
  status=1
elif [ "$passed" -eq 0 ]; then
  echo "test: no test ran"
  status=1
elif [ "$run_failed" -ne 0 ]; then
  echo "test: a test run exited with an error without a failing test in its results (crash or hang?)"
  status=1
fi
summary "$passed" "$failed" "$skipped"
exit "$status"
