package dev.switchboard.sip.stun;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

/** The 96-bit STUN transaction id that pairs a response with its request (RFC 5389 §6). */
public record TransactionId(byte[] bytes) {

    public static final int LENGTH = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    public TransactionId {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("transaction id must be 12 bytes");
        }
        bytes = bytes.clone();
    }

    /** A fresh random id; unpredictable so an off-path attacker cannot forge the answer. */
    public static TransactionId random() {
        return random(RANDOM);
    }

    public static TransactionId random(Random random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        return new TransactionId(b);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Whether {@code packet[offset..offset+12)} holds this id, without copying. */
    boolean matches(byte[] packet, int offset) {
        return Arrays.equals(bytes, 0, LENGTH, packet, offset, offset + LENGTH);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransactionId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
