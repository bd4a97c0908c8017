package dev.switchboard.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sip.SipEngine;
import dev.switchboard.sip.transport.Transport;
import dev.switchboard.support.Api;
import dev.switchboard.support.Eventually;
import dev.switchboard.support.RegisterClient;
import dev.switchboard.support.SwitchboardTest;
import dev.switchboard.web.Timestamps;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Bindings survive a restart and reach other nodes: a second location store started on the same
 * database (as a restarted or second node would) loads what the first one registered, and
 * follows its later changes.
 */
@SwitchboardTest
class BindingPersistenceTest {

    @LocalServerPort
    int port;
    @Autowired
    SipEngine engine;
    @Autowired
    LocationStore store;
    @Autowired
    BindingPersistence persistence;
    @Autowired
    BindingRepository repository;
    @Autowired
    SipDirectory directory;
    @Autowired
    RegistrarProperties properties;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    Clock clock;
    @Autowired
    JdbcClient jdbc;

    /** A tenant with this user, registered from one UDP phone for ten minutes. */
    RegistrarFixture registered(String name, String extension) throws Exception {
        RegistrarFixture fixture = RegistrarFixture.create(new Api(port));
        fixture.sipUser(name, extension);
        try (RegisterClient ua = new RegisterClient(engine.localAddress(Transport.UDP).orElseThrow(),
                fixture.domain(), extension)) {
            assertThat(ua.register(List.of("<" + ua.contact(extension) + ">"), Optional.of(600L),
                    RegistrarFixture.SIP_PASSWORD).status()).isEqualTo(200);
        }
        return fixture;
    }

    @Test
    void loadsTheBindingsWrittenBehindIntoANewStore() throws Exception {
        RegistrarFixture fixture = RegistrarFixture.create(new Api(port));
        fixture.sipUser("alice", "101");
        try (RegisterClient ua = new RegisterClient(engine.localAddress(Transport.UDP).orElseThrow(),
                fixture.domain(), "101")) {
            String instance = "\"<urn:uuid:00000000-0000-1000-8000-000a95a0e128>\"";
            assertThat(ua.register(List.of("<" + ua.contact("a") + ">;q=0.5;+sip.instance=" + instance + ";reg-id=2",
                            "<" + ua.contact("b") + ">"), Optional.of(600L), RegistrarFixture.SIP_PASSWORD,
                    "Path: <sip:p1.example.net;lr>", "Path: <sip:p2.example.net;lr>").status()).isEqualTo(200);
        }
        persistence.flush();

        LocationStore restarted = new LocationStore(new SimpleMeterRegistry());
        BindingPersistence second = new BindingPersistence(restarted, repository, directory, properties,
                transactions, clock);
        second.start();
        try {
            assertThat(restarted.lookup(fixture.aor("101")))
                    .containsExactlyInAnyOrderElementsOf(store.lookup(fixture.aor("101")));
            assertThat(restarted.lookup(fixture.aor("101"))).hasSize(2);
        } finally {
            second.stop();
        }
    }

    @Test
    void bindingsAcceptedWhileTheDatabaseIsAwayAreWrittenWhenItIsBack() throws Exception {
        RegistrarFixture fixture = registered("erin", "105");
        String aor = fixture.aor("105");
        List<Binding> accepted = store.lookup(aor);
        persistence.flush();
        jdbc.sql("DELETE FROM binding WHERE aor = ?").param(aor).update();
        // Another node that took the REGISTER while no connection to the database could be had.
        java.util.concurrent.atomic.AtomicBoolean away = new java.util.concurrent.atomic.AtomicBoolean(true);
        PlatformTransactionManager flaky = new PlatformTransactionManager() {
            @Override
            public org.springframework.transaction.TransactionStatus getTransaction(
                    org.springframework.transaction.TransactionDefinition definition) {
                if (away.get()) {
                    throw new org.springframework.transaction.CannotCreateTransactionException(
                            "Could not open JDBC Connection for transaction");
                }
                return transactions.getTransaction(definition);
            }

            @Override
            public void commit(org.springframework.transaction.TransactionStatus status) {
                transactions.commit(status);
            }

            @Override
            public void rollback(org.springframework.transaction.TransactionStatus status) {
                transactions.rollback(status);
            }
        };
        LocationStore nodeStore = new LocationStore(new SimpleMeterRegistry());
        BindingPersistence node = new BindingPersistence(nodeStore, repository, directory, properties, flaky, clock);
        nodeStore.update(aor, current -> LocationStore.Change.replace(accepted, null));
        node.flush();
        assertThat(rows(aor)).isZero();
        away.set(false);
        node.flush();
        // It was kept for a retry, not dropped as "kept in memory only" (lost on restart and to other nodes).
        assertThat(rows(aor)).isEqualTo(1);
    }

