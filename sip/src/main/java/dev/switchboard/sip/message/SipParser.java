package dev.switchboard.sip.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Strict RFC 3261 parser of one message (a datagram, or a frame cut by a stream framer). It never
 * throws: every input yields {@link ParseResult.Parsed}, {@link ParseResult.Rejected} or
 * {@link ParseResult.Dropped}. The byte array is referenced, not copied: do not modify it afterwards.
 */
public final class SipParser {

    /** Limits and the URI schemes accepted in a Request-URI (others are answered 416). */
    public record Config(int maxMessageSize, int maxHeaders, Set<String> requestUriSchemes) {
        /** IANA-registered schemes a SIP element may meet in a Request-URI (RFC 4475 §3.3.3). */
        public static final Set<String> KNOWN_SCHEMES = Set.of("sip", "sips", "tel", "urn", "http", "https",
                "mailto", "im", "pres", "h323", "fax", "modem", "soap.beep", "soap.beeps", "xmpp", "cid", "mid");

        public static final Config DEFAULT = new Config(65_535, 256, KNOWN_SCHEMES);

        public Config {
            if (maxMessageSize < 64 || maxHeaders < 8) throw new IllegalArgumentException("limits too small");
            requestUriSchemes = Set.copyOf(requestUriSchemes);
        }
    }

    public static final SipParser DEFAULT = new SipParser(Config.DEFAULT);
    static final SipParser BUILDER = new SipParser(new Config(Integer.MAX_VALUE, Integer.MAX_VALUE, Config.KNOWN_SCHEMES));

    private final Config config;

    public SipParser(Config config) {
        this.config = config;
    }

    public Config config() {
        return config;
    }

    public ParseResult parse(byte[] data) {
        return parse(data, 0, data.length);
    }

    /**
     * Parses the message starting at {@code off}. Without Content-Length the body is the rest of the
     * range (datagram rule of RFC 3261 §18.3); bytes after Content-Length are ignored.
     */
    public ParseResult parse(byte[] data, int off, int len) {
        return parse(data, off, len, null, null);
    }

    /**
     * Parses a message a builder wrote: header line i that is a verbatim copy of line sourceIndexes[i]
     * of the parsed message sources[i] takes its typed value from there instead of being parsed again
     * (the same grammar accepted it there); every other line is parsed and checked as usual.
     */
    ParseResult parse(byte[] data, SipMessage[] sources, int[] sourceIndexes) {
        return parse(data, 0, data.length, sources, sourceIndexes);
    }

    private ParseResult parse(byte[] data, int off, int len, SipMessage[] sources, int[] sourceIndexes) {
        if (len > config.maxMessageSize) return new ParseResult.Dropped("message larger than " + config.maxMessageSize + " bytes");
        try {
            return new Run(data, off, off + len, sources, sourceIndexes).parse();
        } catch (ParseError e) {
            return new ParseResult.Dropped(e.getMessage());
        } catch (RuntimeException e) {
            // a bug, never a reason to kill a worker; fuzz tests fail on this reason
            return new ParseResult.Dropped(INTERNAL + e);
        }
    }

    static final String INTERNAL = "internal parser error: ";

    /** State of one parse. */
    private final class Run {
        final byte[] b;
        final int limit;
        final Parts parts = new Parts();
        final Cursor cursor;
        boolean response;
        ParseError error; // first error found; parsing goes on to collect what an answer needs
        int pos;

        final SipMessage[] sources;
        final int[] sourceIndexes;
        int listsDecided; // bit per list header id: whether its lines all come from one source, decided
        int listsReused;  // bit per list header id: they do, and its list was taken from there

        Run(byte[] b, int off, int limit, SipMessage[] sources, int[] sourceIndexes) {
            this.sources = sources;
            this.sourceIndexes = sourceIndexes;
            this.b = b;
            this.limit = limit;
            this.pos = off;
            this.cursor = new Cursor(b, 0, 0);
        }

        /** The one cursor of this parse, placed on [vs,ve). */
        Cursor cursor(int vs, int ve) {
            return cursor.reset(vs, ve);
        }

        void fail(ParseError e) {
            if (error == null) error = e;
        }

