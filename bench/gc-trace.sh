#!/usr/bin/env bash
# Traces the server's GC during the create-run load (bench/README.md, "GC trace") and prints a
# table of every collection: pause, promoted MB, marking from older generations, live ranges.
# Settings (environment): DURATION (wrk seconds, 8), WARMUP (seconds, 5), CONNECTIONS (64),
# PORT (5804), SERVER_DIR (a published server to trace instead of building src/, e.g. a
# throw-away build), and any Mock__… or DOTNET_… variable, passed to the server.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH=$ROOT/bench
OUT=$BENCH/.out/gc-trace
DURATION=${DURATION:-8}
WARMUP=${WARMUP:-5}
CONNECTIONS=${CONNECTIONS:-64}
PORT=${PORT:-5804}
export BENCH_WRK_DIR=$BENCH/wrk
say() { echo "[gc-trace] $*" >&2; }
# dotnet-trace's --duration is dd:hh:mm:ss.
seconds_as_duration() { printf '%02d:%02d:%02d:%02d' $(($1 / 86400)) $(($1 % 86400 / 3600)) $(($1 % 3600 / 60)) $(($1 % 60)); }
mkdir -p "$OUT"

command -v wrk > /dev/null || (apt-get update -qq && apt-get install -y -qq wrk) > /dev/null
TRACE_TOOL=$HOME/.dotnet/tools/dotnet-trace
if [ ! -x "$TRACE_TOOL" ]; then
    say "installing dotnet-trace"
    dotnet tool install -g dotnet-trace > /dev/null
fi

SERVER=${SERVER_DIR:-$OUT/server}
if [ -z "${SERVER_DIR:-}" ]; then
    say "publishing the server (Release)"
    dotnet publish "$ROOT/src/MockRunsServer" -c Release -o "$SERVER" -v q --nologo > "$OUT/build.log"
fi
dotnet build "$BENCH/GcTrace" -c Release -o "$OUT/gctrace" -v q --nologo >> "$OUT/build.log"

if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then
    say "port $PORT is already in use: stop what listens there or set PORT"
    exit 1
fi
# The timings of bench/run.sh's HTTP runs.
(cd "$SERVER" && Mock__Timings__Queued=00:00:00.050 Mock__Timings__InProgress=00:00:00.200 \
    exec ./MockRunsServer --urls "http://127.0.0.1:$PORT" > "$OUT/server.log" 2>&1) &
SERVER_PID=$!
trap 'kill $SERVER_PID 2> /dev/null || true' EXIT
for _ in $(seq 300); do
    curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null && break
    sleep 0.1
done
export BENCH_ASSISTANT=$(curl -s -H "OpenAI-Beta: assistants=v2" -H "Content-Type: application/json" \
    -d '{"model":"gpt-4o"}' "http://127.0.0.1:$PORT/v1/assistants" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')

say "warm-up: ${WARMUP}s of creates"
wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$BENCH/wrk/create.lua" "http://127.0.0.1:$PORT" > /dev/null
say "tracing ${DURATION}s of creates"
# GC events (0x1) at verbose level for the per-heap mark times, and the live ranges (0x400000).
"$TRACE_TOOL" collect -p "$SERVER_PID" --providers Microsoft-Windows-DotNETRuntime:0x400001:5 \
    --duration "$(seconds_as_duration $((DURATION + 2)))" -o "$OUT/create.nettrace" > "$OUT/trace.log" 2>&1 &
TRACE_PID=$!
sleep 1
WRK=$(wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$BENCH/wrk/create.lua" "http://127.0.0.1:$PORT")
wait "$TRACE_PID"
REQUESTS=$(echo "$WRK" | awk '/requests in/ { print $1 }')
echo "$WRK" | awk '/Requests\/sec|requests in|^ +99%|^ +50%/'
echo
dotnet "$OUT/gctrace/GcTrace.dll" "$OUT/create.nettrace" "$REQUESTS"
