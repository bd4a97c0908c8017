package dev.switchboard.sip.digest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and validates stateless nonces, so any node of a cluster can check a nonce another
 * node issued without shared state and a scanner's challenge costs no memory.
 *
 * <p>nonce = base64url(timestamp(8) || random(16) || HMAC-SHA256(key, timestamp || random || realm)).
 * Binding the realm stops a nonce issued for one tenant being used against another.
 */
public final class NonceService implements NonceValidator {

    private static final String HMAC = "HmacSHA256";
    private static final int TIME_LEN = 8;
    private static final int RANDOM_LEN = 16;
    private static final int MAC_LEN = 32;
    private static final int RAW_LEN = TIME_LEN + RANDOM_LEN + MAC_LEN;
    /** Base64url without padding of {@link #RAW_LEN} bytes. */
    private static final int ENCODED_LEN = (RAW_LEN * 8 + 5) / 6;
    /**
     * How long copies of one request get the same nonce from {@link #issue(String, String)}, at
     * most. A client retransmits after 0.5 s, then 1 s, 2 s; a busy server may answer the original
     * and a copy a few hundred milliseconds apart. Such nonces turn stale up to this much sooner,
     * so the window is never more than a quarter of the lifetime.
     */
    private static final Duration SAME_ANSWER_WINDOW = Duration.ofSeconds(4);
    /** Separates the request-key hash from the nonce MAC under the same key. */
    private static final byte[] REQUEST_LABEL = "switchboard request nonce\n".getBytes(StandardCharsets.US_ASCII);
    /** Cluster nodes' clocks differ a little; a nonce from a node slightly ahead is still good. */
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private final SecretKeySpec key;
    private final Duration lifetime;
    private final Clock clock;
    /** The random source given, or null for one per thread. */
    private final SecureRandom random;
    /**
     * Every {@code new SecureRandom()} on Linux (NativePRNG) reads through one lock shared by the
     * whole JVM, which SIP threads challenging at once contended on; a SHA1PRNG per thread, each
     * seeded by the system, shares nothing and is faster (~110 ns for the 16 bytes, against
     * ~220 ns). The random part only keeps nonces distinct and unguessable; the HMAC makes them
     * authentic.
     */
    private final ThreadLocal<SecureRandom> threadRandom = ThreadLocal.withInitial(NonceService::newRandom);
    // Mac is not thread-safe and costly to set up; one per thread keeps the hot path lock-free.
    private final ThreadLocal<Mac> mac;

    /**
     * @param key      cluster-wide secret, at least 16 bytes (32 recommended); copied
     * @param lifetime how long a nonce stays valid before it is stale
     */
    public NonceService(byte[] key, Duration lifetime) {
        this(key, lifetime, Clock.systemUTC(), null);
    }

