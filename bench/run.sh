#!/usr/bin/env bash
# Runs every benchmark of bench/README.md and prints one markdown table (also saved under
# bench/results/). Settings (environment): DURATION (wrk seconds per measurement, 10),
# WARMUP (seconds, 5), REPS (3), CONNECTIONS (64), POLL_CLIENTS (64), RUNS (engine, 1000000),
# LAUNCHES (start-up, 10), CLOSED_SECONDS (closed-loop check, 5), HTTP_SCENARIOS (all),
# PIN (0: no pinning; 1: server and baseline on core 1, wrk on core 0), GC_TRACE (1: trace the GC
# during the create load with bench/gc-trace.sh; 0: skip it).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH=$ROOT/bench
OUT=$BENCH/.out
RESULTS=$BENCH/results
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
REPS=${REPS:-3}
CONNECTIONS=${CONNECTIONS:-64}
POLL_CLIENTS=${POLL_CLIENTS:-64}
RUNS=${RUNS:-1000000}
LAUNCHES=${LAUNCHES:-10}
CLOSED_SECONDS=${CLOSED_SECONDS:-5}
PIN=${PIN:-0}
SERVER_PORT=${SERVER_PORT:-5801}
BASELINE_PORT=${BASELINE_PORT:-5802}
STARTUP_PORT=${STARTUP_PORT:-5803}
TRACE_PORT=${TRACE_PORT:-5804}
# Short real-clock timings for the HTTP runs, so the poll loop's runs finish quickly.
QUEUED=00:00:00.050
IN_PROGRESS=00:00:00.200
export BENCH_WRK_DIR=$BENCH/wrk

mkdir -p "$OUT" "$RESULTS"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
LOG=$RESULTS/$STAMP.log
REPORT=$RESULTS/$STAMP.md
: > "$LOG"
say() { echo "[bench] $*" >&2; }

if ! command -v wrk > /dev/null; then
    say "installing wrk"
    (apt-get update -qq && apt-get install -y -qq wrk) >> "$LOG" 2>&1
fi
if [ "$PIN" = 1 ] && [ "$(nproc)" -ge 2 ]; then
    SERVER_CPU="taskset -c 1"
    WRK_CPU="taskset -c 0"
    PINNING="server and baseline pinned to core 1, wrk to core 0 (taskset)"
else
    SERVER_CPU=""
    WRK_CPU=""
    PINNING="no pinning (wrk, 1 thread, shares the 2 cores with the server)"
fi

say "building (Release)"
dotnet publish "$ROOT/src/MockRunsServer" -c Release -o "$OUT/server" -v q --nologo >> "$LOG" 2>&1
dotnet publish "$BENCH/Baseline" -c Release -o "$OUT/baseline" -v q --nologo >> "$LOG" 2>&1
dotnet build "$BENCH/Startup" -c Release -o "$OUT/startup" -v q --nologo >> "$LOG" 2>&1
dotnet build "$BENCH/Engine" -c Release -o "$OUT/engine" -v q --nologo >> "$LOG" 2>&1
dotnet build "$BENCH/GcWatch" -c Release -o "$OUT/gcwatch" -v q --nologo >> "$LOG" 2>&1
dotnet build "$BENCH/ClosedLoop" -c Release -o "$OUT/closedloop" -v q --nologo >> "$LOG" 2>&1

PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2> /dev/null || true
    done
}
trap cleanup EXIT

wait_healthy() {
    for _ in $(seq 300); do
        if curl -sf "http://127.0.0.1:$1/healthz" > /dev/null; then
            return 0
        fi
        sleep 0.1
    done
    say "nothing answers on port $1"
    return 1
}

rss_mb() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# ---- 1. start-up ------------------------------------------------------------------------
say "start-up: $LAUNCHES launches of the published server"
STARTUP=$(dotnet "$OUT/startup/Startup.dll" "$OUT/server/MockRunsServer" "$STARTUP_PORT" "$LAUNCHES" 2 | tee -a "$LOG" | grep '^STARTUP')
startup_value() { echo "$STARTUP" | tr ' ' '\n' | awk -F= -v key="$1" '$1 == key { print $2 }'; }

# ---- 2. HTTP load -----------------------------------------------------------------------
for port in "$SERVER_PORT" "$BASELINE_PORT"; do
    if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
        say "port $port is already in use: stop what listens there or set SERVER_PORT / BASELINE_PORT"
        exit 1
    fi