        ParseResult parse() {
            // CRLFs before the start line are keep-alives (RFC 3261 §7.5, RFC 5626 §3.5.1)
            while (pos + 1 < limit && b[pos] == '\r' && b[pos + 1] == '\n') pos += 2;
            if (pos >= limit) return new ParseResult.Dropped("keep-alive");
            parts.buf = b;
            parts.start = pos;
            int lineEnd = lineEnd(pos);
            if (lineEnd < 0) return new ParseResult.Dropped("no complete start line");
            parts.startLineEnd = lineEnd;
            response = lineEnd - pos >= 4 && sipSlash(pos);
            try {
                if (response) statusLine(pos, lineEnd);
                else requestLine(pos, lineEnd);
            } catch (ParseError e) {
                fail(e);
            }
            pos = lineEnd + 2;
            boolean complete = headers();
            if (complete) {
                for (int i = 0; i < parts.count && error == null; i++) {
                    try {
                        if (sources == null || i >= sources.length || sources[i] == null || !reused(i)) typed(i);
                    } catch (ParseError e) {
                        fail(e);
                    }
                }
                if (error == null) {
                    try {
                        checks();
                    } catch (ParseError e) {
                        fail(e);
                    }
                }
            }
            if (error == null) {
                return new ParseResult.Parsed(response ? new SipResponse(parts) : new SipRequest(parts));
            }
            ParseResult.Partial p = partial();
            if (response || p.vias().isEmpty()) return new ParseResult.Dropped(error.getMessage());
            return new ParseResult.Rejected(error.status, error.getMessage(), p);
        }

        /** Index of the CR of the line starting at p, or -1 if the input ends first; bare CR/LF is an error. */
        int lineEnd(int p) {
            p = Lex.findCrOrLf(b, p, limit);
            if (p >= limit) return -1;
            if (b[p] == '\n') throw ParseError.bad("bare LF");
            if (p + 1 < limit && b[p + 1] == '\n') return p;
            throw ParseError.bad("bare CR");
        }

        void statusLine(int s, int e) {
            int p = version(s, e);
            if (p >= e || b[p] != ' ') throw ParseError.bad("bad status line");
            p++;
            int code = 0;
            int ds = p;
            while (p < e && b[p] >= '0' && b[p] <= '9' && p - ds < 4) code = code * 10 + (b[p++] - '0');
            if (p - ds != 3 || code < 100 || code > 699) throw ParseError.bad("bad status code");
            if (p < e && b[p] != ' ') throw ParseError.bad("bad status code");
            int rs = Math.min(p + 1, e);
            for (int i = rs; i < e; i++) {
                int c = b[i] & 0xff;
                if ((c < 0x20 && c != '\t') || c == 0x7f) throw ParseError.bad("control character in reason phrase");
            }
            parts.status = code;
            parts.reason = Lex.utf8(b, rs, e);
        }

        /** Whether "SIP/" starts at i, in any case: RFC 3261 §7.1 makes the SIP-Version case-insensitive. */
        boolean sipSlash(int i) {
            return (b[i] | 0x20) == 's' && (b[i + 1] | 0x20) == 'i' && (b[i + 2] | 0x20) == 'p' && b[i + 3] == '/';
        }

        /** Checks "SIP/x.y" at s and returns the index after it; other versions get 505. */
        int version(int s, int e) {
            int p = s + 4;
            int ms = p;
            while (p < e && b[p] >= '0' && b[p] <= '9') p++;
            if (p == ms || p >= e || b[p] != '.') throw ParseError.bad("bad SIP version");
            int ns = ++p;
            while (p < e && b[p] >= '0' && b[p] <= '9') p++;
            if (p == ns) throw ParseError.bad("bad SIP version");
            if (p - s != 7 || b[s + 4] != '2' || b[s + 6] != '0') throw new ParseError(505, "Version Not Supported");
            return p;
        }

