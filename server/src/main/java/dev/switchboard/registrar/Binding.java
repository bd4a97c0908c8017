package dev.switchboard.registrar;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One registered contact of an address-of-record (RFC 3261 §10, RFC 5626, RFC 3327).
 *
 * @param contact      the Contact URI as registered (without header parameters such as expires)
 * @param contactKey   the URI in the form bindings are compared by (RFC 3261 §19.1.4, simplified)
 * @param qMillis      q-value times 1000 (0..1000); -1 when the contact gave none
 * @param source       address and port the REGISTER came from: requests go there (NAT)
 * @param transport    transport it came over (UDP, TCP, TLS)
 * @param path         Path header values (RFC 3327), in order, to be used as a route set towards the contact
 */
public record Binding(
        UUID id,
        UUID tenantId,
        UUID userId,
        String aor,
        String contact,
        String contactKey,
        int qMillis,
        Instant expiresAt,
        String callId,
        long cseq,
        String source,
        String transport,
        Optional<String> userAgent,
        Optional<String> instance,
        Optional<Integer> regId,
        List<String> path,
        Instant registeredAt) {

    public Binding {
        path = List.copyOf(path);
    }

    public boolean expiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }

    /** Whole seconds left, never negative. */
    public long secondsLeft(Instant now) {
        return Math.max(0, Duration.between(now, expiresAt).toSeconds());
    }

    /** The q-value as written in SIP ("0.5"), empty when none was given. */
    public Optional<String> q() {
        if (qMillis < 0) {
            return Optional.empty();
        }
        if (qMillis == 1000) {
            return Optional.of("1");
        }
        String digits = String.format("%03d", qMillis).replaceAll("0+$", "");
        return Optional.of(digits.isEmpty() ? "0" : "0." + digits);
    }
}