    long rows(String aor) {
        return jdbc.sql("SELECT COUNT(*) FROM binding WHERE aor = ?").param(aor).query(Long.class).single();
    }

    @Test
    void showsBindingsMadeOnAnotherNodeAndTheirRemoval() throws Exception {
        RegistrarFixture fixture = RegistrarFixture.create(new Api(port));
        fixture.sipUser("bob", "102");
        LocationStore otherNode = new LocationStore(new SimpleMeterRegistry());
        BindingPersistence other = new BindingPersistence(otherNode, repository, directory, properties,
                transactions, clock);
        other.start();
        try {
            try (RegisterClient ua = new RegisterClient(engine.localAddress(Transport.UDP).orElseThrow(),
                    fixture.domain(), "102")) {
                assertThat(ua.register(List.of("<" + ua.contact("102") + ">"), Optional.of(600L),
                        RegistrarFixture.SIP_PASSWORD).status()).isEqualTo(200);
            }
            Eventually.within(Duration.ofSeconds(5), "binding seen by the other node",
                    () -> otherNode.lookup(fixture.aor("102")).size() == 1);
            store.removeIf(b -> b.aor().equals(fixture.aor("102")));
            Eventually.within(Duration.ofSeconds(5), "removal seen by the other node",
                    () -> otherNode.lookup(fixture.aor("102")).isEmpty());
        } finally {
            other.stop();
        }
    }

    @Test
    void anUnregisterOnANodeThatHasNotYetReadTheRegisterEndsItOnEveryNode() throws Exception {
        for (boolean wildcard : new boolean[] {true, false}) {
            RegistrarFixture fixture = RegistrarFixture.create(new Api(port));
            fixture.sipUser("dora", "104");
            LocationStore otherStore = new LocationStore(new SimpleMeterRegistry());
            BindingPersistence other = new BindingPersistence(otherStore, repository, directory, properties,
                    transactions, clock);
            Registrar otherRegistrar = new Registrar(otherStore, properties, new SimpleMeterRegistry());
            other.start();
            try (RegisterClient ua = new RegisterClient(engine.localAddress(Transport.UDP).orElseThrow(),
                    fixture.domain(), "104")) {
                String contact = ua.contact("104");
                assertThat(ua.register(List.of("<" + contact + ">"), Optional.of(600L),
                        RegistrarFixture.SIP_PASSWORD).status()).isEqualTo(200);
                // At once, before the other node has read it: the phone signs off there.
                var user = directory.user(UUID.fromString(fixture.tenantUuid()), "104").orElseThrow();
                var outcome = otherRegistrar.register(unregister(fixture.domain(), wildcard ? "*" : "<" + contact
                        + ">;expires=0"), new AddressOfRecord("104", fixture.domain()), user,
                        RegistrarRulesTest.FLOW, clock.instant());
                assertThat(outcome).isInstanceOf(Registrar.Outcome.Registered.class);
            }
            String aor = fixture.aor("104");
            Eventually.within(Duration.ofSeconds(5), "the un-REGISTER reached the node that took the REGISTER",
                    () -> store.lookup(aor).isEmpty() && otherStore.lookup(aor).isEmpty()
                            && jdbc.sql("SELECT COUNT(*) FROM binding WHERE aor = ?").param(aor)
                            .query(Long.class).single() == 0);
            // And nothing brings it back: neither node's copy, nor the other's read of it.
            Thread.sleep(1500);
            assertThat(store.lookup(aor)).as(wildcard ? "*" : "expires=0").isEmpty();
            assertThat(otherStore.lookup(aor)).isEmpty();
            other.stop();
        }
    }