        void requestLine(int s, int e) {
            int p = s;
            while (p < e && Lex.is(b[p], Lex.TOKEN)) p++;
            if (p == s || p >= e || b[p] != ' ') throw ParseError.bad("bad request line");
            parts.method = Methods.of(b, s, p);
            int us = p + 1;
            int last = e - 1;
            while (last > us && b[last] != ' ') last--;
            if (last <= us) throw ParseError.bad("bad request line");
            if (e - last - 1 < 4 || !sipSlash(last + 1)) {
                throw ParseError.bad("bad request line");
            }
            if (version(last + 1, e) != e) throw ParseError.bad("bad SIP version");
            for (int i = us; i < last; i++) {
                if (b[i] == ' ' || b[i] == '\t') throw ParseError.bad("whitespace in Request-URI");
            }
            Uri uri = Uri.parse(b, us, last, false);
            if (uri instanceof AbsoluteUri a && !config.requestUriSchemes().contains(a.scheme())) {
                throw new ParseError(416, "Unsupported URI Scheme");
            }
            parts.requestUri = uri;
        }

        /** Indexes header lines; returns whether the header section ended properly. */
        boolean headers() {
            try {
                while (true) {
                    if (pos + 1 < limit && b[pos] == '\r' && b[pos + 1] == '\n') {
                        parts.bodyStart = pos + 2;
                        return true;
                    }
                    if (pos >= limit) throw ParseError.bad("headers not terminated by an empty line");
                    header();
                }
            } catch (ParseError e) {
                fail(e);
                return false;
            }
        }

        void header() {
            int ls = pos;
            int p = pos;
            while (p < limit && Lex.is(b[p], Lex.TOKEN)) p++;
            if (p == ls) throw ParseError.bad("bad header name");
            int ne = p;
            while (p < limit && (b[p] == ' ' || b[p] == '\t')) p++;
            if (p >= limit || b[p] != ':') throw ParseError.bad("bad header name");
            p++;
            int vs = -1;
            int le;
            while (true) {
                int e = lineEnd(p);
                if (e < 0) throw ParseError.bad("headers not terminated by an empty line");
                if (vs < 0) {
                    int q = p;
                    while (q < e && (b[q] == ' ' || b[q] == '\t')) q++;
                    if (q < e) vs = q;
                }
                p = e + 2;
                if (p < limit && (b[p] == ' ' || b[p] == '\t')) continue; // folded continuation line
                le = e;
                break;
            }
            int ve = le;
            if (vs < 0) vs = ve; // empty value
            while (ve > vs && Lex.isLws(b[ve - 1])) ve--;
            if (parts.count >= config.maxHeaders) throw ParseError.bad("too many header lines");
            HeaderName h = HeaderName.lookup(b, ls, ne);
            parts.addHeader(h == null ? -1 : h.ordinal(), ls, vs, ve, le);
            pos = p;
        }

