package dev.switchboard.support;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Reading what a test's UDP socket was sent. */
public final class Datagrams {

    private Datagrams() {
    }

    /** The next datagram as text, or empty when none arrives within the socket's timeout. */
    public static Optional<String> receive(DatagramSocket socket) throws IOException {
        DatagramPacket packet = new DatagramPacket(new byte[65535], 65535);
        try {
            socket.receive(packet);
            return Optional.of(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        }
    }
}
