package dev.switchboard.sip.message;

import java.util.ArrayList;
import java.util.List;

/** Mutable results of one parse, handed to the immutable message; reused by nothing, owned by one parse. */
final class Parts {
    static final int STRIDE = 5; // id (ordinal or -1), lineStart, valueStart, valueEnd, lineEnd
    static final int ID = 0, LINE = 1, VSTART = 2, VEND = 3, LEND = 4;

    byte[] buf;
    int start;
    int end;
    int startLineEnd;
    int bodyStart;
    int[] hdr = new int[STRIDE * 16];
    int count;

    // request line / status line
    String method;
    Uri requestUri;
    int status;
    String reason;

    List<Via> vias = List.of();
    NameAddress from;
    NameAddress to;
    String callId;
    CSeq cseq;
    int maxForwards = -1;
    List<NameAddress> contacts = List.of();
    boolean wildcardContact;
    long expires = -1;
    List<NameAddress> routes = List.of();
    List<NameAddress> recordRoutes = List.of();
    int contentLength = -1;
    MediaType contentType;
    List<AuthHeader> authorizations = List.of();
    List<AuthHeader> proxyAuthorizations = List.of();
    List<AuthHeader> wwwAuthenticates = List.of();
    List<AuthHeader> proxyAuthenticates = List.of();
    List<String> require = List.of();
    List<String> proxyRequire = List.of();
    List<String> supported = List.of();

    void addHeader(int id, int line, int vs, int ve, int le) {
        if (count * STRIDE + STRIDE > hdr.length) hdr = java.util.Arrays.copyOf(hdr, hdr.length * 2);
        int o = count * STRIDE;
        hdr[o] = id;
        hdr[o + LINE] = line;
        hdr[o + VSTART] = vs;
        hdr[o + VEND] = ve;
        hdr[o + LEND] = le;
        count++;
    }

    private static final List<Object> NONE = List.of();

    static <T> List<T> add(List<T> list, T value) {
        // Most headers occur once: an immutable singleton is one small object instead of a list and its array.
        // Type tests rather than isEmpty(): three List classes meet here, and a call on each is slow.
        if (list instanceof ArrayList<T> a) {
            a.add(value);
            return a;
        }
        if (list == NONE) return List.of(value);
        ArrayList<T> a = new ArrayList<>(4);
        a.addAll(list);
        a.add(value);
        return a;
    }

    /** The value of header i with folded line breaks (and the LWS around them) turned into one space. */
    static String value(byte[] buf, int[] hdr, int i) {
        int o = i * STRIDE;
        int s = hdr[o + VSTART];
        int e = hdr[o + VEND];
        return unfold(buf, s, e);
    }

    static String unfold(byte[] buf, int s, int e) {
        boolean folded = false;
        for (int k = s; k < e; k++) {
            if (buf[k] == '\r') {
                folded = true;
                break;
            }
        }
        if (!folded) return Lex.utf8(buf, s, e);
        byte[] out = new byte[e - s];
        int n = 0;
        for (int k = s; k < e; k++) {
            byte c = buf[k];
            if (c == '\r' || c == '\n') {
                while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\t')) n--;
                out[n++] = ' ';
                while (k + 1 < e && Lex.isLws(buf[k + 1])) k++;
                continue;
            }
            out[n++] = c;
        }
        return new String(out, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }
}
