package dev.switchboard.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sip.SipEngine;
import dev.switchboard.sip.digest.NonceService;
import dev.switchboard.sip.message.SipResponse;
import dev.switchboard.sip.transport.Transport;
import dev.switchboard.support.Api;
import dev.switchboard.support.RegisterClient;
import dev.switchboard.support.SwitchboardTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** REGISTER against the running server over UDP: digest, RFC 3261 §10.3 binding rules, limits. */
@SwitchboardTest
class RegistrarTest {

    @LocalServerPort
    int port;
    @Autowired
    SipEngine engine;
    @Autowired
    LocationStore store;
    @Autowired
    MeterRegistry meters;
    @Autowired
    NonceService registrarNonces;

    RegistrarFixture fixture;

    @BeforeEach
    void tenantWithUser() {
        fixture = RegistrarFixture.create(new Api(port));
        fixture.sipUser("alice", "101");
    }

    RegisterClient client(String user) throws Exception {
        return new RegisterClient(engine.localAddress(Transport.UDP).orElseThrow(), fixture.domain(), user);
    }

    static long expiresOf(SipResponse r, String contactUri) {
        for (String line : r.headers("Contact")) {
            if (line.contains("<" + contactUri + ">")) {
                Matcher m = Pattern.compile("expires=(\\d+)").matcher(line);
                assertThat(m.find()).as("expires in %s", line).isTrue();
                return Long.parseLong(m.group(1));
            }
        }
        throw new AssertionError("no contact " + contactUri + " in " + r);
    }

    @Test
    void challengesWithSha256AndMd5ForTheTenantRealmThenRegisters() throws Exception {
        try (RegisterClient ua = client("101")) {
            String contact = "<" + ua.contact("101") + ">";
            SipResponse challenge = ua.exchange(ua.request(List.of(contact), Optional.of(600L), Optional.empty()));
            assertThat(challenge.status()).isEqualTo(401);
            List<String> offered = challenge.headers("WWW-Authenticate");
            assertThat(String.join("\n", offered)).contains("algorithm=SHA-256").contains("algorithm=MD5")
                    .contains("realm=\"" + fixture.domain() + "\"").contains("qop=\"auth\"");
            // RFC 8760: most preferred first, for a phone that says who it is.
            assertThat(offered.get(0)).contains("algorithm=SHA-256");
            // Without a User-Agent (test tools write none): both, MD5 first, for clients that answer the topmost.
            String anonymous = ua.request(List.of(contact), Optional.of(600L), Optional.empty())
                    .replace("User-Agent: RegisterClient\r\n", "");
            List<String> order = ua.exchange(anonymous).headers("WWW-Authenticate");
            assertThat(order).hasSize(2);
            assertThat(order.get(0)).contains("algorithm=MD5");
            assertThat(order.get(1)).contains("algorithm=SHA-256");
            // The clients listed by default as unable to take SHA-256 at all: MD5 alone.
            for (String agent : new String[] {"SIPp/3.6.1", "baresip v1.0.0 (x86_64/linux)"}) {
                String request = ua.request(List.of(contact), Optional.of(600L), Optional.empty())
                        .replace("User-Agent: RegisterClient", "User-Agent: " + agent);
                assertThat(ua.exchange(request).headers("WWW-Authenticate")).as(agent).singleElement().asString()
                        .contains("algorithm=MD5");
            }
            assertThat(challenge.toString()).doesNotContain("stale=true");

            SipResponse ok = ua.answer(challenge, List.of(contact), Optional.of(600L), RegistrarFixture.SIP_PASSWORD);
            assertThat(ok.status()).isEqualTo(200);
            // Granted at most what was asked, shortened by the jitter of at most 5 %.
            assertThat(expiresOf(ok, ua.contact("101"))).isBetween(570L, 600L);
            // RFC 3261 §25.1 SIP-date: wkday "," SP 2DIGIT SP month SP 4DIGIT SP time SP "GMT".
            assertThat(ok.header("Date")).hasValueSatisfying(date -> assertThat(date)
                    .matches("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"));
            assertThat(store.lookup(fixture.aor("101"))).singleElement().satisfies(b -> {
                assertThat(b.contact()).isEqualTo(ua.contact("101"));
                assertThat(b.source()).isEqualTo("127.0.0.1:" + ua.port());
                assertThat(b.transport()).isEqualTo("UDP");
                assertThat(b.userAgent()).contains("RegisterClient");
                assertThat(b.callId()).isEqualTo(ua.callId());
            });
        }
    }

