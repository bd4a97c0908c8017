package dev.switchboard.sip.transport;

/**
 * One complete SIP message as received (a datagram, or a framed stream message), before parsing.
 * {@code tooLarge}: only the header section of a stream message over the size limit, kept so the
 * sender gets its 513 (RFC 3261 §21.5.11) before the connection closes.
 */
public record InboundPacket(byte[] bytes, Flow flow, long receivedNanos, boolean tooLarge) {

    public InboundPacket(byte[] bytes, Flow flow, long receivedNanos) {
        this(bytes, flow, receivedNanos, false);
    }
}
