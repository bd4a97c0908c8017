package dev.switchboard.sip.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Header list shared by the request and response builders. Lines copied from a parsed message stay
 * byte references, so headers the caller does not touch are written back exactly as received.
 */
public abstract sealed class MessageBuilder<B extends MessageBuilder<B>> permits SipRequest.Builder, SipResponse.Builder {

    /** A header line: either a byte range of a received message or a name and a new value. */
    static final class Line {
        final HeaderName known;
        final String name;   // null for raw lines
        final String value;  // null for raw lines
        final byte[] raw;
        final int off;       // line start
        final int vs;        // value start
        final int ve;        // value end
        final int le;        // line end (before CRLF)
        final SipMessage source; // the parsed message a raw line is copied from, whose typed values hold for it
        final int index;         // its header index there

        Line(HeaderName known, String name, String value) {
            this.known = known;
            this.name = name;
            this.value = value;
            this.raw = null;
            this.off = this.vs = this.ve = this.le = 0;
            this.source = null;
            this.index = -1;
        }

        Line(HeaderName known, SipMessage m, int i) {
            int o = i * Parts.STRIDE;
            this.known = known;
            this.name = null;
            this.value = null;
            this.raw = m.buf;
            this.off = m.hdr[o + Parts.LINE];
            this.vs = m.hdr[o + Parts.VSTART];
            this.ve = m.hdr[o + Parts.VEND];
            this.le = m.hdr[o + Parts.LEND];
            this.source = m;
            this.index = i;
        }

        boolean is(HeaderName k, String n) {
            if (k != null) return known == k;
            if (known != null) return false;
            if (name != null) return name.equalsIgnoreCase(n);
            int e = off;
            while (Lex.is(raw[e], Lex.TOKEN)) e++;
            return Lex.equalsIgnoreCase(raw, off, e, n);
        }
    }

    final List<Line> lines = new ArrayList<>();
    byte[] body = new byte[0];

    MessageBuilder() {}

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    private static final HeaderName[] NAMES = HeaderName.values();

    void copyFrom(SipMessage m) {
        for (int i = 0; i < m.count; i++) {
            int id = m.hdr[i * Parts.STRIDE];
            lines.add(new Line(id < 0 ? null : NAMES[id], m, i));
        }
        body = m.body();
    }

    /**
     * Copies the lines RFC 3261 §8.2.6 puts in a response: every Via, then From, To, Call-ID and CSeq
     * (a parsed message has exactly one of each), in one pass over the request's lines.
     */
    void copyDialogLines(SipMessage m) {
        int from = -1, to = -1, callId = -1, cseq = -1;
        for (int i = 0; i < m.count; i++) {
            int id = m.hdr[i * Parts.STRIDE];
            if (id == HeaderName.VIA.ordinal()) lines.add(new Line(HeaderName.VIA, m, i));
            else if (id == HeaderName.FROM.ordinal()) from = i;
            else if (id == HeaderName.TO.ordinal()) to = i;
            else if (id == HeaderName.CALL_ID.ordinal()) callId = i;
            else if (id == HeaderName.CSEQ.ordinal()) cseq = i;
        }
        lines.add(new Line(HeaderName.FROM, m, from));
        lines.add(new Line(HeaderName.TO, m, to));
        lines.add(new Line(HeaderName.CALL_ID, m, callId));
        lines.add(new Line(HeaderName.CSEQ, m, cseq));
    }

    private static Line line(String name, String value) {
        HeaderName known = HeaderName.of(name).orElse(null);
        checkName(name);
        checkValue(value);
        return new Line(known, known != null && name.length() > 1 ? known.canonical() : name, value);
    }

