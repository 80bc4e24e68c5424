#!/usr/bin/env bash
# `make test`'s pytest part. With no extra arguments it runs, side by side, (A) the unit and
# integration tests and (B) the end-to-end tests and the browser tests, each against its own
# private system: B waits on its system most of the time, so together they take about as
# long as the longest instead of the sum. The one test that restarts the shared RabbitMQ
# (marker broker_restart) runs alone afterwards, so it cannot disturb B's system.
# With arguments (`make test PYTEST_ARGS="-k slice -x"`) everything runs in one process.
set -uo pipefail
cd "$(dirname "$0")/.."
PATHS=(libs services gateway notifier finance tests)

if [ "$#" -gt 0 ]; then
  exec uv run pytest "${PATHS[@]}" "$@"
fi

mkdir -p test-output
# B runs as two processes, each against its own private system: the API-level e2e tests
# and the browser tests.
API_LOG=test-output/pytest-e2e.log
UI_LOG=test-output/pytest-e2e-ui.log
echo "tests/e2e and tests/e2e/ui run alongside; their output: $API_LOG, $UI_LOG (printed at the end)"
uv run pytest tests/e2e --ignore=tests/e2e/ui -m "not fuzz" >"$API_LOG" 2>&1 &
api_pid=$!
uv run pytest tests/e2e/ui >"$UI_LOG" 2>&1 &
ui_pid=$!

uv run pytest "${PATHS[@]}" --ignore=tests/e2e -m "not broker_restart"
a=$?
# The fuzzing (a few minutes, its own system: it changes a great deal of data) follows A,
# which ends well before the e2e processes.
uv run pytest tests/e2e -m fuzz
f=$?

wait "$api_pid"
b1=$?
wait "$ui_pid"
b2=$?
for pair in "$API_LOG:$b1" "$UI_LOG:$b2"; do
  log=${pair%%:*}; rc=${pair##*:}
  echo
  echo "================ ${log} (ran alongside) ================"
  if [ "$rc" -eq 0 ]; then
    sed -n '/slowest .* durations/,$p' "$log"
  else
    cat "$log"
  fi
done
b=$(( b1 || b2 || f ))

echo
echo "================ the broker restart (alone: it restarts the shared RabbitMQ) ================"
uv run pytest tests/integration -m broker_restart
c=$?
# 5 = nothing selected (e.g. a remote broker this machine cannot restart is skipped, not 5).
[ "$c" -eq 5 ] && c=0

echo
echo "unit+integration: exit $a · fuzzing: exit $f · e2e: exit $b1 · browser: exit $b2 · broker restart: exit $c"
[ "$a" -eq 0 ] && [ "$b" -eq 0 ] && [ "$c" -eq 0 ]
