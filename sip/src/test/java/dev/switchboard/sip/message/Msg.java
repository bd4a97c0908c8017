package dev.switchboard.sip.message;

import java.nio.charset.StandardCharsets;

/** Test helpers: text blocks with LF become CRLF wire bytes. */
final class Msg {
    private Msg() {}

    static byte[] wire(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static SipMessage parse(byte[] bytes) {
        ParseResult r = SipParser.DEFAULT.parse(bytes);
        if (r instanceof ParseResult.Parsed p) return p.message();
        throw new AssertionError("not parsed: " + r);
    }

    static SipRequest request(String text) {
        return (SipRequest) parse(wire(text));
    }

    static SipResponse response(String text) {
        return (SipResponse) parse(wire(text));
    }

    static final String REGISTER = """
            REGISTER sip:example.com SIP/2.0
            Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport
            Max-Forwards: 70
            To: "Alice" <sip:alice@example.com>
            From: "Alice" <sip:alice@example.com>;tag=1928301774
            Call-ID: a84b4c76e66710@pc33.example.com
            CSeq: 314159 REGISTER
            Contact: <sip:alice@192.0.2.10:5060;transport=udp>;expires=3600;+sip.instance="<urn:uuid:00000000-0000-1000-8000-000A95A0E128>"
            Expires: 3600
            Allow: INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, MESSAGE, OPTIONS, INFO, SUBSCRIBE
            Supported: path, gruu, outbound
            User-Agent: Switchboard-Test/1.0
            Content-Length: 0

            """;

    static final String INVITE = """
            INVITE sip:bob@biloxi.example.com SIP/2.0
            Via: SIP/2.0/TCP client.atlanta.example.com:5060;branch=z9hG4bK74bf9
            Max-Forwards: 70
            Route: <sip:proxy.example.com;lr>, <sip:[2001:db8::10]:5070;lr;transport=tcp>
            From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl
            To: Bob <sip:bob@biloxi.example.com>
            Call-ID: 3848276298220188511@atlanta.example.com
            CSeq: 2 INVITE
            Contact: <sip:alice@client.atlanta.example.com;transport=tcp>
            Proxy-Authorization: Digest username="alice", realm="atlanta.example.com",
             nonce="wf84f1ceczx41ae6cbe5aea9c8e88d359", opaque="", uri="sip:bob@biloxi.example.com",
             response="42ce3cef44b22f50c6a6071bc8", algorithm=MD5, qop=auth, nc=00000001, cnonce="0a4f113b"
            Content-Type: application/sdp
            Content-Length: 10

            v=0\r
            s=-\r
            """;
}
