package dev.switchboard.sip.message;

import java.util.Optional;

/**
 * A name-addr or addr-spec with header parameters, as in From, To, Contact, Route and Record-Route
 * (RFC 3261 §20.10): optional display name, URI, parameters such as {@code tag}, {@code expires}, {@code q}.
 */
public final class NameAddress {
    private String displayName;       // unquoted; made from src on first use when parsed
    private final int displayStart;   // -1 when absent or given as a string
    private final int displayEnd;
    private final Uri uri;
    private final Params params;
    // the wire text is materialised only when asked: most parses never need it
    private final byte[] src;
    private final int srcStart;
    private final int srcEnd;
    private String text;

    private NameAddress(String displayName, int ds, int de, Uri uri, Params params, byte[] src, int s, int e) {
        this.displayName = displayName;
        this.displayStart = ds;
        this.displayEnd = de;
        this.uri = uri;
        this.params = params;
        this.src = src;
        this.srcStart = s;
        this.srcEnd = e;
    }
    private String text() {
        String t = text;
        if (t == null) text = t = Lex.utf8(src, srcStart, srcEnd);
        return t;
    }


    /** A name-addr {@code ["display" ]<uri>;params}. */
    public static NameAddress of(String displayName, Uri uri, Params params) {
        StringBuilder sb = new StringBuilder();
        if (displayName != null) {
            sb.append('"');
            for (int i = 0; i < displayName.length(); i++) {
                char ch = displayName.charAt(i);
                if (ch == '"' || ch == '\\') sb.append('\\');
                sb.append(ch);
            }
            sb.append("\" ");
        }
        sb.append('<').append(uri).append('>');
        params.appendTo(sb);
        byte[] t = sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new NameAddress(displayName, -1, -1, uri, params, t, 0, t.length);
    }

    public static NameAddress of(Uri uri) {
        return of(null, uri, Params.EMPTY);
    }

    /** Parses a single name-addr or addr-spec value; throws IllegalArgumentException when invalid. */
    public static NameAddress parse(String text) {
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Cursor c = new Cursor(b, 0, b.length);
        try {
            NameAddress na = parse(c, false);
            c.skipLws();
            if (!c.atEnd()) throw ParseError.bad("trailing characters");
            return na;
        } catch (ParseError e) {
            throw new IllegalArgumentException(e.getMessage() + ": " + text);
        }
    }

    /**
     * The name-addrs of one header value that may list several, comma-separated, each in angle
     * brackets (Path, Route, Record-Route: RFC 3327 §4, RFC 3261 §20.30); a malformed list is an
     * IllegalArgumentException.
     */
    public static java.util.List<NameAddress> parseList(String text) {
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Cursor c = new Cursor(b, 0, b.length);
        java.util.List<NameAddress> all = new java.util.ArrayList<>(2);
        try {
            do {
                all.add(parse(c, true));
            } while (c.sep(','));
            c.skipLws();
            if (!c.atEnd()) throw ParseError.bad("trailing characters");
            return all;
        } catch (ParseError e) {
            throw new IllegalArgumentException(e.getMessage() + ": " + text);
        }
    }

    /** Parses at the cursor, leaving it after the parameters (before ',' or the end). */
    static NameAddress parse(Cursor c, boolean requireAngle) {
        c.skipLws();
        byte[] b = c.b;
        int start = c.pos;
        int ds = -1;
        int de = -1;
        boolean angle = false;
        int p = c.peek();
        if (p == '"') {
            int e = c.quotedEnd("display name");
            ds = c.pos;
            de = e;
            c.pos = e;
            c.skipLws();
            c.expect('<', "name-addr");
            angle = true;
        } else if (p == '<') {
            c.pos++;
            angle = true;
        } else {
            // *(token LWS) "<" is a display name; anything else is an addr-spec
            int q = c.pos;
            int lastTokenEnd = -1;
            while (true) {
                int e = q;
                while (e < c.end && Lex.is(b[e], Lex.TOKEN)) e++;
                if (e == q) break;
                lastTokenEnd = e;
                q = e;
                while (q < c.end && Lex.isLws(b[q])) q++;
            }
            if (lastTokenEnd > 0 && q < c.end && b[q] == '<') {
                ds = c.pos;
                de = lastTokenEnd;
                c.pos = q + 1;
                angle = true;
            }
        }
        Uri uri;
        if (angle) {
            int s = c.pos;
            int e = s;
            while (e < c.end && b[e] != '>') {
                if (Lex.isLws(b[e])) throw ParseError.bad("whitespace inside <URI>");
                e++;
            }
            if (e >= c.end) throw ParseError.bad("missing '>'");
            uri = Uri.parse(b, s, e, true);
            c.pos = e + 1;
        } else {
            if (requireAngle) throw ParseError.bad("URI must be enclosed in <>");
            int s = c.pos;
            int e = s;
            while (e < c.end && b[e] != ';' && b[e] != ',' && !Lex.isLws(b[e])) {
                if (b[e] == '?') throw ParseError.bad("URI with headers must be enclosed in <>");
                e++;
            }
            if (e == s) throw ParseError.bad("missing URI");
            uri = Uri.parse(b, s, e, false);
            c.pos = e;
        }
        Params params = Params.parseGeneric(c, "name-addr");
        return new NameAddress(null, ds, de, uri, params, b, start, c.pos);
    }

    /** The display name without quotes or escapes. */
    public Optional<String> displayName() {
        return Optional.ofNullable(display());
    }

    private String display() {
        String d = displayName;
        if (d == null && displayStart >= 0) {
            displayName = d = src[displayStart] == '"' ? Cursor.unquote(src, displayStart, displayEnd)
                    : Lex.utf8(src, displayStart, displayEnd);
        }
        return d;
    }

    public Uri uri() {
        return uri;
    }

    /** The URI when it is a sip: or sips: one. */
    public Optional<SipUri> sipUri() {
        return uri instanceof SipUri s ? Optional.of(s) : Optional.empty();
    }

    public Params params() {
        return params;
    }

    public Optional<String> param(String name) {
        return params.get(name);
    }

    public Optional<String> tag() {
        return params.get("tag");
    }

    /** A copy with a header parameter set (null value for a flag); re-encoded in name-addr form. */
    public NameAddress withParam(String name, String value) {
        return of(display(), uri, params.with(name, value));
    }

    public NameAddress withTag(String tag) {
        return withParam("tag", tag);
    }

    @Override
    public String toString() {
        return text();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NameAddress n && n.text().equals(text());
    }

    @Override
    public int hashCode() {
        return text().hashCode();
    }
}
