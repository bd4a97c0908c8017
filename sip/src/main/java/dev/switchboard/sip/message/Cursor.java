package dev.switchboard.sip.message;

/** A position inside one header value; LWS (including folded line breaks) is skipped explicitly. */
final class Cursor {
    final byte[] b;
    int pos;
    int end;

    Cursor(byte[] b, int pos, int end) {
        this.b = b;
        this.pos = pos;
        this.end = end;
    }

    /** Moves this cursor onto [pos,end) of the same bytes. */
    Cursor reset(int pos, int end) {
        this.pos = pos;
        this.end = end;
        return this;
    }

    boolean atEnd() {
        return pos >= end;
    }

    int peek() {
        return pos < end ? b[pos] & 0xff : -1;
    }

    /** Skips LWS and returns whether any was skipped. */
    boolean skipLws() {
        int p = pos;
        int q = p;
        while (q < end && Lex.isLws(b[q])) q++;
        pos = q;
        return q != p;
    }

    void expect(char c, String what) {
        if (pos >= end || b[pos] != c) throw ParseError.bad("expected '" + c + "' in " + what);
        pos++;
    }

    /** Consumes c surrounded by optional LWS; returns false (cursor after leading LWS) if absent. */
    boolean sep(char c) {
        skipLws();
        if (pos < end && b[pos] == c) {
            pos++;
            skipLws();
            return true;
        }
        return false;
    }

    int tokenEnd(int cls) {
        int p = pos;
        while (p < end && Lex.is(b[p], cls)) p++;
        return p;
    }

    String token(String what) {
        int e = tokenEnd(Lex.TOKEN);
        if (e == pos) throw ParseError.bad("expected token in " + what);
        String s = Lex.ascii(b, pos, e);
        pos = e;
        return s;
    }

    /** A token, as a shared string when it is a common option tag. */
    String optionTag(String what) {
        int e = tokenEnd(Lex.TOKEN);
        if (e == pos) throw ParseError.bad("expected token in " + what);
        String s = Names.optionTag(b, pos, e);
        pos = e;
        return s;
    }

    /** Parses a quoted-string at the cursor and returns it raw (with quotes and escapes) as [start,end) via pos. */
    int quotedEnd(String what) {
        int p = pos;
        if (p >= end || b[p] != '"') throw ParseError.bad("expected quoted string in " + what);
        p++;
        while (p < end) {
            p = Lex.findQuoteEnd(b, p, end); // skips plain text eight bytes at a time
            if (p >= end) break;
            byte c = b[p];
            if (c == '"') return p + 1;
            if (c == '\\') {
                if (p + 1 >= end) break;
                byte n = b[p + 1];
                if (n == '\r' || n == '\n') break;
                p += 2;
                continue;
            }
            if (c == '\r' || c == '\n') {
                // folding inside a quoted string is LWS; a bare break is not
                if (c == '\r' && p + 2 < end && b[p + 1] == '\n' && (b[p + 2] == ' ' || b[p + 2] == '\t')) {
                    p += 3;
                    continue;
                }
                break;
            }
            p++;
        }
        throw ParseError.bad("unterminated quoted string in " + what);
    }

    /** Unquotes a validated quoted-string, resolving quoted-pairs; text is UTF-8. */
    static String unquote(byte[] b, int from, int to) {
        int n = 0;
        byte[] out = null;
        for (int i = from + 1; i < to - 1; i++) {
            if (b[i] == '\\') {
                if (out == null) {
                    out = new byte[to - from];
                    System.arraycopy(b, from + 1, out, 0, i - from - 1);
                    n = i - from - 1;
                }
                i++;
                out[n++] = b[i];
            } else if (out != null) {
                out[n++] = b[i];
            }
        }
        if (out == null) return Lex.utf8(b, from + 1, to - 1);
        return new String(out, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }
}
