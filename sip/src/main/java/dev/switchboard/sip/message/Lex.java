package dev.switchboard.sip.message;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Character classes of RFC 3261 §25 as lookup tables, and small scanning helpers over byte ranges. */
final class Lex {
    private Lex() {}

    static final int TOKEN = 1;
    static final int WORD = 2;          // Call-ID word
    static final int USERINFO = 4;      // user / password characters (unescaped) plus ':'
    static final int HOST = 8;          // hostname characters
    static final int PARAMCHAR = 16;    // uri param characters
    static final int HNV = 32;          // uri header name/value characters
    static final int URIC = 64;         // generic absolute-URI characters
    static final int DIGIT = 128;

    static final short[] CLASS = new short[256];

    static {
        String alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        String mark = "-_.!~*'()";
        set(alnum + "-.!%*_+`'~", TOKEN);
        set(alnum + "-.!%*_+`'~()<>:\\\"/[]?{}", WORD);
        set(alnum + mark + "%&=+$,;?/:", USERINFO);
        set(alnum + "-.", HOST);
        set(alnum + mark + "%[]/:&+$", PARAMCHAR);
        set(alnum + mark + "%[]/?:+$", HNV);
        set(alnum + mark + "%;/?:@&=+$,[]#", URIC);
        set("0123456789", DIGIT);
    }

    private static void set(String chars, int cls) {
        for (int i = 0; i < chars.length(); i++) {
            CLASS[chars.charAt(i)] |= (short) cls;
        }
    }

    static boolean is(byte b, int cls) {
        return (CLASS[b & 0xff] & cls) != 0;
    }

    static boolean isLws(byte b) {
        // one compare settles the common case: every visible ASCII character is above ' '
        return b <= ' ' && (b == ' ' || b == '\t' || b == '\r' || b == '\n');
    }

    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long CRS = 0x0d0d0d0d0d0d0d0dL;
    private static final long LFS = 0x0a0a0a0a0a0a0a0aL;

    /**
     * Index of the first CR or LF in [from,to), or {@code to} if none; eight bytes per step. For each
     * byte x of the word, (x - 1) & ~x has its high bit set when x is zero; a borrow can only add false
     * hits above a true one, so the lowest hit is exact.
     */
    static int findCrOrLf(byte[] b, int from, int to) {
        int p = from;
        while (p + 8 <= to) {
            long w = (long) LONGS.get(b, p);
            long cr = w ^ CRS;
            long lf = w ^ LFS;
            long hit = ((cr - ONES) & ~cr | (lf - ONES) & ~lf) & HIGHS;
            if (hit != 0) return p + (Long.numberOfTrailingZeros(hit) >>> 3);
            p += 8;
        }
        while (p < to && b[p] != '\r' && b[p] != '\n') p++;
        return p;
    }

    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5c5c5c5c5c5c5c5cL;

    /** Index of the first '"', '\\', CR or LF in [from,to), or {@code to}; as {@link #findCrOrLf}. */
    static int findQuoteEnd(byte[] b, int from, int to) {
        int p = from;
        while (p + 8 <= to) {
            long w = (long) LONGS.get(b, p);
            long cr = w ^ CRS;
            long lf = w ^ LFS;
            long q = w ^ QUOTES;
            long bs = w ^ BACKSLASHES;
            long hit = ((cr - ONES) & ~cr | (lf - ONES) & ~lf | (q - ONES) & ~q | (bs - ONES) & ~bs) & HIGHS;
            if (hit != 0) return p + (Long.numberOfTrailingZeros(hit) >>> 3);
            p += 8;
        }
        while (p < to && b[p] != '"' && b[p] != '\\' && b[p] != '\r' && b[p] != '\n') p++;
        return p;
    }

    static int hex(byte b) {
        if (b >= '0' && b <= '9') return b - '0';
        if (b >= 'a' && b <= 'f') return b - 'a' + 10;
        if (b >= 'A' && b <= 'F') return b - 'A' + 10;
        return -1;
    }

    /** Latin-1 is exact for the ASCII grammar and never fails; UTF-8 only where text may be UTF-8. */
    static String ascii(byte[] b, int from, int to) {
        return new String(b, 0, from, to - from);
    }

    static String utf8(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] < 0) return new String(b, from, to - from, StandardCharsets.UTF_8);
        }
        return ascii(b, from, to);
    }

    static boolean equalsIgnoreCase(byte[] b, int from, int to, String s) {
        int n = to - from;
        if (n != s.length()) return false;
        for (int i = 0; i < n; i++) {
            int c = b[from + i];
            int d = s.charAt(i);
            if (c != d && (c | 0x20) != (d | 0x20)) return false;
            if (c != d && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) return false;
        }
        return true;
    }

    /**
     * Whether the bytes at from equal {@code lower} (lower-case ASCII, not shorter than the range
     * the caller means) with ASCII letters compared case-insensitively.
     */
    static boolean equalsLower(byte[] b, int from, byte[] lower) {
        for (int i = 0; i < lower.length; i++) {
            int c = b[from + i];
            int d = lower[i];
            if (c != d && (c | 0x20) != d || c != d && (d < 'a' || d > 'z')) return false;
        }
        return true;
    }

    /** Decodes %HH escapes (already validated) as UTF-8. */
    static String unescape(String s) {
        if (s.indexOf('%') < 0) return s;
        byte[] out = new byte[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                int h = hex((byte) s.charAt(i + 1));
                int l = hex((byte) s.charAt(i + 2));
                if (h >= 0 && l >= 0) {
                    out[n++] = (byte) (h * 16 + l);
                    i += 2;
                    continue;
                }
            }
            out[n++] = (byte) c;
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }
}
