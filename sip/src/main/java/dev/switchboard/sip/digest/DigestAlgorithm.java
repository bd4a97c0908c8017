package dev.switchboard.sip.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;

/** The digest algorithms we speak (RFC 7616 §3.2, RFC 8760), with their hash function H. */
public enum DigestAlgorithm {
    MD5("MD5", "MD5", false, 32),
    MD5_SESS("MD5-sess", "MD5", true, 32),
    SHA_256("SHA-256", "SHA-256", false, 64),
    SHA_256_SESS("SHA-256-sess", "SHA-256", true, 64);

    private final String token;
    private final String jcaName;
    private final boolean session;
    private final int hexLength;

    // Looking a MessageDigest up costs as much as hashing a short string; keep one per thread.
    private final ThreadLocal<DigestInput> input;

    DigestAlgorithm(String token, String jcaName, boolean session, int hexLength) {
        this.token = token;
        this.jcaName = jcaName;
        this.session = session;
        this.hexLength = hexLength;
        this.input = ThreadLocal.withInitial(() -> new DigestInput(newDigest()));
    }

    /** The value of the {@code algorithm} parameter, as RFC 7616 spells it. */
    public String token() {
        return token;
    }

    /** True for the -sess variants, whose HA1 also covers nonce and cnonce. */
    public boolean isSession() {
        return session;
    }

    /** The non-session algorithm sharing this one's hash, i.e. the one a stored HA1 belongs to. */
    public DigestAlgorithm base() {
        return switch (this) {
            case MD5, MD5_SESS -> MD5;
            case SHA_256, SHA_256_SESS -> SHA_256;
        };
    }

    /** Length in hex digits of this algorithm's hash, so malformed responses fail cheaply. */
    public int hexLength() {
        return hexLength;
    }

    /** Case-insensitive lookup of an {@code algorithm} parameter value; empty for unknown ones. */
    public static Optional<DigestAlgorithm> fromToken(String value) {
        String v = value.toUpperCase(Locale.ROOT);
        for (DigestAlgorithm a : values()) {
            if (a.token.toUpperCase(Locale.ROOT).equals(v)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** H(data): the lowercase hex hash of the UTF-8 bytes of {@code data}. */
    public String hash(String data) {
        return new String(input().part(data).hex(), StandardCharsets.US_ASCII);
    }

    /** This thread's input to H, empty: every computation ends with {@link DigestInput#hex()}, which resets it. */
    DigestInput input() {
        return input.get();
    }

    private MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE runtime must provide MD5 and SHA-256.
            throw new IllegalStateException(jcaName + " missing from the JRE", e);
        }
    }
}
