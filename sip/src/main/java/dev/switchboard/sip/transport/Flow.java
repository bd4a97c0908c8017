package dev.switchboard.sip.transport;

import dev.switchboard.sip.net.IpText;
import java.net.InetSocketAddress;

/**
 * The path a message came in on, and the way back: the UDP socket and the sender's address,
 * or the TCP/TLS connection. Answers go back on the flow they came from (RFC 3261 §18.2.2).
 */
public interface Flow {

    Transport transport();

    InetSocketAddress remote();

    InetSocketAddress local();

    /** The remote address as text (no port, no brackets), as Via received= and logs want it. */
    default String remoteHost() {
        return IpText.of(remote().getAddress());
    }

    /** Sends bytes on this flow; a closed connection drops them silently. */
    void send(byte[] message);

    boolean isOpen();

    /**
     * Runs {@code task} on this flow's I/O thread after every task submitted before it. Sends made
     * from different threads in a known order (a proxy relaying responses of several branches)
     * leave in that order only when submitted this way; a direct {@link #send} from the flow's own
     * thread would overtake sends other threads queued before it.
     */
    default void inOrder(Runnable task) {
        task.run();
    }
}