    /** @param random the source of the nonces' random part; null for one per thread */
    public NonceService(byte[] key, Duration lifetime, Clock clock, SecureRandom random) {
        Objects.requireNonNull(key, "key");
        if (key.length < 16) {
            throw new IllegalArgumentException("nonce key must be at least 16 bytes");
        }
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("nonce lifetime must be positive");
        }
        this.key = new SecretKeySpec(key.clone(), HMAC);
        this.lifetime = lifetime;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = random;
        this.mac = ThreadLocal.withInitial(this::newMac);
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("SHA1PRNG");
        } catch (NoSuchAlgorithmException e) {
            // A runtime without the SUN provider's SHA1PRNG: the shared default is correct, only slower.
            return new SecureRandom();
        }
    }

    /** How long copies of one request get the same nonce: 4 s, or a quarter of a shorter lifetime. */
    public Duration sameAnswerWindow() {
        return Duration.ofMillis(Math.max(1, Math.min(SAME_ANSWER_WINDOW.toMillis(), lifetime.toMillis() / 4)));
    }

    /** How long an issued nonce stays valid. */
    public Duration lifetime() {
        return lifetime;
    }

    /** A fresh nonce for {@code realm}. */
    public String issue(String realm) {
        byte[] raw = new byte[RAW_LEN];
        ByteBuffer.wrap(raw).putLong(clock.millis());
        byte[] rnd = new byte[RANDOM_LEN];
        (random != null ? random : threadRandom.get()).nextBytes(rnd);
        System.arraycopy(rnd, 0, raw, TIME_LEN, RANDOM_LEN);
        return sealed(raw, realm);
    }

    /**
     * The nonce for {@code realm} that every copy of one request gets within the same
     * {@link #sameAnswerWindow()}, and no other request: the random part is the request's key
     * hashed under the secret (so still unguessable), and the time is that of the window's start.
     * A stateless server answers a retransmission as it answered the original (RFC 3261 §8.2.7), so
     * a client that compares the two challenges sees one answer, not a second, different one.
     *
     * @param requestKey what every copy of the request shares, e.g. {@code SipRequest.retransmissionKey()}
     */
    public String issue(String realm, String requestKey) {
        long window = sameAnswerWindow().toMillis();
        long millis = Math.floorDiv(clock.millis(), window) * window;
        byte[] raw = new byte[RAW_LEN];
        ByteBuffer.wrap(raw).putLong(millis);
        Mac m = mac.get();
        m.update(REQUEST_LABEL);
        m.update(raw, 0, TIME_LEN);
        System.arraycopy(m.doFinal(requestKey.getBytes(StandardCharsets.UTF_8)), 0, raw, TIME_LEN, RANDOM_LEN);
        return sealed(raw, realm);
    }

    /** The time and random part of {@code raw} with their MAC appended, encoded. */
    private String sealed(byte[] raw, String realm) {
        System.arraycopy(mac(raw, realm), 0, raw, TIME_LEN + RANDOM_LEN, MAC_LEN);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /** Checks authenticity first (forgeries are {@link NonceStatus.Invalid}), then age. Never throws. */
    @Override
    public NonceStatus validate(String nonce, String realm) {
        if (nonce == null || realm == null || nonce.length() != ENCODED_LEN) {
            return new NonceStatus.Invalid();
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return new NonceStatus.Invalid();
        }
        // Only the canonical encoding counts: otherwise one nonce had several spellings, each
        // with its own nonce-count history. 56 bytes take 75 characters, whose last carries 4
        // bits of data and 2 that must be zero; the decoder does not check those.
        if (raw.length != RAW_LEN || (base64UrlValue(nonce.charAt(ENCODED_LEN - 1)) & 3) != 0) {
            return new NonceStatus.Invalid();
        }
        byte[] expected = mac(raw, realm);
        int difference = 0;
        for (int i = 0; i < MAC_LEN; i++) {
            difference |= expected[i] ^ raw[TIME_LEN + RANDOM_LEN + i];
        }
        if (difference != 0) {
            return new NonceStatus.Invalid();
        }
        Instant issued = Instant.ofEpochMilli(ByteBuffer.wrap(raw).getLong());
        Instant now = clock.instant();
        if (issued.isAfter(now.plus(CLOCK_SKEW))) {
            // Authentic yet from the future: a node's clock is badly off; refuse rather than extend lifetime.
            return new NonceStatus.Invalid();
        }
        Instant expiresAt = issued.plus(lifetime);
        return now.isAfter(expiresAt) ? new NonceStatus.Stale() : new NonceStatus.Valid(issued, expiresAt);
    }

    private byte[] mac(byte[] raw, String realm) {
        Mac m = mac.get();
        m.update(raw, 0, TIME_LEN + RANDOM_LEN);
        return m.doFinal(realm.getBytes(StandardCharsets.UTF_8));
    }

    private Mac newMac() {
        try {
            Mac m = Mac.getInstance(HMAC);
            m.init(key);
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The 6-bit value of a base64url character the decoder has already accepted. */
    private static int base64UrlValue(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : 63;
    }
}
