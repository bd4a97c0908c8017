#!/usr/bin/env bash
# Measures sign-in and authenticated-request throughput of a running Switchboard on loopback
# with wrk (Debian package `wrk`), and prints requests/s and p99 latency for each.
#   bench/http-auth.sh [duration-seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15}
CONNECTIONS=${2:-8}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
[ -f server/target/switchboard.jar ] || ./mvnw -B -q -DskipTests package -pl server -am

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DATA=$(mktemp -d)
ADMIN_PASSWORD="Bench-Admin-1"
SWITCHBOARD_DATA_DIR=$DATA SERVER_PORT=$PORT SWITCHBOARD_ADMIN_PASSWORD=$ADMIN_PASSWORD \
  SWITCHBOARD_SIP_PORT=0 SWITCHBOARD_SIP_TLS_PORT=0 \
  java -jar server/target/switchboard.jar --server.address=127.0.0.1 >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 90); do curl -sf "$BASE/actuator/health" >/dev/null && break; sleep 1; done

json() { python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }
ADMIN=$(curl -sf -XPOST "$BASE/api/auth/sign_in" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" | json '["access_token"]')
TENANT=$(curl -sf -XPOST "$BASE/api/v2/tenants" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d '{"name":"Bench","domain":"bench.example.com"}' | json '["uuid"]')
curl -sf -XPOST "$BASE/api/v2/tenants/$TENANT/users" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d '{"username":"bench","password":"Bench-User-1","role":"StandardUser"}' >/dev/null
export BENCH_USER=bench BENCH_PASSWORD=Bench-User-1 BENCH_DOMAIN=bench.example.com
export BENCH_TOKEN=$(curl -sf -XPOST "$BASE/api/auth/sign_in" -H 'Content-Type: application/json' \
  -d '{"username":"bench","password":"Bench-User-1","domain":"bench.example.com"}' | json '["access_token"]')

run() { # name script
  # A short warm-up so the JIT has compiled the hot paths before the measured run.
  wrk -t2 -c"$CONNECTIONS" -d3s -s "bench/http/$2" "$3" >/dev/null
  local out; out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "bench/http/$2" "$3")
  local rps p99 non2xx
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  printf '%-28s %10s req/s   p99 %8s   non-2xx %s\n' "$1" "$rps" "$p99" "${non2xx:-0}"
}
echo "Switchboard HTTP on loopback: ${CONNECTIONS} connections, ${DURATION}s per run, $(nproc) cores"
run "sign-in (POST sign_in)" sign_in.lua "$BASE/api/auth/sign_in"
run "authenticated GET" authenticated.lua "$BASE/api/auth/user"
