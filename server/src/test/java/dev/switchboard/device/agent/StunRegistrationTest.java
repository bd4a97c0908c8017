package dev.switchboard.device.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.device.SettingsReaderTest;
import dev.switchboard.sip.SipEngine;
import dev.switchboard.sip.message.SipRequest;
import dev.switchboard.sip.message.SipUri;
import dev.switchboard.sip.stun.StunClient;
import dev.switchboard.sip.stun.StunException;
import dev.switchboard.sip.transport.Transport;
import dev.switchboard.support.Api;
import dev.switchboard.support.ScratchDirectory;
import dev.switchboard.support.SipServerTest;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The user agent learns its public address from a real STUN server, coturn's {@code turnserver}
 * in STUN-only mode on loopback, and registers that address in Contact and Via.
 *
 * <p>The binding request leaves from the SIP UDP socket (here on 127.0.0.2), so coturn sees that
 * socket's address and port; a NAT that translates ports is played by a STUN responder of the
 * test that answers with another address and port. Needs the turnserver binary (Debian/Ubuntu:
 * {@code apt-get install coturn}); fails without it.
 */
@SipServerTest
@TestPropertySource(properties = "switchboard.sip.host=127.0.0.2")
class StunRegistrationTest {

    static final String PASSWORD = "Passw0rd-One";
    static final String LOCAL = "127.0.0.2";
    static Process turnserver;
    static Path log;
    static int stunPort;

    @LocalServerPort
    int port;

    @Autowired
    SipEngine engine;

    @TempDir
    Path dir;

    Api api;
    String token;
    TestRegistrar registrar;

    @BeforeAll
    static void startTurnserver() throws Exception {
        Path binary = Optional.ofNullable(System.getenv("PATH")).stream()
                .flatMap(p -> List.of(p.split(java.io.File.pathSeparator)).stream())
                .map(p -> Path.of(p, "turnserver")).filter(Files::isExecutable).findFirst()
                .or(() -> List.of("/usr/bin/turnserver", "/usr/local/bin/turnserver").stream().map(Path::of)
                        .filter(Files::isExecutable).findFirst())
                .orElseThrow(() -> new AssertionError("turnserver (coturn) is not installed; install it with"
                        + " 'apt-get install coturn' (Debian/Ubuntu) to run this test"));
        Path work = ScratchDirectory.create("coturn");
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            stunPort = probe.getLocalPort();
        }
        log = work.resolve("turnserver.log");
        // -n: no configuration file; STUN only (no TURN relay, no credentials), no TLS/DTLS
        // listeners, no telnet CLI; pid file and user database in the temporary directory.
        turnserver = new ProcessBuilder(binary.toString(), "-n", "--listening-ip=127.0.0.1",
                "--listening-port=" + stunPort, "--stun-only", "--no-auth", "--no-tls", "--no-dtls", "--no-cli",
                "--log-file=stdout", "--simple-log", "--pidfile=" + work.resolve("turnserver.pid"),
                "--userdb=" + work.resolve("turndb"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        StunClient probe = new StunClient(new StunClient.Settings(Duration.ofMillis(100), 2, Duration.ofMillis(500)),
                Runnable::run);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            try {
                probe.discover(new InetSocketAddress("127.0.0.1", stunPort));
                return;
            } catch (StunException e) {
                if (!turnserver.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("turnserver did not answer STUN: " + Files.readString(log), e);
                }
            }
        }
    }

