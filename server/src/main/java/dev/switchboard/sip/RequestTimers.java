package dev.switchboard.sip;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code sip.requests} timer per method: how long a request took from its datagram or stream
 * message to its answer (or its forwarding) on the thread that received it. Methods outside the
 * known set share {@code other}, so a scanner cannot grow the metric without bound.
 */
final class RequestTimers {

    private static final String[] METHODS = {"REGISTER", "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "MESSAGE",
            "INFO", "UPDATE", "PRACK", "REFER", "NOTIFY", "SUBSCRIBE", "PUBLISH"};
    /** Fixed buckets: a few comparisons per request instead of a full percentile histogram. */
    private static final Duration[] BUCKETS = {Duration.ofNanos(50_000), Duration.ofNanos(100_000),
            Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2),
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(250)};

    private final Map<String, Timer> byMethod = new HashMap<>();
    private final Timer other;

    RequestTimers(MeterRegistry meters) {
        for (String method : METHODS) {
            byMethod.put(method, timer(meters, method));
        }
        other = timer(meters, "other");
    }

    private static Timer timer(MeterRegistry meters, String method) {
        return Timer.builder("sip.requests").tag("method", method)
                .description("SIP requests handled: time from receipt to answer or forward on the receiving thread")
                .serviceLevelObjectives(BUCKETS).register(meters);
    }

    void record(String method, long startNanos) {
        byMethod.getOrDefault(method, other).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }
}
