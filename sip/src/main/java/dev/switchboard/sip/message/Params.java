package dev.switchboard.sip.message;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Ordered, immutable parameters ({@code ;name=value}) of a header value or URI; names compare
 * case-insensitively, values are kept as on the wire (quoted strings keep their quotes).
 */
public final class Params {
    public static final Params EMPTY = new Params(new String[0], 0);

    // Parameters parsed from a message keep offsets into its bytes and make a String only when one is
    // read: most parameters of most messages are never looked at.
    private final int size;
    private final byte[] src;       // null when built from strings
    private final int[] at;         // per parameter: name start, name end, value start (-1: flag), value end
    private volatile String[] kv;   // name, value (null for a flag), ...; made on first read when parsed

    private Params(String[] kv, int size) {
        this.kv = kv;
        this.size = size;
        this.src = null;
        this.at = null;
    }

    private Params(byte[] src, int[] at, int size) {
        this.size = size;
        this.src = src;
        this.at = at;
    }

    /** The strings of all parameters, made from the bytes the first time. */
    private String[] strings() {
        String[] s = kv;
        if (s == null) {
            s = new String[2 * size];
            for (int i = 0; i < size; i++) {
                s[2 * i] = Names.param(src, at[4 * i], at[4 * i + 1]);
                s[2 * i + 1] = at[4 * i + 2] < 0 ? null : Lex.utf8(src, at[4 * i + 2], at[4 * i + 3]);
            }
            kv = s;
        }
        return s;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public String name(int i) {
        java.util.Objects.checkIndex(i, size);
        return at != null && kv == null ? Names.param(src, at[4 * i], at[4 * i + 1]) : strings()[2 * i];
    }

    /** The value of parameter i, or null for a flag parameter without value. */
    public String valueAt(int i) {
        java.util.Objects.checkIndex(i, size);
        return at != null && kv == null ? value(i) : strings()[2 * i + 1];
    }

    private String value(int i) {
        int vs = at[4 * i + 2];
        return vs < 0 ? null : Lex.utf8(src, vs, at[4 * i + 3]);
    }

    public boolean has(String name) {
        return index(name) >= 0;
    }

    /** The value; empty when absent or when present without a value (see {@link #has}). */
    public Optional<String> get(String name) {
        return Optional.ofNullable(getOrNull(name));
    }

    String getOrNull(String name) {
        int i = index(name);
        if (i < 0) return null;
        return at != null ? value(i) : kv[2 * i + 1];
    }

    private int index(String name) {
        if (at != null) {
            for (int i = 0; i < size; i++) {
                if (Lex.equalsIgnoreCase(src, at[4 * i], at[4 * i + 1], name)) return i;
            }
            return -1;
        }
        String[] s = kv;
        for (int i = 0; i < size; i++) {
            if (s[2 * i].equalsIgnoreCase(name)) return i;
        }
        return -1;
    }

    /** Index of the parameter named by lower-case ASCII {@code lower} (parsed parameters only), or -1. */
    int indexParsed(byte[] lower) {
        for (int i = 0; i < size; i++) {
            int ns = at[4 * i];
            if (at[4 * i + 1] - ns == lower.length && Lex.equalsLower(src, ns, lower)) return i;
        }
        return -1;
    }

    /** Whether parsed parameter i is named by lower-case ASCII {@code lower}, ignoring case. */
    boolean nameIs(int i, byte[] lower) {
        int ns = at[4 * i];
        return at[4 * i + 1] - ns == lower.length && Lex.equalsLower(src, ns, lower);
    }

    byte[] src() {
        return src;
    }

    /** Value start of parsed parameter i, -1 for a flag. */
    int valueStart(int i) {
        return at[4 * i + 2];
    }

    int valueEnd(int i) {
        return at[4 * i + 3];
    }

    /** Returns a copy with name set to value (null for a flag), replacing an existing one in place. */
    public Params with(String name, String value) {
        String[] kv = strings();
        int i = index(name);
        if (i >= 0) {
            String[] c = Arrays.copyOf(kv, 2 * size);
            c[2 * i + 1] = value;
            return new Params(c, size);
        }
        String[] c = Arrays.copyOf(kv, 2 * size + 2);
        c[2 * size] = name;
        c[2 * size + 1] = value;
        return new Params(c, size + 1);
    }

    public Params without(String name) {
        int i = index(name);
        if (i < 0) return this;
        List<String> c = new ArrayList<>(Arrays.asList(strings()).subList(0, 2 * size));
        c.remove(2 * i);
        c.remove(2 * i);
        return new Params(c.toArray(new String[0]), size - 1);
    }

    /** Appends {@code ;name[=value]} for each parameter. */
    void appendTo(StringBuilder sb) {
        String[] kv = strings();
        for (int i = 0; i < size; i++) {
            sb.append(';').append(kv[2 * i]);
            if (kv[2 * i + 1] != null) sb.append('=').append(kv[2 * i + 1]);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        appendTo(sb);
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Params p) || p.size != size) return false;
        String[] kv = strings();
        String[] pkv = p.strings();
        for (int i = 0; i < 2 * size; i++) {
            if (!java.util.Objects.equals(kv[i], pkv[i])) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        String[] kv = strings();
        for (int i = 0; i < 2 * size; i++) h = 31 * h + java.util.Objects.hashCode(kv[i]);
        return h;
    }

    /** Accumulates the offsets of parameters while parsing, allocating nothing until the first one. */
    static final class Builder {
        private final byte[] src;
        private int[] at;
        private int size;

        Builder(byte[] src) {
            this.src = src;
        }

        /** A parameter name [ns,ne) with value [vs,ve), vs -1 for a flag. */
        void add(int ns, int ne, int vs, int ve) {
            if (at == null) at = new int[8];
            else if (4 * size + 4 > at.length) at = Arrays.copyOf(at, at.length * 2);
            int o = 4 * size;
            at[o] = ns;
            at[o + 1] = ne;
            at[o + 2] = vs;
            at[o + 3] = ve;
            size++;
        }

        Params build() {
            return size == 0 ? EMPTY : new Params(src, at, size);
        }
    }

    /**
     * Parses {@code *( SEMI generic-param )} (RFC 3261 §25.1) from the cursor, which is positioned
     * before the first ';' (LWS allowed); stops before ',' or the end.
     */
    static Params parseGeneric(Cursor c, String what) {
        Builder pb = null;
        while (true) {
            int save = c.pos;
            c.skipLws();
            if (c.peek() != ';') {
                c.pos = save;
                break;
            }
            c.pos++;
            c.skipLws();
            int ne = c.tokenEnd(Lex.TOKEN);
            if (ne == c.pos) throw ParseError.bad("expected token in " + what + " parameter");
            int ns = c.pos;
            c.pos = ne;
            int vs = -1;
            int ve = -1;
            int before = c.pos;
            c.skipLws();
            if (c.peek() == '=') {
                c.pos++;
                c.skipLws();
                int s = c.pos;
                int e;
                int p = c.peek();
                if (p == '"') {
                    e = c.quotedEnd(what);
                } else if (p == '[') {
                    e = s + 1;
                    while (e < c.end && (Lex.hex(c.b[e]) >= 0 || c.b[e] == ':' || c.b[e] == '.')) e++;
                    if (e >= c.end || c.b[e] != ']') throw ParseError.bad("bad IPv6 reference in " + what);
                    e++;
                } else {
                    // ':' beyond token: received= carries unbracketed IPv6 addresses (RFC 5118 §4.5)
                    e = s;
                    while (e < c.end && (Lex.is(c.b[e], Lex.TOKEN) || c.b[e] == ':')) e++;
                    if (e == s) throw ParseError.bad("empty parameter value in " + what);
                }
                vs = s;
                ve = e;
                c.pos = e;
            } else {
                c.pos = before;
            }
            if (pb == null) pb = new Builder(c.b);
            pb.add(ns, ne, vs, ve);
        }
        return pb == null ? EMPTY : pb.build();
    }
}