    private static void checkName(String name) {
        if (name.isEmpty()) throw new IllegalArgumentException("empty header name");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 127 || !Lex.is((byte) c, Lex.TOKEN)) throw new IllegalArgumentException("bad header name: " + name);
        }
    }

    private static void checkValue(String value) {
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("line break in header value");
        }
    }

    /** Appends a header line. */
    public B header(String name, String value) {
        lines.add(line(name, value));
        return self();
    }

    public B header(HeaderName name, String value) {
        return header(name.canonical(), value);
    }

    /** Inserts a header line above the first line of the same name (or first of all), as for Via and Record-Route. */
    public B addFirst(String name, String value) {
        Line l = line(name, value);
        int i = indexOf(l.known, name);
        lines.add(i < 0 ? 0 : i, l);
        return self();
    }

    public B addFirst(HeaderName name, String value) {
        return addFirst(name.canonical(), value);
    }

    /** Replaces every line of this name by one line with value, at the position of the first. */
    public B set(String name, String value) {
        Line l = line(name, value);
        int i = indexOf(l.known, name);
        remove(name);
        lines.add(i < 0 ? lines.size() : i, l);
        return self();
    }

    public B set(HeaderName name, String value) {
        return set(name.canonical(), value);
    }

    public B remove(String name) {
        HeaderName known = HeaderName.of(name).orElse(null);
        lines.removeIf(l -> l.is(known, name));
        return self();
    }

    public B remove(HeaderName name) {
        return remove(name.canonical());
    }

    /** Sets the body and its Content-Type; Content-Length is always written by {@code build()}. */
    public B body(byte[] body, String contentType) {
        this.body = body.clone();
        return body.length == 0 ? remove(HeaderName.CONTENT_TYPE) : set(HeaderName.CONTENT_TYPE, contentType);
    }

    /** Replaces the top Via value by f(top Via); other values of the same line keep their bytes. */
    public B topVia(UnaryOperator<Via> f) {
        int i = indexOf(HeaderName.VIA, null);
        if (i < 0) throw new IllegalStateException("no Via");
        Line l = lines.get(i);
        List<Via> values = new ArrayList<>();
        Cursor c = l.raw != null
                ? new Cursor(l.raw, l.vs, l.ve)
                : new Cursor(l.value.getBytes(StandardCharsets.UTF_8), 0, l.value.getBytes(StandardCharsets.UTF_8).length);
        do {
            values.add(Via.parse(c));
        } while (c.sep(','));
        lines.set(i, line("Via", f.apply(values.get(0)).toString()));
        if (values.size() > 1) {
            StringBuilder rest = new StringBuilder();
            for (int k = 1; k < values.size(); k++) rest.append(k > 1 ? ", " : "").append(values.get(k));
            lines.add(i + 1, line("Via", rest.toString()));
        }
        return self();
    }

    int indexOf(HeaderName known, String name) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).is(known, name)) return i;
        }
        return -1;
    }

    abstract void writeStartLine(Bytes out);

    /** Bytes of the start line with its CRLF, exact for ASCII text (a guess is fine: the output grows). */
    abstract int startLineLength();

    // filled by serialize(): for header line i of the output, the parsed message it was copied from
    // (null for new lines) and its index there, so build() need not validate those values again
    SipMessage[] sources;
    int[] sourceIndexes;

    /** Serialises start line, headers (raw lines verbatim), Content-Length and body. */
    byte[] serialize() {
        int n = lines.size();
        String length = Integer.toString(body.length);
        // first pass: which Content-Length line (if any) is kept, and the exact size for ASCII text
        int keptLength = -1;
        int size = startLineLength() + 2 + 2 + body.length;
        for (int k = 0; k < n; k++) {
            Line l = lines.get(k);
            if (l.known == HeaderName.CONTENT_LENGTH) {
                // keep a received Content-Length line only if it is still right and the only one
                if (keptLength >= 0 || !hasLength(l, length)) continue;
                keptLength = k;
            }
            size += (l.raw != null ? l.le - l.off : l.name.length() + 2 + l.value.length()) + 2;
        }
        if (keptLength < 0) size += "Content-Length: ".length() + length.length() + 2;
        Bytes out = new Bytes(size);
        SipMessage[] src = new SipMessage[n + 1];
        int[] idx = new int[n + 1];
        int written = 0;
        writeStartLine(out);
        for (int k = 0; k < n; k++) {
            Line l = lines.get(k);
            if (l.known == HeaderName.CONTENT_LENGTH && k != keptLength) continue;
            if (l.raw != null) {
                out.write(l.raw, l.off, l.le - l.off);
            } else {
                out.ascii(l.name).ascii(": ").utf8(l.value);
            }
            src[written] = l.source;
            idx[written++] = l.index;
            out.crlf();
        }
        if (keptLength < 0) out.ascii("Content-Length: ").ascii(length).crlf();
        out.crlf();
        out.write(body, 0, body.length);
        sources = src;
        sourceIndexes = idx;
        return out.toArray();
    }

    private static boolean hasLength(Line l, String n) {
        if (l.raw == null) return l.value.trim().equals(n);
        if (l.ve - l.vs != n.length()) return false;
        for (int i = 0; i < n.length(); i++) {
            if (l.raw[l.vs + i] != n.charAt(i)) return false;
        }
        return true;
    }

    /** Serialises and parses the result; lines copied from parsed messages keep their typed values. */
    SipMessage parseBuilt() {
        byte[] bytes = serialize();
        ParseResult r = SipParser.BUILDER.parse(bytes, sources, sourceIndexes);
        sources = null;
        sourceIndexes = null;
        if (r instanceof ParseResult.Parsed p) return p.message();
        throw new IllegalStateException("built message is not valid SIP: " + r);
    }

    static int utf8Length(String s) {
        int n = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 127) n += c > 0x7ff ? 2 : 1;
        }
        return n;
    }

    /** Growable byte output without the synchronisation of ByteArrayOutputStream. */
    static final class Bytes {
        private byte[] b;
        private int n;

        Bytes(int capacity) {
            b = new byte[capacity];
        }

        private void ensure(int more) {
            if (n + more > b.length) b = Arrays.copyOf(b, Math.max(b.length * 2, n + more));
        }

        Bytes write(byte[] src, int off, int len) {
            ensure(len);
            System.arraycopy(src, off, b, n, len);
            n += len;
            return this;
        }

        Bytes ascii(String s) {
            int len = s.length();
            ensure(len);
            for (int i = 0; i < len; i++) b[n++] = (byte) s.charAt(i);
            return this;
        }

        Bytes utf8(String s) {
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) > 127) {
                    byte[] u = s.getBytes(StandardCharsets.UTF_8);
                    return write(u, 0, u.length);
                }
            }
            return ascii(s);
        }

        Bytes crlf() {
            ensure(2);
            b[n++] = '\r';
            b[n++] = '\n';
            return this;
        }

        byte[] toArray() {
            return n == b.length ? b : Arrays.copyOf(b, n);
        }
    }
}
