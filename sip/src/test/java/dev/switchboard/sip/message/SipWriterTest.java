package dev.switchboard.sip.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Serialisation: untouched messages round-trip byte for byte; builders produce messages that parse back. */
class SipWriterTest {

    static Stream<String> typical() {
        return Stream.of(Msg.REGISTER, Msg.INVITE, """
                OPTIONS sip:carol@chicago.example.com SIP/2.0
                Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKhjhs8ass877
                Max-Forwards: 70
                To: <sip:carol@chicago.example.com>
                From: Alice <sip:alice@atlanta.example.com>;tag=1928301774
                Call-ID: a84b4c76e66710
                CSeq: 63104 OPTIONS
                Contact: <sip:alice@pc33.atlanta.example.com>
                Accept: application/sdp
                Content-Length: 0

                """, """
                SIP/2.0 401 Unauthorized
                Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;received=198.51.100.7;rport=40312
                To: "Alice" <sip:alice@example.com>;tag=37GkEhwl6
                From: "Alice" <sip:alice@example.com>;tag=1928301774
                Call-ID: a84b4c76e66710@pc33.example.com
                CSeq: 314159 REGISTER
                WWW-Authenticate: Digest realm="example.com", qop="auth", algorithm=SHA-256, nonce="7a9c", opaque="", stale=FALSE
                WWW-Authenticate: Digest realm="example.com", qop="auth", algorithm=MD5, nonce="7a9c", opaque=""
                Content-Length: 0

                """);
    }

    @ParameterizedTest
    @MethodSource("typical")
    void writesParsedMessagesBackUnchanged(String text) {
        byte[] wire = Msg.wire(text);
        SipMessage m = Msg.parse(wire);
        assertThat(m.toBytes()).isEqualTo(wire);
        byte[] rebuilt = m instanceof SipRequest r ? r.toBuilder().toBytes() : ((SipResponse) m).toBuilder().toBytes();
        assertThat(rebuilt).isEqualTo(wire);
    }

    @Test
    void answersARequestPerRfc3261Section826() {
        SipRequest register = Msg.request(Msg.REGISTER);
        SipResponse ok = SipResponse.to(register, 200, "OK")
                .toTag("srv-1")
                .header("Contact", "<sip:alice@192.0.2.10:5060;transport=udp>;expires=3600")
                .build();
        assertThat(new String(ok.toBytes(), StandardCharsets.UTF_8)).isEqualTo(new String(Msg.wire("""
                SIP/2.0 200 OK
                Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport
                From: "Alice" <sip:alice@example.com>;tag=1928301774
                To: "Alice" <sip:alice@example.com>;tag=srv-1
                Call-ID: a84b4c76e66710@pc33.example.com
                CSeq: 314159 REGISTER
                Contact: <sip:alice@192.0.2.10:5060;transport=udp>;expires=3600
                Content-Length: 0

                """), StandardCharsets.UTF_8));
        assertThat(ok.to().tag()).contains("srv-1");
        assertThat(ok.cseq()).isEqualTo(register.cseq());
    }

    @Test
    void aContactsUriLosesItsHeadersToBecomeARequestUri() {
        SipUri contact = SipUri.parse("sip:10?2@127.0.0.1:5070;transport=udp?Route=%3Csip:evil.example%3E&Subject=hi");
        SipUri target = contact.withoutHeaders();
        assertThat(target.toString()).isEqualTo("sip:10?2@127.0.0.1:5070;transport=udp");
        assertThat(target.headers()).isEmpty();
        assertThat(target.user()).contains("10?2");
        SipUri plain = SipUri.parse("sip:102@127.0.0.1:5070");
        assertThat(plain.withoutHeaders()).isSameAs(plain);
    }

    @Test
    void keepsAnExistingToTagAndEveryVia() {
        SipRequest r = (SipRequest) Msg.parse(Vectors.read("wsinv.dat"));
        SipResponse resp = SipResponse.to(r, 486, "Busy Here").toTag("other").build();
        assertThat(resp.to().tag()).contains("1918181833n");
        assertThat(resp.vias()).hasSize(3);
        assertThat(resp.vias()).isEqualTo(r.vias());
    }

    @Test
    void stampsReceivedAndRportOnTheTopViaOnly() {
        SipRequest r = (SipRequest) Msg.parse(Vectors.read("wsinv.dat"));
        SipRequest stamped = r.toBuilder().topVia(v -> v.stamped("203.0.113.9", 5099)).build();
        assertThat(stamped.topVia().received()).contains("203.0.113.9");
        assertThat(stamped.topVia().hasRport()).isFalse();
        assertThat(stamped.vias().subList(1, 3)).isEqualTo(r.vias().subList(1, 3));

        SipRequest reg = Msg.request(Msg.REGISTER);
        Via top = reg.toBuilder().topVia(v -> v.stamped("192.0.2.10", 40312)).build().topVia();
        assertThat(top.received()).contains("192.0.2.10");
        assertThat(top.rport()).hasValue(40312);
        assertThat(top.toString()).isEqualTo("SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport=40312;received=192.0.2.10");
    }

