package dev.switchboard.sip.transport;

import java.net.InetSocketAddress;

/**
 * The path a message came in on, and the way back: the UDP socket and the sender's address,
 * or the TCP/TLS connection. Answers go back on the flow they came from (RFC 3261 §18.2.2).
 */
public interface Flow {

    Transport transport();

    InetSocketAddress remote();

    InetSocketAddress local();

    /** Sends bytes on this flow; a closed connection drops them silently. */
    void send(byte[] message);

    boolean isOpen();
}