done
say "HTTP: starting the server and the baseline ($PINNING)"
export Mock__Timings__Queued=$QUEUED Mock__Timings__InProgress=$IN_PROGRESS
# GcWatch (a startup hook) records every GC pause of both processes, to set beside each measurement.
export DOTNET_STARTUP_HOOKS=$OUT/gcwatch/GcWatch.dll
(cd "$OUT/server" && GCWATCH_OUT=$OUT/gc-server.log exec $SERVER_CPU ./MockRunsServer --urls "http://127.0.0.1:$SERVER_PORT" >> "$LOG" 2>&1) &
PIDS+=($!)
(cd "$OUT/baseline" && GCWATCH_OUT=$OUT/gc-baseline.log exec $SERVER_CPU ./Baseline --urls "http://127.0.0.1:$BASELINE_PORT" >> "$LOG" 2>&1) &
PIDS+=($!)
unset Mock__Timings__Queued Mock__Timings__InProgress DOTNET_STARTUP_HOOKS
wait_healthy "$SERVER_PORT"
wait_healthy "$BASELINE_PORT"
SERVER_PID=${PIDS[0]}
BASELINE_PID=${PIDS[1]}
sleep 2
IDLE_RSS=$(rss_mb "$SERVER_PID")

# Fixtures: an assistant, and a thread with 25 completed runs (so 25 assistant messages).
H=(-s -H "OpenAI-Beta: assistants=v2" -H "Content-Type: application/json")
S=http://127.0.0.1:$SERVER_PORT
json_id() { sed -n 's/^{"id":"\([^"]*\)".*/\1/p'; }
ASSISTANT=$(curl "${H[@]}" -d '{"model":"gpt-4o"}' "$S/v1/assistants" | json_id)
THREAD=$(curl "${H[@]}" -d '{}' "$S/v1/threads" | json_id)
for _ in $(seq 25); do
    RUN=$(curl "${H[@]}" -d "{\"assistant_id\":\"$ASSISTANT\"}" -H "X-Mock-Scenario: complete" "$S/v1/threads/$THREAD/runs" | json_id)
    until curl "${H[@]}" "$S/v1/threads/$THREAD/runs/$RUN" | grep -q '"status":"completed"'; do
        sleep 0.05
    done
done
export BENCH_ASSISTANT=$ASSISTANT

declare -A PATHS=(
    [retrieve]="/v1/threads/$THREAD/runs/$RUN"
    [list_runs]="/v1/threads/$THREAD/runs?limit=20"
    [list_messages]="/v1/threads/$THREAD/messages"
)
# create last: every create adds a thread and a run that the server keeps.
# HTTP_SCENARIOS (environment) picks some, e.g. HTTP_SCENARIOS="retrieve create"; the order stays this one.
SCENARIOS=()
for scenario in retrieve list_runs list_messages poll create; do
    if [[ " ${HTTP_SCENARIOS:-retrieve list_runs list_messages poll create} " == *" $scenario "* ]]; then
        SCENARIOS+=("$scenario")
    fi
done
declare -A TITLE=(
    [retrieve]="retrieve run (GET …/runs/{id})"
    [create]="create run on a fresh thread (POST /v1/threads/runs)"
    [list_runs]="list runs (limit 20)"
    [list_messages]="list messages (20)"
    [poll]="poll loop: $POLL_CLIENTS clients create a run and poll it to the end"
)
declare -A TARGET=([retrieve]="≥ 0.90×" [create]="≥ 0.70×" [list_runs]="≥ 0.50×" [list_messages]="" [poll]="")

# wrk_run PORT SCENARIO SECONDS -> the RESULT line
wrk_run() {
    local url="http://127.0.0.1:$1" scenario=$2 seconds=$3
    case $scenario in
        create) $WRK_CPU wrk -t1 -c"$CONNECTIONS" -d"${seconds}s" -s "$BENCH/wrk/create.lua" "$url" ;;
        poll) $WRK_CPU wrk -t"$POLL_CLIENTS" -c"$POLL_CLIENTS" -d"${seconds}s" -s "$BENCH/wrk/poll.lua" "$url" ;;
        *) $WRK_CPU wrk -t1 -c"$CONNECTIONS" -d"${seconds}s" -s "$BENCH/wrk/get.lua" "$url${PATHS[$scenario]}" ;;
    esac 2>&1 | tee -a "$LOG" | grep '^RESULT'
}

