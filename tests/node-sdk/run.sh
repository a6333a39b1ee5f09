#!/usr/bin/env bash
# The official OpenAI Node SDK (npm `openai`, pinned in package.json) against the server: build it,
# start it on a free port with every run completing and short real-clock timings, run the
# node:test files in test/, stop it. The last line printed is "N passed, N failed"; the exit code
# is non-zero when anything failed.
#
#   bash tests/node-sdk/run.sh              # needs node >= 18.19, npm and the .NET 10 SDK
#   NODE_SDK_SKIP_BUILD=1 bash ...          # use the Release build already there
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=$(mktemp -d "${TMPDIR:-/tmp}/node-sdk.XXXXXX")
server_pid=
passed=0
failed=0
summary=0

say() { printf 'node-sdk: %s\n' "$*"; }

finish() {
  local rc=$?
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  # Stopped before node:test said anything (install, build, start-up, a crash): one failure.
  if [ "$summary" = 0 ] || { [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; }; then
    [ "$failed" -gt 0 ] || failed=1
  fi
  rm -rf "$out"
  printf '%d passed, %d failed\n' "$passed" "$failed"
  [ "$failed" -eq 0 ] && exit 0 || exit 1
}
trap finish EXIT
trap 'exit 130' INT TERM

cd "$here"
say "npm ci (openai $(sed -n 's/.*"openai": *"\([^"]*\)".*/\1/p' package.json))"
npm ci --no-audit --no-fund --loglevel=error >"$out/npm.log" 2>&1 ||
  { tail -n 20 "$out/npm.log"; say "npm ci failed"; exit 1; }

dll=$repo/src/MockRunsServer/bin/Release/net10.0/MockRunsServer.dll
if [ "${NODE_SDK_SKIP_BUILD:-0}" != 1 ] || [ ! -f "$dll" ]; then
  say "dotnet build -c Release"
  dotnet build "$repo/src/MockRunsServer" -c Release -nologo -v quiet >"$out/build.log" 2>&1 ||
    { tail -n 30 "$out/build.log"; say "the server did not build"; exit 1; }
fi

# A free port, handed to the server: another process can take it in between, and then the server
# exits at once (port in use), so a start is tried up to three times, each on a new port.
ready=0
for attempt in 1 2 3; do
  port=$(node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')
  base=http://127.0.0.1:$port
  say "starting the server on $base"
  # Every run completes unless a test picks a scenario; real clock, short timings so polls are few.
  # `slow` (3 s in progress) is for tests that must act while a run is still active: 200 ms is
  # not a safe window on a loaded machine.
  Mock__Outcomes__complete=100 Mock__Outcomes__fail=0 Mock__Outcomes__incomplete=0 Mock__Outcomes__rate_limit=0 \
  Mock__Timings__Queued=00:00:00.050 Mock__Timings__InProgress=00:00:00.200 Mock__Timings__Cancelling=00:00:00.050 \
  Mock__Clock__Mode=real Mock__Seed=1 Logging__LogLevel__Default=Warning \
  Mock__Scenarios__slow__Outcome=complete Mock__Scenarios__slow__InProgress=00:00:03 \
    dotnet "$dll" --urls "$base" >"$out/server.log" 2>&1 &
  server_pid=$!

  for _ in $(seq 1 150); do
    kill -0 "$server_pid" 2>/dev/null || break
    if node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$base/healthz"; then
      ready=1; break
    fi
    sleep 0.2
  done
  [ "$ready" = 1 ] && break
  # Still running but never ready: no new port would help.
  kill -0 "$server_pid" 2>/dev/null && break
  tail -n 5 "$out/server.log"
  say "the server stopped at start-up (attempt $attempt)"
done
if [ "$ready" != 1 ]; then
  tail -n 30 "$out/server.log"
  say "the server did not answer /healthz"
  exit 1
fi

say "node --test"
# A per-test timeout where this node has the flag (20.11+); the outer timeout bounds the rest.
per_test=()
node --test-timeout=60000 -e '' >/dev/null 2>&1 && per_test=(--test-timeout=60000)
# Human-readable output on the console, TAP in a file for the counts.
MOCK_BASE_URL=$base/v1 timeout --kill-after=10 300 node --test "${per_test[@]}" \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$out/tap" \
  test/*.test.mjs
test_rc=$?

# TAP summary: "# pass N", "# fail N", "# cancelled N" (a cancelled test is a timed-out or orphaned one).
count() { sed -n "s/^# $1 \([0-9][0-9]*\)$/\1/p" "$out/tap" 2>/dev/null | tail -n 1; }
if [ -n "$(count pass)" ]; then
  summary=1
  passed=$(count pass)
  failed=$(( $(count fail) + $(count cancelled) ))
fi
if [ "$test_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  say "node --test exited $test_rc without a failed test: counted as one failure"
  failed=1
fi
if [ "$failed" -gt 0 ]; then
  say "server log (last lines):"
  tail -n 40 "$out/server.log"
fi
