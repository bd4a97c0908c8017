package dev.switchboard.sip.message;

import java.nio.charset.StandardCharsets;

/** A URI as found in a Request-URI or a name-addr: {@link SipUri}, {@link TelUri} or any other {@link AbsoluteUri}. */
public sealed interface Uri permits SipUri, TelUri, AbsoluteUri {

    /** The scheme in lower case ({@code sip}, {@code sips}, {@code tel}, ...). */
    String scheme();

    /** The URI exactly as on the wire. */
    @Override
    String toString();

    /** Parses a URI; throws IllegalArgumentException when it is not valid. */
    static Uri parse(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        try {
            return parse(b, 0, b.length, true);
        } catch (ParseError e) {
            throw new IllegalArgumentException(e.getMessage() + ": " + text);
        }
    }

    static Uri parse(byte[] b, int from, int to, boolean allowHeaders) {
        if (to - from > 4 && b[from] == 's' && b[from + 1] == 'i' && b[from + 2] == 'p' && b[from + 3] == ':') {
            return SipUri.parse(b, from, to, from + 4, false, allowHeaders); // the usual spelling
        }
        int colon = schemeEnd(b, from, to);
        int n = colon - from;
        if (n == 3 && Lex.equalsIgnoreCase(b, from, colon, "sip")) {
            return SipUri.parse(b, from, to, colon + 1, false, allowHeaders);
        }
        if (n == 4 && Lex.equalsIgnoreCase(b, from, colon, "sips")) {
            return SipUri.parse(b, from, to, colon + 1, true, allowHeaders);
        }
        if (n == 3 && Lex.equalsIgnoreCase(b, from, colon, "tel")) {
            return TelUri.parse(b, from, to, colon + 1);
        }
        return AbsoluteUri.parse(b, from, to, colon);
    }

    /** Index of the ':' ending a valid scheme. */
    static int schemeEnd(byte[] b, int from, int to) {
        int p = from;
        if (p >= to || !isAlpha(b[p])) throw ParseError.bad("URI without scheme");
        p++;
        while (p < to && (isAlpha(b[p]) || (b[p] >= '0' && b[p] <= '9') || b[p] == '+' || b[p] == '-' || b[p] == '.')) p++;
        if (p >= to || b[p] != ':') throw ParseError.bad("URI without scheme");
        return p;
    }

    private static boolean isAlpha(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** Validates %HH escapes and a character class over [from,to); returns to. */
    static void checkChars(byte[] b, int from, int to, int cls, String what) {
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c == '%') {
                if (i + 2 >= to) throw ParseError.bad("bad escape in " + what);
                if (Lex.hex(b[i + 1]) < 0 || Lex.hex(b[i + 2]) < 0) throw ParseError.bad("bad escape in " + what);
                i += 2;
            } else if (!Lex.is(c, cls)) {
                throw ParseError.bad("invalid character in " + what);
            }
        }
    }
}
