package dev.switchboard.sip.digest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Remembers, per nonce, the highest nonce count accepted, so a captured request cannot be
 * replayed (RFC 7616 §3.3, §5.5).
 *
 * <p>Memory is bounded: past {@code maxEntries} it drops expired entries and then those
 * closest to expiry. A dropped nonce must not become replayable, so the tracker keeps a
 * watermark, the latest expiry of any entry it dropped, and treats every unknown nonce that
 * expires no later than that as {@link Result#FORGOTTEN}: the caller answers stale and the
 * client fetches a fresh nonce. Newer nonces expire later and are unaffected.
 */
final class NonceCountTracker {

    enum Result { ACCEPTED, REPLAYED, FORGOTTEN }

    private record Entry(long highestNc, Instant expiresAt) {
    }

    private final int maxEntries;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final ReentrantLock sweepLock = new ReentrantLock();
    private volatile Instant forgottenUpTo = Instant.MIN;

    NonceCountTracker(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
    }

    /** Records {@code nc} for {@code nonce} if it is higher than any accepted before. */
    Result accept(String nonce, long nc, Instant expiresAt, Instant now) {
        Result[] result = new Result[1];
        entries.compute(nonce, (k, e) -> {
            if (e == null) {
                if (!expiresAt.isAfter(forgottenUpTo)) {
                    result[0] = Result.FORGOTTEN;
                    return null;
                }
                result[0] = Result.ACCEPTED;
                return new Entry(nc, expiresAt);
            }
            if (nc <= e.highestNc()) {
                result[0] = Result.REPLAYED;
                return e;
            }
            result[0] = Result.ACCEPTED;
            return new Entry(nc, e.expiresAt());
        });
        if (entries.size() > maxEntries) {
            sweep(now);
        }
        return result[0];
    }

    int size() {
        return entries.size();
    }

    private void sweep(Instant now) {
        // One sweeper at a time; others carry on, the map may overshoot briefly.
        if (!sweepLock.tryLock()) {
            return;
        }
        try {
            List<Map.Entry<String, Entry>> live = new ArrayList<>();
            for (Map.Entry<String, Entry> e : entries.entrySet()) {
                if (e.getValue().expiresAt().isBefore(now)) {
                    forget(e.getKey(), e.getValue());
                } else {
                    live.add(Map.entry(e.getKey(), e.getValue()));
                }
            }
            int target = Math.max(1, maxEntries - maxEntries / 10);
            if (live.size() > target) {
                live.sort(Comparator.comparing(e -> e.getValue().expiresAt()));
                for (int i = 0; i < live.size() - target; i++) {
                    forget(live.get(i).getKey(), live.get(i).getValue());
                }
            }
        } finally {
            sweepLock.unlock();
        }
    }

    private void forget(String nonce, Entry entry) {
        // Raise the watermark before removing, so a concurrent accept never sees neither.
        if (entry.expiresAt().isAfter(forgottenUpTo)) {
            forgottenUpTo = entry.expiresAt();
        }
        entries.remove(nonce, entry);
    }
}