        void typed(int i) {
            int o = i * Parts.STRIDE;
            int id = parts.hdr[o];
            if (id < 0) return;
            int vs = parts.hdr[o + Parts.VSTART];
            int ve = parts.hdr[o + Parts.VEND];
            HeaderName h = HEADERS[id];
            if (!h.eager()) return;
            if (vs == ve && h != HeaderName.SUPPORTED) throw ParseError.bad("empty " + h.canonical());
            Parts q = parts;
            switch (h) {
                case VIA -> {
                    Cursor c = cursor(vs, ve);
                    do {
                        q.vias = Parts.add(q.vias, Via.parse(c));
                    } while (c.sep(','));
                    end(c, h);
                }
                case FROM -> q.from = single(q.from, nameAddr(vs, ve, h), h);
                case TO -> q.to = single(q.to, nameAddr(vs, ve, h), h);
                case CALL_ID -> q.callId = single(q.callId, callId(vs, ve), h);
                case CSEQ -> q.cseq = single(q.cseq, CSeq.parse(b, vs, ve), h);
                case MAX_FORWARDS -> {
                    if (q.maxForwards >= 0) throw ParseError.bad("more than one Max-Forwards");
                    q.maxForwards = (int) number(vs, ve, 255, h);
                }
                case EXPIRES -> {
                    if (q.expires >= 0) throw ParseError.bad("more than one Expires");
                    q.expires = number(vs, ve, 0xFFFFFFFFL, h);
                }
                case CONTENT_LENGTH -> {
                    if (q.contentLength >= 0) throw ParseError.bad("more than one Content-Length");
                    q.contentLength = (int) number(vs, ve, Integer.MAX_VALUE, h);
                }
                case CONTENT_TYPE -> {
                    Cursor c = cursor(vs, ve);
                    q.contentType = single(q.contentType, MediaType.parse(c), h);
                    end(c, h);
                }
                case CONTACT -> {
                    if (ve - vs == 1 && b[vs] == '*') {
                        if (q.wildcardContact || !q.contacts.isEmpty()) throw ParseError.bad("Contact * with other contacts");
                        q.wildcardContact = true;
                    } else {
                        if (q.wildcardContact) throw ParseError.bad("Contact * with other contacts");
                        q.contacts = nameAddrs(q.contacts, vs, ve, false, h);
                    }
                }
                case ROUTE -> q.routes = nameAddrs(q.routes, vs, ve, true, h);
                case RECORD_ROUTE -> q.recordRoutes = nameAddrs(q.recordRoutes, vs, ve, true, h);
                case AUTHORIZATION -> q.authorizations = Parts.add(q.authorizations, AuthHeader.parse(b, vs, ve));
                case PROXY_AUTHORIZATION -> q.proxyAuthorizations = Parts.add(q.proxyAuthorizations, AuthHeader.parse(b, vs, ve));
                case WWW_AUTHENTICATE -> q.wwwAuthenticates = Parts.add(q.wwwAuthenticates, AuthHeader.parse(b, vs, ve));
                case PROXY_AUTHENTICATE -> q.proxyAuthenticates = Parts.add(q.proxyAuthenticates, AuthHeader.parse(b, vs, ve));
                case REQUIRE -> q.require = tokens(q.require, vs, ve, h);
                case PROXY_REQUIRE -> q.proxyRequire = tokens(q.proxyRequire, vs, ve, h);
                case SUPPORTED -> q.supported = vs == ve ? q.supported : tokens(q.supported, vs, ve, h);
                default -> {
                }
            }
        }

        /** Takes the typed value of header i from the message it was copied from, if that is known to be right. */
        boolean reused(int i) {
            int id = parts.hdr[i * Parts.STRIDE];
            if (id < 0) return false;
            SipMessage s = sources[i];
            HeaderName h = HEADERS[id];
            Parts q = parts;
            switch (h) {
                // a parsed message holds exactly one of these, so its value is this line's
                case FROM -> q.from = single(q.from, s.from(), h);
                case TO -> q.to = single(q.to, s.to(), h);
                case CALL_ID -> q.callId = single(q.callId, s.callId(), h);
                case CSEQ -> q.cseq = single(q.cseq, s.cseq(), h);
                // a list is taken whole when its lines are exactly the source's lines of that name, in order
                case VIA, CONTACT, ROUTE, RECORD_ROUTE -> {
                    int bit = 1 << id;
                    if ((listsDecided & bit) == 0) {
                        listsDecided |= bit;
                        if (!sameLines(id, s)) return false;
                        listsReused |= bit;
                        switch (h) {
                            case VIA -> q.vias = s.vias();
                            case CONTACT -> {
                                q.contacts = s.contacts();
                                q.wildcardContact = s.isWildcardContact();
                            }
                            case ROUTE -> q.routes = s.routes();
                            default -> q.recordRoutes = s.recordRoutes();
                        }
                        return true;
                    }
                    return (listsReused & bit) != 0;
                }
                default -> {
                    return false;
                }
            }
            return true;
        }

        /** Whether the lines named id are all copied from s and are, in order, all of s's lines named id. */
        boolean sameLines(int id, SipMessage s) {
            int k = 0;
            for (int j = 0; j < parts.count; j++) {
                if (parts.hdr[j * Parts.STRIDE] != id) continue;
                if (j >= sources.length || sources[j] != s) return false;
                while (k < s.count && s.hdr[k * Parts.STRIDE] != id) k++;
                if (k >= s.count || sourceIndexes[j] != k) return false;
                k++;
            }
            while (k < s.count && s.hdr[k * Parts.STRIDE] != id) k++;
            return k >= s.count;
        }

        NameAddress nameAddr(int vs, int ve, HeaderName h) {
            Cursor c = cursor(vs, ve);
            NameAddress na = NameAddress.parse(c, false);
            end(c, h);
            return na;
        }