value() { echo "$1" | tr ' ' '\n' | awk -F= -v key="$2" '$1 == key { print $2 }'; }
now_ms() { date +%s%3N; }
# gc_window FILE FROM_MS TO_MS -> collections, total pause, longest pause and bytes allocated in that window (GcWatch's lines)
gc_window() {
    awk -v a="$2" -v b="$3" '
        $1 == "TOTAL" && $2 <= a { p0 = $3; c0 = $4 + $5 + $6; a0 = $7 }
        $1 == "TOTAL" && $2 <= b { p1 = $3; c1 = $4 + $5 + $6; a1 = $7 }
        $1 == "GC" && $2 > a && $2 <= b && $5 > m { m = $5 }
        END { printf "gc_count=%d gc_pause_ms=%.0f gc_max_ms=%.1f alloc_bytes=%.0f", c1 - c0, p1 - p0, m, a1 - a0 }' "$1"
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A R
for scenario in "${SCENARIOS[@]}"; do
    say "HTTP: $scenario (warm-up ${WARMUP}s each, then $REPS x ${DURATION}s alternating)"
    wrk_run "$SERVER_PORT" "$scenario" "$WARMUP" > /dev/null
    wrk_run "$BASELINE_PORT" "$scenario" "$WARMUP" > /dev/null
    for rep in $(seq "$REPS"); do
        for side in server baseline; do
            port=$SERVER_PORT pid=$SERVER_PID
            [ "$side" = baseline ] && port=$BASELINE_PORT pid=$BASELINE_PID
            before=$(cpu_ticks "$pid")
            from=$(now_ms)
            line=$(wrk_run "$port" "$scenario" "$DURATION")
            to=$(now_ms)
            after=$(cpu_ticks "$pid")
            sleep 0.2 # GcWatch writes its totals every 100 ms
            line+=" $(gc_window "$OUT/gc-$side.log" "$from" "$to")"
            # Share of wrk's latency samples it added for coordinated omission (see wrk/common.lua).
            line+=" co_pct=$(awk -v s="$(value "$line" samples)" -v r="$(value "$line" requests)" 'BEGIN { printf "%.1f", (s > 0 ? 100 * (s - r) / s : 0) }')"
            # CPU time the process spent per request (clock ticks of 10 ms): steadier than req/s on a busy machine.
            line+=" cpu_us=$(awk -v a="$before" -v b="$after" -v r="$(value "$line" requests)" 'BEGIN { printf "%.1f", (b - a) * 10000 / r }')"
            # Bytes the process allocated per request: what sets how often the GC runs.
            line+=" alloc_kb=$(awk -v a="$(value "$line" alloc_bytes)" -v r="$(value "$line" requests)" 'BEGIN { printf "%.1f", a / 1024 / r }')"
            for key in rps p50_us p99_us errors bytes requests runs_per_s mean_run_ms cpu_us alloc_kb gc_count gc_pause_ms gc_max_ms co_pct; do
                R[$scenario,$side,$key]+="$(value "$line" "$key") "
            done
        done
    done
done
# The latency check beside wrk's: a closed-loop client timing every request (bench/ClosedLoop).
say "HTTP: closed-loop latency check (${CLOSED_SECONDS}s each: retrieve and create, server and baseline)"
declare -A CLOSED
for scenario in retrieve create; do
    for side in server baseline; do
        port=$SERVER_PORT
        [ "$side" = baseline ] && port=$BASELINE_PORT
        case $scenario in
            retrieve) args=(GET "${PATHS[retrieve]}") ;;
            create) args=(POST /v1/threads/runs "{\"assistant_id\":\"$ASSISTANT\"}") ;;
        esac
        CLOSED[$scenario,$side]=$(dotnet "$OUT/closedloop/ClosedLoop.dll" "$port" "$CONNECTIONS" "$CLOSED_SECONDS" "${args[@]}" 2>> "$LOG" | tee -a "$LOG" | grep '^CLOSED' || true)
    done
