package dev.switchboard.sip.message;

/** An immutable SIP response: status code, reason phrase and the headers of {@link SipMessage}. */
public final class SipResponse extends SipMessage {
    private final int status;
    private final String reason;

    SipResponse(Parts p) {
        super(p);
        this.status = p.status;
        this.reason = p.reason;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    /** 1xx. */
    public boolean isProvisional() {
        return status < 200;
    }

    public static Builder builder(int status, String reason) {
        return new Builder(status, reason, null);
    }

    /**
     * A response to {@code request} as RFC 3261 §8.2.6 says: all Via lines, From, To, Call-ID and CSeq
     * copied byte for byte, Content-Length 0 until a body is set. Add a To tag with {@link Builder#toTag}.
     */
    public static Builder to(SipRequest request, int status, String reason) {
        Builder b = new Builder(status, reason, null);
        b.copyDialogLines(request);
        b.requestTo = request.to();
        return b;
    }

    public Builder toBuilder() {
        Builder b = new Builder(status, reason, this);
        b.copyFrom(this);
        return b;
    }

    /**
     * Builds responses; {@code build()} serialises and re-parses, so the result is always valid;
     * {@link #toBytes()} only serialises, for an answer that is sent and never read back (a
     * registrar's 200 or 401): header values are still checked for line breaks as they are set.
     */
    public static final class Builder extends MessageBuilder<Builder> {
        private int status;
        private String reason;
        private SipResponse origin;
        NameAddress requestTo;

        Builder(int status, String reason, SipResponse origin) {
            if (status < 100 || status > 699) throw new IllegalArgumentException("status " + status);
            if (reason.indexOf('\r') >= 0 || reason.indexOf('\n') >= 0) throw new IllegalArgumentException("line break in reason");
            this.status = status;
            this.reason = reason;
            this.origin = origin;
        }

        public Builder status(int status, String reason) {
            this.status = status;
            this.reason = reason;
            this.origin = null;
            return this;
        }

        /**
         * Adds {@code ;tag=tag} to the To header unless it already has a tag; the rest of the
         * received To value is kept as it was.
         */
        public Builder toTag(String tag) {
            int i = indexOf(HeaderName.TO, null);
            if (i < 0) throw new IllegalStateException("no To header");
            Line l = lines.get(i);
            String value = l.raw != null ? Parts.unfold(l.raw, l.vs, l.ve) : l.value;
            NameAddress current = l.raw != null && requestTo != null ? requestTo : NameAddress.parse(value);
            if (current.tag().isPresent()) return this;
            for (int k = 0; k < tag.length(); k++) {
                if (!Lex.is((byte) tag.charAt(k), Lex.TOKEN) || tag.charAt(k) > 127) throw new IllegalArgumentException("tag must be a token");
            }
            // the value came from a valid To line (or through set()), so it holds no line break
            lines.set(i, new Line(HeaderName.TO, HeaderName.TO.canonical(), value + ";tag=" + tag));
            for (int k = lines.size() - 1; k > i; k--) {
                if (lines.get(k).known == HeaderName.TO) lines.remove(k);
            }
            return this;
        }

        @Override
        void writeStartLine(Bytes out) {
            if (origin != null) {
                out.write(origin.buf, origin.start, origin.startLineEnd - origin.start).crlf();
            } else {
                out.ascii("SIP/2.0 ").ascii(Integer.toString(status)).ascii(" ").utf8(reason).crlf();
            }
        }

        @Override
        int startLineLength() {
            return origin != null ? origin.startLineEnd - origin.start : 12 + utf8Length(reason);
        }

        public SipResponse build() {
            return (SipResponse) parseBuilt();
        }

        public byte[] toBytes() {
            return serialize();
        }

        public int status() {
            return status;
        }
    }
}
