package dev.switchboard.sip.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where and how the SIP listeners run. A port of 0 picks a free port; a port of -1 disables
 * that transport.
 *
 * @param tlsKeyStore PKCS#12 key store with the server certificate; empty means a self-signed
 *                    one is generated into {@code generatedCertificateDir} on first start
 * @param tlsVerifyPeers  whether outbound TLS checks the peer's certificate against the JDK trust store
 */
public record TransportSettings(
        String host,
        int udpPort,
        int tcpPort,
        int tlsPort,
        int maxMessageBytes,
        Duration idleTimeout,
        int maxConnections,
        int eventLoopThreads,
        Optional<Path> tlsKeyStore,
        String tlsKeyStorePassword,
        Path generatedCertificateDir,
        boolean tlsVerifyPeers) {

    public static final int DISABLED = -1;

    public TransportSettings {
        if (maxMessageBytes < 1024 || maxMessageBytes > 65535) {
            throw new IllegalArgumentException("maxMessageBytes must be 1024..65535");
        }
        if (eventLoopThreads < 1) {
            throw new IllegalArgumentException("eventLoopThreads must be at least 1");
        }
    }

    /** The same settings listening on another address. */
    public TransportSettings withHost(String other) {
        return new TransportSettings(other, udpPort, tcpPort, tlsPort, maxMessageBytes, idleTimeout, maxConnections,
                eventLoopThreads, tlsKeyStore, tlsKeyStorePassword, generatedCertificateDir, tlsVerifyPeers);
    }

    /** Loopback listeners on free ports, for tests. */
    public static TransportSettings loopback(Path certificateDir) {
        return new TransportSettings("127.0.0.1", 0, 0, 0, 65535, Duration.ofMinutes(5), 10_000,
                Math.max(1, Runtime.getRuntime().availableProcessors()), Optional.empty(), "", certificateDir, false);
    }
}
