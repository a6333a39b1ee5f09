#!/usr/bin/env bash
# Smoke test of the container image: build it, run it, check its health check, and take one
# run from creation to `completed` through the OpenAI routes, the way an SDK would.
#
#   bash docker/smoke-test.sh                              # needs docker (docker info) and python3
#   SMOKE_URL=http://localhost:5080 bash docker/smoke-test.sh   # only the API part, on a running server
#
# The server must let every run complete: the container here gets
# Mock__Outcomes__complete=100 and the other outcomes 0.
#
# Environment:
#   SMOKE_IMAGE        image tag to build and run (default mockruns-server:smoke)
#   SMOKE_SKIP_BUILD=1 run an image built before
#   SMOKE_BUILD_ARGS   more `docker build` arguments
#   SMOKE_EXTRA_CA     `auto` (default): the roots this machine trusts beyond Debian's
#                      ca-certificates (a TLS-inspecting proxy's) are passed to the build's
#                      restore as EXTRA_CA_CERTS; `none`: nothing; or a PEM file to pass
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

image=${SMOKE_IMAGE:-mockruns-server:smoke}
health_timeout=60   # seconds for /healthz to answer 200
status_timeout=40   # seconds for the engine to call the container healthy
run_timeout=30      # seconds for the run to complete

say() { printf 'smoke: %s\n' "$*"; }
fail() { printf 'smoke: FAIL: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# json_get FILE EXPR: EXPR is a Python expression over `d`, the parsed JSON document.
json_get() {
  python3 -c 'import json, sys
try:
    d = json.load(open(sys.argv[1]))
    v = eval(sys.argv[2].strip())
except Exception as e:
    sys.exit("smoke: cannot read %s from the answer (%r): %s" % (sys.argv[2].strip(), e, open(sys.argv[1]).read()[:2000]))
print("" if v is None else (json.dumps(v) if isinstance(v, (dict, list, bool)) else v))' "$1" "$2"
}

# The roots in this machine's bundle that Debian's ca-certificates package does not ship.
extra_roots() {
  python3 - <<'PY'
import glob, re
pem = re.compile(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", re.S)
try:
    bundle = open("/etc/ssl/certs/ca-certificates.crt").read()
except OSError:
    raise SystemExit
known = {"".join(c.split())
         for f in glob.glob("/usr/share/ca-certificates/**/*.crt", recursive=True)
         for c in pem.findall(open(f).read())}
print("\n".join(c for c in pem.findall(bundle) if "".join(c.split()) not in known))
PY
}

started=$(now)
container=
work=$(mktemp -d)
result=failed

cleanup() {
  local rc=$?
  if [ -n "$container" ]; then
    if [ "$result" != passed ]; then
      say "container logs (last 200 lines):"
      docker logs "$container" 2>&1 | tail -n 200 | sed 's/^/  | /' || true
    fi
    docker rm -f "$container" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
  say "$result in $(since "$started") s"
  exit "$rc"
}
trap cleanup EXIT

command -v python3 >/dev/null 2>&1 || fail "python3 is needed (to read JSON)"
command -v curl >/dev/null 2>&1 || fail "curl is needed"

start_container() {
  docker info >/dev/null 2>&1 || fail "docker cannot reach an engine (docker info failed)"

  # 1. Build.
  if [ "${SMOKE_SKIP_BUILD:-0}" != 1 ]; then
    local t extra build_args=()
    t=$(now)
    case "${SMOKE_EXTRA_CA:-auto}" in
      none) extra= ;;
      auto) extra=$(extra_roots || true) ;;
      *) extra=$(cat "$SMOKE_EXTRA_CA") ;;
    esac
    if [ -n "$extra" ]; then
      say "the build's restore trusts $(grep -c 'BEGIN CERTIFICATE' <<<"$extra") extra root(s) of this machine (SMOKE_EXTRA_CA=none: not)"
      build_args+=(--build-arg "EXTRA_CA_CERTS=$extra")
    fi
    say "building $image"
    # shellcheck disable=SC2086
    docker build "${build_args[@]}" ${SMOKE_BUILD_ARGS:-} -t "$image" . >"$work/build.log" 2>&1 || {
      tail -n 60 "$work/build.log"
      fail "docker build failed"
    }
    say "built in $(since "$t") s"
  fi

  # 2. Run, with short timings and every run completing.
  # A free port: another process can take it before docker binds it, so a refused run is tried
  # again on a new port (three times at most).
  local port attempt
  container=
  for attempt in 1 2 3; do
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    base="http://127.0.0.1:$port"
    container=$(docker run -d -p "127.0.0.1:$port:8080" \
      -e Mock__Outcomes__complete=100 \
      -e Mock__Outcomes__fail=0 \
      -e Mock__Outcomes__incomplete=0 \
      -e Mock__Outcomes__rate_limit=0 \
      -e Mock__Timings__Queued=00:00:00.200 \
      -e Mock__Timings__InProgress=00:00:00.300 \
      "$image") && break
    say "docker run refused port $port (attempt $attempt)"
    # A container created but not started would linger.
    [ -n "$container" ] && docker rm -f "$container" >/dev/null 2>&1
    container=
  done
  [ -n "$container" ] || fail "docker run failed"
  say "container ${container:0:12} serves $base"

  # The image carries the repository's appsettings.json, byte for byte.
  if [ "${SMOKE_SKIP_BUILD:-0}" != 1 ]; then
    docker cp "$container:/app/appsettings.json" "$work/appsettings.json" >/dev/null ||
      fail "the image has no /app/appsettings.json"
    cmp -s "$work/appsettings.json" appsettings.json ||
      fail "/app/appsettings.json in the image differs from the repository's appsettings.json"
    say "/app/appsettings.json is the repository's"
  fi

  # A settings file mounted as the README says that the server's user cannot read: exit code 2 and
  # a plain message, not an unhandled exception (139). Mode 000, so no uid but the engine's root reads it.
  local unreadable_ctr code
  printf '{ "Mock": { "Seed": 1 } }\n' >"$work/unreadable.json"
  chmod 000 "$work/unreadable.json"
  unreadable_ctr=$(docker create -v "$work/unreadable.json:/app/appsettings.Production.json:ro" "$image") ||
    fail "docker create (unreadable settings file) failed"
  docker start -a "$unreadable_ctr" >"$work/unreadable.log" 2>&1 || true
  code=$(docker inspect --format '{{.State.ExitCode}}' "$unreadable_ctr" 2>/dev/null || echo unknown)
  docker rm -f "$unreadable_ctr" >/dev/null 2>&1 || true
  [ "$code" = 2 ] && grep -q 'A settings file cannot be read' "$work/unreadable.log" ||
    fail "an unreadable mounted settings file: exit code $code, not 2 with a plain message: $(head -c 1500 "$work/unreadable.log")"
  say "an unreadable mounted settings file stops start-up with exit code 2"

  local user
  user=$(docker inspect --format '{{.Config.User}}' "$container")
  case "$user" in
    ""|0|root|0:*|root:*) fail "the container runs as root (User='$user')" ;;
  esac
  say "runs as user $user"

  # 3. Liveness.
  local t deadline
  t=$(now)
  deadline=$(( $(date +%s) + health_timeout ))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$base/healthz" || true)" = 200 ]; do
    [ "$(docker inspect --format '{{.State.Running}}' "$container" 2>/dev/null)" = true ] ||
      fail "the container stopped before /healthz answered"
    [ "$(date +%s)" -lt "$deadline" ] || fail "/healthz did not answer 200 within $health_timeout s"
    sleep 0.5
  done
  say "/healthz answered 200 after $(since "$t") s"

  # 4. The image's HEALTHCHECK.
  local healthcheck status
  healthcheck=$(docker inspect --format '{{if .Config.Healthcheck}}{{json .Config.Healthcheck.Test}}{{end}}' "$container" 2>/dev/null || true)
  [ -n "$healthcheck" ] && say "HEALTHCHECK $healthcheck" || say "note: the engine shows no HEALTHCHECK in the container's config"
  docker exec "$container" dotnet /app/MockRunsServer.dll --health-probe ||
    fail "the health probe (dotnet MockRunsServer.dll --health-probe) failed in the container"
  say "health probe in the container: exit 0"

  # Podman runs health checks from systemd timers, which a machine without systemd lacks;
  # there the check is run once by hand, and its result recorded like a scheduled one.
  if docker version --format '{{range .Server.Components}}{{.Name}};{{end}}' 2>/dev/null | grep -q Podman &&
     command -v podman >/dev/null 2>&1 && podman container exists "$container" 2>/dev/null; then
    podman healthcheck run "$container" >/dev/null || fail "podman healthcheck run: the image's HEALTHCHECK failed"
    say "podman ran the image's HEALTHCHECK: passed"
  fi
  deadline=$(( $(date +%s) + status_timeout ))
  while :; do
    status=$(docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$container" 2>/dev/null || true)
    case "$status" in
      healthy) say "the engine reports the container healthy"; break ;;
      unhealthy) fail "the engine reports the container unhealthy" ;;
      "") say "note: the engine reports no health status; not checked"; break ;;
    esac
    if [ "$(date +%s)" -ge "$deadline" ]; then
      say "note: health status still '$status' after $status_timeout s (does this engine run health checks?); not checked"
      break
    fi
    sleep 1
  done
}

