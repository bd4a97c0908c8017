package dev.switchboard.sip.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NonceServiceTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final NonceService nonces = new NonceService(KEY, Duration.ofSeconds(300), clock, new SecureRandom());

    @Test
    void acceptsItsOwnNonceUntilItsLifetimeEnds() {
        String nonce = nonces.issue("example.org");
        assertThat(nonces.validate(nonce, "example.org"))
                .isEqualTo(new NonceStatus.Valid(clock.instant(), clock.instant().plusSeconds(300)));
        clock.advance(Duration.ofSeconds(300));
        assertThat(nonces.validate(nonce, "example.org")).isInstanceOf(NonceStatus.Valid.class);
        clock.advance(Duration.ofMillis(1));
        assertThat(nonces.validate(nonce, "example.org")).isInstanceOf(NonceStatus.Stale.class);
    }

    @Test
    void givesEveryCopyOfARequestOneNonceWithinItsWindowAndEveryOtherRequestAnother() {
        clock.advance(Duration.ofMillis(1_250)); // 1.25 s into a 4 s window
        String nonce = nonces.issue("example.org", "z9hG4bK1|call-1|tag-1|1 REGISTER");
        clock.advance(Duration.ofMillis(2_000));
        assertThat(nonces.issue("example.org", "z9hG4bK1|call-1|tag-1|1 REGISTER")).isEqualTo(nonce);
        assertThat(nonces.issue("example.org", "z9hG4bK2|call-1|tag-1|2 REGISTER")).isNotEqualTo(nonce);
        assertThat(nonces.issue("example.com", "z9hG4bK1|call-1|tag-1|1 REGISTER")).isNotEqualTo(nonce);
        // Another node with the cluster's key gives the copy the same nonce; one with another key does not.
        NonceService otherNode = new NonceService(KEY, Duration.ofSeconds(300), clock, new SecureRandom());
        assertThat(otherNode.issue("example.org", "z9hG4bK1|call-1|tag-1|1 REGISTER")).isEqualTo(nonce);
        NonceService stranger = new NonceService("another key, another key, anothe".getBytes(StandardCharsets.US_ASCII),
                Duration.ofSeconds(300), clock, new SecureRandom());
        assertThat(stranger.issue("example.org", "z9hG4bK1|call-1|tag-1|1 REGISTER")).isNotEqualTo(nonce);
        // Its age counts from the window's start: valid for the lifetime from there, then stale.
        Instant windowStart = Instant.parse("2025-01-01T00:00:00Z");
        assertThat(nonces.validate(nonce, "example.org")).isEqualTo(new NonceStatus.Valid(windowStart, windowStart.plusSeconds(300)));
        clock.advance(Duration.ofMillis(1_000)); // the next window: the same request, a new nonce
        assertThat(nonces.issue("example.org", "z9hG4bK1|call-1|tag-1|1 REGISTER")).isNotEqualTo(nonce);
        clock.advance(Duration.between(clock.instant(), windowStart.plusSeconds(300).plusMillis(1)));
        assertThat(nonces.validate(nonce, "example.org")).isInstanceOf(NonceStatus.Stale.class);
    }

    @Test
    void theWindowIsAQuarterOfAShortLifetime() {
        assertThat(nonces.sameAnswerWindow()).isEqualTo(Duration.ofSeconds(4));
        NonceService brief = new NonceService(KEY, Duration.ofSeconds(1), clock, new SecureRandom());
        assertThat(brief.sameAnswerWindow()).isEqualTo(Duration.ofMillis(250));
        String nonce = brief.issue("example.org", "z9hG4bK1|call-1|tag-1|1 REGISTER");
        assertThat(brief.validate(nonce, "example.org")).isInstanceOf(NonceStatus.Valid.class);
        assertThat(new NonceService(KEY, Duration.ofMillis(2), clock, new SecureRandom()).sameAnswerWindow())
                .isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void noncesIssuedOnManyThreadsAtOnceAreAllDistinctAndValid() throws Exception {
        NonceService shared = new NonceService(KEY, Duration.ofSeconds(300)); // a random source per thread
        int threads = 4;
        int each = 2_000;
        Set<String> issued = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        issued.add(shared.issue("example.org"));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(issued).hasSize(threads * each);
        assertThat(issued).allSatisfy(n -> assertThat(shared.validate(n, "example.org"))
                .isInstanceOf(NonceStatus.Valid.class));
    }

    @Test
    void anotherNodeWithTheSameKeyAcceptsTheNonce() {
        NonceService otherNode = new NonceService(KEY.clone(), Duration.ofSeconds(300), clock, new SecureRandom());
        assertThat(otherNode.validate(nonces.issue("example.org"), "example.org"))
                .isInstanceOf(NonceStatus.Valid.class);
    }

    @Test
    void nonceIsBoundToItsRealm() {
        assertThat(nonces.validate(nonces.issue("a.example.org"), "b.example.org"))
                .isInstanceOf(NonceStatus.Invalid.class);
    }

    @Test
    void refusesANonceMadeWithAnotherKey() {
        byte[] otherKey = KEY.clone();
        otherKey[0] ^= 1;
        NonceService forger = new NonceService(otherKey, Duration.ofSeconds(300), clock, new SecureRandom());
        assertThat(nonces.validate(forger.issue("example.org"), "example.org"))
                .isInstanceOf(NonceStatus.Invalid.class);
    }

    @Test
    void refusesATamperedTimestampEvenWhenStale() {
        String nonce = nonces.issue("example.org");
        byte[] raw = Base64.getUrlDecoder().decode(nonce);
        raw[7] ^= 0x10; // move the issue time: the MAC no longer matches
        String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        assertThat(nonces.validate(tampered, "example.org")).isInstanceOf(NonceStatus.Invalid.class);
        clock.advance(Duration.ofHours(1));
        assertThat(nonces.validate(tampered, "example.org")).isInstanceOf(NonceStatus.Invalid.class);
    }

    @Test
    void refusesNonCanonicalSpellingsOfAValidNonce() {
        String nonce = nonces.issue("example.org");
        char last = nonce.charAt(nonce.length() - 1);
        // The last character carries 4 data bits and 2 zero bits; setting one of those must not count.
        String alternative = nonce.substring(0, nonce.length() - 1) + (char) (last == 'A' ? 'B' : last + 1);
        assertThat(Base64.getUrlDecoder().decode(alternative)).hasSize(56);
        assertThat(nonces.validate(alternative, "example.org")).isInstanceOf(NonceStatus.Invalid.class);
        // Every other last character: either those zero bits are set or the data differs (wrong MAC).
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (char c : alphabet.toCharArray()) {
            String spelling = nonce.substring(0, nonce.length() - 1) + c;
            assertThat(nonces.validate(spelling, "example.org")).as(spelling)
                    .isInstanceOf(c == last ? NonceStatus.Valid.class : NonceStatus.Invalid.class);
        }
    }

    @Test
    void refusesGarbageWithoutThrowing() {
        for (String garbage : new String[] {"", "x", "====", "%%%", "a".repeat(75), "a".repeat(10_000),
                "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "\u0000".repeat(75), null}) {
            assertThat(nonces.validate(garbage, "example.org")).isInstanceOf(NonceStatus.Invalid.class);
        }
    }

    @Test
    void refusesNoncesFromFarInTheFuture() {
        MutableClock ahead = new MutableClock(clock.instant().plus(Duration.ofMinutes(5)));
        NonceService fastNode = new NonceService(KEY, Duration.ofSeconds(300), ahead, new SecureRandom());
        assertThat(nonces.validate(fastNode.issue("example.org"), "example.org"))
                .isInstanceOf(NonceStatus.Invalid.class);
    }

    @Test
    void noncesAreUniqueAndUrlSafe() {
        String a = nonces.issue("example.org");
        String b = nonces.issue("example.org");
        assertThat(a).isNotEqualTo(b).matches("[A-Za-z0-9_-]{75}");
    }

    @Test
    void refusesShortKeys() {
        assertThatThrownBy(() -> new NonceService(new byte[8], Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
