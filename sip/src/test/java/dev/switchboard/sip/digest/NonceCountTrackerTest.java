package dev.switchboard.sip.digest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sip.digest.NonceCountTracker.Result;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NonceCountTrackerTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void acceptsOnlyIncreasingCountsPerNonce() {
        NonceCountTracker t = new NonceCountTracker(10);
        Instant exp = NOW.plusSeconds(60);
        assertThat(t.accept("a", 1, NOW, exp, NOW)).isEqualTo(Result.ACCEPTED);
        assertThat(t.accept("a", 1, NOW, exp, NOW)).isEqualTo(Result.REPLAYED);
        assertThat(t.accept("a", 3, NOW, exp, NOW)).isEqualTo(Result.ACCEPTED);
        assertThat(t.accept("a", 2, NOW, exp, NOW)).isEqualTo(Result.REPLAYED);
        assertThat(t.accept("b", 1, NOW, exp, NOW)).isEqualTo(Result.ACCEPTED);
    }

    @Test
    void aFloodOfNoncesStaysWithinTheBound() {
        NonceCountTracker t = new NonceCountTracker(1000);
        for (int i = 0; i < 100_000; i++) {
            t.accept("n" + i, 1, NOW, NOW.plusSeconds(60 + i), NOW);
            assertThat(t.size()).isLessThanOrEqualTo(1001);
        }
    }

    @Test
    void anEvictedNonceIsNeverReplayableOnlyForgotten() {
        NonceCountTracker t = new NonceCountTracker(10);
        for (int i = 0; i < 11; i++) {
            assertThat(t.accept("n" + i, 1, NOW, NOW.plusSeconds(60 + i), NOW)).isEqualTo(Result.ACCEPTED);
        }
        // n0 expired last-but-never: it was the closest to expiry and was dropped when the bound was passed.
        assertThat(t.accept("n0", 1, NOW, NOW.plusSeconds(60), NOW)).isEqualTo(Result.FORGOTTEN);
        assertThat(t.accept("n0", 2, NOW, NOW.plusSeconds(60), NOW)).isEqualTo(Result.FORGOTTEN);
        // A newer nonce still works, and a retained one still counts.
        assertThat(t.accept("fresh", 1, NOW, NOW.plusSeconds(120), NOW)).isEqualTo(Result.ACCEPTED);
        assertThat(t.accept("n10", 1, NOW, NOW.plusSeconds(70), NOW)).isEqualTo(Result.REPLAYED);
    }

    @Test
    void expiredEntriesGoFirst() {
        NonceCountTracker t = new NonceCountTracker(10);
        for (int i = 0; i < 10; i++) {
            t.accept("old" + i, 1, NOW, NOW.plusSeconds(1), NOW);
        }
        Instant later = NOW.plusSeconds(30);
        t.accept("new", 1, NOW, later.plusSeconds(60), later);
        assertThat(t.size()).isEqualTo(1);
        assertThat(t.accept("new", 2, NOW, later.plusSeconds(60), later)).isEqualTo(Result.ACCEPTED);
    }

    @Test
    void aNonceIssuedBeforeTheTrackerStartedIsForgottenWhateverItsExpiry() {
        // A restart: the counts used before it are gone, so a request captured then is not let in again.
        NonceCountTracker t = new NonceCountTracker(10, NOW);
        Instant exp = NOW.plusSeconds(240);
        assertThat(t.accept("before", 1, NOW.minusSeconds(60), exp, NOW)).isEqualTo(Result.FORGOTTEN);
        assertThat(t.accept("before", 9, NOW.minusSeconds(60), exp, NOW)).isEqualTo(Result.FORGOTTEN);
        assertThat(t.accept("after", 1, NOW, exp.plusSeconds(60), NOW)).isEqualTo(Result.ACCEPTED);
        assertThat(t.accept("after", 1, NOW, exp.plusSeconds(60), NOW)).isEqualTo(Result.REPLAYED);
    }

    /** The same rules written plainly (map and queue), to check the table's probing and removal against. */
    private static final class Model {
        final int max;
        final java.util.Map<String, Long> counts = new java.util.HashMap<>();
        final java.util.ArrayDeque<java.util.Map.Entry<String, Instant>> order = new java.util.ArrayDeque<>();
        Instant forgottenUpTo = Instant.MIN;

        Model(int max) {
            this.max = max;
        }

        Result accept(String nonce, long nc, Instant expires, Instant now) {
            while (!order.isEmpty() && order.peekFirst().getValue().isBefore(now)) {
                drop();
            }
            Long seen = counts.get(nonce);
            if (seen != null) {
                if (nc <= seen) {
                    return Result.REPLAYED;
                }
                counts.put(nonce, nc);
                return Result.ACCEPTED;
            }
            if (!expires.isAfter(forgottenUpTo)) {
                return Result.FORGOTTEN;
            }
            if (counts.size() == max) {
                drop();
            }
            counts.put(nonce, nc);
            order.addLast(java.util.Map.entry(nonce, expires));
            return Result.ACCEPTED;
        }

        void drop() {
            var first = order.pollFirst();
            if (first.getValue().isAfter(forgottenUpTo)) {
                forgottenUpTo = first.getValue();
            }
            counts.remove(first.getKey());
        }
    }

    @Test
    void behavesAsThePlainRulesUnderRandomChurn() {
        java.util.Random random = new java.util.Random(42);
        for (int max : new int[] {1, 7, 64}) {
            NonceCountTracker t = new NonceCountTracker(max);
            Model model = new Model(max);
            Instant now = NOW;
            for (int i = 0; i < 200_000; i++) {
                now = now.plusMillis(random.nextInt(3));
                // Nonces from a small pool, so the same ones come back, are dropped and come back again.
                int n = random.nextInt(max * 3 + 2);
                String nonce = "nonce-" + n;
                Instant expires = NOW.plusSeconds(n * 7L % 500);
                long nc = 1 + random.nextInt(5);
                assertThat(t.accept(nonce, nc, NOW, expires, now)).as("step %d", i)
                        .isEqualTo(model.accept(nonce, nc, expires, now));
                assertThat(t.size()).isEqualTo(model.counts.size());
            }
        }
    }
}
