package dev.switchboard.sip.transaction;

import dev.switchboard.sip.transport.Flow;
import dev.switchboard.sip.transport.Transport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A flow that records what is sent and when, on the manual clock. */
final class RecordingFlow implements Flow {

    record Sent(long atMillis, String text) {
    }

    private final Transport transport;
    private final ManualTimers clock;
    final List<Sent> sent = new ArrayList<>();
    volatile boolean open = true;

    RecordingFlow(Transport transport, ManualTimers clock) {
        this.transport = transport;
        this.clock = clock;
    }

    @Override
    public Transport transport() {
        return transport;
    }

    @Override
    public InetSocketAddress remote() {
        return new InetSocketAddress("127.0.0.1", 5099);
    }

    @Override
    public InetSocketAddress local() {
        return new InetSocketAddress("127.0.0.1", 5060);
    }

    @Override
    public synchronized void send(byte[] message) {
        sent.add(new Sent(clock.nowMillis(), new String(message, StandardCharsets.UTF_8)));
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    List<Long> timesOf(String text) {
        return sent.stream().filter(s -> s.text().equals(text)).map(Sent::atMillis).toList();
    }
}