if [ -n "${SMOKE_URL:-}" ]; then
  base=${SMOKE_URL%/}
  say "testing the server at $base"
else
  start_container
fi

# 5. Swagger UI, which the contract promises at /swagger (the container runs as Production).
code=$(curl -sL -o /dev/null -w '%{http_code}' --max-time 10 "$base/swagger") || true
[ "$code" = 200 ] || fail "GET /swagger answered $code"
say "/swagger answered 200"

# 6. One run, start to finish, through the OpenAI routes.
# api METHOD PATH [BODY]: the answer's body lands in $work/body; fails unless 2xx.
api() {
  local method=$1 path=$2 body=${3:-} code
  local args=(-sS -o "$work/body" -w '%{http_code}' --max-time 10 -X "$method"
    -H 'OpenAI-Beta: assistants=v2' -H 'Content-Type: application/json')
  [ -z "$body" ] || args+=(--data "$body")
  code=$(curl "${args[@]}" "$base$path") || fail "$method $path: curl failed"
  case "$code" in
    2??) ;;
    *) fail "$method $path answered $code: $(head -c 2000 "$work/body")" ;;
  esac
}

api POST /v1/assistants '{"model":"gpt-4o","name":"smoke"}'
assistant=$(json_get "$work/body" 'd["id"]')
[[ "$assistant" == asst_* ]] || fail "create assistant: unexpected id '$assistant'"

