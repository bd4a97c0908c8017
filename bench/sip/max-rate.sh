#!/usr/bin/env bash
# Shared by the SIP benchmark scripts: steps a SIPp scenario's call rate against one target
# and prints the highest rate that completed with under 0.1% failed calls and was kept up with:
# at least 99.9% of the step's calls done within one second after the step (SIPp neither fails
# nor times out a call that waits seconds for an overloaded server; it retransmits and waits, so
# without this a step passes with a backlog that the rate label does not describe).
#   max_rate <label> <scenario.xml> <target host:port> <local port> [extra sipp args...]
# Environment: STEP_SECONDS (default 8), RATES (default "1000 2000 4000 6000 8000 10000 12000 16000 20000"),
# SIPP_IP (SIPp's local address, default 127.0.0.1), SIPP_CPUS (a taskset CPU list for SIPp, e.g. 0).

sipp_run() { # rate scenario target local_port extra...
  local rate=$1 scenario=$2 target=$3 lport=$4; shift 4
  local seconds=${STEP_SECONDS:-8}
  local csv; csv=$(mktemp)
  # SIPp's own receive buffer is 64 KB unless told (-buff_size): past ~20,000 answers/s it drops
  # them on loopback, whichever server answers, and the step measures SIPp's losses, not the server.
  # SIPp's -timeout does not end a run while calls wait for a message that never comes: timeout(1) does.
  timeout -k 5 $((seconds + 60)) ${SIPP_CPUS:+taskset -c "$SIPP_CPUS"} sipp -sf "$scenario" -i "${SIPP_IP:-127.0.0.1}" -p "$lport" "$target" -r "$rate" \
    -m $((rate * seconds)) -timeout $((seconds + 20))s -nostdin -buff_size 4194304 -trace_stat -stf "$csv" -fd 1 "$@" </dev/null >/dev/null 2>&1 || true
  python3 - "$csv" "$seconds" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1]), delimiter=';'))
if len(rows) < 2:
    print("0 0 0 0 0 0"); sys.exit()
h, last = rows[0], rows[-1]
created = int(last[h.index('TotalCallCreated')])
ok = int(last[h.index('SuccessfulCall(C)')])
failed = int(last[h.index('FailedCall(C)')])
rtt = last[h.index('ResponseTime1(C)')] if 'ResponseTime1(C)' in h else '0'
retrans = int(last[h.index('Retransmissions(C)')])
# Calls done by one second after the step (rows every second, -fd 1).
seconds = int(sys.argv[2])
def elapsed(row):
    hh, mm, ss = row[h.index('ElapsedTime(C)')].split(':')
    return int(hh) * 3600 + int(mm) * 60 + int(float(ss))
in_time = max([int(r[h.index('SuccessfulCall(C)')]) for r in rows[1:] if elapsed(r) <= seconds + 1] or [0])
print(created, ok, failed, rtt, retrans, in_time)
PY
  rm -f "$csv"
}

max_rate() { # label scenario target local_port extra...
  local label=$1 scenario=$2 target=$3 lport=$4; shift 4
  local best=0
  for rate in ${RATES:-1000 2000 4000 6000 8000 10000 12000 16000 20000}; do
    read -r created ok failed _ retrans in_time < <(sipp_run "$rate" "$scenario" "$target" "$lport" "$@")
    local expected=$((rate * ${STEP_SECONDS:-8}))
    local pass
    pass=$(python3 -c "print(1 if $ok >= $expected and $failed * 1000 < max($created, 1) and $in_time * 1000 >= $expected * 999 else 0)")
    printf '  %-12s rate %6s/s  created %7s  ok %7s  failed %5s  retransmitted %6s  done in step+1s %7s  %s\n' \
      "$label" "$rate" "$created" "$ok" "$failed" "$retrans" "$in_time" \
      "$([ "$pass" = 1 ] && echo pass || echo FAIL)" >&2
    if [ "$pass" = 1 ]; then best=$rate; else break; fi
  done
  echo "$best"
}
