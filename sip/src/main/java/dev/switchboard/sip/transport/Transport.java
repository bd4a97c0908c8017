package dev.switchboard.sip.transport;

import java.util.Locale;
import java.util.Optional;

/** A SIP transport protocol as named in Via headers and {@code transport=} URI parameters. */
public enum Transport {
    UDP(5060, false),
    TCP(5060, true),
    TLS(5061, true);

    private final int defaultPort;
    private final boolean stream;

    Transport(int defaultPort, boolean stream) {
        this.defaultPort = defaultPort;
        this.stream = stream;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** Stream transports frame by Content-Length and keep connections to reuse. */
    public boolean isStream() {
        return stream;
    }

    /** The transport named by a Via or URI token, case-insensitively. */
    public static Optional<Transport> of(String token) {
        if (token == null) {
            return Optional.empty();
        }
        return switch (token.toUpperCase(Locale.ROOT)) {
            case "UDP" -> Optional.of(UDP);
            case "TCP" -> Optional.of(TCP);
            case "TLS" -> Optional.of(TLS);
            default -> Optional.empty();
        };
    }
}
