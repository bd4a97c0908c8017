package dev.switchboard.sip.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against a tiny STUN responder on a real UDP socket on 127.0.0.1. */
class StunClientTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final StunClient.Settings FAST = new StunClient.Settings(Duration.ofMillis(100), 4,
            Duration.ofSeconds(5));

    private Responder responder;

    @AfterEach
    void stop() {
        if (responder != null) {
            responder.close();
        }
    }

    @Test
    void learnsTheAddressTheServerSees() throws Exception {
        responder = new Responder(0);
        try (DatagramSocket socket = new DatagramSocket(0, LOOPBACK)) {
            InetSocketAddress mapped = new StunClient(FAST, Runnable::run).discover(socket, responder.address());
            assertThat(mapped).isEqualTo(socket.getLocalSocketAddress());
            assertThat(responder.requests.get()).isEqualTo(1);
        }
    }

    @Test
    void retransmitsWhenTheFirstRequestIsLost() throws Exception {
        responder = new Responder(1);
        try (DatagramSocket socket = new DatagramSocket(0, LOOPBACK)) {
            long start = System.nanoTime();
            InetSocketAddress mapped = new StunClient(FAST, Runnable::run).discover(socket, responder.address());
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(mapped).isEqualTo(socket.getLocalSocketAddress());
            assertThat(responder.requests.get()).isEqualTo(2);
            assertThat(elapsedMillis).isGreaterThanOrEqualTo(90); // waited one RTO before resending
        }
    }

    @Test
    void retransmitsWithTheDefaultRfcTimings() throws Exception {
        responder = new Responder(1);
        CompletableFuture<InetSocketAddress> future = new StunClient().discoverAsync(responder.address());
        assertThat(future.get(5, TimeUnit.SECONDS).getAddress()).isEqualTo(LOOPBACK);
        assertThat(responder.requests.get()).isEqualTo(2);
    }

    @Test
    void ignoresGarbageAndForeignTransactionsWhileWaiting() throws Exception {
        responder = new Responder(0);
        responder.sendGarbageFirst = true;
        try (DatagramSocket socket = new DatagramSocket(0, LOOPBACK)) {
            assertThat(new StunClient(FAST, Runnable::run).discover(socket, responder.address()))
                    .isEqualTo(socket.getLocalSocketAddress());
        }
    }

    @Test
    void givesUpAfterBoundedAttempts() throws Exception {
        responder = new Responder(Integer.MAX_VALUE);
        StunClient.Settings settings = new StunClient.Settings(Duration.ofMillis(20), 3, Duration.ofSeconds(10));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<InetSocketAddress> future = new StunClient(settings, pool)
                    .discoverAsync(responder.address());
            assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(StunException.Timeout.class);
            assertThat(responder.requests.get()).isEqualTo(3);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void overallTimeoutCutsTheScheduleShort() throws Exception {
        responder = new Responder(Integer.MAX_VALUE);
        StunClient.Settings settings = new StunClient.Settings(Duration.ofMillis(100), 7, Duration.ofMillis(250));
        long start = System.nanoTime();
        assertThatThrownBy(() -> new StunClient(settings, Runnable::run).discover(responder.address()))
                .isInstanceOf(StunException.Timeout.class);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(elapsedMillis).isBetween(200L, 2_000L);
        assertThat(responder.requests.get()).isEqualTo(2); // sent at 0 and 100 ms; the next was due at 300
    }

    @Test
    void anErrorResponseFailsAtOnce() throws Exception {
        responder = new Responder(0);
        responder.answerWithError = true;
        assertThatThrownBy(() -> new StunClient(FAST, Runnable::run).discover(responder.address()))
                .isInstanceOf(StunException.class).isNotInstanceOf(StunException.Timeout.class)
                .hasMessageContaining("400");
    }

    /** Answers Binding requests with the sender's address, after ignoring the first {@code drop} of them. */
    private static final class Responder implements AutoCloseable {

        final DatagramSocket socket;
        final AtomicInteger requests = new AtomicInteger();
        final Thread thread;
        final int drop;
        volatile boolean sendGarbageFirst;
        volatile boolean answerWithError;

        Responder(int drop) throws SocketException {
            this.drop = drop;
            this.socket = new DatagramSocket(0, LOOPBACK);
            this.thread = new Thread(this::serve, "stun-responder");
            thread.setDaemon(true);
            thread.start();
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        private void serve() {
            byte[] buf = new byte[2048];
            while (!socket.isClosed()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                    Optional<TransactionId> id = StunCodec.decodeBindingRequest(p.getData(), p.getLength());
                    if (id.isEmpty() || requests.incrementAndGet() <= drop) {
                        continue;
                    }
                    InetSocketAddress from = (InetSocketAddress) p.getSocketAddress();
                    if (sendGarbageFirst) {
                        send(new byte[] {1, 2, 3}, from);
                        send(StunCodec.encodeBindingSuccess(TransactionId.random(), new InetSocketAddress("10.9.9.9", 1)),
                                from);
                    }
                    send(answerWithError ? errorResponse(id.get()) : StunCodec.encodeBindingSuccess(id.get(), from),
                            from);
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void send(byte[] data, InetSocketAddress to) throws IOException {
            socket.send(new DatagramPacket(data, data.length, to));
        }

        private static byte[] errorResponse(TransactionId id) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(20 + 4 + 12);
            b.putShort((short) 0x0111).putShort((short) 16).putInt(0x2112A442).put(id.bytes());
            b.putShort((short) 0x0009).putShort((short) 11).put(new byte[] {0, 0, 4, 0})
                    .put("Bad Req".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put((byte) 0);
            return b.array();
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
