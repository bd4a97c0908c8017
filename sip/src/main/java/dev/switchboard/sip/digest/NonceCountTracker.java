package dev.switchboard.sip.digest;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;

/**
 * Remembers, per nonce, the highest nonce count accepted, so a captured request cannot be
 * replayed (RFC 7616 §3.3, §5.5).
 *
 * <p>Memory is bounded: nonces are dropped in the order they were first seen (which is close to
 * the order they expire in), expired ones as soon as they reach the front and others while past
 * {@code maxEntries}; each accept does that little work, so there is never a pause to sort or
 * scan on a SIP thread. A dropped nonce must not become replayable, so the tracker keeps a
 * watermark, the latest expiry of any entry it dropped, and treats every unknown nonce that
 * expires no later than that as {@link Result#FORGOTTEN}: the caller answers stale and the
 * client fetches a fresh nonce. Newer nonces expire later and are unaffected.
 *
 * <p>Held in primitive arrays allocated once (an open-addressing table by a keyed 64-bit hash of
 * the nonce, and a ring in first-seen order): a registrar sees a new nonce with almost every
 * REGISTER, and as objects the entries lived a few seconds each, long enough to be copied by
 * every young collection. Two nonces with the same hash would share an entry; nonces are the
 * server's own (checked before they get here), and the hash is keyed per process, so that takes
 * about one chance in 2^64 per pair.
 *
 * <p>Nonces are stateless and outlive the process: one issued before this tracker existed (before
 * a restart) may have been used already, with counts nobody remembers, so it is
 * {@link Result#FORGOTTEN} too, whatever its expiry.
 */
final class NonceCountTracker {

    enum Result { ACCEPTED, REPLAYED, FORGOTTEN }

    private static final long EMPTY = 0;
    /**
     * How much earlier than the moment it is issued a nonce may say it was issued: copies of one
     * request get the nonce of the time window they fall in ({@code NonceService#sameAnswerWindow},
     * at most 4 s), so a nonce issued just after the start can carry a time just before it.
     */
    static final Duration ISSUE_TIME_ROUNDING = Duration.ofSeconds(5);

    private final int maxEntries;
    private final long seed = new SecureRandom().nextLong() | 1;
    /** Open addressing, linear probing: key hash (never {@link #EMPTY}), highest nc. */
    private final long[] keys;
    private final long[] counts;
    /** First-seen order: key hash and expiry (epoch nanoseconds) of each tracked nonce. */
    private final long[] ringKeys;
    private final long[] ringExpiries;
    private int head;
    private int size;
    private long forgottenUpTo = Long.MIN_VALUE;
    /** Nonces issued before this (epoch nanoseconds) are unknown whatever their expiry. */
    private final long trackingSince;

    NonceCountTracker(int maxEntries) {
        this(maxEntries, Instant.MIN);
    }

    /** @param since the earliest issue time of a nonce this tracker may have seen every use of */
    NonceCountTracker(int maxEntries, Instant since) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
        int capacity = Integer.highestOneBit(Math.max(2, maxEntries) * 2 - 1) * 2;
        this.keys = new long[capacity];
        this.counts = new long[capacity];
        this.ringKeys = new long[maxEntries];
        this.ringExpiries = new long[maxEntries];
        this.trackingSince = nanos(since);
    }

    /** Records {@code nc} for {@code nonce} if it is higher than any accepted before. */
    synchronized Result accept(String nonce, long nc, Instant issuedAt, Instant expiresAt, Instant now) {
        long nowNanos = nanos(now);
        while (size > 0 && ringExpiries[head] < nowNanos) {
            dropOldest();
        }
        long key = hash(nonce);
        int slot = find(key);
        if (keys[slot] == key) {
            if (nc <= counts[slot]) {
                return Result.REPLAYED;
            }
            counts[slot] = nc;
            return Result.ACCEPTED;
        }
        long expires = nanos(expiresAt);
        if (expires <= forgottenUpTo || nanos(issuedAt) < trackingSince) {
            return Result.FORGOTTEN;
        }
        if (size == maxEntries) {
            dropOldest();
            slot = find(key);
        }
        keys[slot] = key;
        counts[slot] = nc;
        int tail = (head + size) % maxEntries;
        ringKeys[tail] = key;
        ringExpiries[tail] = expires;
        size++;
        return Result.ACCEPTED;
    }

    synchronized int size() {
        return size;
    }

    /** Forgets the nonce seen first, raising the watermark to its expiry. */
    private void dropOldest() {
        forgottenUpTo = Math.max(forgottenUpTo, ringExpiries[head]);
        remove(ringKeys[head]);
        head = (head + 1) % maxEntries;
        size--;
    }

    /** The slot holding {@code key}, or the empty slot where it would go. */
    private int find(long key) {
        int mask = keys.length - 1;
        int i = (int) (key ^ (key >>> 32)) & mask;
        while (keys[i] != EMPTY && keys[i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /** Removes by shifting later entries of the probe run back, so no tombstones are left. */
    private void remove(long key) {
        int mask = keys.length - 1;
        int gap = find(key);
        if (keys[gap] != key) {
            return;
        }
        int i = gap;
        while (true) {
            i = (i + 1) & mask;
            long k = keys[i];
            if (k == EMPTY) {
                break;
            }
            int home = (int) (k ^ (k >>> 32)) & mask;
            // Move k into the gap unless its home lies cyclically in (gap, i].
            boolean stays = gap <= i ? home > gap && home <= i : home > gap || home <= i;
            if (!stays) {
                keys[gap] = k;
                counts[gap] = counts[i];
                gap = i;
            }
        }
        keys[gap] = EMPTY;
        counts[gap] = 0;
    }

    private long hash(String nonce) {
        long h = seed;
        byte[] bytes = nonce.getBytes(StandardCharsets.ISO_8859_1);
        for (byte b : bytes) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
            h ^= h >>> 29;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == EMPTY ? 1 : h;
    }

    private static long nanos(Instant t) {
        if (t.getEpochSecond() > 9_000_000_000L) {
            return Long.MAX_VALUE;
        }
        if (t.getEpochSecond() < -9_000_000_000L) {
            return Long.MIN_VALUE + 1;
        }
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
