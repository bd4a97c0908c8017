package dev.switchboard.trunk;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/**
 * What this node knows of each trunk right now: whether its destination answers OPTIONS (see
 * {@link TrunkProbe}) and the calls it carried in and out. In memory and per node: a trunk's
 * status is what this node sees of it.
 */
@Component
public class TrunkHealth {

    /** Reachability of a trunk's destination. */
    public enum Reachability { UNKNOWN, UP, DOWN }

    /**
     * The last probe: its answer (a status code; 408 for no answer, 503 for unreachable), how long
     * it took, and when.
     */
    public record Probe(Reachability reachability, int status, long rttMillis, Instant at) {
    }

    /** Calls counted since this node started. */
    public record Traffic(long callsIn, long callsOut, Optional<Instant> lastCall) {
    }

    private static final class Counters {
        final AtomicReference<Probe> probe = new AtomicReference<>();
        final AtomicLong in = new AtomicLong();
        final AtomicLong out = new AtomicLong();
        final AtomicReference<Instant> lastCall = new AtomicReference<>();
    }

    private final Map<UUID, Counters> trunks = new ConcurrentHashMap<>();

    public void probed(UUID trunk, Probe probe) {
        counters(trunk).probe.set(probe);
    }

    /** A call from the trunk was let in. */
    public void callIn(UUID trunk, Instant at) {
        Counters c = counters(trunk);
        c.in.incrementAndGet();
        c.lastCall.set(at);
    }

    /** A call was routed out to the trunk. */
    public void callOut(UUID trunk, Instant at) {
        Counters c = counters(trunk);
        c.out.incrementAndGet();
        c.lastCall.set(at);
    }

    public Optional<Probe> probe(UUID trunk) {
        Counters c = trunks.get(trunk);
        return c == null ? Optional.empty() : Optional.ofNullable(c.probe.get());
    }

    public Traffic traffic(UUID trunk) {
        Counters c = trunks.get(trunk);
        return c == null ? new Traffic(0, 0, Optional.empty())
                : new Traffic(c.in.get(), c.out.get(), Optional.ofNullable(c.lastCall.get()));
    }

    /** Drops what is kept of trunks that no longer exist. */
    void retain(java.util.Set<UUID> existing) {
        trunks.keySet().retainAll(existing);
    }

    private Counters counters(UUID trunk) {
        return trunks.computeIfAbsent(trunk, k -> new Counters());
    }
}
