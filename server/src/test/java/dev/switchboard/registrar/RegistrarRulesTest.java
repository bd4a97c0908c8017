package dev.switchboard.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.registrar.SipDirectory.SipUser;
import dev.switchboard.sip.digest.Ha1Set;
import dev.switchboard.sip.message.ParseResult;
import dev.switchboard.sip.message.SipParser;
import dev.switchboard.sip.message.SipRequest;
import dev.switchboard.sip.transport.Flow;
import dev.switchboard.sip.transport.Transport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The binding rules of {@link Registrar} on their own: overflow policy and granted expiries. */
class RegistrarRulesTest {

    static final AddressOfRecord AOR = new AddressOfRecord("101", "example.com");
    static final SipUser USER = new SipUser(UUID.randomUUID(), UUID.randomUUID(), "101", Ha1Set.none());

    static RegistrarProperties settings(int maxContacts, RegistrarProperties.OverflowPolicy overflow, double jitter) {
        return new RegistrarProperties(Duration.ofSeconds(60), Duration.ofSeconds(3600), Duration.ofSeconds(3600),
                jitter, maxContacts, overflow, Duration.ofSeconds(300), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(10), new RegistrarProperties.Throttle(10, 30, Duration.ofMinutes(15),
                Duration.ofMinutes(15), 1000), Duration.ofSeconds(5), List.of(), Duration.ZERO);
    }

    /** A registrar on {@code store} with these limits. */
    static Registrar registrar(LocationStore store, int maxContacts, RegistrarProperties.OverflowPolicy overflow,
                               double jitter) {
        return new Registrar(store, settings(maxContacts, overflow, jitter), new SimpleMeterRegistry());
    }

    static SipRequest register(String callId, int cseq, String contact) {
        String text = """
                REGISTER sip:example.com SIP/2.0\r
                Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK%s%d\r
                Max-Forwards: 70\r
                From: <sip:101@example.com>;tag=1\r
                To: <sip:101@example.com>\r
                Call-ID: %s\r
                CSeq: %d REGISTER\r
                Contact: %s\r
                Expires: 600\r
                Content-Length: 0\r
                \r
                """.formatted(callId, cseq, callId, cseq, contact);
        var parsed = (ParseResult.Parsed) new SipParser(SipParser.Config.DEFAULT)
                .parse(text.getBytes(StandardCharsets.UTF_8));
        return (SipRequest) parsed.message();
    }

    static final Flow FLOW = new Flow() {
        @Override
        public Transport transport() {
            return Transport.UDP;
        }

        @Override
        public InetSocketAddress remote() {
            return new InetSocketAddress("192.0.2.10", 5060);
        }

        @Override
        public InetSocketAddress local() {
            return new InetSocketAddress("192.0.2.1", 5060);
        }

        @Override
        public void send(byte[] message) {
        }

        @Override
        public boolean isOpen() {
            return true;
        }
    };

    @Test
    void replacesTheBindingRefreshedLongestAgoWhenConfiguredTo() {
        LocationStore store = new LocationStore(new SimpleMeterRegistry());
        Registrar registrar = registrar(store, 2, RegistrarProperties.OverflowPolicy.REPLACE_OLDEST, 0);
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        registrar.register(register("a", 1, "<sip:a@192.0.2.10>"), AOR, USER, FLOW, t0);
        registrar.register(register("b", 1, "<sip:b@192.0.2.10>"), AOR, USER, FLOW, t0.plusSeconds(10));
        // a refreshes: now b is the oldest.
        registrar.register(register("a", 2, "<sip:a@192.0.2.10>"), AOR, USER, FLOW, t0.plusSeconds(20));
        var outcome = registrar.register(register("c", 1, "<sip:c@192.0.2.10>"), AOR, USER, FLOW, t0.plusSeconds(30));
        assertThat(outcome).isInstanceOf(Registrar.Outcome.Registered.class);
        assertThat(store.lookup(AOR.key())).extracting(Binding::contact)
                .containsExactlyInAnyOrder("sip:a@192.0.2.10", "sip:c@192.0.2.10");
    }

    @Test
    void bindingsOfOneUriToldApartByTheirInstanceHaveIdsOfTheirOwn() {
        LocationStore store = new LocationStore(new SimpleMeterRegistry());
        Registrar registrar = registrar(store, 10, RegistrarProperties.OverflowPolicy.REJECT, 0);
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        // A phone without instance, then two phones behind two NATs, all writing the same private contact.
        int phone = 0;
        for (String contact : List.of("<sip:a@192.168.1.100>",
                "<sip:a@192.168.1.100>;+sip.instance=\"<urn:uuid:aaaa0000-0000-1000-8000-000a95a0e128>\";reg-id=1",
                "<sip:a@192.168.1.100>;+sip.instance=\"<urn:uuid:bbbb0000-0000-1000-8000-000a95a0e128>\";reg-id=1")) {
            assertThat(registrar.register(register("phone" + phone++, 1, contact), AOR, USER, FLOW, now))
                    .isInstanceOf(Registrar.Outcome.Registered.class);
        }
        // Three bindings, three ids: three rows, and a DELETE of one ends only that one.
        assertThat(store.lookup(AOR.key())).hasSize(3).extracting(Binding::id).doesNotHaveDuplicates();
    }

