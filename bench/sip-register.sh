#!/usr/bin/env bash
# SIPp REGISTER with MD5 digest over UDP on loopback (REGISTER, 401, REGISTER with credentials, 200;
# 10,000 users from an injection file): the highest registration rate with under 0.1% failed calls,
# for Switchboard and for Kamailio (in-memory usrloc, HA1s in an in-memory htable,
# bench/sip/kamailio-registrar.cfg) measured by the same steps in the same run, and the p99
# registration time (first REGISTER to 200) of each at 80% of its own highest rate, and of both at
# one moderate rate (half Kamailio's highest), where neither is near its limit.
#   bench/sip-register.sh     (RATES="1000 2000 ..." STEP_SECONDS=8 USERS=10000 to change;
#                              SWITCHBOARD_ARGS="--switchboard.x=y ..." for more server options,
#                              JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/r.jfr ..." for JVM options;
#                              SERVER_CPUS=1 SIPP_CPUS=0 to pin each server and SIPp to CPUs of their own
#                              with taskset, so both servers get the same CPU and SIPp does not compete)
# The bench instance of Switchboard hashes login passwords with BCrypt cost 4 (only so that
# creating the users is quick; SIP digest does not use them), lists SIPp as an MD5-only client
# (it answers one challenge and knows only MD5) and raises the failed-digest throttle, so a
# failure under overload cannot lock 127.0.0.1 out for the remaining steps.
# Needs: sipp (Debian sip-tester), kamailio (Debian kamailio), a built server jar; tcpdump (Debian
# tcpdump, run as root) for the response times on the wire.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/sip/max-rate.sh
command -v sipp >/dev/null || { echo "sipp is missing: apt-get install sip-tester" >&2; exit 2; }
command -v kamailio >/dev/null || { echo "kamailio is missing: apt-get install kamailio" >&2; exit 2; }
[ -f server/target/switchboard.jar ] || ./mvnw -B -q -DskipTests package -pl server -am
export RATES=${RATES:-1000 2000 4000 6000 8000 10000 12000 14000 16000 18000 20000 22000 24000 26000 28000 30000 32000 34000 36000 38000 40000}
STEP_SECONDS=${STEP_SECONDS:-8}
USERS=${USERS:-10000}
DOMAIN=bench.example.com
SCENARIO=$PWD/bench/sip/register-auth.xml

