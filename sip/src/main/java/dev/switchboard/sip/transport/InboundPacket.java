package dev.switchboard.sip.transport;

/** One complete SIP message as received (a datagram, or a framed stream message), before parsing. */
public record InboundPacket(byte[] bytes, Flow flow, long receivedNanos) {
}
