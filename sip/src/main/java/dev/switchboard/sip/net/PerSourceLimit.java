package dev.switchboard.sip.net;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many of something (connections, requests in progress) each source holds, against a limit
 * per source: one host cannot take what all the others share. Keys are the sources (addresses);
 * a source that holds nothing takes no memory.
 */
public final class PerSourceLimit<K> {

    private final int limit;
    private final Map<K, Integer> held = new ConcurrentHashMap<>();

    /** @param limit what one source may hold at once; 0 for no limit (still counted) */
    public PerSourceLimit(int limit) {
        this.limit = limit;
    }

    /** Takes one for the source, unless it already holds the limit. */
    public boolean tryEnter(K source) {
        boolean[] entered = new boolean[1];
        held.compute(source, (key, n) -> {
            int now = n == null ? 0 : n;
            entered[0] = limit <= 0 || now < limit;
            return entered[0] ? Integer.valueOf(now + 1) : n;
        });
        return entered[0];
    }

    /** Gives back one the source took. */
    public void leave(K source) {
        held.computeIfPresent(source, (key, n) -> n <= 1 ? null : n - 1);
    }
}
