#!/usr/bin/env bash
# SIPp OPTIONS over UDP on loopback: the highest rate with under 0.1% failed transactions,
# for Switchboard and for Kamailio (stateless sl_send_reply, bench/sip/kamailio-options.cfg)
# measured by the same steps in the same run.
#   bench/sip-options.sh            (RATES="1000 2000 ..." STEP_SECONDS=8 to change the steps)
# Needs: sipp (Debian sip-tester), kamailio (Debian kamailio), a built server jar.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/sip/max-rate.sh
command -v sipp >/dev/null || { echo "sipp is missing: apt-get install sip-tester" >&2; exit 2; }
command -v kamailio >/dev/null || { echo "kamailio is missing: apt-get install kamailio" >&2; exit 2; }
[ -f server/target/switchboard.jar ] || ./mvnw -B -q -DskipTests package -pl server -am

WORK=$(mktemp -d)
cleanup() {
  [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  [ -f "$WORK/kamailio.pid" ] && kill "$(cat "$WORK/kamailio.pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Kamailio baseline.
KPORT=$(free_port)
{ echo "listen=udp:127.0.0.1:$KPORT"; cat bench/sip/kamailio-options.cfg; } > "$WORK/kamailio.cfg"
kamailio -f "$WORK/kamailio.cfg" -P "$WORK/kamailio.pid" -w "$WORK" >/dev/null 2>&1
sleep 1
echo "Kamailio $(kamailio -v | head -1 | awk '{print $3}') stateless OPTIONS on 127.0.0.1:$KPORT" >&2
KAMAILIO=$(max_rate kamailio bench/sip/options.xml "127.0.0.1:$KPORT" "$(free_port)")
kill "$(cat "$WORK/kamailio.pid")"; rm -f "$WORK/kamailio.pid"

# Switchboard.
SPORT=$(free_port)
HTTP=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
SWITCHBOARD_DATA_DIR=$WORK/data SERVER_PORT=$HTTP SWITCHBOARD_ADMIN_PASSWORD=Bench-Admin-1 \
  SWITCHBOARD_SIP_HOST=127.0.0.1 SWITCHBOARD_SIP_PORT=$SPORT SWITCHBOARD_SIP_TLS_PORT=0 \
  java -jar server/target/switchboard.jar --server.address=127.0.0.1 --switchboard.sip.max-requests-per-source=0 \
    >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 90); do curl -sf "http://127.0.0.1:$HTTP/actuator/health" >/dev/null && break; sleep 1; done
# Warm the JIT before the measured steps.
sipp_run 2000 bench/sip/options.xml "127.0.0.1:$SPORT" "$(free_port)" >/dev/null
echo "Switchboard OPTIONS on 127.0.0.1:$SPORT" >&2
SWITCHBOARD=$(max_rate switchboard bench/sip/options.xml "127.0.0.1:$SPORT" "$(free_port)")

echo
echo "Highest OPTIONS rate over UDP with <0.1% failures ($(nproc) cores, ${STEP_SECONDS:-8}s steps):"
printf '  Kamailio     %6s/s\n  Switchboard  %6s/s\n' "$KAMAILIO" "$SWITCHBOARD"
python3 -c "k=$KAMAILIO; s=$SWITCHBOARD; print('  ratio        %.2fx Kamailio' % (s/k) if k else '  ratio        n/a')"
