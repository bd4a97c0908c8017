package dev.switchboard.sip.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sip.message.ParseResult.Dropped;
import dev.switchboard.sip.message.ParseResult.Parsed;
import dev.switchboard.sip.message.ParseResult.Rejected;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Field-level behaviour of the parser on RFC 4475 vectors and typical messages. */
class SipParserTest {

    private static SipRequest vector(String file) {
        return (SipRequest) Msg.parse(Vectors.read(file));
    }

    @Test
    void readsTortuousWhitespaceOfWsinv() {
        SipRequest r = vector("wsinv.dat");
        assertThat(r.method()).isSameAs(Methods.INVITE);
        assertThat(r.to().uri().toString()).isEqualTo("sip:vivekg@chair-dnrc.example.com");
        assertThat(r.to().tag()).contains("1918181833n");
        assertThat(r.from().displayName()).contains("J Rosenberg \\\"");
        assertThat(r.from().tag()).contains("98asjd8");
        assertThat(r.maxForwards()).hasValue(68);
        assertThat(r.cseq()).isEqualTo(new CSeq(9, "INVITE"));
        assertThat(r.vias()).extracting(Via::transport, Via::host)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("UDP", "192.0.2.2"),
                        org.assertj.core.groups.Tuple.tuple("TCP", "spindle.example.com"),
                        org.assertj.core.groups.Tuple.tuple("UDP", "192.168.255.111"));
        assertThat(r.vias().get(1).branch()).contains("z9hG4bK9ikj8");
        assertThat(r.vias().get(2).branch()).contains("z9hG4bK30239");
        assertThat(r.contacts()).singleElement().satisfies(c -> {
            assertThat(c.displayName()).contains("Quoted string \"\"");
            assertThat(c.param("newparam")).contains("newvalue");
            assertThat(c.params().has("secondparam")).isTrue();
            assertThat(c.param("q")).contains("0.33");
        });
        assertThat(r.routes()).singleElement().satisfies(rt -> assertThat(((SipUri) rt.uri()).lr()).isTrue());
        assertThat(r.header("NewFangledHeader")).contains("newfangled value continued newfangled value");
        assertThat(r.header("s")).contains("");
        assertThat(r.header("Subject")).contains("");
        assertThat(r.bodyLength()).isEqualTo(150);
    }

    @Test
    void theSipVersionIsCaseInsensitiveAndAnotherVersionIs505() {
        // RFC 3261 §7.1: "The SIP-Version string is case-insensitive, but implementations MUST send upper-case."
        SipRequest lower = Msg.request(Msg.REGISTER.replaceFirst(" SIP/2\\.0\n", " sip/2.0\n"));
        assertThat(lower.method()).isSameAs(Methods.REGISTER);
        SipResponse mixed = Msg.response("Sip/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n"
                + "From: <sip:a@example.com>;tag=1\r\nTo: <sip:a@example.com>;tag=2\r\nCall-ID: c1\r\n"
                + "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
        assertThat(mixed.status()).isEqualTo(200);
        assertThat(SipParser.DEFAULT.parse(Msg.wire(Msg.REGISTER.replaceFirst(" SIP/2\\.0\n", " sip/3.0\n"))))
                .isInstanceOfSatisfying(ParseResult.Rejected.class, r -> assertThat(r.status()).isEqualTo(505));
    }

    @Test
    void acceptsTheWideCharacterRangeOfIntmeth() {
        SipRequest r = vector("intmeth.dat");
        assertThat(r.method()).isEqualTo("!interesting-Method0123456789_*+`.%indeed'~");
        SipUri uri = (SipUri) r.requestUri();
        assertThat(uri.rawUser()).contains("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
        assertThat(uri.password()).contains("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
        assertThat(uri.host()).isEqualTo("example.com");
        assertThat(r.from().displayName()).contains("token1~` token2'+_ token3*%!.-");
        assertThat(r.from().tag()).contains("_token~1'+`*%!-.");
        assertThat(r.to().displayName()).contains("BEL:\u0007 NUL:\u0000 DEL:\u007f");
        assertThat(r.callId()).isEqualTo("intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{");
        assertThat(r.maxForwards()).hasValue(255);
    }

    @Test
    void decodesEscapesInUris() {
        SipRequest r = vector("esc01.dat");
        assertThat(((SipUri) r.requestUri()).user()).contains("sips:user@example.com");
        assertThat(((SipUri) r.to().uri()).user()).contains("user");
        assertThat(((SipUri) r.from().uri()).user()).contains("I have spaces");
        SipUri contact = (SipUri) r.contacts().get(0).uri();
        assertThat(contact.user()).contains("caller");
        assertThat(contact.params().name(0)).isEqualTo("%6C%72");
        assertThat(r.contentType()).hasValueSatisfying(t -> assertThat(t.is("application/sdp")).isTrue());

        SipRequest nul = vector("escnull.dat");
        assertThat(((SipUri) nul.to().uri()).user()).contains("null-\u0000-null");
        assertThat(nul.contacts()).hasSize(2);
    }

    @Test
    void treatsPercentOutsideUrisAsPlainCharacters() {
        SipRequest r = vector("esc02.dat");
        assertThat(r.method()).isEqualTo("RE%47IST%45R");
        assertThat(r.to().displayName()).contains("%Z%45");
        assertThat(r.topVia().branch()).contains("z9hG4bK209%fzsnel234");
        assertThat(r.contacts()).hasSize(2);
        assertThat(r.header("C%6Fntact")).contains("<sip:alias2@host2.example.com>");
    }

    @Test
    void readsLongValuesAndManyViasOfLongreq() {
        SipRequest r = vector("longreq.dat");
        assertThat(r.vias()).hasSize(34);
        assertThat(r.vias().get(33).received()).contains("192.0.2.5");
        assertThat(r.to().displayName()).hasValueSatisfying(d -> assertThat(d).startsWith("I have a user name of extreme"));
        assertThat(((SipUri) r.to().uri()).port()).hasValue(6000);
        assertThat(r.from().tag()).hasValueSatisfying(t -> assertThat(t).startsWith("1298298298").endsWith("982424"));
    }

    @Test
    void parsesTheFirstMessageOfADatagramAndIgnoresTrailingOctets() {
        byte[] bytes = Vectors.read("dblreq.dat");
        SipRequest r = (SipRequest) Msg.parse(bytes);
        assertThat(r.method()).isEqualTo("REGISTER");
        assertThat(r.callId()).isEqualTo("dblreq.0ha0isndaksdj99sdfafnl3lk233412");
        assertThat(r.bodyLength()).isZero();
        assertThat(r.length()).isEqualTo(new String(bytes, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n") + 4);
    }

    @Test
    void keepsSemicolonsOfTheUserPart() {
        SipUri uri = (SipUri) vector("semiuri.dat").requestUri();
        assertThat(uri.rawUser()).contains("user;par=u%40example.net");
        assertThat(uri.user()).contains("user;par=u@example.net");
        assertThat(uri.host()).isEqualTo("example.com");
        assertThat(uri.params().isEmpty()).isTrue();
    }

    @Test
    void acceptsUnknownTransportsAndUriSchemesInHeaders() {
        assertThat(vector("transports.dat").vias()).extracting(Via::transport)
                .containsExactly("UDP", "SCTP", "TLS", "UNKNOWN", "TCP");
        SipRequest r = vector("unksm2.dat");
        assertThat(r.to().uri()).isEqualTo(new AbsoluteUri("isbn", "isbn:2983792873"));
        assertThat(r.from().uri().scheme()).isEqualTo("http");
        assertThat(r.contacts().get(0).uri().toString()).isEqualTo("name:John_Smith");
        assertThat(vector("novelsc.dat").requestUri().scheme()).isEqualTo("soap.beep");
    }

    @Test
    void acceptsRfc2543StyleInvite() {
        SipRequest r = vector("inv2543.dat");
        assertThat(r.maxForwards()).isEmpty();
        assertThat(r.topVia().branch()).isEmpty();
        assertThat(r.topVia().hasRfc3261Branch()).isFalse();
        assertThat(r.recordRoutes().get(0).sipUri().orElseThrow().param("maddr")).contains("ss1.example.com");
        assertThat(r.bodyLength()).isEqualTo(105);
    }

    @Test
    void readsResponsesWithUnusualReasons() {
        SipResponse ok = (SipResponse) Msg.parse(Vectors.read("unreason.dat"));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.reason()).startsWith("= 2**3 * 5**2 но сто девяносто девять");
        SipResponse trying = (SipResponse) Msg.parse(Vectors.read("noreason.dat"));
        assertThat(trying.status()).isEqualTo(100);
        assertThat(trying.reason()).isEmpty();
    }

    @Test
    void distinguishesContactParamsFromUriParams() {
        NameAddress c1 = vector("cparam01.dat").contacts().get(0);
        assertThat(c1.params().has("unknownparam")).isTrue();
        assertThat(((SipUri) c1.uri()).params().isEmpty()).isTrue();
        NameAddress c2 = vector("cparam02.dat").contacts().get(0);
        assertThat(c2.params().isEmpty()).isTrue();
        assertThat(((SipUri) c2.uri()).params().has("unknownparam")).isTrue();
        NameAddress c3 = vector("regescrt.dat").contacts().get(0);
        assertThat(((SipUri) c3.uri()).headers()).contains("Route=%3Csip:sip.example.com%3E");
    }

    @Test
    void parsesAuthorizationWithUnknownSchemeAndDigest() {
        AuthHeader a = vector("regaut01.dat").authorizations().get(0);
        assertThat(a.scheme()).isEqualTo("NoOneKnowsThisScheme");
        assertThat(a.param("opaque-data")).contains("here");

        SipRequest invite = Msg.request(Msg.INVITE);
        AuthHeader d = invite.proxyAuthorizations().get(0);
        assertThat(d.isScheme("digest")).isTrue();
        assertThat(d.param("username")).contains("alice");
        assertThat(d.param("uri")).contains("sip:bob@biloxi.example.com");
        assertThat(d.param("nc")).contains("00000001");
        assertThat(d.param("opaque")).contains("");
        assertThat(invite.routes()).hasSize(2);
        SipUri v6 = (SipUri) invite.routes().get(1).uri();
        assertThat(v6.host()).isEqualTo("[2001:db8::10]");
        assertThat(v6.isIpv6()).isTrue();
        assertThat(v6.port()).hasValue(5070);
        assertThat(v6.param("transport")).contains("tcp");
        assertThat(invite.body()).isEqualTo("v=0\r\ns=-\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void readsTheEagerHeadersOfARegister() {
        SipRequest r = Msg.request(Msg.REGISTER);
        assertThat(r.topVia().hasRport()).isTrue();
        assertThat(r.topVia().rport()).isEmpty();
        assertThat(r.topVia().port()).hasValue(5060);
        assertThat(r.expires()).hasValue(3600);
        assertThat(r.contacts().get(0).param("expires")).contains("3600");
        assertThat(r.contacts().get(0).param("+sip.instance")).contains("\"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>\"");
        assertThat(r.supported()).containsExactly("path", "gruu", "outbound");
        assertThat(r.header("allow")).hasValueSatisfying(v -> assertThat(v).startsWith("INVITE, ACK"));
        assertThat(r.headers("Allow")).hasSize(1);
        assertThat(r.header("X-Missing")).isEmpty();
    }

    @Test
    void acceptsWildcardContactAndTelUris() {
        SipRequest r = Msg.request("""
                REGISTER sip:example.com SIP/2.0
                v: SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bKx;received=2001:db8::9;rport=5062
                f: <tel:+1-201-555-0123;phone-context=example.com>;tag=1
                t: <tel:+1-201-555-0123>
                i: abc
                CSeq: 2 REGISTER
                m: *
                Expires: 0
                l: 0

                """);
        assertThat(r.isWildcardContact()).isTrue();
        assertThat(r.contacts()).isEmpty();
        assertThat(r.expires()).hasValue(0);
        TelUri tel = (TelUri) r.from().uri();
        assertThat(tel.number()).isEqualTo("+1-201-555-0123");
        assertThat(tel.isGlobal()).isTrue();
        assertThat(tel.params().get("phone-context")).contains("example.com");
        assertThat(r.topVia().host()).isEqualTo("[2001:db8::1]");
        assertThat(r.topVia().rport()).isEqualTo(OptionalInt.of(5062));
    }

    @Test
    void rejectsBadHeaders() {
        String base = """
                OPTIONS sip:bob@example.com SIP/2.0
                Via: SIP/2.0/UDP host;branch=z9hG4bK1
                From: <sip:a@example.com>;tag=1
                To: <sip:bob@example.com>
                Call-ID: x1
                CSeq: 1 OPTIONS
                %s
                Content-Length: 0

                """;
        for (String bad : new String[] {"Max-Forwards: ten", "Max-Forwards: 256", "Expires: 4294967296",
            "Contact: *, <sip:a@b>", "Require: ", "Contact: <sip:a@b", "Route: sip:p.example.com",
            "Content-Type: text", "Bad Name: x", "Via: SIP/2.0/UDP host:99999", "Authorization: Digest a=\"unterminated",
            "Contact: <sip:a@b;;x>", "Contact: <sip:a@b:5o60>", "Contact: <sip:[2001:db8::1>"}) {
            ParseResult r = SipParser.DEFAULT.parse(Msg.wire(base.formatted(bad)));
            assertThat(r).as(bad).isInstanceOfSatisfying(Rejected.class, rej -> assertThat(rej.status()).isEqualTo(400));
        }
        assertThat(SipParser.DEFAULT.parse(Msg.wire(base.formatted("Max-Forwards: 0070")))).isInstanceOf(Parsed.class);
    }

    @Test
    void dropsGarbageKeepAlivesAndOversizeDatagrams() {
        assertThat(SipParser.DEFAULT.parse("\r\n\r\n".getBytes(StandardCharsets.US_ASCII))).isInstanceOf(Dropped.class);
        assertThat(SipParser.DEFAULT.parse(new byte[] {0, 1, 2, 3})).isInstanceOf(Dropped.class);
        assertThat(SipParser.DEFAULT.parse(new byte[0])).isInstanceOf(Dropped.class);
        SipParser small = new SipParser(new SipParser.Config(200, 64, SipParser.Config.KNOWN_SCHEMES));
        assertThat(small.parse(Msg.wire(Msg.REGISTER))).isInstanceOfSatisfying(Dropped.class,
                d -> assertThat(d.reason()).contains("larger than 200"));
        SipParser few = new SipParser(new SipParser.Config(65535, 8, SipParser.Config.KNOWN_SCHEMES));
        assertThat(few.parse(Msg.wire(Msg.REGISTER))).isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r.reason()).contains("too many header lines"));
    }

    @Test
    void exposesRequireForThe420AndMaxForwardsForThe483Policies() {
        SipRequest bext = vector("bext01.dat");
        assertThat(bext.require()).containsExactly("nothingSupportsThis", "nothingSupportsThisEither");
        assertThat(bext.proxyRequire()).containsExactly("noProxiesSupportThis", "norDoAnyProxiesSupportThis");
        var unsupported = SipRequest.unsupported(bext.proxyRequire(), Set.of("path", "outbound"));
        assertThat(unsupported).containsExactly("noProxiesSupportThis", "norDoAnyProxiesSupportThis");
        SipResponse answer = SipResponse.to(bext, 420, "Bad Extension")
                .toTag("x1").header(HeaderName.UNSUPPORTED, String.join(", ", unsupported)).build();
        assertThat(answer.status()).isEqualTo(420);
        assertThat(answer.header("Unsupported")).contains("noProxiesSupportThis, norDoAnyProxiesSupportThis");

        assertThat(vector("zeromf.dat").maxForwards()).hasValue(0);
        assertThat(vector("invut.dat").contentType().orElseThrow().is("application/unknownformat")).isTrue();
        assertThat(vector("sdp01.dat").header("Accept")).contains("text/nobodyKnowsThis");
        assertThat(vector("badbranch.dat").topVia().hasRfc3261Branch()).isTrue();
    }
}
