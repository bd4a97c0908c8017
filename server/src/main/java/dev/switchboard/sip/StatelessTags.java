package dev.switchboard.sip;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * To tags for answers sent without a transaction: the same for every copy of one request
 * (RFC 3261 §8.2.7) and, from a hash seeded at random per node, different for every other request
 * and from every other node or restart.
 */
final class StatelessTags {

    private final long seed = new SecureRandom().nextLong();

    /** The tag for a request's {@code SipRequest.retransmissionKey()}. */
    String of(String requestKey) {
        // FNV-1a over the characters from the seed, then a 64-bit finaliser (MurmurHash3's fmix64)
        // so that every input bit reaches every output bit.
        long h = seed ^ 0xcbf29ce484222325L;
        for (int i = 0; i < requestKey.length(); i++) {
            h = (h ^ requestKey.charAt(i)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb93f40fe66d3L;
        h ^= h >>> 33;
        return HexFormat.of().toHexDigits(h);
    }
}
