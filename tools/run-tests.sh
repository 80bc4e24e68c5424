#!/usr/bin/env bash
# `make test`'s pytest part. With no extra arguments it runs, side by side, (A) the unit and
# integration tests and (B) the end-to-end and browser tests against their own private
# system: B waits on that system most of the time, so together they take about as long as
# the longer one instead of the sum. A is the shorter (≈ 6 of ≈ 17 minutes), so once it
# is done the same process goes on with (C) the two longest end-to-end tests that need
# no browser — the fuzzing (≈ 3 min) and the restore drill (≈ 1 min, a system of its
# own anyway) — against a system of their own, while B goes on: never more than two
# legs at once, which is what two cores carry without browser tests turning flaky.
# The one test that restarts the shared RabbitMQ (marker broker_restart) runs alone
# afterwards, so it cannot disturb B's system.
# With arguments (`make test PYTEST_ARGS="-k slice -x"`) everything runs in one process.
set -uo pipefail
cd "$(dirname "$0")/.."
PATHS=(libs services gateway notifier finance tests)

if [ "$#" -gt 0 ]; then
  exec uv run pytest "${PATHS[@]}" "$@"
fi

mkdir -p test-output
E2E_LOG=test-output/pytest-e2e.log
echo "tests/e2e runs alongside; its output: $E2E_LOG (printed at the end)"
LATE=(tests/e2e/test_fuzz.py tests/e2e/test_backup_restore.py)
uv run pytest tests/e2e "${LATE[@]/#/--ignore=}" >"$E2E_LOG" 2>&1 &
e2e_pid=$!

uv run pytest "${PATHS[@]}" --ignore=tests/e2e -m "not broker_restart"
a=$?

echo
echo "================ (C) fuzzing and the restore drill, while tests/e2e goes on ================"
uv run pytest "${LATE[@]}"
d=$?

wait "$e2e_pid"
b=$?
echo
echo "================ tests/e2e (ran alongside; full log in $E2E_LOG) ================"
if [ "$b" -eq 0 ]; then
  sed -n '/slowest .* durations/,$p' "$E2E_LOG"
else
  cat "$E2E_LOG"
fi

echo
echo "================ the broker restart (alone: it restarts the shared RabbitMQ) ================"
uv run pytest tests/integration -m broker_restart
c=$?
# 5 = nothing selected (e.g. a remote broker this machine cannot restart is skipped, not 5).
[ "$c" -eq 5 ] && c=0

echo
echo "unit+integration: exit $a · fuzzing+restore drill: exit $d · e2e+browser: exit $b · broker restart: exit $c"
[ "$a" -eq 0 ] && [ "$d" -eq 0 ] && [ "$b" -eq 0 ] && [ "$c" -eq 0 ]
