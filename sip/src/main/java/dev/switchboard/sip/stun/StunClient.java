package dev.switchboard.sip.stun;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns the public address of a UDP socket with a STUN Binding transaction, retransmitting
 * over UDP as RFC 5389 §7.2.1 prescribes: RTO doubling from 500 ms, a bounded number of
 * requests, a final wait of 16 × RTO, all within an overall timeout.
 *
 * <p>Blocking calls run on the caller's thread; the async ones on the given executor, never
 * on a Netty event loop.
 */
public final class StunClient {

    private static final Logger log = LoggerFactory.getLogger(StunClient.class);
    /** Larger than any Binding response; RFC 5389 §7.1 keeps messages under the path MTU. */
    private static final int RECEIVE_BUFFER = 2048;
    /** RFC 5389 Rm: the last request gets this many initial RTOs to be answered. */
    private static final int LAST_WAIT_FACTOR = 16;

    /**
     * Retransmission tunables.
     *
     * @param initialRto     first retransmission timeout, doubled after each request
     * @param maxAttempts    requests sent at most (RFC 5389 Rc)
     * @param overallTimeout hard bound on the whole transaction
     */
    public record Settings(Duration initialRto, int maxAttempts, Duration overallTimeout) {

        public Settings {
            if (initialRto.isNegative() || initialRto.isZero() || maxAttempts < 1
                    || overallTimeout.isNegative() || overallTimeout.isZero()) {
                throw new IllegalArgumentException("STUN timings must be positive");
            }
        }

        /** RFC 5389 defaults: RTO 500 ms, Rc 7, giving up after 39.5 s. */
        public static Settings defaults() {
            return new Settings(Duration.ofMillis(500), 7, Duration.ofMillis(39_500));
        }
    }

    private static final ExecutorService DEFAULT_EXECUTOR = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "stun-client");
        t.setDaemon(true);
        return t;
    });

    private final Settings settings;
    private final Executor executor;

    /** RFC 5389 default timings, async calls on a shared pool of daemon threads. */
    public StunClient() {
        this(Settings.defaults(), DEFAULT_EXECUTOR);
    }

    public StunClient(Settings settings, Executor executor) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** Asks {@code server} for our public address from a fresh ephemeral socket. */
    public CompletableFuture<InetSocketAddress> discoverAsync(InetSocketAddress server) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return discover(server);
            } catch (StunException e) {
                throw new CompletionException(e);
            }
        }, executor);
    }

    /** Blocking form of {@link #discoverAsync}. */
    public InetSocketAddress discover(InetSocketAddress server) throws StunException {
        try (DatagramSocket socket = new DatagramSocket()) {
            return discover(socket, server);
        } catch (StunException e) {
            throw e;
        } catch (IOException e) {
            throw new StunException("cannot open a UDP socket", e);
        }
    }

    /**
     * Runs a Binding transaction over {@code socket}, which should be the socket whose NAT
     * mapping the caller wants to learn. Datagrams from other sources or for other
     * transactions are ignored. The socket's read timeout is restored afterwards.
     */
    public InetSocketAddress discover(DatagramSocket socket, InetSocketAddress server) throws StunException {
        if (server.isUnresolved()) {
            throw new StunException("STUN server address is unresolved: " + server.getHostString());
        }
        TransactionId id = TransactionId.random();
        byte[] request = StunCodec.encodeBindingRequest(id);
        DatagramPacket out = new DatagramPacket(request, request.length, server);
        byte[] buffer = new byte[RECEIVE_BUFFER];
        DatagramPacket in = new DatagramPacket(buffer, buffer.length);
        long start = System.nanoTime();
        long deadline = start + settings.overallTimeout().toNanos();
        long rto = settings.initialRto().toNanos();
        int originalTimeout = 0;
        try {
            originalTimeout = socket.getSoTimeout();
            for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
                socket.send(out);
                long wait = attempt == settings.maxAttempts() ? settings.initialRto().toNanos() * LAST_WAIT_FACTOR : rto;
                long waitUntil = Math.min(deadline, System.nanoTime() + wait);
                Optional<InetSocketAddress> answer = awaitAnswer(socket, in, server, id, waitUntil);
                if (answer.isPresent()) {
                    return answer.get();
                }
                if (waitUntil == deadline) {
                    break; // the overall timeout, not the RTO, ended this wait
                }
                rto *= 2;
            }
        } catch (StunException e) {
            throw e;
        } catch (IOException e) {
            throw new StunException("STUN exchange with " + server + " failed", e);
        } finally {
            restoreTimeout(socket, originalTimeout);
        }
        throw new StunException.Timeout("no STUN answer from " + server + " within "
                + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
    }

    private static Optional<InetSocketAddress> awaitAnswer(DatagramSocket socket, DatagramPacket in,
            InetSocketAddress server, TransactionId id, long waitUntil) throws IOException {
        while (true) {
            long remainingNanos = waitUntil - System.nanoTime();
            if (remainingNanos <= 0) {
                return Optional.empty();
            }
            // Round up: truncating would end the wait early, and 0 would mean "wait forever".
            long remainingMillis = (remainingNanos + 999_999) / 1_000_000;
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, remainingMillis));
            in.setLength(in.getData().length);
            try {
                socket.receive(in);
            } catch (SocketTimeoutException e) {
                return Optional.empty();
            }
            if (!server.equals(in.getSocketAddress())) {
                continue; // not from the server we asked: stray or spoofed
            }
            BindingResponse response = StunCodec.decodeBindingResponse(in.getData(), in.getLength(), id);
            if (response instanceof BindingResponse.Success success) {
                return Optional.of(success.mappedAddress());
            } else if (response instanceof BindingResponse.Error error) {
                throw new StunException("STUN server " + server + " answered " + error.code() + " " + error.reason());
            } else if (response instanceof BindingResponse.Invalid invalid) {
                log.debug("Ignoring datagram from STUN server {}: {}", server, invalid.why());
            }
        }
    }

    private static void restoreTimeout(DatagramSocket socket, int timeout) {
        try {
            if (!socket.isClosed()) {
                socket.setSoTimeout(timeout);
            }
        } catch (IOException e) {
            log.debug("Could not restore socket timeout", e);
        }
    }
}