    @Test
    void oneIpv6ContactWrittenThreeWaysIsOneBinding() {
        LocationStore store = new LocationStore(new SimpleMeterRegistry());
        Registrar registrar = registrar(store, 10, RegistrarProperties.OverflowPolicy.REJECT, 0);
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        int cseq = 1;
        for (String host : List.of("[0:0:0:0:0:0:0:1]", "[::1]", "[0000::0001]")) {
            registrar.register(register("v6", cseq++, "<sip:a@" + host + ":42321>"), AOR, USER, FLOW, now);
        }
        // The same address and port: one phone, rung once (it got three INVITEs for one call).
        assertThat(store.lookup(AOR.key())).hasSize(1);
    }

    @Test
    void twoNodesTakingTheSameRegisterMakeTheSameBinding() {
        LocationStore one = new LocationStore(new SimpleMeterRegistry());
        LocationStore other = new LocationStore(new SimpleMeterRegistry());
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        registrar(one, 10, RegistrarProperties.OverflowPolicy.REJECT, 0)
                .register(register("x", 1, "<sip:a@192.0.2.10>"), AOR, USER, FLOW, now);
        registrar(other, 10, RegistrarProperties.OverflowPolicy.REJECT, 0)
                .register(register("x", 1, "<sip:a@192.0.2.10>"), AOR, USER, FLOW, now.plusMillis(10));
        // The same id: the database keeps one row, and an un-REGISTER on either node ends it.
        assertThat(other.lookup(AOR.key())).singleElement().extracting(Binding::id)
                .isEqualTo(one.lookup(AOR.key()).get(0).id());
        registrar(one, 10, RegistrarProperties.OverflowPolicy.REJECT, 0)
                .register(register("x", 2, "<sip:b@192.0.2.10>"), AOR, USER, FLOW, now);
        assertThat(one.lookup(AOR.key())).extracting(Binding::id).doesNotHaveDuplicates().hasSize(2);
    }

    @Test
    void rejectsTheExtraContactByDefault() {
        LocationStore store = new LocationStore(new SimpleMeterRegistry());
        Registrar registrar = registrar(store, 1, RegistrarProperties.OverflowPolicy.REJECT, 0);
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        registrar.register(register("a", 1, "<sip:a@192.0.2.10>"), AOR, USER, FLOW, now);
        assertThat(registrar.register(register("b", 1, "<sip:b@192.0.2.10>"), AOR, USER, FLOW, now))
                .isInstanceOf(Registrar.Outcome.TooManyContacts.class);
        // A refresh of the one contact still works.
        assertThat(registrar.register(register("a", 2, "<sip:a@192.0.2.10>"), AOR, USER, FLOW, now))
                .isInstanceOf(Registrar.Outcome.Registered.class);
    }

    @Test
    void comparesContactsAsRfc3261Section19_1_4Says() {
        LocationStore store = new LocationStore(new SimpleMeterRegistry());
        Registrar registrar = registrar(store, 10, RegistrarProperties.OverflowPolicy.REJECT, 0);
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        registrar.register(register("c", 1, "<sip:a@192.0.2.10;x=1>"), AOR, USER, FLOW, now);
        // A parameter both name with different values, URI headers, maddr in one only: other contacts.
        registrar.register(register("c", 2, "<sip:a@192.0.2.10;x=2>"), AOR, USER, FLOW, now);
        registrar.register(register("c", 3, "<sip:a@192.0.2.10?X-Foo=bar>"), AOR, USER, FLOW, now);
        registrar.register(register("c", 4, "<sip:a@192.0.2.10;maddr=192.0.2.99>"), AOR, USER, FLOW, now);
        assertThat(store.lookup(AOR.key())).extracting(Binding::contact).containsExactlyInAnyOrder(
                "sip:a@192.0.2.10;x=1", "sip:a@192.0.2.10;x=2", "sip:a@192.0.2.10?X-Foo=bar",
                "sip:a@192.0.2.10;maddr=192.0.2.99");
        // Names and values compare without case, and a parameter only one names is ignored: a refresh of x=2.
        registrar.register(register("c", 5, "<sip:a@192.0.2.10;X=2;y=7>"), AOR, USER, FLOW, now);
        // Removing x=1 removes that contact and no other.
        registrar.register(register("c", 6, "<sip:a@192.0.2.10;x=1>;expires=0"), AOR, USER, FLOW, now);
        assertThat(store.lookup(AOR.key())).extracting(Binding::contact).containsExactlyInAnyOrder(
                "sip:a@192.0.2.10;X=2;y=7", "sip:a@192.0.2.10?X-Foo=bar", "sip:a@192.0.2.10;maddr=192.0.2.99");
        // Headers in another order are the same headers.
        registrar.register(register("c", 7, "<sip:a@192.0.2.10?b=2&A=1>"), AOR, USER, FLOW, now);
        registrar.register(register("c", 8, "<sip:a@192.0.2.10?a=1&b=2>;expires=0"), AOR, USER, FLOW, now);
        assertThat(store.lookup(AOR.key())).hasSize(3);
    }

    @Test
    void grantsAtMostTheMaximumShortenedByAtMostTheJitterAndNeverBelowTheMinimum() {
        Registrar registrar = registrar(new LocationStore(new SimpleMeterRegistry()), 10,
                RegistrarProperties.OverflowPolicy.REJECT, 0.05);
        for (int i = 0; i < 1000; i++) {
            assertThat(registrar.grant(100_000)).isBetween(3420L, 3600L);
            assertThat(registrar.grant(600)).isBetween(570L, 600L);
            assertThat(registrar.grant(61)).isBetween(60L, 61L);
        }
    }
}
