package dev.switchboard.device.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.device.AccountId;
import dev.switchboard.device.SettingsCheck;
import dev.switchboard.device.SettingsReader;
import dev.switchboard.device.SettingsReaderTest;
import dev.switchboard.device.SipAccountRepository;
import dev.switchboard.device.SipAccountSettings;
import dev.switchboard.sip.message.SipRequest;
import dev.switchboard.sip.transport.Transport;
import dev.switchboard.support.Api;
import dev.switchboard.support.RegisterClient;
import dev.switchboard.support.SipServerTest;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The user agent against a real (tiny) registrar on loopback: digest registration, status,
 * un-registration on disable, failures, 423 Min-Expires, re-registration on new settings, TLS,
 * and recovery after the registrar went away and came back. The registrar's TLS certificate is
 * self-signed, so outbound TLS verification is off here ({@code switchboard.sip.tls-verify-peers}).
 */
@SipServerTest
@TestPropertySource(properties = {"switchboard.device.retry-first=1s", "switchboard.device.retry-max=2s",
        "switchboard.sip.tls-verify-peers=false"})
class SipAccountAgentTest {

    static final String PASSWORD = "Passw0rd-One";

    @LocalServerPort
    int port;

    @TempDir
    Path dir;

    Api api;
    String admin;
    String tenantUuid;
    String domain;
    String token;
    TestRegistrar registrar;
    @Autowired
    SipAccountRepository repository;
    @Autowired
    java.time.Clock clock;

    @BeforeEach
    void setUp() throws Exception {
        api = new Api(port);
        admin = api.signInAdmin();
        JsonNode t = api.createTenant(admin);
        tenantUuid = t.get("uuid").asString();
        domain = t.get("domain").asString();
        api.createUser(admin, t.get("uuid").asString(), "boss", PASSWORD, "Admin");
        token = api.deviceToken(t.get("domain").asString(), "boss", PASSWORD);
        registrar = new TestRegistrar(dir, "auth-101", "s3cret!x");
    }

    @AfterEach
    void tearDown() {
        api.post("/api/v1/device/sip/enable", token, Map.of("sip_enable", false));
        registrar.close();
    }

    Map<String, Object> settings(String transport, String password) {
        return SettingsReaderTest.with("proxy", "sip:127.0.0.1:" + registrar.port(Transport.of(transport).get()),
                "realm", "example.test", "user", "101", "user_id", "auth-101", "password", password,
                "transport", transport, "outbound", "", "registration_interval", 60,
                "stun.ip", "127.0.0.1", "stun.port", 9);
    }

