package dev.switchboard.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sip.SipEngine;
import dev.switchboard.sip.message.SipResponse;
import dev.switchboard.sip.transport.Transport;
import dev.switchboard.support.Api;
import dev.switchboard.support.Eventually;
import dev.switchboard.support.RegisterClient;
import dev.switchboard.support.SwitchboardTest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** Stale nonces, the lock after repeated digest failures and expiry sweeping, with short limits. */
@SwitchboardTest
@TestPropertySource(properties = {
        "switchboard.registrar.nonce-lifetime=1s",
        "switchboard.registrar.throttle.user-failures=3",
        "switchboard.registrar.audit-flush-interval=200ms",
        "switchboard.registrar.min-expires=1s"})
class RegistrarShortLimitsTest {

    @LocalServerPort
    int port;
    @Autowired
    SipEngine engine;
    @Autowired
    LocationStore store;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    RegistrarProperties properties;

    RegistrarFixture fixture;

    @BeforeEach
    void tenantWithUsers() {
        fixture = RegistrarFixture.create(new Api(port));
        fixture.sipUser("alice", "101");
        fixture.sipUser("bob", "102");
    }

    RegisterClient client(String user) throws Exception {
        return new RegisterClient(engine.localAddress(Transport.UDP).orElseThrow(), fixture.domain(), user);
    }

    @Test
    void answersAnExpiredNonceWithStaleTrueAndAcceptsTheNextOne() throws Exception {
        try (RegisterClient ua = client("101")) {
            List<String> contact = List.of("<" + ua.contact("101") + ">");
            SipResponse challenge = ua.exchange(ua.request(contact, Optional.of(600L), Optional.empty()));
            Thread.sleep(1500);
            SipResponse stale = ua.answer(challenge, contact, Optional.of(600L), RegistrarFixture.SIP_PASSWORD);
            assertThat(stale.status()).isEqualTo(401);
            assertThat(stale.headers("WWW-Authenticate")).allMatch(v -> v.contains("stale=true"));
            assertThat(store.lookup(fixture.aor("101"))).isEmpty();

            SipResponse ok = ua.answer(stale, contact, Optional.of(600L), RegistrarFixture.SIP_PASSWORD);
            assertThat(ok.status()).isEqualTo(200);
        }
    }

    @Test
    void locksAUserAfterRepeatedFailuresWithoutDigestWorkAndAuditsIt() throws Exception {
        try (RegisterClient ua = client("101")) {
            List<String> contact = List.of("<" + ua.contact("101") + ">");
            for (int i = 0; i < 3; i++) {
                assertThat(ua.register(contact, Optional.of(600L), "wrong-password-" + i).status()).isEqualTo(403);
            }
            // Locked: even a request without credentials gets 403, not a challenge.
            SipResponse locked = ua.exchange(ua.request(contact, Optional.of(600L), Optional.empty()));
            assertThat(locked.status()).isEqualTo(403);
            assertThat(locked.headers("WWW-Authenticate")).isEmpty();
            assertThat(ua.register(contact, Optional.of(600L), RegistrarFixture.SIP_PASSWORD).status())
                    .isEqualTo(403);
            assertThat(store.lookup(fixture.aor("101"))).isEmpty();
        }
        // Another user from the same address is not affected by alice's lock.
        try (RegisterClient bob = client("102")) {
            assertThat(bob.register(List.of("<" + bob.contact("102") + ">"), Optional.of(600L),
                    RegistrarFixture.SIP_PASSWORD).status()).isEqualTo(200);
        }

        // The lock is stored, so a restarted node (a fresh throttle reading the locks) keeps it.
        String userKey = fixture.tenantUuid() + ":101";
        Eventually.within(Duration.ofSeconds(10), "the lock stored", () -> jdbc.sql(
                "SELECT COUNT(*) FROM sip_lock WHERE lock_key = ?").param("user:" + userKey).query(Long.class)
                .single() == 1);
        RegisterThrottle restarted = new RegisterThrottle(properties.throttle(), Clock.systemUTC());
        new SharedSipLocks(restarted, jdbc, Clock.systemUTC()).afterSingletonsInstantiated();
        assertThat(restarted.isLocked("192.0.2.200", userKey)).isTrue();
        assertThat(restarted.isLocked("192.0.2.200", userKey.replace(":101", ":102"))).isFalse();

        String subject = "sip:101@" + fixture.domain();
        Eventually.within(Duration.ofSeconds(10), "failure and lock audit records", () -> {
            List<JsonNode> events = fixture.api().auditEvents(fixture.adminToken(), "").stream()
                    .filter(e -> subject.equals(e.get("subject").asString())).toList();
            long failures = events.stream().filter(e -> e.get("kind").asString().equals(RegistrarAudit.FAILURE))
                    .mapToLong(e -> Long.parseLong(e.get("detail").asString().split(" ")[0])).sum();
            boolean lock = events.stream().anyMatch(e -> e.get("kind").asString().equals(RegistrarAudit.LOCKED)
                    && e.get("source").asString().equals("127.0.0.1")
                    && e.get("tenant_uuid").asString().equals(fixture.tenantUuid()));
            return failures == 3 && lock;
        });
    }

