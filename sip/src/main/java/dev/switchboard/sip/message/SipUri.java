package dev.switchboard.sip.message;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A sip: or sips: URI (RFC 3261 §19.1, IPv6 references per RFC 5118). User and password are kept
 * escaped as on the wire; {@link #user()} decodes them.
 */
public final class SipUri implements Uri {
    private final boolean secure;
    // parts are offsets into src (the URI's own bytes, or the message it was parsed from) and become
    // Strings only when asked; -1 marks an absent user, password or header part
    private final int userStart;
    private final int userEnd;
    private final int passwordStart;
    private final int passwordEnd;
    private final int hostStart;
    private final int hostEnd;
    private final int port;           // -1 when absent
    private final Params params;
    private final int headersStart;   // after '?'
    private final byte[] src;
    private final int srcStart;
    private final int srcEnd;
    private String text;
    private String host;

    private SipUri(boolean secure, int us, int ue, int ps, int pe, int hs, int he, int port, Params params, int qs,
                   byte[] src, int s, int e) {
        this.secure = secure;
        this.userStart = us;
        this.userEnd = ue;
        this.passwordStart = ps;
        this.passwordEnd = pe;
        this.hostStart = hs;
        this.hostEnd = he;
        this.port = port;
        this.params = params;
        this.headersStart = qs;
        this.src = src;
        this.srcStart = s;
        this.srcEnd = e;
    }

    private String text() {
        String t = text;
        if (t == null) text = t = Lex.ascii(src, srcStart, srcEnd);
        return t;
    }


    /** Parses a sip: or sips: URI; throws IllegalArgumentException when it is not one. */
    public static SipUri parse(String text) {
        if (Uri.parse(text) instanceof SipUri u) return u;
        throw new IllegalArgumentException("not a sip/sips URI: " + text);
    }

    /** Builds {@code sip:user@host[:port]}; user is escaped as needed; port -1 leaves it out. */
    public static SipUri of(String user, String host, int port) {
        StringBuilder sb = new StringBuilder("sip:");
        if (user != null) sb.append(escapeUser(user)).append('@');
        sb.append(host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host);
        if (port >= 0) sb.append(':').append(port);
        return parse(sb.toString());
    }

    static String escapeUser(String user) {
        StringBuilder sb = new StringBuilder();
        for (byte c : user.getBytes(StandardCharsets.UTF_8)) {
            if (c > 0 && Lex.is(c, Lex.USERINFO) && c != ':' && c != '%') sb.append((char) c);
            else sb.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 15, 16)))
                    .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
        }
        return sb.toString();
    }

    static SipUri parse(byte[] b, int from, int to, int start, boolean secure, boolean allowHeaders) {
        int p = start;
        boolean escaped = false;
        while (p < to && Lex.is(b[p], Lex.USERINFO)) {
            if (b[p] == '%') escaped = true;
            p++;
        }
        int us = -1, ue = -1, ps = -1, pe = -1;
        int hostStart = start;
        if (p < to && b[p] == '@') {
            int colon = start;
            while (colon < p && b[colon] != ':') colon++;
            if (colon == start) throw ParseError.bad("empty user in URI");
            // the scan above checked the characters; only %-escapes are left to check
            if (escaped) Uri.checkChars(b, start, colon, Lex.USERINFO, "URI user");
            us = start;
            ue = colon;
            if (colon < p) {
                for (int i = colon + 1; i < p; i++) {
                    byte c = b[i];
                    if (c == ';' || c == '?' || c == '/' || c == ':') throw ParseError.bad("invalid character in URI password");
                }
                Uri.checkChars(b, colon + 1, p, Lex.USERINFO, "URI password");
                ps = colon + 1;
                pe = p;
            }
            hostStart = p + 1;
        }
        p = hostStart;
        if (p < to && b[p] == '[') {
            p++;
            while (p < to && (Lex.hex(b[p]) >= 0 || b[p] == ':' || b[p] == '.')) p++;
            if (p >= to || b[p] != ']' || p == hostStart + 1) throw ParseError.bad("bad IPv6 reference in URI");
            p++;
        } else {
            while (p < to && Lex.is(b[p], Lex.HOST)) p++;
            if (p == hostStart || b[hostStart] == '.' || b[hostStart] == '-') throw ParseError.bad("bad host in URI");
        }
        int hostEnd = p;
        int port = -1;
        if (p < to && b[p] == ':') {
            p++;
            int s = p;
            port = 0;
            while (p < to && b[p] >= '0' && b[p] <= '9' && p - s < 6) port = port * 10 + (b[p++] - '0');
            if (p == s || port > 65535) throw ParseError.bad("bad port in URI");
        }
        int q = p;
        while (q < to && b[q] != '?') q++;
        Params params = parseUriParams(b, p, q);
        int qs = -1;
        if (q < to) {
            if (!allowHeaders) throw ParseError.bad("headers not allowed in this URI");
            checkHeaders(b, q + 1, to);
            qs = q + 1;
        }
        return new SipUri(secure, us, ue, ps, pe, hostStart, hostEnd, port, params, qs, b, from, to);
    }

    /** Parses {@code *( ";" pname [ "=" pvalue ] )} covering exactly [p,to). */
    static Params parseUriParams(byte[] b, int p, int to) {
        if (p == to) return Params.EMPTY;
        Params.Builder pb = new Params.Builder(b);
        while (p < to) {
            if (b[p] != ';') throw ParseError.bad("invalid character in URI");
            int s = ++p;
            while (p < to && b[p] != ';' && b[p] != '=') p++;
            if (p == s) throw ParseError.bad("empty URI parameter");
            Uri.checkChars(b, s, p, Lex.PARAMCHAR, "URI parameter");
            int ne = p;
            int v = -1;
            if (p < to && b[p] == '=') {
                v = ++p;
                while (p < to && b[p] != ';') p++;
                if (p == v) throw ParseError.bad("empty URI parameter value");
                Uri.checkChars(b, v, p, Lex.PARAMCHAR, "URI parameter");
            }
            pb.add(s, ne, v, p);
        }
        return pb.build();
    }

    private static void checkHeaders(byte[] b, int p, int to) {
        while (true) {
            int s = p;
            while (p < to && b[p] != '=' && b[p] != '&') p++;
            if (p == s || p >= to || b[p] != '=') throw ParseError.bad("bad URI header");
            Uri.checkChars(b, s, p, Lex.HNV, "URI header");
            int v = ++p;
            while (p < to && b[p] != '&') p++;
            Uri.checkChars(b, v, p, Lex.HNV, "URI header");
            if (p >= to) return;
            p++;
        }
    }

    @Override
    public String scheme() {
        return secure ? "sips" : "sip";
    }

    public boolean isSecure() {
        return secure;
    }

    /** The user part with %-escapes decoded. */
    public Optional<String> user() {
        return userStart < 0 ? Optional.empty() : Optional.of(Lex.unescape(Lex.ascii(src, userStart, userEnd)));
    }

    /** The user part as on the wire. */
    public Optional<String> rawUser() {
        return userStart < 0 ? Optional.empty() : Optional.of(Lex.ascii(src, userStart, userEnd));
    }

    public Optional<String> password() {
        return passwordStart < 0 ? Optional.empty() : Optional.of(Lex.unescape(Lex.ascii(src, passwordStart, passwordEnd)));
    }

    /** Host as written; IPv6 references keep their brackets. */
    public String host() {
        String h = host;
        if (h == null) host = h = Lex.ascii(src, hostStart, hostEnd);
        return h;
    }

    public boolean isIpv6() {
        return src[hostStart] == '[';
    }

    public OptionalInt port() {
        return port < 0 ? OptionalInt.empty() : OptionalInt.of(port);
    }

    /** The port, or 5061 for sips and 5060 for sip when absent. */
    public int portOrDefault() {
        return port >= 0 ? port : secure ? 5061 : 5060;
    }

    public Params params() {
        return params;
    }

    public Optional<String> param(String name) {
        return params.get(name);
    }

    /** Loose routing flag ({@code ;lr}) of RFC 3261 §16.4. */
    public boolean lr() {
        return params.has("lr");
    }

    /** The raw header part after '?', as on the wire. */
    public Optional<String> headers() {
        return headersStart < 0 ? Optional.empty() : Optional.of(Lex.ascii(src, headersStart, srcEnd));
    }

    /**
     * This URI without its header part: what a Request-URI made from a contact may carry
     * (RFC 3261 §19.1.1, table 1: headers are not allowed in a Request-URI).
     */
    public SipUri withoutHeaders() {
        // headersStart is just after the '?'.
        return headersStart < 0 ? this : parse(Lex.ascii(src, srcStart, headersStart - 1));
    }

    /** Returns this URI with a parameter set (null value for a flag). */
    public SipUri withParam(String name, String value) {
        return rebuild(params.with(name, value));
    }

    public SipUri withoutParam(String name) {
        return rebuild(params.without(name));
    }

    private SipUri rebuild(Params p) {
        StringBuilder sb = new StringBuilder(scheme()).append(':');
        if (userStart >= 0) {
            sb.append(Lex.ascii(src, userStart, userEnd));
            if (passwordStart >= 0) sb.append(':').append(Lex.ascii(src, passwordStart, passwordEnd));
            sb.append('@');
        }
        sb.append(host());
        if (port >= 0) sb.append(':').append(port);
        p.appendTo(sb);
        if (headersStart >= 0) sb.append('?').append(Lex.ascii(src, headersStart, srcEnd));
        return parse(sb.toString());
    }

    @Override
    public String toString() {
        return text();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SipUri u && u.text().equals(text());
    }

    @Override
    public int hashCode() {
        return text().hashCode();
    }
}