        List<NameAddress> nameAddrs(List<NameAddress> list, int vs, int ve, boolean angle, HeaderName h) {
            Cursor c = cursor(vs, ve);
            do {
                list = Parts.add(list, NameAddress.parse(c, angle));
            } while (c.sep(','));
            end(c, h);
            return list;
        }

        List<String> tokens(List<String> list, int vs, int ve, HeaderName h) {
            Cursor c = cursor(vs, ve);
            c.skipLws();
            String first = c.optionTag(h.canonical());
            if (!c.sep(',')) {
                end(c, h);
                return Parts.add(list, first);
            }
            // several on one line: one list from the start rather than a singleton grown into one
            ArrayList<String> all;
            if (list instanceof ArrayList<String> a) {
                all = a;
            } else {
                all = new ArrayList<>(4);
                all.addAll(list); // what earlier lines held, usually nothing
            }
            all.add(first);
            do {
                c.skipLws();
                all.add(c.optionTag(h.canonical()));
            } while (c.sep(','));
            end(c, h);
            return all;
        }

        void end(Cursor c, HeaderName h) {
            c.skipLws();
            if (!c.atEnd()) throw ParseError.bad("unexpected characters in " + h.canonical());
        }

        <T> T single(T existing, T value, HeaderName h) {
            if (existing != null) throw ParseError.bad("more than one " + h.canonical());
            return value;
        }

        String callId(int vs, int ve) {
            int at = -1;
            for (int p = vs; p < ve; p++) {
                byte c = b[p];
                if (c == '@') {
                    if (at >= 0 || p == vs || p == ve - 1) throw ParseError.bad("bad Call-ID");
                    at = p;
                } else if (!Lex.is(c, Lex.WORD)) {
                    throw ParseError.bad("bad Call-ID");
                }
            }
            return Lex.ascii(b, vs, ve);
        }

        long number(int vs, int ve, long max, HeaderName h) {
            if (vs == ve) throw ParseError.bad("empty " + h.canonical());
            long n = 0;
            for (int p = vs; p < ve; p++) {
                byte c = b[p];
                if (c < '0' || c > '9') throw ParseError.bad("bad " + h.canonical());
                n = n * 10 + (c - '0');
                if (n > max) throw ParseError.bad(h.canonical() + " too large");
            }
            return n;
        }

        void checks() {
            Parts q = parts;
            if (q.vias.isEmpty()) throw ParseError.bad("missing Via");
            if (q.from == null) throw ParseError.bad("missing From");
            if (q.to == null) throw ParseError.bad("missing To");
            if (q.callId == null) throw ParseError.bad("missing Call-ID");
            if (q.cseq == null) throw ParseError.bad("missing CSeq");
            if (!response && !q.cseq.method().equals(q.method)) throw ParseError.bad("CSeq method does not match request method");
            int available = limit - q.bodyStart;
            if (q.contentLength >= 0) {
                if (q.contentLength > available) throw ParseError.bad("body shorter than Content-Length");
                q.end = q.bodyStart + q.contentLength;
            } else {
                q.end = limit;
            }
        }

        ParseResult.Partial partial() {
            String from = null, to = null, callId = null, cseq = null;
            List<String> vias = new ArrayList<>(2);
            for (int i = 0; i < parts.count; i++) {
                int id = parts.hdr[i * Parts.STRIDE];
                if (id < 0) continue;
                switch (HEADERS[id]) {
                    case VIA -> vias.add(Parts.value(b, parts.hdr, i));
                    case FROM -> from = from != null ? from : Parts.value(b, parts.hdr, i);
                    case TO -> to = to != null ? to : Parts.value(b, parts.hdr, i);
                    case CALL_ID -> callId = callId != null ? callId : Parts.value(b, parts.hdr, i);
                    case CSEQ -> cseq = cseq != null ? cseq : Parts.value(b, parts.hdr, i);
                    default -> {
                    }
                }
            }
            return new ParseResult.Partial(Optional.ofNullable(parts.method), vias, Optional.ofNullable(from),
                    Optional.ofNullable(to), Optional.ofNullable(callId), Optional.ofNullable(cseq));
        }
    }

    private static final HeaderName[] HEADERS = HeaderName.values();
}
