#!/usr/bin/env bash
# SIPp calls through a stateful proxy over UDP on loopback (INVITE, 100, 180, 200, ACK, BYE, 200;
# no hold): the highest call rate with under 0.1% failed calls, for Switchboard and for Kamailio
# measured by the same steps in the same run. The caller is a SIPp UAC on 127.0.0.2 (the trunk's
# authorized address), the proxy listens on 127.0.0.1, and a SIPp UAS on 127.0.0.3:5080 stands in
# for the carrier the trunk sends calls to.
#   Kamailio: permissions address file (127.0.0.2 allowed, others 403), record_route, stateful
#   t_relay to the trunk, loose_route for ACK and BYE (bench/sip/kamailio-proxy.cfg).
#   Switchboard: a tenant with one trunk {domain 127.0.0.3, port 5080, transport udp} and an `ip`
#   method 127.0.0.2, so every INVITE for a non-local number goes out to the trunk.
#   bench/sip-calls.sh     (RATES="250 500 ..." STEP_SECONDS=8 to change the steps; TRUNK_PORT=5080;
#                           SWITCHBOARD_ARGS="--switchboard.x=y ..." for more server options)
# A side that fails any of five trial calls (Switchboard before its proxy exists: it answers 403)
# is reported as 0/s with what it answered. Each call's UAS and UAC are SIPp processes on the
# same machine as the proxy, so they share its cores.
# Needs: sipp (Debian sip-tester), kamailio (Debian kamailio), a built server jar.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/sip/max-rate.sh
command -v sipp >/dev/null || { echo "sipp is missing: apt-get install sip-tester" >&2; exit 2; }
command -v kamailio >/dev/null || { echo "kamailio is missing: apt-get install kamailio" >&2; exit 2; }
[ -f server/target/switchboard.jar ] || ./mvnw -B -q -DskipTests package -pl server -am
export RATES=${RATES:-250 500 1000 1500 2000 2500 3000 4000 5000 6000 8000 10000 12000}
STEP_SECONDS=${STEP_SECONDS:-8}
export SIPP_IP=127.0.0.2            # the UAC: the trunk's authorized source address
TRUNK_IP=127.0.0.3
TRUNK_PORT=${TRUNK_PORT:-5080}
DOMAIN=bench.example.com
NUMBER=15551230000                  # not a user's extension: routed out to the trunk
UAC=$PWD/bench/sip/call-uac.xml
UAS=$PWD/bench/sip/call-uas.xml
# A call waiting over 10 s for an answer (the proxy sent 100, then nothing) fails instead of holding SIPp.
SIPP_ARGS=(-s "$NUMBER" -key domain "$DOMAIN" -recv_timeout 10000)

