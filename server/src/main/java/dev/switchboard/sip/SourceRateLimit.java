package dev.switchboard.sip;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The per-source rate limit of SPEC 4.4, as Kamailio's {@code pike} keeps it: a source that sends
 * more than {@code perSecond} messages within one second has the rest of that second's dropped
 * unanswered, before any parsing. One map per second, replaced when the second turns, so a flood
 * from spoofed addresses costs at most {@code maxSources} counters and nothing outlives its second.
 */
final class SourceRateLimit {

    private record Window(long second, ConcurrentHashMap<String, AtomicInteger> counts) {
    }

    private final int perSecond;
    private final int maxSources;
    private volatile Window window = new Window(Long.MIN_VALUE, new ConcurrentHashMap<>());

    /** @param perSecond messages per source and second; 0 or less: no limit */
    SourceRateLimit(int perSecond, int maxSources) {
        this.perSecond = perSecond;
        this.maxSources = maxSources;
    }

    /** The outcome of one message: admitted, or dropped (and whether it is the first drop of its source this second). */
    enum Verdict { ADMITTED, DROPPED, FIRST_DROP }

    Verdict admit(String source, long nanos) {
        if (perSecond <= 0) {
            return Verdict.ADMITTED;
        }
        long second = Math.floorDiv(nanos, 1_000_000_000L);
        Window w = window;
        if (w.second() != second) {
            // Two threads turning the second at once may each start a map: a few counts are lost, never kept.
            w = new Window(second, new ConcurrentHashMap<>());
            window = w;
        }
        AtomicInteger count = w.counts().get(source);
        if (count == null) {
            if (w.counts().size() >= maxSources) {
                // Full with other sources this second: this one is not counted rather than the map grown.
                return Verdict.ADMITTED;
            }
            count = w.counts().computeIfAbsent(source, k -> new AtomicInteger());
        }
        int n = count.incrementAndGet();
        return n <= perSecond ? Verdict.ADMITTED : n == perSecond + 1 ? Verdict.FIRST_DROP : Verdict.DROPPED;
    }
}
