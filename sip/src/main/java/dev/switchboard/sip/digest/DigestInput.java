package dev.switchboard.sip.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Feeds the colon-joined parts of a digest computation (RFC 7616 §3.4) straight into the hash,
 * so checking a response builds none of the intermediate strings. Not thread-safe: each
 * {@link DigestAlgorithm} keeps one per thread.
 */
final class DigestInput {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** Longer parts (only hostile ones are) are encoded by the JDK rather than grow the scratch. */
    private static final int MAX_SCRATCH = 4096;

    private final MessageDigest hash;
    private byte[] scratch = new byte[256];

    DigestInput(MessageDigest hash) {
        this.hash = hash;
    }

    /** The UTF-8 bytes of {@code s}, exactly as {@code s.getBytes(UTF_8)} would give them. */
    DigestInput part(String s) {
        int n = s.length();
        if (n * 3 > MAX_SCRATCH) {
            hash.update(s.getBytes(StandardCharsets.UTF_8));
            return this;
        }
        if (scratch.length < n * 3) {
            scratch = new byte[n * 3];
        }
        byte[] out = scratch;
        int p = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[p++] = (byte) c;
            } else if (c < 0x800) {
                out[p++] = (byte) (0xC0 | c >> 6);
                out[p++] = (byte) (0x80 | c & 0x3F);
            } else if (!Character.isSurrogate(c)) {
                out[p++] = (byte) (0xE0 | c >> 12);
                out[p++] = (byte) (0x80 | c >> 6 & 0x3F);
                out[p++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out[p++] = (byte) (0xF0 | cp >> 18);
                out[p++] = (byte) (0x80 | cp >> 12 & 0x3F);
                out[p++] = (byte) (0x80 | cp >> 6 & 0x3F);
                out[p++] = (byte) (0x80 | cp & 0x3F);
            } else {
                out[p++] = '?'; // an unpaired surrogate, replaced as the JDK's encoder does
            }
        }
        hash.update(out, 0, p);
        return this;
    }

    DigestInput part(byte[] bytes) {
        hash.update(bytes);
        return this;
    }

    DigestInput colon() {
        hash.update((byte) ':');
        return this;
    }

    /** Ends this computation: the hash of what was fed, in lowercase hex ASCII; the input is then empty. */
    byte[] hex() {
        byte[] digest = hash.digest();
        byte[] out = new byte[digest.length * 2];
        for (int i = 0; i < digest.length; i++) {
            out[2 * i] = HEX[(digest[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[digest[i] & 0xF];
        }
        return out;
    }
}