    @Test
    void proxiesAddViaAndRecordRouteOnTopAndDecrementMaxForwards() {
        SipRequest invite = Msg.request(Msg.INVITE);
        SipRequest fwd = invite.toBuilder()
                .addFirst(HeaderName.VIA, Via.of("UDP", "proxy.example.com", 5060, "z9hG4bKp1").toString())
                .addFirst(HeaderName.RECORD_ROUTE, "<sip:proxy.example.com;lr>")
                .set(HeaderName.MAX_FORWARDS, Integer.toString(invite.maxForwards().orElse(70) - 1))
                .remove(HeaderName.ROUTE)
                .requestUri(Uri.parse("sip:bob@192.0.2.4:5060"))
                .build();
        assertThat(fwd.vias()).hasSize(2);
        assertThat(fwd.topVia().host()).isEqualTo("proxy.example.com");
        assertThat(fwd.recordRoutes()).hasSize(1);
        assertThat(fwd.maxForwards()).hasValue(69);
        assertThat(fwd.routes()).isEmpty();
        assertThat(fwd.requestUri().toString()).isEqualTo("sip:bob@192.0.2.4:5060");
        assertThat(fwd.body()).isEqualTo(invite.body());
        assertThat(fwd.proxyAuthorizations().get(0).param("response")).contains("42ce3cef44b22f50c6a6071bc8");
    }

    @Test
    void buildsANewRequestThatParsesBack() {
        SipRequest r = SipRequest.builder(Methods.OPTIONS, SipUri.of("bob smith", "example.com", 5070))
                .header("Via", Via.of("TCP", "10.0.0.1", 5060, "z9hG4bKabc").withParam("rport", null).toString())
                .header("Max-Forwards", "70")
                .header("From", NameAddress.of("Alice \"A\"", SipUri.of("alice", "example.com", -1), Params.EMPTY).withTag("t1").toString())
                .header("To", NameAddress.of(SipUri.of("bob", "example.com", -1)).toString())
                .header("Call-ID", "c1@10.0.0.1")
                .header("CSeq", "1 OPTIONS")
                .body("hello".getBytes(StandardCharsets.US_ASCII), "text/plain")
                .build();
        assertThat(((SipUri) r.requestUri()).user()).contains("bob smith");
        assertThat(r.requestUri().toString()).isEqualTo("sip:bob%20smith@example.com:5070");
        assertThat(r.from().displayName()).contains("Alice \"A\"");
        assertThat(r.from().tag()).contains("t1");
        assertThat(r.topVia().hasRport()).isTrue();
        assertThat(r.body()).isEqualTo("hello".getBytes(StandardCharsets.US_ASCII));
        assertThat(r.header("Content-Length")).contains("5");
        assertThat(Msg.parse(r.toBytes()).toBytes()).isEqualTo(r.toBytes());
    }

    @Test
    void refusesHeaderInjectionAndInvalidResults() {
        SipRequest r = Msg.request(Msg.REGISTER);
        assertThatThrownBy(() -> r.toBuilder().header("X-Evil", "a\r\nVia: x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.toBuilder().header("Bad Name", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.toBuilder().remove(HeaderName.CALL_ID).build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void builtMessagesAreCheckedAsAWholeEvenWhereLinesAreCopied() {
        SipRequest r = Msg.request(Msg.REGISTER);
        assertThatThrownBy(() -> SipResponse.to(r, 200, "OK").header("From", "<sip:x@example.com>;tag=2").build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> r.toBuilder().header("Call-ID", "second@example.com").build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> r.toBuilder().header("Via", "SIP/2.0/UDP 0.0.0.0;branch=z9hG4bKx").build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> r.toBuilder().method(Methods.OPTIONS).build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> r.toBuilder().header("Contact", "*").build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void copiedAndNewLinesOfOneNameMakeOneListInWireOrder() {
        SipRequest invite = Msg.request(Msg.INVITE);
        SipRequest fwd = invite.toBuilder()
                .header(HeaderName.VIA, "SIP/2.0/TCP bottom.example.com;branch=z9hG4bKbottom")
                .addFirst(HeaderName.VIA, "SIP/2.0/UDP top.example.com;branch=z9hG4bKtop")
                .build();
        assertThat(fwd.vias()).hasSize(invite.vias().size() + 2);
        assertThat(fwd.topVia().host()).isEqualTo("top.example.com");
        assertThat(fwd.vias().subList(1, invite.vias().size() + 1)).isEqualTo(invite.vias());
        assertThat(fwd.vias().get(invite.vias().size() + 1).host()).isEqualTo("bottom.example.com");
        SipResponse ok = SipResponse.to(invite, 200, "OK").toTag("t9").build();
        assertThat(ok.vias()).isEqualTo(invite.vias());
        assertThat(ok.from()).isEqualTo(invite.from());
        assertThat(ok.callId()).isEqualTo(invite.callId());
        assertThat(ok.cseq()).isEqualTo(invite.cseq());
        assertThat(ok.to().tag()).isPresent();
    }
}