api POST /v1/threads '{"messages":[{"role":"user","content":"hello"}]}'
thread=$(json_get "$work/body" 'd["id"]')
[[ "$thread" == thread_* ]] || fail "create thread: unexpected id '$thread'"

api POST "/v1/threads/$thread/runs" "{\"assistant_id\":\"$assistant\"}"
run=$(json_get "$work/body" 'd["id"]')
[[ "$run" == run_* ]] || fail "create run: unexpected id '$run'"
status=$(json_get "$work/body" 'd["status"]')
say "created $assistant, $thread, $run ($status)"

t=$(now)
deadline=$(( $(date +%s) + run_timeout ))
seen=$status
while [ "$status" != completed ]; do
  case "$status" in
    queued|in_progress) ;;
    *) fail "run $run is $status, not completing: $(head -c 2000 "$work/body")" ;;
  esac
  [ "$(date +%s)" -lt "$deadline" ] || fail "run $run still $status after $run_timeout s"
  sleep 0.2
  api GET "/v1/threads/$thread/runs/$run"
  status=$(json_get "$work/body" 'd["status"]')
  [ "$status" = "${seen##* }" ] || seen="$seen -> $status"
done
say "run completed after $(since "$t") s: $seen"
[ -n "$(json_get "$work/body" 'd["completed_at"]')" ] || fail "the completed run has no completed_at"

api GET "/v1/threads/$thread/messages"
text=$(json_get "$work/body" '
  next((c["text"]["value"] for m in d["data"] if m["role"] == "assistant" and m.get("run_id") == "'"$run"'"
        for c in m["content"] if c.get("type") == "text"), None)')
[ -n "$text" ] || fail "no assistant message from $run in $thread: $(head -c 2000 "$work/body")"
say "the assistant wrote: ${text:0:80}"

result=passed