    /** Retries an assertion until it holds or the time is up (then its last failure is thrown). */
    static void await(Duration limit, org.junit.jupiter.api.function.Executable check) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                check.execute();
                return;
            } catch (Throwable e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("not within " + limit, e);
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    String status() {
        return api.get("/api/v1/sip/status", token).json().get("sip_status").asString();
    }

    @Test
    void aRegistrarThatKeepsNoBindingLeavesTheAccountInErrorNotOk() throws Exception {
        registrar.grantExactly = 0;
        assertThat(api.post("/api/v1/device/sip/settings", token, settings("udp", "s3cret!x")).status())
                .isEqualTo(200);
        registrar.nextAuthorized(10);
        // A 200 listing our contact with expires=0 registered nothing (it read OK and re-sent every second).
        await(Duration.ofSeconds(10), () -> assertThat(status()).isEqualTo("ERROR"));
        registrar.grantExactly = -1;
        await(Duration.ofSeconds(15), () -> assertThat(status()).isEqualTo("OK"));
    }

    @Test
    void refreshesBeforeItsRegistrationIntervalEvenWhenTheRegistrarGrantedLonger() throws Exception {
        registrar.grantExactly = 3600;
        Map<String, Object> shortInterval = new java.util.HashMap<>(settings("udp", "s3cret!x"));
        shortInterval.put("registration_interval", 30);
        assertThat(api.post("/api/v1/device/sip/settings", token, shortInterval).status()).isEqualTo(200);
        registrar.nextAuthorized(10);
        await(Duration.ofSeconds(10), () -> assertThat(status()).isEqualTo("OK"));
        long registered = System.nanoTime();
        // SPEC 3.2: before the 30 s interval runs out (a short interval keeps a NAT mapping open),
        // not a fifth before the hour the registrar granted.
        SipRequest refresh = registrar.next(35);
        assertThat(refresh).isNotNull();
        assertThat(Duration.ofNanos(System.nanoTime() - registered)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void registersWithDigestAndUnregistersOnDisable() throws Exception {
        long before = System.currentTimeMillis() / 1000;
        assertThat(api.post("/api/v1/device/sip/settings", token, settings("udp", "s3cret!x")).status())
                .isEqualTo(200);
        SipRequest first = registrar.next(10);
        assertThat(first.header("Authorization")).isEmpty();
        assertThat(first.requestUri().toString()).isEqualTo("sip:127.0.0.1:" + registrar.port(Transport.UDP));
        assertThat(first.to().uri().toString()).isEqualTo("sip:101@example.test");
        assertThat(first.expires().getAsLong()).isEqualTo(60);
        SipRequest authorized = registrar.nextAuthorized(10);
        assertThat(authorized.header("Authorization").orElseThrow()).contains("username=\"auth-101\"");
        assertThat(authorized.callId()).isEqualTo(first.callId());
        assertThat(authorized.cseq().number()).isGreaterThan(first.cseq().number());
        assertThat(authorized.contacts().get(0).sipUri().orElseThrow().host()).isEqualTo("127.0.0.1");
        await(Duration.ofSeconds(10), () -> assertThat(status()).isEqualTo("OK"));
        JsonNode s = api.get("/api/v1/sip/status", token).json();
        assertThat(s.get("register_last_attempt").asLong()).isBetween(before, before + 60);

        assertThat(api.post("/api/v1/device/sip/enable", token, Map.of("sip_enable", false)).status())
                .isEqualTo(200);
        assertThat(status()).isEqualTo("OFFLINE");
        SipRequest unregister = registrar.nextAuthorized(10);
        assertThat(unregister.expires().getAsLong()).isZero();
        assertThat(unregister.contacts().get(0).uri()).isEqualTo(authorized.contacts().get(0).uri());
        assertThat(api.get("/api/v1/sip/status", token).json().get("register_last_attempt").isNull()).isFalse();
    }

    @Test
    void wrongPasswordIsAnErrorAndRetried() throws Exception {
        api.post("/api/v1/device/sip/settings", token, settings("udp", "wrong-pass"));
        registrar.nextAuthorized(10);
        await(Duration.ofSeconds(10), () -> assertThat(status()).isEqualTo("ERROR"));
        // back-off retry (1 s in this test) tries again
        registrar.nextAuthorized(10);
        // fixing the password recovers
        api.post("/api/v1/device/sip/settings", token, settings("udp", "s3cret!x"));
        await(Duration.ofSeconds(10), () -> assertThat(status()).isEqualTo("OK"));
    }

    @Test
    void registersOverTcp() throws Exception {
        api.post("/api/v1/device/sip/settings", token, settings("tcp", "s3cret!x"));
        SipRequest authorized = registrar.nextAuthorized(10);
        assertThat(authorized.topVia().transport()).isEqualToIgnoringCase("TCP");
        assertThat(authorized.contacts().get(0).sipUri().orElseThrow().param("transport")).contains("tcp");
        // The port we listen on, not the connection's: a new connection must not make a second binding.
        assertThat(authorized.contacts().get(0).sipUri().orElseThrow().port())
                .hasValue(engine.localAddress(Transport.TCP).orElseThrow().getPort());
        await(Duration.ofSeconds(10), () -> assertThat(status()).isEqualTo("OK"));
    }

    @Test
    void aRealmWithAPortNamesTheAddressOfRecordWithThatPort() throws Exception {
        Map<String, Object> body = settings("udp", "s3cret!x");
        body.put("realm", "example.test:5099");
        api.post("/api/v1/device/sip/settings", token, body);
        SipRequest first = registrar.next(10);
        assertThat(first.to().uri().toString()).isEqualTo("sip:101@example.test:5099");
        assertThat(first.from().uri().toString()).isEqualTo("sip:101@example.test:5099");
        await(Duration.ofSeconds(10), () -> assertThat(status()).isEqualTo("OK"));
    }

    @Test
    void registersOverTlsWithAnExplicitPort() throws Exception {
        api.post("/api/v1/device/sip/settings", token, settings("tls", "s3cret!x"));
        SipRequest authorized = registrar.nextAuthorized(10);
        assertThat(authorized.requestUri().toString()).isEqualTo("sip:127.0.0.1:" + registrar.port(Transport.TLS));
        assertThat(authorized.topVia().transport()).isEqualToIgnoringCase("TLS");
        assertThat(authorized.contacts().get(0).sipUri().orElseThrow().param("transport")).contains("tls");
        await(Duration.ofSeconds(10), () -> assertThat(status()).isEqualTo("OK"));
        // the un-REGISTER leaves by TLS as well
        api.post("/api/v1/device/sip/enable", token, Map.of("sip_enable", false));
        SipRequest unregister = registrar.nextAuthorized(10);
        assertThat(unregister.expires().getAsLong()).isZero();
        assertThat(unregister.topVia().transport()).isEqualToIgnoringCase("TLS");
    }

    /**
     * The registrar goes away (its sockets close) while the account is registered: the next
     * refresh fails and the status turns ERROR, at the latest when the granted binding runs out
     * (6 s here; over UDP the unanswered refresh would only time out after timer F, 64*T1 = 32 s,
     * over TCP the refused connection fails it at once). Once the registrar listens again on the
     * same ports the agent registers again by itself within one back-off period (at most 2 s
     * here), over UDP by a retransmission of the REGISTER still in flight.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp"})
    void recoversWhenTheRegistrarComesBack(String transport) throws Exception {
        registrar.maxExpires = 6;
        api.post("/api/v1/device/sip/settings", token, settings(transport, "s3cret!x"));
        registrar.nextAuthorized(10);
        await(Duration.ofSeconds(10), () -> assertThat(status()).isEqualTo("OK"));
        registrar.nextAuthorized(5); // a refresh: the binding is kept alive
        registrar.close();
        long gone = System.nanoTime();
        await(Duration.ofSeconds(10), () -> assertThat(status()).isEqualTo("ERROR"));
        assertThat(Duration.ofNanos(System.nanoTime() - gone)).isLessThan(Duration.ofSeconds(8));
        registrar.reopen();
        long back = System.nanoTime();
        // one back-off period (retry-max 2 s), plus a UDP retransmission (T2 4 s) for a REGISTER
        // already in flight when the registrar came back
        SipRequest again = registrar.nextAuthorized(transport.equals("udp") ? 8 : 4);
        assertThat(again.expires().getAsLong()).isEqualTo(60);
        await(Duration.ofSeconds(3), () -> assertThat(status()).isEqualTo("OK"));
        assertThat(Duration.ofNanos(System.nanoTime() - back)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void honoursMinExpires() throws Exception {
        registrar.minExpires = 120;
        api.post("/api/v1/device/sip/settings", token, settings("udp", "s3cret!x"));
        await(Duration.ofSeconds(10), () -> assertThat(status()).isEqualTo("OK"));
        SipRequest last = null;
        for (int i = 0; i < 3; i++) {
            last = registrar.nextAuthorized(10);
            if (last.expires().getAsLong() == 120) {
                break;
            }
        }
        assertThat(last.expires().getAsLong()).isEqualTo(120);
    }

    @Test
    void followsSettingsStoredAndDisabledThroughAnotherNode() throws Exception {
        // Another node writes the rows; this one hears nothing but what the database holds.
        AccountId id = AccountId.first(Optional.of(java.util.UUID.fromString(tenantUuid)));
        var check = SettingsReader.read(new tools.jackson.databind.json.JsonMapper().writeValueAsString(settings("udp", "s3cret!x")));
        SipAccountSettings stored = ((SettingsCheck.Valid) check).settings();
        repository.saveSettings(id, stored, clock.instant());
        repository.setEnabled(id, true, clock.instant());
        SipRequest authorized = registrar.nextAuthorized(10);
        assertThat(authorized.expires().getAsLong()).isEqualTo(60);
        await(Duration.ofSeconds(10), () -> assertThat(status()).isEqualTo("OK"));

        repository.setEnabled(id, false, clock.instant());
        SipRequest unregister = registrar.nextAuthorized(10);
        assertThat(unregister.expires().getAsLong()).isZero();
        await(Duration.ofSeconds(5), () -> assertThat(status()).isEqualTo("OFFLINE"));
    }

    @Test
    void credentialsThatCannotBeWrittenIntoAHeaderAreAnErrorRetriedNotAStall() throws Exception {
        // Stored before the rules refused line breaks (the API now answers 400 for them).
        AccountId id = AccountId.first(Optional.of(java.util.UUID.fromString(tenantUuid)));
        var check = SettingsReader.read(new tools.jackson.databind.json.JsonMapper().writeValueAsString(settings("udp", "s3cret!x")));
        SipAccountSettings valid = ((SettingsCheck.Valid) check).settings();
        SipAccountSettings broken = new SipAccountSettings(valid.proxy(), valid.realm(), valid.user(), valid.password(),
                valid.transport(), "auth\r\n101", valid.registrationInterval(), valid.outbound(), valid.stun());
        repository.saveSettings(id, broken, clock.instant());
        repository.setEnabled(id, true, clock.instant());
        registrar.next(10);
        await(Duration.ofSeconds(10), () -> assertThat(status()).isEqualTo("ERROR"));
        // Back-off (1 s in this test) tries again: the agent goes on.
        registrar.next(10);
    }

    @Test
    void unreachableRegistrarIsAnError() {
        Map<String, Object> body = settings("udp", "s3cret!x");
        body.put("proxy", "sip:no-such-host.invalid");
        api.post("/api/v1/device/sip/settings", token, body);
        await(Duration.ofSeconds(15), () -> assertThat(status()).isEqualTo("ERROR"));
    }

    @Test
    void aRegistrarThatRefusesTheConnectionIsAnErrorWithTheTimeItWasTried() throws Exception {
        int closed;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        long before = java.time.Instant.now().getEpochSecond();
        Map<String, Object> body = settings("tcp", "s3cret!x");
        body.put("proxy", "sip:127.0.0.1:" + closed);
        api.post("/api/v1/device/sip/settings", token, body);
        await(Duration.ofSeconds(15), () -> {
            var answer = api.get("/api/v1/sip/status", token).json();
            assertThat(answer.get("sip_status").asString()).isEqualTo("ERROR");
            // No REGISTER left (no connection), yet the attempt was made and is reported.
            assertThat(answer.get("register_last_attempt").isNumber()).as(answer.toString()).isTrue();
            assertThat(answer.get("register_last_attempt").asLong()).isGreaterThanOrEqualTo(before);
        });
    }

    @Test
    void theSameSettingsAgainOrEnablingWhileEnabledKeepTheLiveBinding() throws Exception {
        api.post("/api/v1/device/sip/settings", token, settings("udp", "s3cret!x"));
        registrar.nextAuthorized(10);
        await(Duration.ofSeconds(10), () -> assertThat(status()).isEqualTo("OK"));
        // A GET → POST round trip and a second enable: no un-REGISTER, no gap for calls.
        JsonNode read = api.get("/api/v1/device/sip/settings", token).json();
        assertThat(api.post("/api/v1/device/sip/settings", token, read).status()).isEqualTo(200);
        assertThat(api.post("/api/v1/device/sip/enable", token, Map.of("sip_enable", true)).status()).isEqualTo(200);
        assertThat(registrar.anyWithin(1500)).isFalse();
        assertThat(status()).isEqualTo("OK");
    }

    @Test
    void newSettingsReRegister() throws Exception {
        api.post("/api/v1/device/sip/settings", token, settings("udp", "s3cret!x"));
        await(Duration.ofSeconds(10), () -> assertThat(status()).isEqualTo("OK"));
        Map<String, Object> changed = settings("udp", "WebPass");
        changed.put("registration_interval", 90);
        api.post("/api/v1/device/sip/settings", token, changed);
        long expires = 0;
        for (int i = 0; i < 5 && expires != 90; i++) {
            expires = registrar.nextAuthorized(10).expires().getAsLong();
        }
        assertThat(expires).isEqualTo(90);
        await(Duration.ofSeconds(10), () -> assertThat(status()).isEqualTo("OK"));
    }

    @Test
    void settingsReplacedAndDisabledAtOnceRegisterNothingForTheReplacedAccount() throws Exception {
        api.post("/api/v1/device/sip/settings", token, settings("udp", "s3cret!x"));
        await(Duration.ofSeconds(15), () -> assertThat(status()).isEqualTo("OK"));
        // New settings, and at once disabled: the new account's first REGISTER waits behind its
        // STUN lookup (a server that never answers), and must not leave once the account is off.
        Map<String, Object> replaced = settings("udp", "WebPass");
        replaced.put("user", "102");
        assertThat(api.post("/api/v1/device/sip/settings", token, replaced).status()).isEqualTo(200);
        assertThat(api.post("/api/v1/device/sip/enable", token, Map.of("sip_enable", false)).status()).isEqualTo(200);
        java.util.List<SipRequest> seen = new java.util.ArrayList<>();
        while (true) {
            try {
                seen.add(registrar.next(6));
            } catch (AssertionError quiet) {
                break;
            }
        }
        assertThat(seen).noneMatch(r -> r.to().uri().toString().startsWith("sip:102@") && r.expires().getAsLong() > 0);
        assertThat(status()).isEqualTo("OFFLINE");
    }

    @org.springframework.beans.factory.annotation.Autowired
    dev.switchboard.sip.SipEngine engine;

    @org.springframework.beans.factory.annotation.Autowired
    SipAccountAgent agent;

    @Test
    void aCallArrivingOnTheRegistrationRingsTheTenantUserWithTheAccountsNameAndNoOneElse() throws Exception {
        api.post("/api/v1/device/sip/settings", token, settings("udp", "s3cret!x"));
        SipRequest authorized = registrar.nextAuthorized(10);
        await(Duration.ofSeconds(10), () -> assertThat(status()).isEqualTo("OK"));
        String contact = authorized.contacts().get(0).uri().toString();
        InetSocketAddress sip = engine.localAddress(Transport.UDP).orElseThrow();
        try (var upstream = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            upstream.setSoTimeout(5000);
            // The provider's keep-alive to the contact is answered.
            assertThat(exchange(upstream, sip, "OPTIONS", contact, "opt-1")).startsWith("SIP/2.0 200 ");
            // The account's user "101" is no extension of the tenant yet.
            assertThat(exchange(upstream, sip, "INVITE", contact, "invite-1")).startsWith("SIP/2.0 404 ");

            api.post("/api/v2/tenants/" + tenantUuid + "/users", admin, Map.of("username", "door", "password",
                    PASSWORD, "role", "StandardUser", "extension", "101", "sip_password", "door-Secret-1"));
            await(Duration.ofSeconds(5), () -> assertThat(exchange(upstream, sip, "INVITE", contact, "invite-2"))
                    .startsWith("SIP/2.0 480 "));

            try (RegisterClient phone = new RegisterClient(sip, domain, "101",
                    java.net.InetAddress.getByName("127.0.0.41"))) {
                assertThat(phone.register(List.of("<" + phone.contact("101") + ">"), Optional.of(600L),
                        "door-Secret-1").status()).isEqualTo(200);
                send(upstream, sip, invite("INVITE", contact, "invite-3", upstream.getLocalPort()));
                String rung = phone.receive(5000).orElseThrow();
                assertThat(rung).startsWith("INVITE " + phone.contact("101")).contains("Call-ID: invite-3@test")
                        .contains("Record-Route: ");
            }
        }
    }

    static String invite(String method, String contact, String callId, int port) {
        return method + " " + contact + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=z9hG4bK" + callId + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:caller@upstream.test>;tag=c1\r\n"
                + "To: <sip:101@example.test>\r\n"
                + "Call-ID: " + callId + "@test\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Contact: <sip:caller@127.0.0.1:" + port + ">\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    static void send(java.net.DatagramSocket socket, InetSocketAddress to, String message) throws java.io.IOException {
        byte[] bytes = message.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        socket.send(new java.net.DatagramPacket(bytes, bytes.length, to));
    }

    /** Sends a request from the upstream's socket and answers its first final response's text. */
    static String exchange(java.net.DatagramSocket socket, InetSocketAddress to, String method, String contact,
                           String callId) throws java.io.IOException {
        send(socket, to, invite(method, contact, callId, socket.getLocalPort()));
        while (true) {
            var packet = new java.net.DatagramPacket(new byte[4096], 4096);
            socket.receive(packet);
            String answer = new String(packet.getData(), 0, packet.getLength(), java.nio.charset.StandardCharsets.US_ASCII);
            if (!answer.startsWith("SIP/2.0 1") && answer.contains("Call-ID: " + callId + "@test")) {
                return answer;
            }
        }
    }

    @Test
    void gracefulShutdownUnregistersAndStartupRegistersAgain() throws Exception {
        api.post("/api/v1/device/sip/settings", token, settings("udp", "s3cret!x"));
        registrar.nextAuthorized(10);
        await(Duration.ofSeconds(10), () -> assertThat(status()).isEqualTo("OK"));
        agent.stop();
        SipRequest unregister = registrar.nextAuthorized(10);
        assertThat(unregister.expires().getAsLong()).isZero();
        assertThat(status()).isEqualTo("OFFLINE");
        // a start registers what is stored, as at application startup
        agent.start();
        SipRequest again = registrar.nextAuthorized(10);
        assertThat(again.expires().getAsLong()).isEqualTo(60);
        await(Duration.ofSeconds(10), () -> assertThat(status()).isEqualTo("OK"));
    }

    @Test
    void deletingTheTenantUnregistersItsAccount() throws Exception {
        api.post("/api/v1/device/sip/settings", token, settings("udp", "s3cret!x"));
        registrar.nextAuthorized(10);
        await(Duration.ofSeconds(10), () -> assertThat(status()).isEqualTo("OK"));
        assertThat(api.delete("/api/v2/tenants/" + tenantUuid, admin).status()).isEqualTo(204);
        SipRequest unregister = registrar.nextAuthorized(10);
        assertThat(unregister.expires().getAsLong()).isZero();
    }
}
