package dev.switchboard.sip.message;

import java.util.Locale;

/** Any URI whose scheme is neither sip, sips nor tel (http:, urn:, ...), kept opaque. */
public record AbsoluteUri(String scheme, String text) implements Uri {

    static AbsoluteUri parse(byte[] b, int from, int to, int colon) {
        if (colon + 1 >= to) throw ParseError.bad("empty URI");
        Uri.checkChars(b, colon + 1, to, Lex.URIC, "URI");
        return new AbsoluteUri(Lex.ascii(b, from, colon).toLowerCase(Locale.ROOT), Lex.ascii(b, from, to));
    }

    @Override
    public String toString() {
        return text;
    }
}