WORK=$(mktemp -d)
cleanup() {
  [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  [ -f "$WORK/kamailio.pid" ] && kill "$(cat "$WORK/kamailio.pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
cpu_ticks() { # pid...: user+system clock ticks of these processes, their threads included
  local t=0 p
  for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done
  echo "$t"
}
free_port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The same users for both: SIP user 10000.., password sip-Secret-<user>.
python3 - "$WORK" "$USERS" "$DOMAIN" <<'PY'
import hashlib, os, sys
work, n, domain = sys.argv[1], int(sys.argv[2]), sys.argv[3]
users = [(str(10000 + i), "sip-Secret-%d" % (10000 + i)) for i in range(n)]
with open(os.path.join(work, "users.csv"), "w") as f:
    f.write("SEQUENTIAL\n")
    f.writelines("%s;%s;[authentication username=%s password=%s]\n" % (u + u) for u in users)
os.mkdir(os.path.join(work, "dbtext"))
with open(os.path.join(work, "dbtext", "version"), "w") as f:
    f.write("id(int,auto) table_name(string) table_version(int) \n0:credentials:2\n0:location:9\n")
# Kamailio's htable `cred` (bench/sip/kamailio-registrar.cfg) loads user => HA1 from this table.
with open(os.path.join(work, "dbtext", "credentials"), "w") as f:
    f.write("id(int,auto) key_name(string) key_type(int) value_type(int) key_value(string) expires(int) \n")
    md5 = lambda t: hashlib.md5(t.encode()).hexdigest()
    f.writelines("%d:%s:0:0:%s:0\n" % (i + 1, u, md5("%s:%s:%s" % (u, domain, p))) for i, (u, p) in enumerate(users))
PY
SIPP_ARGS=(-inf "$WORK/users.csv" -key domain "$DOMAIN" -auth_uri "$DOMAIN")

check() { # label target: a handful of registrations must all get 200 after the challenge
  local out; out=$(sipp_run 5 "$SCENARIO" "$2" "$(free_port)" "${SIPP_ARGS[@]}" -m 5)
  read -r _ ok _ _ <<<"$out"
  [ "$ok" = 5 ]
}

# p99 registration time at a rate, from every call's rtd 1 (SIPp writes the times in batches of
# -rtt_freq and drops the last partial batch; they are whole milliseconds).
# From the same SIPp port as the steps, so the phones refresh the bindings they made (steady state,
# as a registrar mostly sees) rather than each adding a new contact; after a pause, so the backlog
# of the last, overloaded step is gone.
# Also the server's CPU time per registration over that run (every process or thread of it), and,
# when tcpdump is there (CAPTURE=0 to skip), the server's own response times from a capture of the
# run on loopback (bench/sip/server-times.py): SIPp's times include SIPp's own delays in reading
# an answer and sending the next request, which on 2 shared cores are most of its tail. The capture
# costs CPU too (a quarter of a core at 10,000 registrations/s), for either server alike.
p99_at() { # label rate target local_port server_pid...
  local label=$1 rate=$2 target=$3 lport=$4 dir before after; shift 4
  [ "$rate" -gt 0 ] || { echo n/a; return; }
  dir=$(mktemp -d -p "$WORK")
  sleep 5
  local capture=
  if [ "${CAPTURE:-1}" = 1 ] && command -v tcpdump >/dev/null; then
    tcpdump -i lo -s 700 -B 65536 -w "$dir/server.pcap" "udp port ${target##*:}" >/dev/null 2>"$dir/tcpdump.log" &
    capture=$!
    sleep 1
  fi
  before=$(cpu_ticks "$@")
  read -r created ok failed _ < <(cd "$dir" && sipp_run "$rate" "$SCENARIO" "$target" "$lport" \
    "${SIPP_ARGS[@]}" -trace_rtt -rtt_freq 100)
  after=$(cpu_ticks "$@")
  if [ -n "$capture" ]; then
    sleep 1; kill "$capture"; wait "$capture" 2>/dev/null || true
  fi
  echo "  $(printf '%-12s' "$label") rate $(printf '%6s' "$rate")/s  created $created  ok $ok  failed $failed  (response times)" >&2
  printf 'server CPU %s us per registration; ' "$(python3 -c "print(round(($after - $before) * 1e6 / $(getconf CLK_TCK) / max($ok, 1)))")"
  [ -f "$dir/server.pcap" ] && printf 'on the wire: %s; SIPp: ' "$(python3 bench/sip/server-times.py "$dir/server.pcap" "${target##*:}")"
  python3 - "$dir"/*_rtt.csv <<'PY'
import sys
times = []
for name in sys.argv[1:]:
    try:
        lines = open(name).readlines()
    except OSError:
        continue
    for line in lines:
        f = line.strip().split(";")
        try:
            times.append(float(f[1]))
        except (IndexError, ValueError):
            pass  # header
times.sort()
pick = lambda p: times[min(len(times) - 1, int(len(times) * p))]
print("p99 %.0f ms (p50 %.0f ms, p99.9 %.0f ms, %d calls)" % (pick(0.99), pick(0.5), pick(0.999), len(times))
      if times else "n/a")
PY
}

# Kamailio baseline.
KPORT=$(free_port)
{ echo "listen=udp:127.0.0.1:$KPORT"; echo "#!define DBURL \"text://$WORK/dbtext\""; cat bench/sip/kamailio-registrar.cfg; } > "$WORK/kamailio.cfg"
${SERVER_CPUS:+taskset -c "$SERVER_CPUS"} kamailio -f "$WORK/kamailio.cfg" -P "$WORK/kamailio.pid" -w "$WORK" >"$WORK/kamailio.log" 2>&1
sleep 1
check kamailio "127.0.0.1:$KPORT" || { echo "Kamailio does not answer 200 after the challenge:" >&2; tail -20 "$WORK/kamailio.log" >&2; exit 1; }
echo "Kamailio $(kamailio -v | head -1 | awk '{print $3}') registrar (usrloc db_mode=0, HA1s in htable, $USERS users) on 127.0.0.1:$KPORT" >&2
KLOCAL=$(free_port)
KAMAILIO=$(max_rate kamailio "$SCENARIO" "127.0.0.1:$KPORT" "$KLOCAL" "${SIPP_ARGS[@]}")
KAT=$((KAMAILIO * 8 / 10))
# This Kamailio's main process and its children only, not any other kamailio on the machine.
KPIDS="$(cat "$WORK/kamailio.pid") $(pgrep -P "$(cat "$WORK/kamailio.pid")" | tr '\n' ' ')"
KP99=$(p99_at kamailio "$KAT" "127.0.0.1:$KPORT" "$KLOCAL" $KPIDS)
HALF=$((KAMAILIO / 2))
KP99HALF=$(p99_at kamailio "$HALF" "127.0.0.1:$KPORT" "$KLOCAL" $KPIDS)
kill "$(cat "$WORK/kamailio.pid")"; rm -f "$WORK/kamailio.pid"

# Switchboard.
SPORT=$(free_port)
HTTP=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
SWITCHBOARD_DATA_DIR=$WORK/data SERVER_PORT=$HTTP SWITCHBOARD_ADMIN_PASSWORD=Bench-Admin-1 \
  SWITCHBOARD_SIP_HOST=127.0.0.1 SWITCHBOARD_SIP_PORT=$SPORT SWITCHBOARD_SIP_TLS_PORT=0 \
  ${SERVER_CPUS:+taskset -c "$SERVER_CPUS"} java ${JAVA_OPTS:-} -jar server/target/switchboard.jar --server.address=127.0.0.1 \
    --switchboard.auth.password-hash-cost=4 \
    --switchboard.registrar.md5-only-user-agents=SIPp \
    --switchboard.registrar.throttle.user-failures=1000000000 \
    --switchboard.registrar.throttle.ip-failures=1000000000 \
    --switchboard.sip.max-requests-per-source=0 ${SWITCHBOARD_ARGS:-} >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 90); do curl -sf "http://127.0.0.1:$HTTP/actuator/health" >/dev/null && break; sleep 1; done
python3 - "http://127.0.0.1:$HTTP" "$DOMAIN" "$WORK/users.csv" <<'PY' >&2
import json, sys, time, urllib.request
from concurrent.futures import ThreadPoolExecutor
base, domain, csv = sys.argv[1:4]
def call(path, body, token=None):
    req = urllib.request.Request(base + path, json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)
admin = call("/api/auth/sign_in", {"username": "admin", "password": "Bench-Admin-1"})["access_token"]
tenant = call("/api/v2/tenants", {"name": "Bench", "domain": domain}, admin)["uuid"]
users = [line.strip().split(";") for line in open(csv).readlines()[1:]]
start = time.monotonic()
def create(u):
    call("/api/v2/tenants/%s/users" % tenant, {"username": "u" + u[0], "password": "Bench-User-1",
         "role": "StandardUser", "extension": u[0], "sip_password": u[1]}, admin)
with ThreadPoolExecutor(8) as pool:
    list(pool.map(create, users))
print("Created %d users with SIP credentials in %.1f s (8 parallel requests, BCrypt cost 4)"
      % (len(users), time.monotonic() - start))
PY
# Each user is read into the SIP directory once its creation commits: wait until a check passes.
for _ in $(seq 1 30); do check switchboard "127.0.0.1:$SPORT" && break; sleep 1; done
check switchboard "127.0.0.1:$SPORT" || { echo "Switchboard does not answer 200 after the challenge" >&2; tail -50 "$WORK/server.log" >&2; exit 1; }
SLOCAL=$(free_port)
# Warm the JIT before the measured steps.
sipp_run "${RATES%% *}" "$SCENARIO" "127.0.0.1:$SPORT" "$SLOCAL" "${SIPP_ARGS[@]}" >/dev/null
echo "Switchboard registrar on 127.0.0.1:$SPORT" >&2
SWITCHBOARD=$(max_rate switchboard "$SCENARIO" "127.0.0.1:$SPORT" "$SLOCAL" "${SIPP_ARGS[@]}")
AT=$((SWITCHBOARD * 8 / 10))
P99=$(p99_at switchboard "$AT" "127.0.0.1:$SPORT" "$SLOCAL" "$SERVER")
# The same rate as Kamailio's 80% too, so the two are compared at one load.
SP99K=$(p99_at switchboard "$KAT" "127.0.0.1:$SPORT" "$SLOCAL" "$SERVER")
SP99HALF=$(p99_at switchboard "$HALF" "127.0.0.1:$SPORT" "$SLOCAL" "$SERVER")

echo
echo "Highest REGISTER rate (401 + digest + 200) over UDP with <0.1% failures ($(nproc) cores${SERVER_CPUS:+, servers on CPU $SERVER_CPUS}${SIPP_CPUS:+, SIPp on CPU $SIPP_CPUS}, ${STEP_SECONDS}s steps, $USERS users):"
printf '  Kamailio     %6s/s\n  Switchboard  %6s/s\n' "$KAMAILIO" "$SWITCHBOARD"
python3 -c "k=$KAMAILIO; s=$SWITCHBOARD; print('  ratio        %.2fx Kamailio' % (s/k) if k else '  ratio        n/a')"
echo "Registration time (first REGISTER to 200), each at 80% of its own highest rate:"
echo "  Kamailio     at $KAT/s: $KP99"
echo "  Switchboard  at $AT/s: $P99"
echo "  Switchboard  at $KAT/s (Kamailio's 80%): $SP99K"
echo "Both at one moderate rate, $HALF/s (half Kamailio's highest):"
echo "  Kamailio     $KP99HALF"
echo "  Switchboard  $SP99HALF"
