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

    private final String[] kv; // name, value (null for a flag), name, value...
    private final int size;

    private Params(String[] kv, int size) {
        this.kv = kv;
        this.size = size;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public String name(int i) {
        return kv[2 * i];
    }

    /** The value of parameter i, or null for a flag parameter without value. */
    public String valueAt(int i) {
        return kv[2 * i + 1];
    }

    public boolean has(String name) {
        return index(name) >= 0;
    }

    /** The value; empty when absent or when present without a value (see {@link #has}). */
    public Optional<String> get(String name) {
        int i = index(name);
        return i < 0 ? Optional.empty() : Optional.ofNullable(kv[2 * i + 1]);
    }

    String getOrNull(String name) {
        int i = index(name);
        return i < 0 ? null : kv[2 * i + 1];
    }

    private int index(String name) {
        for (int i = 0; i < size; i++) {
            if (kv[2 * i].equalsIgnoreCase(name)) return i;
        }
        return -1;
    }

    /** Returns a copy with name set to value (null for a flag), replacing an existing one in place. */
    public Params with(String name, String value) {
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
        List<String> c = new ArrayList<>(Arrays.asList(kv).subList(0, 2 * size));
        c.remove(2 * i);
        c.remove(2 * i);
        return new Params(c.toArray(new String[0]), size - 1);
    }

    /** Appends {@code ;name[=value]} for each parameter. */
    void appendTo(StringBuilder sb) {
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
        for (int i = 0; i < 2 * size; i++) {
            if (!java.util.Objects.equals(kv[i], p.kv[i])) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0; i < 2 * size; i++) h = 31 * h + java.util.Objects.hashCode(kv[i]);
        return h;
    }

    /** Accumulates parameters while parsing, allocating nothing until the first one. */
    static final class Builder {
        private String[] kv;
        private int size;

        void add(String name, String value) {
            if (kv == null) kv = new String[8];
            else if (2 * size + 2 > kv.length) kv = Arrays.copyOf(kv, kv.length * 2);
            kv[2 * size] = name;
            kv[2 * size + 1] = value;
            size++;
        }

        Params build() {
            return size == 0 ? EMPTY : new Params(kv, size);
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
            String name = Names.param(c.b, c.pos, ne);
            c.pos = ne;
            String value = null;
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
                value = p == '"' ? Lex.utf8(c.b, s, e) : Lex.ascii(c.b, s, e);
                c.pos = e;
            } else {
                c.pos = before;
            }
            if (pb == null) pb = new Builder();
            pb.add(name, value);
        }
        return pb == null ? EMPTY : pb.build();
    }
}