    @Test
    void refusesAWrongPasswordAndAnUnknownUserTheSameWay() throws Exception {
        try (RegisterClient wrong = client("101"); RegisterClient unknown = client("999")) {
            SipResponse a = wrong.register(List.of("<" + wrong.contact("101") + ">"), Optional.of(600L), "not-it-1234");
            SipResponse b = unknown.register(List.of("<" + unknown.contact("999") + ">"), Optional.of(600L),
                    RegistrarFixture.SIP_PASSWORD);
            assertThat(a.status()).isEqualTo(403);
            assertThat(b.status()).isEqualTo(a.status());
            assertThat(b.reason()).isEqualTo(a.reason());
            assertThat(a.headers("WWW-Authenticate")).isEqualTo(b.headers("WWW-Authenticate"));
            assertThat(store.lookup(fixture.aor("101"))).isEmpty();
            assertThat(store.lookup(fixture.aor("999"))).isEmpty();
        }
    }

    @Test
    void refusesADigestUsernameOtherThanTheAorUser() throws Exception {
        fixture.sipUser("bob", "102");
        try (RegisterClient ua = client("101")) {
            SipResponse challenge = ua.exchange(ua.request(List.of("<" + ua.contact("x") + ">"), Optional.of(600L),
                    Optional.empty()));
            // bob's own valid credentials, but for alice's AOR.
            try (RegisterClient bob = client("102")) {
                String bobsCredentials = bob.authorization(challenge, RegistrarFixture.SIP_PASSWORD);
                SipResponse answer = ua.exchange(ua.request(List.of("<" + ua.contact("x") + ">"), Optional.of(600L),
                        Optional.of(bobsCredentials)));
                assertThat(answer.status()).isEqualTo(403);
            }
            assertThat(store.lookup(fixture.aor("101"))).isEmpty();
        }
    }

    @Test
    void answersAReplayedNonceCountWithAFreshStaleChallengeThatCountsNoFailure() throws Exception {
        try (RegisterClient ua = client("101")) {
            List<String> contact = List.of("<" + ua.contact("101") + ">");
            assertThat(ua.register(contact, Optional.of(600L), RegistrarFixture.SIP_PASSWORD).status()).isEqualTo(200);
            double failures = meters.get("sip.registrar.auth.failures").counter().count();
            // The same credentials (same nonce, same nc) in a new request: a captured REGISTER replayed,
            // with the replayer's own contact (qop=auth does not cover the headers).
            String used = nonceOf(ua.lastAuthorization());
            SipResponse replay = ua.exchange(ua.request(List.of("<sip:101@192.0.2.66:5060>"), Optional.of(600L),
                    Optional.of(ua.lastAuthorization())));
            // Refused with a fresh challenge, as Kamailio's and OpenSIPS's default scripts do: the
            // replayer cannot answer it, a client that does not count nc retries with it. Not
            // counted towards the lock, or replaying one captured REGISTER would lock its user out.
            assertThat(replay.status()).isEqualTo(401);
            assertThat(replay.headers("WWW-Authenticate")).isNotEmpty()
                    .allSatisfy(h -> assertThat(h).contains("stale=true").doesNotContain(used));
            assertThat(store.lookup(fixture.aor("101"))).extracting(Binding::contact)
                    .containsExactly(ua.contact("101"));
            assertThat(meters.get("sip.registrar.auth.failures").counter().count()).isEqualTo(failures);
        }
    }

