package dev.switchboard.device.agent;

import dev.switchboard.sip.digest.Challenge;
import dev.switchboard.sip.digest.DigestCredentials;
import dev.switchboard.sip.digest.DigestResponse;
import dev.switchboard.sip.digest.Ha1;
import dev.switchboard.sip.message.ParseResult;
import dev.switchboard.sip.message.SipParser;
import dev.switchboard.sip.message.SipRequest;
import dev.switchboard.sip.message.SipResponse;
import dev.switchboard.sip.transport.InboundPacket;
import dev.switchboard.sip.transport.SipTransports;
import dev.switchboard.sip.transport.Transport;
import dev.switchboard.sip.transport.TransportSettings;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A tiny SIP registrar on loopback, built from the sip module: challenges every REGISTER
 * without credentials (401, SHA-256 and MD5, qop=auth), answers 200 to correct digest
 * credentials of its one user and 403 to wrong ones. Every REGISTER it receives is queued for
 * the test to inspect; {@link #minExpires} makes it answer 423 below that expiry first,
 * {@link #maxExpires} grants at most that expiry. {@link #close()} and {@link #reopen()} take it
 * away and bring it back on the same ports (an upstream restart).
 */
final class TestRegistrar implements AutoCloseable {

    static final String REALM = "registrar.test";

    private final Path dir;
    private volatile SipTransports transports;
    private final java.util.Map<Transport, Integer> ports = new java.util.EnumMap<>(Transport.class);
    private final String user;
    private final String password;
    private final BlockingQueue<SipRequest> received = new LinkedBlockingQueue<>();
    volatile int minExpires;
    volatile int maxExpires;
    /** When 0 or more, the expiry every 200 grants, whatever was asked. */
    volatile int grantExactly = -1;
    /** Where the last REGISTER came from. */
    volatile InetSocketAddress lastSource;

    TestRegistrar(Path dir, String user, String password) throws Exception {
        this.dir = dir;
        this.user = user;
        this.password = password;
        this.transports = SipTransports.start(TransportSettings.loopback(dir), this::onPacket);
        for (Transport t : Transport.values()) {
            transports.localAddress(t).ifPresent(a -> ports.put(t, a.getPort()));
        }
    }

    int port(Transport transport) {
        return ports.get(transport);
    }

    /** Listens again, on the ports it had before {@link #close()}. */
    synchronized void reopen() throws Exception {
        TransportSettings loopback = TransportSettings.loopback(dir);
        TransportSettings same = new TransportSettings(loopback.host(), port(Transport.UDP), port(Transport.TCP),
                port(Transport.TLS), loopback.maxMessageBytes(), loopback.idleTimeout(), loopback.maxConnections(),
                loopback.eventLoopThreads(), loopback.tlsKeyStore(), loopback.tlsKeyStorePassword(),
                loopback.generatedCertificateDir(), loopback.tlsVerifyPeers());
        received.clear();
        transports = SipTransports.start(same, this::onPacket);
    }

    /** Whether any REGISTER arrives within the time (what arrived before is forgotten first). */
    boolean anyWithin(long millis) throws InterruptedException {
        received.clear();
        return received.poll(millis, TimeUnit.MILLISECONDS) != null;
    }

    /** The next REGISTER received, waiting up to the timeout. */
    SipRequest next(long seconds) throws InterruptedException {
        SipRequest r = received.poll(seconds, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no REGISTER arrived within " + seconds + "s");
        }
        return r;
    }

    /** The next REGISTER carrying credentials (the answers to challenges). */
    SipRequest nextAuthorized(long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            SipRequest r = received.poll(Math.max(1, left), TimeUnit.NANOSECONDS);
            if (r == null) {
                throw new AssertionError("no authorized REGISTER arrived within " + seconds + "s");
            }
            if (r.header("Authorization").isPresent()) {
                return r;
            }
        }
    }

    private void onPacket(InboundPacket packet) {
        if (!(SipParser.DEFAULT.parse(packet.bytes()) instanceof ParseResult.Parsed parsed)
                || !(parsed.message() instanceof SipRequest request) || !request.isMethod("REGISTER")) {
            return;
        }
        lastSource = packet.flow().remote();
        received.add(request);
        SipResponse.Builder answer;
        Optional<String> authorization = request.header("Authorization");
        if (authorization.isEmpty()) {
            answer = SipResponse.to(request, 401, "Unauthorized");
            for (String challenge : Challenge.forRealm(REALM, nonce()).headerValues()) {
                answer.header("WWW-Authenticate", challenge);
            }
        } else if (!verified(authorization.get(), request)) {
            answer = SipResponse.to(request, 403, "Forbidden");
        } else if (request.expires().orElse(3600) > 0 && request.expires().orElse(3600) < minExpires) {
            answer = SipResponse.to(request, 423, "Interval Too Brief").header("Min-Expires", "" + minExpires);
        } else {
            answer = SipResponse.to(request, 200, "OK");
            long expires = request.expires().orElse(3600);
            if (maxExpires > 0 && expires > maxExpires) {
                expires = maxExpires;
            }
            if (grantExactly >= 0 && request.expires().orElse(3600) > 0) {
                answer.header("Contact", request.contacts().get(0) + ";expires=" + grantExactly);
            } else if (expires > 0) {
                answer.header("Contact", request.contacts().get(0) + ";expires=" + expires);
            }
        }
        String source = packet.flow().remote().getAddress().getHostAddress();
        answer.topVia(v -> v.stamped(source, packet.flow().remote().getPort()));
        answer.toTag("reg" + ThreadLocalRandom.current().nextInt(1000));
        packet.flow().send(answer.toBytes());
    }

    private boolean verified(String header, SipRequest request) {
        Optional<DigestCredentials> parsed = DigestCredentials.parse(header);
        if (parsed.isEmpty()) {
            return false;
        }
        DigestCredentials c = parsed.get();
        if (!c.username().equals(user) || !c.realm().equals(REALM) || !c.uri().equals(request.requestUri().toString())) {
            return false;
        }
        String expected = DigestResponse.compute(c.algorithm(), Ha1.of(c.algorithm(), user, REALM, password),
                c.nonce(), c.nc(), c.cnonce(), c.qop(), "REGISTER", c.uri());
        return expected.equals(c.response());
    }

    private static String nonce() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    @Override
    public synchronized void close() {
        transports.close();
    }
}
