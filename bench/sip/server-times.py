#!/usr/bin/env python3
"""Server response times from a loopback packet capture (tcpdump -w, UDP, classic pcap).

  server-times.py capture.pcap server_port

For every request sent to server_port, the time from its first copy on the wire to the server's
answer with the same Call-ID and CSeq (the final answer; a 100 Trying does not end it). Prints the
p50/p99/p99.9 of those transactions, and of their sum per Call-ID (for a digest registration: the
401 round trip plus the authenticated REGISTER's round trip, without the client's own time in
between). Unlike SIPp's figure, neither includes the time the client takes to read an answer.
"""
import re
import struct
import sys
from collections import defaultdict

CALL_ID = re.compile(rb"\r\n(?:Call-ID|i) *: *([^\r]+)", re.I)
CSEQ = re.compile(rb"\r\nCSeq *: *(\d+ *[A-Za-z]+)", re.I)


def packets(path):
    with open(path, "rb") as f:
        header = f.read(24)
        if len(header) < 24:
            return
        magic = struct.unpack("<I", header[:4])[0]
        if magic not in (0xA1B2C3D4, 0xA1B23C4D):
            sys.exit("not a little-endian classic pcap file")
        scale = 1e9 if magic == 0xA1B23C4D else 1e6
        link = struct.unpack("<I", header[20:24])[0]
        offset = {0: 4, 1: 14, 113: 16}.get(link)
        if offset is None:
            sys.exit("unknown link type %d" % link)
        while True:
            record = f.read(16)
            if len(record) < 16:
                return
            seconds, fraction, length, _ = struct.unpack("<IIII", record)
            data = f.read(length)
            ip = data[offset:]
            if not ip or ip[0] >> 4 != 4:
                continue  # IPv4 on loopback only
            udp = ip[(ip[0] & 15) * 4:]
            if len(udp) < 8:
                continue
            source, destination = struct.unpack(">HH", udp[:4])
            yield seconds + fraction / scale, source, destination, udp[8:]


def main():
    path, port = sys.argv[1], int(sys.argv[2])
    sent = {}
    times = []
    per_call = defaultdict(float)
    for t, source, destination, payload in packets(path):
        call_id, cseq = CALL_ID.search(payload), CSEQ.search(payload)
        if not call_id or not cseq:
            continue
        key = (call_id.group(1).strip(), b" ".join(cseq.group(1).split()))
        if destination == port and not payload.startswith(b"SIP/2.0"):
            sent.setdefault(key, t)
        elif source == port and payload.startswith(b"SIP/2.0") and not payload.startswith(b"SIP/2.0 1"):
            if key in sent:
                ms = (t - sent.pop(key)) * 1000
                times.append(ms)
                per_call[key[0]] += ms
    if not times:
        print("n/a")
        return
    times.sort()
    calls = sorted(per_call.values())
    pick = lambda values, p: values[min(len(values) - 1, int(len(values) * p))]
    print("per transaction p50 %.1f p99 %.1f p99.9 %.1f ms; per call p50 %.1f p99 %.1f p99.9 %.1f ms (%d calls)" % (
        pick(times, 0.5), pick(times, 0.99), pick(times, 0.999),
        pick(calls, 0.5), pick(calls, 0.99), pick(calls, 0.999), len(calls)))


if __name__ == "__main__":
    main()
