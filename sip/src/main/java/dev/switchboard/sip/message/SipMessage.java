package dev.switchboard.sip.message;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * An immutable SIP message backed by its received bytes. Headers a proxy needs are parsed and
 * validated by {@link SipParser}; every other header is read from the bytes when asked.
 */
public abstract sealed class SipMessage permits SipRequest, SipResponse {
    final byte[] buf;
    final int start;
    final int end;
    final int startLineEnd;
    final int bodyStart;
    final int[] hdr;
    final int count;

    private final List<Via> vias;
    private final NameAddress from;
    private final NameAddress to;
    private final String callId;
    private final CSeq cseq;
    private final int maxForwards;
    private final List<NameAddress> contacts;
    private final boolean wildcardContact;
    private final long expires;
    private final List<NameAddress> routes;
    private final List<NameAddress> recordRoutes;
    private final MediaType contentType;
    private final List<AuthHeader> authorizations;
    private final List<AuthHeader> proxyAuthorizations;
    private final List<AuthHeader> wwwAuthenticates;
    private final List<AuthHeader> proxyAuthenticates;
    private final List<String> require;
    private final List<String> proxyRequire;
    private final List<String> supported;

    SipMessage(Parts p) {
        buf = p.buf;
        start = p.start;
        end = p.end;
        startLineEnd = p.startLineEnd;
        bodyStart = p.bodyStart;
        hdr = p.hdr;
        count = p.count;
        vias = ro(p.vias);
        from = p.from;
        to = p.to;
        callId = p.callId;
        cseq = p.cseq;
        maxForwards = p.maxForwards;
        contacts = ro(p.contacts);
        wildcardContact = p.wildcardContact;
        expires = p.expires;
        routes = ro(p.routes);
        recordRoutes = ro(p.recordRoutes);
        contentType = p.contentType;
        authorizations = ro(p.authorizations);
        proxyAuthorizations = ro(p.proxyAuthorizations);
        wwwAuthenticates = ro(p.wwwAuthenticates);
        proxyAuthenticates = ro(p.proxyAuthenticates);
        require = ro(p.require);
        proxyRequire = ro(p.proxyRequire);
        supported = ro(p.supported);
    }

    private static <T> List<T> ro(List<T> l) {
        // Lists of one are already immutable (List.of); only grown lists need a read-only view.
        return l instanceof java.util.ArrayList ? Collections.unmodifiableList(l) : l;
    }

    /** All Via values, top first. Never empty. */
    public List<Via> vias() {
        return vias;
    }

    public Via topVia() {
        return vias.get(0);
    }

    public NameAddress from() {
        return from;
    }

    public NameAddress to() {
        return to;
    }

    public String callId() {
        return callId;
    }

    public CSeq cseq() {
        return cseq;
    }

    /** Max-Forwards, empty when absent (RFC 2543 peers omit it). */
    public OptionalInt maxForwards() {
        return maxForwards < 0 ? OptionalInt.empty() : OptionalInt.of(maxForwards);
    }

    /** Contact values in order; empty for no Contact and for {@code Contact: *}. */
    public List<NameAddress> contacts() {
        return contacts;
    }

    /** Whether the message carries {@code Contact: *} (REGISTER removing all bindings). */
    public boolean isWildcardContact() {
        return wildcardContact;
    }

    /** The Expires header in seconds. */
    public OptionalLong expires() {
        return expires < 0 ? OptionalLong.empty() : OptionalLong.of(expires);
    }

    public List<NameAddress> routes() {
        return routes;
    }

    public List<NameAddress> recordRoutes() {
        return recordRoutes;
    }

    public Optional<MediaType> contentType() {
        return Optional.ofNullable(contentType);
    }

    public List<AuthHeader> authorizations() {
        return authorizations;
    }

    public List<AuthHeader> proxyAuthorizations() {
        return proxyAuthorizations;
    }

    public List<AuthHeader> wwwAuthenticates() {
        return wwwAuthenticates;
    }

    public List<AuthHeader> proxyAuthenticates() {
        return proxyAuthenticates;
    }

    /** Option tags of all Require headers. */
    public List<String> require() {
        return require;
    }

    public List<String> proxyRequire() {
        return proxyRequire;
    }

    public List<String> supported() {
        return supported;
    }

    /** The first value of a header by long or compact name, folding replaced by spaces. */
    public Optional<String> header(String name) {
        int i = find(name, 0);
        return i < 0 ? Optional.empty() : Optional.of(value(i));
    }

    public Optional<String> header(HeaderName name) {
        return header(name.canonical());
    }

    /** Every line's value of a header, in order (a line may hold several comma-separated values). */
    public List<String> headers(String name) {
        List<String> out = new ArrayList<>(2);
        for (int i = find(name, 0); i >= 0; i = find(name, i + 1)) out.add(value(i));
        return out;
    }

    /** All header lines in order. */
    public List<Header> headerLines() {
        List<Header> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) out.add(new Header(name(i), value(i)));
        return out;
    }

    public int headerCount() {
        return count;
    }

    private int find(String name, int from) {
        HeaderName known = HeaderName.of(name).orElse(null);
        for (int i = from; i < count; i++) {
            int id = hdr[i * Parts.STRIDE];
            if (known != null) {
                if (id == known.ordinal()) return i;
            } else if (id < 0 && name(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    int nameEnd(int i) {
        int p = hdr[i * Parts.STRIDE + Parts.LINE];
        while (Lex.is(buf[p], Lex.TOKEN)) p++;
        return p;
    }

    String name(int i) {
        return Lex.ascii(buf, hdr[i * Parts.STRIDE + Parts.LINE], nameEnd(i));
    }

    String value(int i) {
        return Parts.value(buf, hdr, i);
    }

    /** The body as given by Content-Length (or the rest of the datagram when absent). */
    public byte[] body() {
        return Arrays.copyOfRange(buf, bodyStart, end);
    }

    public int bodyLength() {
        return end - bodyStart;
    }

    /** Size of the whole message in bytes. */
    public int length() {
        return end - start;
    }

    /** The message bytes exactly as received or built. */
    public byte[] toBytes() {
        return Arrays.copyOfRange(buf, start, end);
    }

    /** Writes the message bytes to a Netty buffer (no re-encoding). */
    public void writeTo(ByteBuf out) {
        out.writeBytes(buf, start, end - start);
    }

    /** The message as text (ISO-8859-1, so every byte shows); for logs and tests. */
    @Override
    public String toString() {
        return new String(buf, start, end - start, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