done
AFTER_RSS=$(rss_mb "$SERVER_PID")
SIZES=""
for scenario in retrieve list_runs list_messages; do
    s=$(curl "${H[@]}" "$S${PATHS[$scenario]}" | wc -c)
    b=$(curl "${H[@]}" "http://127.0.0.1:$BASELINE_PORT${PATHS[$scenario]}" | wc -c)
    SIZES+="$scenario $s/$b B; "
done
cleanup
PIDS=()

med() { echo "${R[$1,$2,$3]}" | tr ' ' '\n' | grep -v '^$' | median; }
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
gc_cell() { echo "$(med "$1" "$2" gc_count), $(med "$1" "$2" gc_pause_ms), $(med "$1" "$2" gc_max_ms)"; }

# ---- 3. engine --------------------------------------------------------------------------
say "engine: $RUNS runs through their lifecycle (manual clock)"
ENGINE_OUT=$(dotnet "$OUT/engine/Engine.dll" "$RUNS" | tee -a "$LOG")
ENGINE=$(echo "$ENGINE_OUT" | grep '^ENGINE')
engine_value() { value "$ENGINE" "$1"; }

# ---- 4. streaming (another helper's benchmark, when present) ------------------------------
STREAMING=""
if [ -f "$BENCH/Streaming/Streaming.csproj" ]; then
    say "streaming: bench/Streaming (10,000 open streams)"
    dotnet build "$BENCH/Streaming" -c Release -o "$OUT/streaming" -v q --nologo >> "$LOG" 2>&1
    STREAMING=$(dotnet "$OUT/streaming/Streaming.dll" 2>> "$LOG" | tee -a "$LOG" | grep -v '^STREAMING ' || true)
fi

# ---- 5. the GC's work during the create load (bench/gc-trace.sh) -------------------------
GC_TRACE_OUT=""
if [ "${GC_TRACE:-1}" = 1 ]; then
    say "GC trace: ${DURATION} s of creates under dotnet-trace"
    GC_TRACE_OUT=$(SERVER_DIR=$OUT/server DURATION=$DURATION WARMUP=$WARMUP CONNECTIONS=$CONNECTIONS PORT=$TRACE_PORT \
        bash "$BENCH/gc-trace.sh" 2>> "$LOG" | tee -a "$LOG" | grep -E '^(gen[0-9]|all):' || true)
fi

