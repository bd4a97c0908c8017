package dev.switchboard.sip.transaction;

import java.time.Duration;

/** The RFC 3261 timer base values (§17, Table 4); everything else derives from them. */
public record SipTimers(Duration t1, Duration t2, Duration t4) {

    public static final SipTimers RFC3261 = new SipTimers(Duration.ofMillis(500), Duration.ofSeconds(4),
            Duration.ofSeconds(5));

    /** Timers B, F, H, J, L, M: 64*T1. */
    public Duration timeout() {
        return t1.multipliedBy(64);
    }

    /** Timer D: at least 32 s on unreliable transports. */
    public Duration timerD() {
        Duration d = Duration.ofSeconds(32);
        return d.compareTo(timeout()) > 0 ? d : timeout();
    }

    /** The next retransmission interval after {@code current}, capped at T2 (timers E and G). */
    public Duration backOff(Duration current) {
        Duration doubled = current.multipliedBy(2);
        return doubled.compareTo(t2) > 0 ? t2 : doubled;
    }
}