    @AfterAll
    static void stopTurnserver() throws Exception {
        if (turnserver != null) {
            turnserver.destroy();
            if (!turnserver.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                turnserver.destroyForcibly().waitFor();
            }
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        api = new Api(port);
        String admin = api.signInAdmin();
        JsonNode t = api.createTenant(admin);
        api.createUser(admin, t.get("uuid").asString(), "boss", PASSWORD, "Admin");
        token = api.deviceToken(t.get("domain").asString(), "boss", PASSWORD);
        registrar = new TestRegistrar(dir, "auth-101", "s3cret!x");
    }

    @AfterEach
    void tearDown() {
        api.post("/api/v1/device/sip/enable", token, Map.of("sip_enable", false));
        registrar.close();
    }

    Map<String, Object> settings(int stun) {
        return SettingsReaderTest.with("proxy", "sip:127.0.0.1:" + registrar.port(Transport.UDP),
                "realm", "example.test", "user", "101", "user_id", "auth-101", "password", "s3cret!x",
                "transport", "udp", "outbound", "", "registration_interval", 60,
                "stun.ip", "127.0.0.1", "stun.port", stun);
    }

    String status() {
        return api.get("/api/v1/sip/status", token).json().get("sip_status").asString();
    }

    @Test
    void coturnSeesTheSipSocketItselfSoTheMappingLearnedIsTheOneSipUses() throws Exception {
        InetSocketAddress sip = engine.localAddress(Transport.UDP).orElseThrow();
        InetSocketAddress mapped = engine.clientStack().orElseThrow().transports()
                .stunBinding(new InetSocketAddress(InetAddress.getLoopbackAddress(), stunPort), Duration.ofMillis(250), 4)
                .get(5, java.util.concurrent.TimeUnit.SECONDS);
        // A fresh socket would have shown coturn another port: this is the SIP port's mapping.
        assertThat(mapped.getAddress().getHostAddress()).isEqualTo(LOCAL);
        assertThat(mapped.getPort()).isEqualTo(sip.getPort());

        api.post("/api/v1/device/sip/settings", token, settings(stunPort));
        SipRequest authorized = registrar.nextAuthorized(10);
        SipUri contact = authorized.contacts().get(0).sipUri().orElseThrow();
        assertThat(contact.host()).isEqualTo(LOCAL);
        assertThat(contact.port()).hasValue(sip.getPort());
        SipAccountAgentTest.await(Duration.ofSeconds(10), () -> assertThat(status()).isEqualTo("OK"));
    }

    @Test
    void registersTheAddressAndPortTheStunServerSawBehindAPortTranslatingNat() throws Exception {
        int sipPort = engine.localAddress(Transport.UDP).orElseThrow().getPort();
        java.util.concurrent.atomic.AtomicReference<InetSocketAddress> asker = new java.util.concurrent.atomic.AtomicReference<>();
        // A STUN server behind which a NAT maps our SIP port to 203.0.113.7:40000.
        try (DatagramSocket natStun = natStun(new InetSocketAddress(InetAddress.getByName("203.0.113.7"), 40000),
                asker)) {
            api.post("/api/v1/device/sip/settings", token, settings(natStun.getLocalPort()));
            SipRequest authorized = registrar.nextAuthorized(10);
            assertThat(asker.get().getPort()).as("asked from the SIP socket").isEqualTo(sipPort);
            SipUri contact = authorized.contacts().get(0).sipUri().orElseThrow();
            assertThat(contact.host()).isEqualTo("203.0.113.7");
            assertThat(contact.port()).hasValue(40000);
            assertThat(authorized.topVia().host()).isEqualTo("203.0.113.7");
            assertThat(authorized.topVia().port()).hasValue(40000);
        }
    }

    @Test
    void aMappingOfTheOtherAddressFamilyThanTheRegistrarsIsNotRegistered() throws Exception {
        // The registrar is reached over IPv4; an IPv6 mapping names no address it could reach us at.
        try (DatagramSocket natStun = natStun(new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 40000),
                new java.util.concurrent.atomic.AtomicReference<>())) {
            api.post("/api/v1/device/sip/settings", token, settings(natStun.getLocalPort()));
            SipRequest authorized = registrar.nextAuthorized(10);
            SipUri contact = authorized.contacts().get(0).sipUri().orElseThrow();
            assertThat(contact.host()).doesNotContain("2001:db8").startsWith("127.");
            assertThat(authorized.topVia().host()).doesNotContain("2001:db8");
        }
    }

    /** A STUN server on loopback that answers every Binding request with {@code mapped}, as a NAT would make it. */
    static DatagramSocket natStun(InetSocketAddress mapped,
                                  java.util.concurrent.atomic.AtomicReference<InetSocketAddress> asker) throws Exception {
        DatagramSocket natStun = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        Thread server = new Thread(() -> {
            byte[] buffer = new byte[1500];
            try {
                while (!natStun.isClosed()) {
                    java.net.DatagramPacket in = new java.net.DatagramPacket(buffer, buffer.length);
                    natStun.receive(in);
                    var id = dev.switchboard.sip.stun.StunCodec.decodeBindingRequest(in.getData(), in.getLength());
                    if (id.isPresent()) {
                        asker.set((InetSocketAddress) in.getSocketAddress());
                        byte[] answer = dev.switchboard.sip.stun.StunCodec.encodeBindingSuccess(id.get(), mapped);
                        natStun.send(new java.net.DatagramPacket(answer, answer.length, in.getSocketAddress()));
                    }
                }
            } catch (java.io.IOException closed) {
                // the test is over
            }
        });
        server.setDaemon(true);
        server.start();
        return natStun;
    }

    /** The control: without an answering STUN server the local address (127.0.0.2) is used. */
    @Test
    void withoutAStunAnswerTheLocalAddressIsRegistered() throws Exception {
        int silent;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            silent = s.getLocalPort();
        }
        api.post("/api/v1/device/sip/settings", token, settings(silent));
        SipRequest authorized = registrar.nextAuthorized(15);
        assertThat(authorized.contacts().get(0).sipUri().orElseThrow().host()).isEqualTo(LOCAL);
        assertThat(authorized.topVia().host()).isEqualTo(LOCAL);
        SipAccountAgentTest.await(Duration.ofSeconds(10), () -> assertThat(status()).isEqualTo("OK"));
    }
}
