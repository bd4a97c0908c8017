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
 * @param maxConnectionsPerSource TCP/TLS connections one remote address may hold (0: no limit), so
 *                    one host cannot take every slot of {@code maxConnections}
 * @param messageReadTimeout how long a TCP/TLS peer has to finish a message it started, so a
 *                    connection cannot be held by a message sent a byte at a time (slowloris)
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
        boolean tlsVerifyPeers,
        int maxConnectionsPerSource,
        Duration messageReadTimeout) {

    public static final int DISABLED = -1;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_SOURCE = 256;
    public static final Duration DEFAULT_MESSAGE_READ_TIMEOUT = Duration.ofSeconds(20);

    /** With the default per-source connection limit and message read timeout. */
    public TransportSettings(String host, int udpPort, int tcpPort, int tlsPort, int maxMessageBytes,
                             Duration idleTimeout, int maxConnections, int eventLoopThreads,
                             Optional<Path> tlsKeyStore, String tlsKeyStorePassword, Path generatedCertificateDir,
                             boolean tlsVerifyPeers) {
        this(host, udpPort, tcpPort, tlsPort, maxMessageBytes, idleTimeout, maxConnections, eventLoopThreads,
                tlsKeyStore, tlsKeyStorePassword, generatedCertificateDir, tlsVerifyPeers,
                DEFAULT_MAX_CONNECTIONS_PER_SOURCE, DEFAULT_MESSAGE_READ_TIMEOUT);
    }

    public TransportSettings {
        if (maxMessageBytes < 1024 || maxMessageBytes > 65535) {
            throw new IllegalArgumentException("maxMessageBytes must be 1024..65535");
        }
        if (eventLoopThreads < 1) {
            throw new IllegalArgumentException("eventLoopThreads must be at least 1");
        }
        if (maxConnectionsPerSource < 0) {
            throw new IllegalArgumentException("maxConnectionsPerSource must be 0 (no limit) or more");
        }
        if (messageReadTimeout.isNegative() || messageReadTimeout.isZero()) {
            throw new IllegalArgumentException("messageReadTimeout must be positive");
        }
    }

    /** The same settings listening on another address. */
    public TransportSettings withHost(String other) {
        return new TransportSettings(other, udpPort, tcpPort, tlsPort, maxMessageBytes, idleTimeout, maxConnections,
                eventLoopThreads, tlsKeyStore, tlsKeyStorePassword, generatedCertificateDir, tlsVerifyPeers,
                maxConnectionsPerSource, messageReadTimeout);
    }

    /** The same settings with these stream limits. */
    public TransportSettings withStreamLimits(int perSource, Duration readTimeout) {
        return new TransportSettings(host, udpPort, tcpPort, tlsPort, maxMessageBytes, idleTimeout, maxConnections,
                eventLoopThreads, tlsKeyStore, tlsKeyStorePassword, generatedCertificateDir, tlsVerifyPeers,
                perSource, readTimeout);
    }

    /** Loopback listeners on free ports, for tests. */
    public static TransportSettings loopback(Path certificateDir) {
        return new TransportSettings("127.0.0.1", 0, 0, 0, 65535, Duration.ofMinutes(5), 10_000,
                Math.max(1, Runtime.getRuntime().availableProcessors()), Optional.empty(), "", certificateDir, false);
    }
}