    private static String nonceOf(String authorization) {
        Matcher m = Pattern.compile("(?<!c)nonce=\"([^\"]+)\"").matcher(authorization);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    @Test
    void refreshesKeepingTheBindingAndRemovesItWithExpiresZero() throws Exception {
        try (RegisterClient ua = client("101")) {
            List<String> contact = List.of("<" + ua.contact("101") + ">");
            assertThat(ua.register(contact, Optional.of(600L), RegistrarFixture.SIP_PASSWORD).status()).isEqualTo(200);
            Binding first = store.lookup(fixture.aor("101")).get(0);
            SipResponse refresh = ua.register(contact, Optional.of(1200L), RegistrarFixture.SIP_PASSWORD);
            assertThat(refresh.status()).isEqualTo(200);
            assertThat(refresh.headers("Contact")).hasSize(1);
            Binding second = store.lookup(fixture.aor("101")).get(0);
            assertThat(second.id()).isEqualTo(first.id());
            assertThat(second.cseq()).isGreaterThan(first.cseq());
            assertThat(second.expiresAt()).isAfter(first.expiresAt());

            SipResponse removed = ua.register(List.of("<" + ua.contact("101") + ">;expires=0"), Optional.empty(),
                    RegistrarFixture.SIP_PASSWORD);
            assertThat(removed.status()).isEqualTo(200);
            assertThat(removed.headers("Contact")).isEmpty();
            assertThat(store.lookup(fixture.aor("101"))).isEmpty();
        }
    }

    @Test
    void removesOneContactAndKeepsTheOthers() throws Exception {
        try (RegisterClient ua = client("101")) {
            String a = "<" + ua.contact("a") + ">";
            String b = "<" + ua.contact("b") + ">";
            assertThat(ua.register(List.of(a, b), Optional.of(600L), RegistrarFixture.SIP_PASSWORD).headers("Contact"))
                    .hasSize(2);
            SipResponse after = ua.register(List.of(a + ";expires=0"), Optional.empty(), RegistrarFixture.SIP_PASSWORD);
            assertThat(after.status()).isEqualTo(200);
            assertThat(after.headers("Contact")).singleElement().asString().contains(ua.contact("b"));
        }
    }

    @Test
    void removesAllBindingsWithStarAndExpiresZeroOnly() throws Exception {
        try (RegisterClient ua = client("101"); RegisterClient other = client("101")) {
            assertThat(ua.register(List.of("<" + ua.contact("a") + ">"), Optional.of(600L),
                    RegistrarFixture.SIP_PASSWORD).status()).isEqualTo(200);
            assertThat(other.register(List.of("<" + other.contact("b") + ">"), Optional.of(600L),
                    RegistrarFixture.SIP_PASSWORD).status()).isEqualTo(200);
            assertThat(store.lookup(fixture.aor("101"))).hasSize(2);

            SipResponse bad = ua.register(List.of("*"), Optional.of(600L), RegistrarFixture.SIP_PASSWORD);
            assertThat(bad.status()).isEqualTo(400);
            assertThat(store.lookup(fixture.aor("101"))).hasSize(2);

            SipResponse all = ua.register(List.of("*"), Optional.of(0L), RegistrarFixture.SIP_PASSWORD);
            assertThat(all.status()).isEqualTo(200);
            assertThat(all.headers("Contact")).isEmpty();
            assertThat(store.lookup(fixture.aor("101"))).isEmpty();
        }
    }

    @Test
    void answers423WithMinExpiresBelowTheMinimumAndCapsAtTheMaximum() throws Exception {
        try (RegisterClient ua = client("101")) {
            SipResponse brief = ua.register(List.of("<" + ua.contact("101") + ">"), Optional.of(30L),
                    RegistrarFixture.SIP_PASSWORD);
            assertThat(brief.status()).isEqualTo(423);
            assertThat(brief.header("Min-Expires")).contains("60");
            assertThat(store.lookup(fixture.aor("101"))).isEmpty();

            SipResponse capped = ua.register(List.of("<" + ua.contact("101") + ">;expires=86400"), Optional.empty(),
                    RegistrarFixture.SIP_PASSWORD);
            assertThat(capped.status()).isEqualTo(200);
            assertThat(expiresOf(capped, ua.contact("101"))).isBetween(3420L, 3600L);
        }
    }

    @Test
    void refusesAnOlderCSeqOfTheSameCallIdWithoutChangingTheBinding() throws Exception {
        try (RegisterClient ua = client("101")) {
            List<String> contact = List.of("<" + ua.contact("101") + ">");
            assertThat(ua.register(contact, Optional.of(600L), RegistrarFixture.SIP_PASSWORD).status()).isEqualTo(200);
            Binding stored = store.lookup(fixture.aor("101")).get(0);
            // A delayed copy with an older CSeq, freshly authenticated.
            SipResponse challenge = ua.exchange(ua.request(contact, Optional.of(0L), Optional.empty()));
            SipResponse old = ua.exchange(ua.request(ua.callId(), 1, contact, Optional.of(0L),
                    Optional.of(ua.authorization(challenge, RegistrarFixture.SIP_PASSWORD))));
            assertThat(old.status()).isEqualTo(500);
            assertThat(store.lookup(fixture.aor("101"))).containsExactly(stored);
        }
    }

    @Test
    void keepsQInstanceRegIdAndPathAndEchoesPath() throws Exception {
        try (RegisterClient ua = client("101")) {
            String instance = "\"<urn:uuid:00000000-0000-1000-8000-000a95a0e128>\"";
            SipResponse ok = ua.register(List.of("<" + ua.contact("101") + ">;q=0.5;+sip.instance=" + instance
                            + ";reg-id=1"), Optional.of(600L), RegistrarFixture.SIP_PASSWORD,
                    "Path: <sip:edge.example.net;lr>", "Supported: path, outbound");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.header("Contact").orElseThrow()).contains(";q=0.5").contains("+sip.instance=" + instance)
                    .contains(";reg-id=1");
            assertThat(ok.headers("Path")).containsExactly("<sip:edge.example.net;lr>");
            // RFC 5626 §6: behind an edge proxy that did not mark its Path with ;ob, no outbound.
            assertThat(ok.headers("Require")).isEmpty();
            Binding b = store.lookup(fixture.aor("101")).get(0);
            assertThat(b.path()).containsExactly("<sip:edge.example.net;lr>");
            assertThat(b.instance()).contains(instance);
            assertThat(b.regId()).contains(1);

            // The same instance and reg-id from a new address replaces the binding (RFC 5626).
            try (RegisterClient moved = client("101")) {
                SipResponse again = moved.register(List.of("<" + moved.contact("101") + ">;+sip.instance=" + instance
                        + ";reg-id=1"), Optional.of(600L), RegistrarFixture.SIP_PASSWORD);
                assertThat(again.headers("Contact")).singleElement().asString().contains(moved.contact("101"));
                assertThat(again.headers("Require")).as("the UA did not say it supports outbound").isEmpty();
                // Directly registered and supporting outbound: the flow is kept, and the UA told so.
                SipResponse outbound = moved.register(List.of("<" + moved.contact("101") + ">;+sip.instance="
                        + instance + ";reg-id=1"), Optional.of(600L), RegistrarFixture.SIP_PASSWORD,
                        "Supported: outbound");
                assertThat(outbound.headers("Require")).containsExactly("outbound");
            }
        }
    }