    @Test
    void anotherUsersRightDigestForAnAorIsRefusedWithoutLockingThatAorsUser() throws Exception {
        // bob's own, right credentials, presented for alice's AOR (a phone whose auth user is not its AOR).
        try (RegisterClient ua = client("101")) {
            List<String> contact = List.of("<" + ua.contact("101") + ">");
            for (int i = 0; i < 4; i++) {
                SipResponse challenge = ua.exchange(ua.request(contact, Optional.of(600L), Optional.empty()));
                List<String> offered = challenge.headers("WWW-Authenticate");
                String bobs = new dev.switchboard.sip.digest.DigestClient().authorize(offered, "REGISTER",
                        "sip:" + fixture.domain(), "102", RegistrarFixture.SIP_PASSWORD).orElseThrow();
                assertThat(ua.exchange(ua.request(contact, Optional.of(600L), Optional.of(bobs))).status())
                        .isEqualTo(403);
            }
            // Nobody tried alice's password: past the user limit (3), she still registers.
            assertThat(ua.register(contact, Optional.of(600L), RegistrarFixture.SIP_PASSWORD).status())
                    .isEqualTo(200);
        }
    }

    @Test
    void aLockSetJustBeforeShutdownIsStoredByTheShutdownFlush() {
        RegisterThrottle throttle = new RegisterThrottle(properties.throttle(), Clock.systemUTC());
        SharedSipLocks locks = new SharedSipLocks(throttle, jdbc, Clock.systemUTC());
        String user = fixture.tenantUuid() + ":flush" + System.nanoTime();
        for (int i = 0; i < 3; i++) {
            throttle.fail("192.0.2.201", user);
        }
        assertThat(throttle.isLocked("192.0.2.201", user)).isTrue();
        locks.flush();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM sip_lock WHERE lock_key = ?").param("user:" + user)
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void sweepsExpiredBindingsFromMemoryAndDatabase() throws Exception {
        try (RegisterClient ua = client("101")) {
            assertThat(ua.register(List.of("<" + ua.contact("101") + ">"), Optional.of(2L),
                    RegistrarFixture.SIP_PASSWORD).status()).isEqualTo(200);
        }
        assertThat(store.lookup(fixture.aor("101"))).hasSize(1);
        Eventually.within(Duration.ofSeconds(10), "expired binding swept and deleted", () ->
                store.lookup(fixture.aor("101")).isEmpty()
                        && jdbc.sql("SELECT COUNT(*) FROM binding WHERE aor = ?").param(fixture.aor("101"))
                        .query(Long.class).single() == 0);
    }
}
