package dev.switchboard.sip.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** An immutable SIP request: method, Request-URI and the headers of {@link SipMessage}. */
public final class SipRequest extends SipMessage {
    private final String method;
    private final Uri requestUri;

    SipRequest(Parts p) {
        super(p);
        this.method = p.method;
        this.requestUri = p.requestUri;
    }

    /** The method, interned (standard ones are the constants of {@link Methods}). */
    public String method() {
        return method;
    }

    public Uri requestUri() {
        return requestUri;
    }

    public boolean isMethod(String m) {
        return method.equals(m);
    }

    /**
     * Option tags of {@code required} not in {@code supported}: what a 420 response lists in Unsupported
     * (RFC 3261 §8.2.2.3). Pass {@link #require()} as a UAS/registrar, {@link #proxyRequire()} as a proxy.
     */
    public static List<String> unsupported(List<String> required, Set<String> supported) {
        List<String> out = new ArrayList<>(0);
        for (String tag : required) {
            if (!supported.contains(tag) && !out.contains(tag)) out.add(tag);
        }
        return out;
    }

    /** A builder for a new request with {@code SIP/2.0} as version. */
    public static Builder builder(String method, Uri requestUri) {
        return new Builder(method, requestUri, null);
    }

    /** A builder starting from this request's lines; untouched lines keep their bytes. */
    public Builder toBuilder() {
        Builder b = new Builder(method, requestUri, this);
        b.copyFrom(this);
        return b;
    }

    /** Builds requests; {@code build()} serialises and re-parses, so the result is always valid. */
    public static final class Builder extends MessageBuilder<Builder> {
        private String method;
        private Uri requestUri;
        private SipRequest origin; // for the raw start line while method and URI are unchanged

        Builder(String method, Uri requestUri, SipRequest origin) {
            this.method = method;
            this.requestUri = requestUri;
            this.origin = origin;
        }

        public Builder method(String m) {
            this.method = m;
            this.origin = null;
            return this;
        }

        public Builder requestUri(Uri uri) {
            this.requestUri = uri;
            this.origin = null;
            return this;
        }

        @Override
        void writeStartLine(Bytes out) {
            if (origin != null) {
                out.write(origin.buf, origin.start, origin.startLineEnd - origin.start).crlf();
            } else {
                out.ascii(method).ascii(" ").utf8(requestUri.toString()).ascii(" SIP/2.0").crlf();
            }
        }

        @Override
        int startLineLength() {
            return origin != null ? origin.startLineEnd - origin.start
                    : method.length() + 9 + utf8Length(requestUri.toString());
        }

        public SipRequest build() {
            return (SipRequest) parseBuilt();
        }

        /** The serialised bytes without building a message object. */
        public byte[] toBytes() {
            return serialize();
        }
    }

    /**
     * Text that every copy of this request shares and no other request does: the top Via branch,
     * Call-ID, From tag and CSeq. What a stateless server derives its answer's To tag and nonce from,
     * so that a retransmission gets the answer the original got (RFC 3261 §8.2.7).
     */
    public String retransmissionKey() {
        return topVia().branch().orElse("") + '|' + callId() + '|' + from().tag().orElse("") + '|'
                + cseq().number() + ' ' + method;
    }
}