    @Test
    void keepsEveryEntryOfACommaSeparatedPathAndRefusesAMalformedOne() throws Exception {
        try (RegisterClient ua = client("101")) {
            String contact = "<" + ua.contact("101") + ">";
            // RFC 3327 §4: Path = "Path" HCOLON path-value *(COMMA path-value)
            SipResponse ok = ua.register(List.of(contact), Optional.of(600L), RegistrarFixture.SIP_PASSWORD,
                    "Path: <sip:edge1.example.net;lr>, <sip:edge2.example.net;lr>", "Path: <sip:core.example.net;lr>",
                    "Supported: path");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(store.lookup(fixture.aor("101"))).singleElement().satisfies(b -> assertThat(b.path())
                    .containsExactly("<sip:edge1.example.net;lr>", "<sip:edge2.example.net;lr>",
                            "<sip:core.example.net;lr>"));

            SipResponse bad = ua.register(List.of(contact), Optional.of(600L), RegistrarFixture.SIP_PASSWORD,
                    "Path: sip:edge1.example.net;lr, <sip:edge2", "Supported: path");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(store.lookup(fixture.aor("101"))).singleElement()
                    .satisfies(b -> assertThat(b.path()).hasSize(3));
        }
    }

    @Test
    void refusesMoreContactsThanTheMaximum() throws Exception {
        try (RegisterClient ua = client("101")) {
            List<String> ten = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ten.add("<" + ua.contact("c" + i) + ">");
            }
            assertThat(ua.register(ten, Optional.of(600L), RegistrarFixture.SIP_PASSWORD).headers("Contact"))
                    .hasSize(10);
            SipResponse eleventh = ua.register(List.of("<" + ua.contact("c10") + ">"), Optional.of(600L),
                    RegistrarFixture.SIP_PASSWORD);
            assertThat(eleventh.status()).isEqualTo(403);
            assertThat(eleventh.reason()).isEqualTo("Too Many Contacts");
            assertThat(store.lookup(fixture.aor("101"))).hasSize(10);
        }
    }

    @Test
    void refusesAContactTooLongToListInTheAnswerAndStoresNothing() throws Exception {
        try (RegisterClient ua = client("101")) {
            int before = store.lookup(fixture.aor("101")).size();
            // Ten of these made a 200 over 64 KB: the phone never heard it was registered.
            String huge = "<" + ua.contact("u" + "q".repeat(1100)) + ">";
            SipResponse refused = ua.register(List.of(huge), Optional.of(600L), RegistrarFixture.SIP_PASSWORD);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.reason()).isEqualTo("Contact Too Long");
            assertThat(store.lookup(fixture.aor("101"))).hasSize(before);
            String pushLike = "<" + ua.contact("u" + "q".repeat(900)) + ">";
            assertThat(ua.register(List.of(pushLike), Optional.of(600L), RegistrarFixture.SIP_PASSWORD).status())
                    .isEqualTo(200);
            ua.register(List.of(pushLike + ";expires=0"), Optional.empty(), RegistrarFixture.SIP_PASSWORD);
        }
    }

    @Test
    void aToNamingNoAorOfTheDomainIsChallengedFirstAnd404OnlyForAUserWithTheRightPassword() throws Exception {
        try (RegisterClient ua = client("101")) {
            String domain = fixture.domain();
            java.util.function.Function<Optional<String>, String> foreignTo = auth -> ua.request(
                    List.of("<" + ua.contact("101") + ">"), Optional.of(600L), auth)
                    .replace("To: <sip:101@" + domain + ">", "To: <sip:101@elsewhere.example.org>");
            // RFC 3261 §10.3: authentication (steps 3, 4) comes before the AOR check (step 5).
            SipResponse challenge = ua.exchange(foreignTo.apply(Optional.empty()));
            assertThat(challenge.status()).isEqualTo(401);
            SipResponse wrong = ua.exchange(foreignTo.apply(Optional.of(ua.authorization(challenge, "not-it-1234"))));
            assertThat(wrong.status()).isEqualTo(403);
            SipResponse again = ua.exchange(foreignTo.apply(Optional.empty()));
            SipResponse right = ua.exchange(foreignTo.apply(
                    Optional.of(ua.authorization(again, RegistrarFixture.SIP_PASSWORD))));
            assertThat(right.status()).isEqualTo(404);
            assertThat(store.lookup(fixture.aor("101"))).isEmpty();
        }
    }

    @Test
    void refusesRegisterForADomainItDoesNotServe() throws Exception {
        try (RegisterClient ua = new RegisterClient(engine.localAddress(Transport.UDP).orElseThrow(),
                "nobody.example.org", "101")) {
            SipResponse r = ua.exchange(ua.request(List.of("<" + ua.contact("101") + ">"), Optional.of(600L),
                    Optional.empty()));
            assertThat(r.status()).isEqualTo(403);
        }
    }

    @Test
    void answersAFloodOfUnauthenticatedRegistersWithoutKeepingState() throws Exception {
        double before = meters.get("sip.transactions.server").gauge().value();
        try (RegisterClient scanner = client("101")) {
            for (int i = 0; i < 300; i++) {
                SipResponse r = scanner.exchange(scanner.request(List.of("<" + scanner.contact("x") + ">"),
                        Optional.of(600L), Optional.empty()));
                assertThat(r.status()).isEqualTo(401);
            }
        }
        // Answered statelessly: no server transaction was created for any of them.
        assertThat(meters.get("sip.transactions.server").gauge().value()).isLessThanOrEqualTo(before);
    }

    @Test
    void answersAFloodWithMadeUpNoncesStatelesslyToo() throws Exception {
        double before = meters.get("sip.transactions.started").tag("side", "server").functionCounter().count();
        try (RegisterClient scanner = client("101")) {
            for (int i = 0; i < 50; i++) {
                String forged = scanner.request(List.of("<" + scanner.contact("x") + ">"), Optional.of(600L),
                        Optional.of("Digest username=\"101\", realm=\"" + fixture.domain() + "\", nonce=\"abc" + i
                                + "\", uri=\"sip:" + fixture.domain() + "\", response=\"" + "0".repeat(32) + "\""));
                SipResponse r = scanner.exchange(forged);
                assertThat(r.status()).isEqualTo(401);
                assertThat(r.header("WWW-Authenticate")).isPresent();
            }
        }
        // A nonce we never issued lets no password be tried: no transaction, as without credentials (SPEC 4.4).
        assertThat(meters.get("sip.transactions.started").tag("side", "server").functionCounter().count())
                .isEqualTo(before);
    }

    @Test
    void answersACopyOfARequestWithTheAnswerTheOriginalGotAndAnotherRequestWithAnother() throws Exception {
        // RFC 3261 §8.2.7: a stateless answer's To tag is the same for the same request, so a
        // retransmitted REGISTER gets the very challenge the original got (a client comparing the
        // two, as SIPp does, sees one answer); the next request gets its own tag and nonce.
        // Copies get one nonce within a window of the clock; start well inside one.
        long window = registrarNonces.sameAnswerWindow().toMillis();
        long intoWindow = System.currentTimeMillis() % window;
        if (intoWindow > window - 500) {
            Thread.sleep(window - intoWindow + 10);
        }
        try (RegisterClient ua = client("101")) {
            String register = ua.request(List.of("<" + ua.contact("101") + ">"), Optional.of(600L), Optional.empty());
            SipResponse first = ua.exchange(register);
            SipResponse copy = ua.exchange(register);
            assertThat(first.status()).isEqualTo(401);
            assertThat(copy.toString()).isEqualTo(first.toString());
            SipResponse next = ua.exchange(ua.request(List.of("<" + ua.contact("101") + ">"), Optional.of(600L),
                    Optional.empty()));
            assertThat(next.status()).isEqualTo(401);
            assertThat(next.to().tag()).isNotEqualTo(first.to().tag());
            assertThat(next.headers("WWW-Authenticate")).doesNotContainAnyElementsOf(first.headers("WWW-Authenticate"));
            // The repeated challenge is a working one.
            assertThat(ua.answer(copy, List.of("<" + ua.contact("101") + ">"), Optional.of(600L),
                    RegistrarFixture.SIP_PASSWORD).status()).isEqualTo(200);
        }
        try (RegisterClient stranger = new RegisterClient(engine.localAddress(Transport.UDP).orElseThrow(),
                "nobody.example.org", "101")) {
            String register = stranger.request(List.of("<" + stranger.contact("101") + ">"), Optional.of(600L),
                    Optional.empty());
            SipResponse first = stranger.exchange(register);
            assertThat(first.status()).isEqualTo(403);
            assertThat(stranger.exchange(register).toString()).isEqualTo(first.toString());
        }
    }

    @Test
    void exportsRegistrarMetrics() throws Exception {
        try (RegisterClient ua = client("101")) {
            ua.register(List.of("<" + ua.contact("101") + ">"), Optional.of(600L), RegistrarFixture.SIP_PASSWORD);
            ua.register(List.of("<" + ua.contact("101") + ">"), Optional.of(600L), "wrong-password");
        }
        // SPEC 2: the metrics need a token like everything but the login calls, /api/info and health.
        assertThat(fixture.api().get("/actuator/prometheus", null).status()).isEqualTo(401);
        String tenantUser = fixture.api().signIn(fixture.domain(), "alice", RegistrarFixture.LOGIN_PASSWORD);
        assertThat(fixture.api().get("/actuator/prometheus", tenantUser).status()).isEqualTo(403);
        String prometheus = fixture.api().get("/actuator/prometheus", fixture.adminToken()).text();
        assertThat(prometheus).contains("sip_registrar_bindings ").contains("sip_registrar_registrations_total")
                .contains("sip_registrar_auth_failures_total").contains("sip_registrar_locks_total");
        // SPEC 5 names transactions and latency too.
        assertThat(prometheus).contains("sip_transactions_started_total{side=\"server\"}")
                .contains("sip_requests_seconds_bucket{method=\"REGISTER\"")
                .contains("sip_requests_seconds_count{method=\"REGISTER\"}").contains("auth_login_failures_total");
        assertThat(meters.get("sip.requests").tag("method", "REGISTER").timer().count()).isGreaterThanOrEqualTo(1);
        assertThat(meters.get("sip.registrar.registrations").counter().count()).isGreaterThanOrEqualTo(1);
        assertThat(meters.get("sip.registrar.auth.failures").counter().count()).isGreaterThanOrEqualTo(1);
        assertThat(meters.get("sip.registrar.bindings").gauge().value()).isGreaterThanOrEqualTo(1);
    }
}