WORK=$(mktemp -d)
cleanup() {
  stop_uas
  [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  [ -f "$WORK/kamailio.pid" ] && kill "$(cat "$WORK/kamailio.pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The trunk's side: one SIPp UAS per proxy, bounded by timeout(1) to the longest the steps can take
# (SIPp's own -timeout does not end it while calls are open).
start_uas() {
  local steps; steps=$(wc -w <<<"$RATES")
  timeout -k 5 $(((steps + 3) * (STEP_SECONDS + 65))) sipp -sf "$UAS" -i "$TRUNK_IP" -p "$TRUNK_PORT" -nostdin \
    -recv_timeout 10000 -fd 1 </dev/null >"$WORK/uas.log" 2>&1 &
  UAS_PID=$!
  sleep 0.5
  kill -0 "$UAS_PID" 2>/dev/null || { echo "SIPp UAS could not start on $TRUNK_IP:$TRUNK_PORT:" >&2; tail -5 "$WORK/uas.log" >&2; exit 1; }
}
stop_uas() {
  [ -n "${UAS_PID:-}" ] && kill "$UAS_PID" 2>/dev/null && wait "$UAS_PID" 2>/dev/null || true
  UAS_PID=
}

check() { # target: a handful of calls must all complete; on failure, answered() says what came back
  rm -f "$WORK/check-errors.log"
  local out; out=$(sipp_run 5 "$UAC" "$1" "$(free_port)" "${SIPP_ARGS[@]}" -m 5 -trace_err -error_file "$WORK/check-errors.log")
  read -r _ ok _ _ <<<"$out"
  [ "$ok" = 5 ]
}
answered() { # the first status SIPp did not expect in the last check, e.g. "403 Forbidden"
  local status
  status=$(grep -m1 -o "received 'SIP/2.0 [0-9][0-9][0-9][^'$(printf '\r')]*" "$WORK/check-errors.log" 2>/dev/null || true)
  if [ -n "$status" ]; then echo "${status#received \'SIP/2.0 }"
  elif grep -q -i timeout "$WORK/check-errors.log" 2>/dev/null; then echo "nothing before the timeout"
  else echo "no SIPp error logged"; fi
}

# Kamailio baseline.
KPORT=$(free_port)
echo "1 $SIPP_IP" >"$WORK/addresses"
{ echo "listen=udp:127.0.0.1:$KPORT"; echo "#!define ADDRESSES \"$WORK/addresses\""
  echo "#!define TRUNK \"sip:$TRUNK_IP:$TRUNK_PORT\""; cat bench/sip/kamailio-proxy.cfg; } >"$WORK/kamailio.cfg"
# 1 GB of shared memory: tm keeps every transaction 5 s after it ends; the default 64 MB runs out
# at about 500 calls/s ("out of mem" in build_cell, answered 500).
kamailio -f "$WORK/kamailio.cfg" -m 1024 -P "$WORK/kamailio.pid" -w "$WORK" >"$WORK/kamailio.log" 2>&1
start_uas
sleep 1
check "127.0.0.1:$KPORT" || { echo "Kamailio does not complete calls (answered: $(answered)):" >&2; tail -20 "$WORK/kamailio.log" >&2; exit 1; }
echo "Kamailio $(kamailio -v | head -1 | awk '{print $3}') stateful proxy (tm, rr, permissions) on 127.0.0.1:$KPORT, trunk $TRUNK_IP:$TRUNK_PORT" >&2
KAMAILIO=$(max_rate kamailio "$UAC" "127.0.0.1:$KPORT" "$(free_port)" "${SIPP_ARGS[@]}")
kill "$(cat "$WORK/kamailio.pid")"; rm -f "$WORK/kamailio.pid"
stop_uas

# Switchboard. Trunk probing is off: the Kamailio side does not probe either, and the answerer
# would count each keep-alive OPTIONS as one of its calls.
SPORT=$(free_port)
HTTP=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
SWITCHBOARD_DATA_DIR=$WORK/data SERVER_PORT=$HTTP SWITCHBOARD_ADMIN_PASSWORD=Bench-Admin-1 \
  SWITCHBOARD_SIP_HOST=127.0.0.1 SWITCHBOARD_SIP_PORT=$SPORT SWITCHBOARD_SIP_TLS_PORT=0 \
  java -jar server/target/switchboard.jar --server.address=127.0.0.1 --switchboard.trunk.probe-interval=0 \
    --switchboard.sip.max-requests-per-source=0 ${SWITCHBOARD_ARGS:-} >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 90); do curl -sf "http://127.0.0.1:$HTTP/actuator/health" >/dev/null && break; sleep 1; done
python3 - "http://127.0.0.1:$HTTP" "$DOMAIN" "$TRUNK_IP" "$TRUNK_PORT" "$SIPP_IP" <<'PY' >&2
import json, sys, urllib.request
base, domain, trunk_ip, trunk_port, source = sys.argv[1:6]
def call(path, body, token=None):
    req = urllib.request.Request(base + path, json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)
admin = call("/api/auth/sign_in", {"username": "admin", "password": "Bench-Admin-1"})["access_token"]
tenant = call("/api/v2/tenants", {"name": "Bench", "domain": domain}, admin)["uuid"]
trunk = call("/voip/trunk?tenant=" + tenant, {"name": "Bench carrier", "domain": trunk_ip, "port": int(trunk_port),
             "transport": "udp", "user": "%e164"}, admin)["result"]["uuid"]
call("/voip/trunk/%s/auth?tenant=%s" % (trunk, tenant), {"type": "ip", "ip": source}, admin)
print("Created tenant %s with trunk %s:%s/udp, ip method %s" % (domain, trunk_ip, trunk_port, source))
PY
start_uas
RELAYS=0
for _ in 1 2 3 4 5; do check "127.0.0.1:$SPORT" && { RELAYS=1; break; }; sleep 1; done
if [ "$RELAYS" = 1 ]; then
  # Warm the JIT before the measured steps.
  sipp_run "${RATES%% *}" "$UAC" "127.0.0.1:$SPORT" "$(free_port)" "${SIPP_ARGS[@]}" >/dev/null
  echo "Switchboard proxy on 127.0.0.1:$SPORT, trunk $TRUNK_IP:$TRUNK_PORT" >&2
  SWITCHBOARD=$(max_rate switchboard "$UAC" "127.0.0.1:$SPORT" "$(free_port)" "${SIPP_ARGS[@]}")
  NOTE=
else
  NOTE=" (does not complete calls: answered $(answered))"
  echo "Switchboard on 127.0.0.1:$SPORT does not complete calls (answered $(answered)); reported as 0/s" >&2
  SWITCHBOARD=0
fi
stop_uas

echo
echo "Highest call rate through the proxy (INVITE..BYE, no hold) over UDP with <0.1% failures ($(nproc) cores, ${STEP_SECONDS}s steps):"
printf '  Kamailio     %6s/s\n  Switchboard  %6s/s%s\n' "$KAMAILIO" "$SWITCHBOARD" "$NOTE"
python3 -c "k=$KAMAILIO; s=$SWITCHBOARD; print('  ratio        %.2fx Kamailio' % (s/k) if k else '  ratio        n/a')"