# ---- the table --------------------------------------------------------------------------
{
    echo "## MockRunsServer benchmarks — $STAMP"
    echo
    echo "$(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), .NET $(dotnet --version), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench || echo '+changes')."
    echo "HTTP: wrk, $CONNECTIONS connections, ${DURATION} s per measurement after a ${WARMUP} s warm-up, median of $REPS, server and baseline alternating; $PINNING."
    echo "Machine load average (1, 5, 15 min) at the start: $LOAD_BEFORE; at the end: $(cut -d' ' -f1-3 /proc/loadavg). Anything else running on the 2 cores lowers every figure."
    echo "Server: published Release build, shipped appsettings.json with Mock:Timings Queued=$QUEUED, InProgress=$IN_PROGRESS."
    echo
    echo "| HTTP | server req/s | baseline req/s | ratio | target | server p50 / p99 ms | baseline p50 / p99 ms | CPU µs/request server / baseline | allocated KB/request server / baseline | GC server: pauses, total ms, longest ms | GC baseline | samples wrk added, server / baseline | errors |"
    echo "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for scenario in "${SCENARIOS[@]}"; do
        srps=$(med "$scenario" server rps)
        brps=$(med "$scenario" baseline rps)
        ratio=$(awk -v s="$srps" -v b="$brps" 'BEGIN { printf "%.2f", s / b }')
        errors=$(echo "${R[$scenario,server,errors]}" | tr ' ' '\n' | awk '{ s += $1 } END { print s + 0 }')
        printf "| %s | %.0f | %.0f | %s× | %s | %s / %s | %s / %s | %s / %s | %s / %s | %s | %s | %s %% / %s %% | %s |\n" "${TITLE[$scenario]}" "$srps" "$brps" "$ratio" "${TARGET[$scenario]}" \
            "$(ms "$(med "$scenario" server p50_us)")" "$(ms "$(med "$scenario" server p99_us)")" \
            "$(ms "$(med "$scenario" baseline p50_us)")" "$(ms "$(med "$scenario" baseline p99_us)")" \
            "$(med "$scenario" server cpu_us)" "$(med "$scenario" baseline cpu_us)" \
            "$(med "$scenario" server alloc_kb)" "$(med "$scenario" baseline alloc_kb)" \
            "$(gc_cell "$scenario" server)" "$(gc_cell "$scenario" baseline)" \
            "$(med "$scenario" server co_pct)" "$(med "$scenario" baseline co_pct)" "$errors"
    done
    echo
    if [[ " ${SCENARIOS[*]} " == *" poll "* ]]; then
        printf "Poll loop: server %.0f runs/s, mean %s ms from create to seeing the run ended; baseline %.0f runs/s, %s ms (the timings allow %s ms).\n" \
            "$(med poll server runs_per_s)" "$(med poll server mean_run_ms)" "$(med poll baseline runs_per_s)" "$(med poll baseline mean_run_ms)" 250
    fi
    echo "Body sizes server/baseline: ${SIZES%; }. p99 target: < 5 ms at $CONNECTIONS connections."
    echo "Latency percentiles are wrk's, which corrects for coordinated omission: a response slower than a connection's mean interval adds the samples a steady-rate client would have seen meanwhile (the share added is in the table), so every pause of P ms weighs about P / interval samples per connection. GC columns: collections, their total pause and the longest, during the measurement (medians of the repetitions; bench/GcWatch)."
    echo
    echo "Closed-loop check ($CONNECTIONS connections, ${CLOSED_SECONDS} s each, every request timed by the client, no correction; in flight = mean latency × req/s, which must come out near $CONNECTIONS):"
    echo
    echo "| closed loop | server req/s | server p50 / p90 / p99 / max ms | baseline req/s | baseline p50 / p90 / p99 / max ms | in flight server / baseline |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: |"
    for scenario in retrieve create; do
        sl=${CLOSED[$scenario,server]}
        bl=${CLOSED[$scenario,baseline]}
        printf "| %s | %.0f | %s / %s / %s / %s | %.0f | %s / %s / %s / %s | %s / %s |\n" "${TITLE[$scenario]}" \
            "$(value "$sl" rps)" "$(ms "$(value "$sl" p50_us)")" "$(ms "$(value "$sl" p90_us)")" "$(ms "$(value "$sl" p99_us)")" "$(ms "$(value "$sl" max_us)")" \
            "$(value "$bl" rps)" "$(ms "$(value "$bl" p50_us)")" "$(ms "$(value "$bl" p90_us)")" "$(ms "$(value "$bl" p99_us)")" "$(ms "$(value "$bl" max_us)")" \
            "$(value "$sl" in_flight)" "$(value "$bl" in_flight)"
    done
    echo
    echo "| start-up and memory | value | target |"
    echo "| --- | ---: | --- |"
    echo "| process start to first 200 on /healthz (median of $LAUNCHES) | $(startup_value median_ms) ms | < 500 ms |"
    echo "| resident memory, idle (2 s after the first 200, median) | $(startup_value idle_rss_mb) MB | < 80 MB |"
    echo "| resident memory of the load server: idle / after the load | $IDLE_RSS / $AFTER_RSS MB | |"
    echo
    echo "| engine ($(engine_value runs) runs, manual clock, Mock:Streaming:Chunks=$(engine_value chunks)) | value | target |"
    echo "| --- | ---: | --- |"
    echo "| advance the clock through every transition | $(engine_value advance_s) s ($(engine_value advance_runs_per_s) runs/s; GC paused $(engine_value advance_gc_pause_s) s) | < 10 s |"
    echo "| live heap per finished run (thread, run, message, step) | $(engine_value bytes_per_finished_run) B | < 2048 B |"
    echo "| create the runs (thread + run each, not timed by a target) | $(engine_value create_s) s | |"
    if [ -n "$STREAMING" ]; then
        echo
        echo "$STREAMING"
    fi
    if [ -n "$GC_TRACE_OUT" ]; then
        echo
        echo "GC during ${DURATION} s of creates, traced (bench/gc-trace.sh): each generation's collections, pauses and live ranges, per 10,000 creates. The ranges are what keeping runs out of the GC's heap removes."
        echo
        echo "$GC_TRACE_OUT" | sed 's/^/    /'
    fi
} | tee "$REPORT"
say "saved $REPORT (raw output: $LOG)"