    static dev.switchboard.sip.message.SipRequest unregister(String domain, String contact) {
        String text = """
                REGISTER sip:%s SIP/2.0\r
                Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK%s\r
                Max-Forwards: 70\r
                From: <sip:104@%s>;tag=1\r
                To: <sip:104@%s>\r
                Call-ID: %s\r
                CSeq: 9 REGISTER\r
                Contact: %s\r
                Expires: 0\r
                Content-Length: 0\r
                \r
                """.formatted(domain, UUID.randomUUID(), domain, domain, UUID.randomUUID(), contact);
        var parsed = (dev.switchboard.sip.message.ParseResult.Parsed) dev.switchboard.sip.message.SipParser.DEFAULT
                .parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return (dev.switchboard.sip.message.SipRequest) parsed.message();
    }

    @Test
    void endsTheBindingsOfATenantDisabledOnAnotherNode() throws Exception {
        RegistrarFixture fixture = registered("carol", "103");
        // Another node disables the tenant: this one hears of it only through the database, and
        // may have accepted bindings of it meanwhile.
        jdbc.sql("UPDATE tenant SET enabled = FALSE, updated_at = ? WHERE id = ?")
                .params(Timestamps.sql(clock.instant()), UUID.fromString(fixture.tenantUuid())).update();
        Eventually.within(Duration.ofSeconds(5), "bindings of the disabled tenant ended",
                () -> store.lookup(fixture.aor("103")).isEmpty());
    }

    @Test
    void anotherNodesStaleCopyNeitherUndoesARefreshNorBringsBackARemovedBinding() throws Exception {
        RegistrarFixture fixture = RegistrarFixture.create(new Api(port));
        fixture.sipUser("dora", "104");
        String aor = fixture.aor("104");
        TransactionTemplate tx = new TransactionTemplate(transactions);
        UUID otherNode = UUID.randomUUID();
        try (RegisterClient ua = new RegisterClient(engine.localAddress(Transport.UDP).orElseThrow(),
                fixture.domain(), "104")) {
            List<String> contact = List.of("<" + ua.contact("104") + ">");
            assertThat(ua.register(contact, Optional.of(600L), RegistrarFixture.SIP_PASSWORD).status()).isEqualTo(200);
            persistence.flush();
            Binding stale = store.lookup(aor).get(0);
            Thread.sleep(5);
            assertThat(ua.register(contact, Optional.of(600L), RegistrarFixture.SIP_PASSWORD).status()).isEqualTo(200);
            persistence.flush();
            long refreshed = store.lookup(aor).get(0).cseq();

            // The other node writes the AOR with the copy it had before the refresh.
            tx.executeWithoutResult(s -> repository.save(List.of(stale), repository.nextStamp(), otherNode));
            assertThat(repository.loadLive(List.of(aor), clock.instant())).singleElement()
                    .satisfies(b -> assertThat(b.cseq()).isEqualTo(refreshed));

            // This node removes the binding; the other node's copy must not bring it back.
            Binding current = store.lookup(aor).get(0);
            store.removeIf(b -> b.hasId(current.id()));
            persistence.flush();
            tx.executeWithoutResult(s -> repository.save(List.of(current), repository.nextStamp(), otherNode));
            assertThat(repository.loadLive(List.of(aor), clock.instant())).isEmpty();
        }
    }
}
