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
PROJECTS=(Tests/Unit Tests/Integration Tests/Orleans Tests/EndToEnd)

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

# Count each test's outcome from the TRX results (a skipped test is "NotExecuted" there, and the
# Counters element does not count it); failures are at least what the Counters element reports.
count_attr() { # count_attr <xml-element> <attribute> — the number, or 0
  local v
  v=$(echo "$1" | sed -n "s/.* $2=\"\([0-9]*\)\".*/\1/p")
  echo "${v:-0}"
}
passed=0; failed=0; skipped=0
for trx in "$RESULTS"/*.trx; do
  [ -e "$trx" ] || continue
  outcomes=$(grep -o '<UnitTestResult [^>]*>' "$trx" | sed -n 's/.* outcome="\([A-Za-z]*\)".*/\1/p')
  p=0; n=0; f=0
  if [ -n "$outcomes" ]; then
    p=$(grep -cx Passed <<<"$outcomes" || true)
    n=$(grep -cx NotExecuted <<<"$outcomes" || true)
    f=$(grep -cvxE 'Passed|NotExecuted' <<<"$outcomes" || true)
  fi
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  cf=$(( $(count_attr "$counters" failed) + $(count_attr "$counters" error) + $(count_attr "$counters" timeout) + $(count_attr "$counters" aborted) ))
  [ "$cf" -gt "$f" ] && f=$cf
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + n))
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
