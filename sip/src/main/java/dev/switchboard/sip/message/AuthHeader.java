package dev.switchboard.sip.message;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One credentials or challenge value (Authorization, Proxy-Authorization, WWW-Authenticate,
 * Proxy-Authenticate; RFC 3261 §25.1, RFC 7235 token68): scheme plus unquoted parameters.
 */
public final class AuthHeader {
    private final String scheme;
    private final Map<String, String> params; // lower-case names, unquoted values, in wire order
    private final String token68;
    private final String text;

    private AuthHeader(String scheme, Map<String, String> params, String token68, String text) {
        this.scheme = scheme;
        this.params = params;
        this.token68 = token68;
        this.text = text;
    }

    static AuthHeader parse(byte[] b, int from, int to) {
        Cursor c = new Cursor(b, from, to);
        String scheme = c.token("auth scheme");
        String text = Lex.utf8(b, from, to);
        if (c.atEnd()) return new AuthHeader(scheme, Map.of(), null, text);
        if (!c.skipLws()) throw ParseError.bad("expected LWS after auth scheme");
        int paramsStart = c.pos;
        try {
            Map<String, String> params = new LinkedHashMap<>();
            do {
                String name = c.token("auth param").toLowerCase(java.util.Locale.ROOT);
                if (!c.sep('=')) throw ParseError.bad("expected '=' in auth param");
                String value;
                if (c.peek() == '"') {
                    int e = c.quotedEnd("auth param");
                    value = Cursor.unquote(b, c.pos, e);
                    c.pos = e;
                } else {
                    value = c.token("auth param value");
                }
                if (params.putIfAbsent(name, value) != null) throw ParseError.bad("duplicate auth param " + name);
            } while (c.sep(','));
            c.skipLws();
            if (!c.atEnd()) throw ParseError.bad("unexpected characters in auth header");
            return new AuthHeader(scheme, Collections.unmodifiableMap(params), null, text);
        } catch (ParseError e) {
            // token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
            int p = paramsStart;
            while (p < to && (Character.isLetterOrDigit(b[p]) && b[p] > 0 || "-._~+/".indexOf(b[p]) >= 0)) p++;
            int s = p;
            while (p < to && b[p] == '=') p++;
            if (s == paramsStart || p != to) throw e;
            return new AuthHeader(scheme, Map.of(), Lex.ascii(b, paramsStart, to), text);
        }
    }

    /** The scheme as written, e.g. {@code Digest}. */
    public String scheme() {
        return scheme;
    }

    public boolean isScheme(String name) {
        return scheme.equalsIgnoreCase(name);
    }

    /** Parameters by lower-case name with quotes and escapes removed. */
    public Map<String, String> params() {
        return params;
    }

    public Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    /** The token68 form (e.g. Bearer tokens), when used instead of parameters. */
    public Optional<String> token68() {
        return Optional.ofNullable(token68);
    }

    @Override
    public String toString() {
        return text;
    }
}
