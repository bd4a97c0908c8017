package dev.switchboard.sip.message;

import java.util.Optional;
import java.util.OptionalInt;

/** One Via value (RFC 3261 §20.42, rport of RFC 3581); {@link #toString()} gives the wire form. */
public final class Via {
    private final String protocol;   // e.g. "SIP/2.0"
    private final String transport;  // upper case, e.g. "UDP"
    private String host;             // made from hostSrc on first use when parsed
    private final byte[] hostSrc;
    private final int hostStart;
    private final int hostEnd;
    private final int port;          // -1 when absent
    private final Params params;
    // the wire text is materialised only when asked: most parses never need it
    private final byte[] src;
    private final int srcStart;
    private final int srcEnd;
    private String text;

    private Via(String protocol, String transport, String host, byte[] hostSrc, int hs, int he, int port, Params params,
                byte[] src, int s, int e) {
        this.protocol = protocol;
        this.transport = transport;
        this.host = host;
        this.hostSrc = hostSrc;
        this.hostStart = hs;
        this.hostEnd = he;
        this.port = port;
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


    /** A new Via {@code SIP/2.0/transport host[:port];branch=...}; port -1 leaves it out. */
    public static Via of(String transport, String host, int port, String branch) {
        Params p = branch == null ? Params.EMPTY : Params.EMPTY.with("branch", branch);
        return create("SIP/2.0", transport.toUpperCase(java.util.Locale.ROOT), host, port, p);
    }

    private static Via create(String protocol, String transport, String host, int port, Params params) {
        StringBuilder sb = new StringBuilder(protocol).append('/').append(transport).append(' ').append(host);
        if (port >= 0) sb.append(':').append(port);
        params.appendTo(sb);
        byte[] t = sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new Via(protocol, transport, host, null, 0, 0, port, params, t, 0, t.length);
    }

    /** Parses one via-parm at the cursor, leaving it after the value (before ',' or the end). */
    static Via parse(Cursor c) {
        c.skipLws();
        int start = c.pos;
        String protocol;
        byte[] b0 = c.b;
        int q = c.pos;
        if (q + 8 <= c.end && b0[q] == 'S' && b0[q + 1] == 'I' && b0[q + 2] == 'P' && b0[q + 3] == '/' && b0[q + 4] == '2'
                && b0[q + 5] == '.' && b0[q + 6] == '0' && b0[q + 7] == '/') {
            // the common spelling without LWS, without allocating its parts
            protocol = "SIP/2.0";
            c.pos = q + 8;
            c.skipLws();
        } else {
            String name = c.token("Via protocol");
            if (!c.sep('/')) throw ParseError.bad("expected '/' in Via");
            String version = c.token("Via version");
            if (!c.sep('/')) throw ParseError.bad("expected '/' in Via");
            protocol = version.equals("2.0") && name.equals("SIP") ? "SIP/2.0" : name + "/" + version;
        }
        String transport = transport(c);
        if (!c.skipLws()) throw ParseError.bad("expected LWS after Via transport");
        int hs = c.pos;
        byte[] b = c.b;
        int p = hs;
        if (p < c.end && b[p] == '[') {
            p++;
            while (p < c.end && (Lex.hex(b[p]) >= 0 || b[p] == ':' || b[p] == '.')) p++;
            if (p >= c.end || b[p] != ']') throw ParseError.bad("bad IPv6 reference in Via");
            p++;
        } else {
            while (p < c.end && Lex.is(b[p], Lex.HOST)) p++;
        }
        if (p == hs) throw ParseError.bad("missing Via sent-by host");
        int he = p;
        if (Lex.equalsIgnoreCase(b, hs, he, "255.255.255.255") || Lex.equalsIgnoreCase(b, hs, he, "0.0.0.0")) {
            // a sender cannot be there; answering would broadcast (RFC 4475 §3.3.10)
            throw ParseError.bad("Via sent-by is not a unicast address");
        }
        c.pos = p;
        int port = -1;
        int save = c.pos;
        if (c.sep(':')) {
            int s = c.pos;
            port = 0;
            while (c.pos < c.end && b[c.pos] >= '0' && b[c.pos] <= '9' && c.pos - s < 6) port = port * 10 + (b[c.pos++] - '0');
            if (c.pos == s || port > 65535) throw ParseError.bad("bad Via port");
        } else {
            c.pos = save;
        }
        Params params = Params.parseGeneric(c, "Via");
        for (int i = 0; i < params.size(); i++) {
            if (params.nameIs(i, TTL)) checkNumber(params, i, 255, false, "ttl");
            else if (params.nameIs(i, RPORT)) checkNumber(params, i, 65535, true, "rport");
            else if (params.nameIs(i, BRANCH) || params.nameIs(i, RECEIVED) || params.nameIs(i, MADDR)) {
                int vs = params.valueStart(i);
                if (vs < 0 || b[vs] == '"') throw ParseError.bad("Via " + params.name(i) + " needs a token value");
            }
        }
        return new Via(protocol, transport, null, b, hs, he, port, params, b, start, c.pos);
    }

    private static final byte[] TTL = {'t', 't', 'l'};
    private static final byte[] RPORT = {'r', 'p', 'o', 'r', 't'};
    private static final byte[] BRANCH = {'b', 'r', 'a', 'n', 'c', 'h'};
    private static final byte[] RECEIVED = {'r', 'e', 'c', 'e', 'i', 'v', 'e', 'd'};
    private static final byte[] MADDR = {'m', 'a', 'd', 'd', 'r'};

    private static String transport(Cursor c) {
        int e = c.tokenEnd(Lex.TOKEN);
        int n = e - c.pos;
        String t;
        if (n == 3 && Lex.equalsIgnoreCase(c.b, c.pos, e, "UDP")) t = "UDP";
        else if (n == 3 && Lex.equalsIgnoreCase(c.b, c.pos, e, "TCP")) t = "TCP";
        else if (n == 3 && Lex.equalsIgnoreCase(c.b, c.pos, e, "TLS")) t = "TLS";
        else if (n == 2 && Lex.equalsIgnoreCase(c.b, c.pos, e, "WS")) t = "WS";
        else if (n == 3 && Lex.equalsIgnoreCase(c.b, c.pos, e, "WSS")) t = "WSS";
        else if (n == 4 && Lex.equalsIgnoreCase(c.b, c.pos, e, "SCTP")) t = "SCTP";
        else t = c.token("Via transport").toUpperCase(java.util.Locale.ROOT);
        c.pos = e;
        return t;
    }

    private static void checkNumber(Params params, int i, int max, boolean optional, String what) {
        int vs = params.valueStart(i);
        if (vs < 0) {
            if (optional) return;
            throw ParseError.bad("Via " + what + " needs a value");
        }
        byte[] b = params.src();
        int ve = params.valueEnd(i);
        if (vs == ve || ve - vs > 5) throw ParseError.bad("bad Via " + what);
        int n = 0;
        for (int k = vs; k < ve; k++) {
            byte ch = b[k];
            if (ch < '0' || ch > '9') throw ParseError.bad("bad Via " + what);
            n = n * 10 + ch - '0';
        }
        if (n > max) throw ParseError.bad("bad Via " + what);
    }

    /** {@code SIP/2.0} for every message this library accepts. */
    public String protocol() {
        return protocol;
    }

    /** Upper-case transport: UDP, TCP, TLS, SCTP, WS, WSS or an extension. */
    public String transport() {
        return transport;
    }

    public String host() {
        String h = host;
        if (h == null) host = h = Lex.ascii(hostSrc, hostStart, hostEnd);
        return h;
    }

    public OptionalInt port() {
        return port < 0 ? OptionalInt.empty() : OptionalInt.of(port);
    }

    public Params params() {
        return params;
    }

    public Optional<String> param(String name) {
        return params.get(name);
    }

    public Optional<String> branch() {
        return params.get("branch");
    }

    /** Whether the branch starts with the RFC 3261 magic cookie, so it identifies the transaction. */
    public boolean hasRfc3261Branch() {
        String b = params.getOrNull("branch");
        return b != null && b.startsWith("z9hG4bK");
    }

    public Optional<String> received() {
        return params.get("received");
    }

    public Optional<String> maddr() {
        return params.get("maddr");
    }

    public OptionalInt ttl() {
        String v = params.getOrNull("ttl");
        return v == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(v));
    }

    /** Whether {@code rport} is present, with or without a value (RFC 3581). */
    public boolean hasRport() {
        return params.has("rport");
    }

    /** The rport value, empty when absent or present without value. */
    public OptionalInt rport() {
        String v = params.getOrNull("rport");
        return v == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(v));
    }

    public Via withParam(String name, String value) {
        return create(protocol, transport, host(), port, params.with(name, value));
    }

    public Via withReceived(String address) {
        return withParam("received", address);
    }

    public Via withRport(int port) {
        return withParam("rport", Integer.toString(port));
    }

    /**
     * Stamps the source of a received request as RFC 3261 §18.2.1 and RFC 3581 §4 ask: received when the
     * sent-by host differs from the source address or rport was requested; rport filled when requested.
     */
    public Via stamped(String sourceAddress, int sourcePort) {
        Via v = this;
        if (hasRport()) v = v.withReceived(sourceAddress).withRport(sourcePort);
        else if (!host().equals(sourceAddress) && !host().equals("[" + sourceAddress + "]")) v = v.withReceived(sourceAddress);
        return v;
    }

    @Override
    public String toString() {
        return text();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Via v && v.text().equals(text());
    }

    @Override
    public int hashCode() {
        return text().hashCode();
    }
}
