package dev.switchboard.sip.digest;

import java.time.Instant;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Remembers, per nonce, the highest nonce count accepted, so a captured request cannot be
 * replayed (RFC 7616 §3.3, §5.5).
 *
 * <p>Memory is bounded: nonces are dropped in the order they were first seen (which is close to
 * the order they expire in), expired ones as soon as they reach the front and others while past
 * {@code maxEntries}; each accept does that little work, so there is never a pause to sort or
 * scan the whole map on a SIP thread. A dropped nonce must not become replayable, so the tracker keeps a
 * watermark, the latest expiry of any entry it dropped, and treats every unknown nonce that
 * expires no later than that as {@link Result#FORGOTTEN}: the caller answers stale and the
 * client fetches a fresh nonce. Newer nonces expire later and are unaffected.
 */
final class NonceCountTracker {

    enum Result { ACCEPTED, REPLAYED, FORGOTTEN }

    private record Entry(long highestNc, Instant expiresAt) {
    }

    private record Seen(String nonce, Instant expiresAt) {
    }

    private final int maxEntries;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** Nonces in the order they were first accepted. */
    private final Queue<Seen> order = new ConcurrentLinkedQueue<>();
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
                order.add(new Seen(k, expiresAt));
                return new Entry(nc, expiresAt);
            }
            if (nc <= e.highestNc()) {
                result[0] = Result.REPLAYED;
                return e;
            }
            result[0] = Result.ACCEPTED;
            return new Entry(nc, e.expiresAt());
        });
        Seen first = order.peek();
        if (entries.size() > maxEntries || first != null && first.expiresAt().isBefore(now)) {
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
            for (Seen first = order.peek(); first != null
                    && (entries.size() > maxEntries || first.expiresAt().isBefore(now)); first = order.peek()) {
                order.poll();
                forget(first.nonce(), first.expiresAt());
            }
        } finally {
            sweepLock.unlock();
        }
    }

    private void forget(String nonce, Instant expiresAt) {
        // Raise the watermark before removing, so a concurrent accept never sees neither.
        if (expiresAt.isAfter(forgottenUpTo)) {
            forgottenUpTo = expiresAt;
        }
        entries.remove(nonce);
    }
}
