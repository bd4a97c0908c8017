package dev.switchboard.sip.message;

import java.util.Optional;

/**
 * Header names the library knows by identity: the ones parsed eagerly plus those with a compact
 * form. Any other name is still accessible by string through {@link SipMessage#header(String)}.
 */
public enum HeaderName {
    VIA("Via", 'v', true),
    FROM("From", 'f', true),
    TO("To", 't', true),
    CALL_ID("Call-ID", 'i', true),
    CSEQ("CSeq", (char) 0, true),
    MAX_FORWARDS("Max-Forwards", (char) 0, true),
    CONTACT("Contact", 'm', true),
    EXPIRES("Expires", (char) 0, true),
    ROUTE("Route", (char) 0, true),
    RECORD_ROUTE("Record-Route", (char) 0, true),
    CONTENT_LENGTH("Content-Length", 'l', true),
    CONTENT_TYPE("Content-Type", 'c', true),
    AUTHORIZATION("Authorization", (char) 0, true),
    PROXY_AUTHORIZATION("Proxy-Authorization", (char) 0, true),
    WWW_AUTHENTICATE("WWW-Authenticate", (char) 0, true),
    PROXY_AUTHENTICATE("Proxy-Authenticate", (char) 0, true),
    REQUIRE("Require", (char) 0, true),
    PROXY_REQUIRE("Proxy-Require", (char) 0, true),
    SUPPORTED("Supported", 'k', true),
    // lazily parsed, listed for their compact forms and for convenience
    CONTENT_ENCODING("Content-Encoding", 'e', false),
    SUBJECT("Subject", 's', false),
    EVENT("Event", 'o', false),
    ALLOW_EVENTS("Allow-Events", 'u', false),
    REFER_TO("Refer-To", 'r', false),
    REFERRED_BY("Referred-By", 'b', false),
    ACCEPT_CONTACT("Accept-Contact", 'a', false),
    REJECT_CONTACT("Reject-Contact", 'j', false),
    REQUEST_DISPOSITION("Request-Disposition", 'd', false),
    SESSION_EXPIRES("Session-Expires", 'x', false),
    IDENTITY("Identity", 'y', false),
    IDENTITY_INFO("Identity-Info", 'n', false),
    UNSUPPORTED("Unsupported", (char) 0, false),
    ALLOW("Allow", (char) 0, false),
    MIN_EXPIRES("Min-Expires", (char) 0, false),
    USER_AGENT("User-Agent", (char) 0, false),
    SERVER("Server", (char) 0, false);

    private static final HeaderName[] VALUES = values();
    private static final HeaderName[] COMPACT = new HeaderName[128];
    private static final HeaderName[][] BUCKETS = new HeaderName[32 * 32][];
    private static final byte[][] LOWER = new byte[VALUES.length][];
    // the lower-case name as little-endian words of 8 bytes, zero beyond its end, for whole-word compares
    private static final long[][] WORDS = new long[VALUES.length][];
    private static final long FOLD = 0x2020202020202020L;

    static {
        for (HeaderName h : VALUES) {
            int k = h.canonical.length() * 32 + (h.canonical.charAt(0) & 31);
            HeaderName[] old = BUCKETS[k];
            BUCKETS[k] = old == null ? new HeaderName[] {h} : java.util.Arrays.copyOf(old, old.length + 1);
            BUCKETS[k][BUCKETS[k].length - 1] = h;
            LOWER[h.ordinal()] = h.canonical.toLowerCase(java.util.Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] lower = LOWER[h.ordinal()];
            long[] words = new long[(lower.length + 7) / 8];
            for (int i = 0; i < lower.length; i++) words[i / 8] |= (lower[i] & 0xffL) << (8 * (i % 8));
            WORDS[h.ordinal()] = words;
            for (byte c : lower) {
                // lookup folds case with a plain OR of 0x20, exact only for letters and '-' against token input
                if (c != '-' && (c < 'a' || c > 'z')) throw new ExceptionInInitializerError("header name " + h.canonical);
            }
            if (h.compact != 0) {
                COMPACT[h.compact] = h;
                COMPACT[Character.toUpperCase(h.compact)] = h;
            }
        }
    }

    private final String canonical;
    private final char compact;
    private final boolean eager;

    HeaderName(String canonical, char compact, boolean eager) {
        this.canonical = canonical;
        this.compact = compact;
        this.eager = eager;
    }

    /** The long form as written by this library, e.g. {@code Call-ID}. */
    public String canonical() {
        return canonical;
    }

    /** Whether the parser validates and types this header while parsing. */
    public boolean eager() {
        return eager;
    }

    /** Looks a name up in long or compact form, ignoring case. */
    public static Optional<HeaderName> of(String name) {
        return Optional.ofNullable(lookup(name));
    }

    static HeaderName lookup(String name) {
        int n = name.length();
        if (n == 0 || n >= 32) return null;
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c > 127 || !Lex.is((byte) c, Lex.TOKEN)) return null;
        }
        if (n == 1) return COMPACT[name.charAt(0)];
        HeaderName[] bucket = BUCKETS[n * 32 + (name.charAt(0) & 31)];
        if (bucket == null) return null;
        for (HeaderName h : bucket) {
            byte[] lower = LOWER[h.ordinal()];
            int i = 0;
            while (i < n && (name.charAt(i) | 0x20) == lower[i]) i++;
            if (i == n) return h;
        }
        return null;
    }

    /** The known header named by the token (already validated) in [from,to), or null. */
    static HeaderName lookup(byte[] b, int from, int to) {
        int n = to - from;
        if (n == 1) {
            int c = b[from];
            return c >= 0 ? COMPACT[c] : null;
        }
        if (n >= 32) return null;
        // length and first letter narrow the candidates to one or two
        HeaderName[] bucket = BUCKETS[n * 32 + (b[from] & 31)];
        if (bucket == null) return null;
        if (from + ((n + 7) & ~7) <= b.length) {
            // whole words: OR-ing 0x20 lower-cases letters and keeps '-'; bytes past the name are masked off
            for (HeaderName h : bucket) {
                long[] words = WORDS[h.ordinal()];
                int i = 0;
                int left = n;
                while (left > 0) {
                    long w = (long) Lex.LONGS.get(b, from + 8 * i) | FOLD;
                    if (left < 8) w &= (1L << (8 * left)) - 1;
                    if (w != words[i]) break;
                    i++;
                    left -= 8;
                }
                if (left <= 0) return h;
            }
            return null;
        }
        for (HeaderName h : bucket) {
            byte[] lower = LOWER[h.ordinal()];
            int i = 0;
            while (i < n && (b[from + i] | 0x20) == lower[i]) i++;
            if (i == n) return h;
        }
        return null;
    }
}
