package dev.switchboard.device.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.device.SettingsReaderTest;
import dev.switchboard.sip.transport.Transport;
import dev.switchboard.support.Api;
import dev.switchboard.support.RegisterClient;
import dev.switchboard.support.ScratchDirectory;
import dev.switchboard.support.SipServerTest;
import dev.switchboard.support.Sipp;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The user agent against Kamailio as the upstream registrar (loopback only): digest
 * registration, status OK, un-registration with Expires: 0 on disable, ERROR on a wrong password.
 * Needs the kamailio binary (Debian/Ubuntu: {@code apt-get install kamailio}); fails without it.
 */
@SipServerTest
class KamailioRegistrationTest {

    static final String PASSWORD = "Passw0rd-One";
    static Process kamailio;
    static Path log;
    static Path ctl;
    static int kamailioPort;

    @LocalServerPort
    int port;

    Api api;
    String token;

    @BeforeAll
    static void startKamailio() throws Exception {
        Path binary = find(List.of("/usr/sbin/kamailio", "/usr/local/sbin/kamailio", "/usr/bin/kamailio"))
                .orElseThrow(() -> new AssertionError("kamailio is not installed; install it with"
                        + " 'apt-get install kamailio' (Debian/Ubuntu) to run this test"));
        Path modules = find(List.of("/usr/lib/x86_64-linux-gnu/kamailio/modules", "/usr/lib/aarch64-linux-gnu/kamailio/modules",
                "/usr/lib64/kamailio/modules", "/usr/lib/kamailio/modules", "/usr/local/lib64/kamailio/modules"))
                .orElseThrow(() -> new AssertionError("kamailio modules not found; install the kamailio package"));
        Path dir = ScratchDirectory.create("kamailio");
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            kamailioPort = probe.getLocalPort();
        }
        String cfg;
        try (InputStream in = KamailioRegistrationTest.class.getResourceAsStream("/kamailio/registrar.cfg")) {
            cfg = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("@PORT@", Integer.toString(kamailioPort)).replace("@MPATH@", modules + "/")
                    .replace("@CTL@", dir.resolve("ctl.sock").toString());
        }
        ctl = dir.resolve("ctl.sock");
        Path config = dir.resolve("registrar.cfg");
        Files.writeString(config, cfg);
        log = dir.resolve("kamailio.log");
        kamailio = new ProcessBuilder(binary.toString(), "-f", config.toString(), "-DD", "-E", "-m", "32", "-M", "8",
                "-Y", dir.toString(), "-P", dir.resolve("kamailio.pid").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!listening(kamailioPort)) {
            if (!kamailio.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("kamailio did not start: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stopKamailio() throws Exception {
        if (kamailio != null) {
            kamailio.destroy();
            kamailio.waitFor();
        }
    }

    @BeforeEach
    void setUp() {
        api = new Api(port);
        String admin = api.signInAdmin();
        JsonNode t = api.createTenant(admin);
        api.createUser(admin, t.get("uuid").asString(), "boss", PASSWORD, "Admin");
        token = api.deviceToken(t.get("domain").asString(), "boss", PASSWORD);
    }

    Map<String, Object> settings(String user, String password) {
        return SettingsReaderTest.with("proxy", "sip:127.0.0.1:" + kamailioPort, "realm", "example.test",
                "user", user, "user_id", "auth-101", "password", password, "transport", "udp", "outbound", "",
                "registration_interval", 60, "stun.ip", "127.0.0.1", "stun.port", 9);
    }

    String status() {
        return api.get("/api/v1/sip/status", token).json().get("sip_status").asString();
    }

    /**
     * What Kamailio's own location table holds for an AOR, asked through its control socket
     * (usrloc keeps the user part alone, since the config does not set use_domain).
     */
    static String locationOf(String aor) throws IOException, InterruptedException {
        Process kamcmd = new ProcessBuilder("kamcmd", "-s", "unix:" + ctl, "ul.lookup", "location", aor)
                .redirectErrorStream(true).start();
        String out = new String(kamcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        kamcmd.waitFor();
        return out;
    }

    static String kamailioLog() throws IOException {
        return Files.readString(log);
    }

    @Test
    void registersAtKamailioAndUnregistersOnDisable() throws Exception {
        assertThat(api.post("/api/v1/device/sip/settings", token, settings("kam1", "s3cret!x")).status())
                .isEqualTo(200);
        SipAccountAgentTest.await(Duration.ofSeconds(15), () -> assertThat(status()).isEqualTo("OK"));
        assertThat(kamailioLog()).contains("REGISTER-OK sip:kam1@example.test").contains("expires=60");
        assertThat(locationOf("kam1")).contains("Contact").contains("127.0.0.1");
        api.post("/api/v1/device/sip/enable", token, Map.of("sip_enable", false));
        assertThat(status()).isEqualTo("OFFLINE");
        SipAccountAgentTest.await(Duration.ofSeconds(15), () ->
                assertThat(kamailioLog()).contains("REGISTER-OK sip:kam1@example.test contact=<").contains("expires=0"));
        SipAccountAgentTest.await(Duration.ofSeconds(10), () ->
                assertThat(locationOf("kam1")).doesNotContain("Contact"));
    }

    @Test
    void aCallToTheAccountAtKamailioRingsTheTenantUserWithItsName() throws Exception {
        String admin = api.signInAdmin();
        JsonNode tenant = api.createTenant(admin);
        String tenantUuid = tenant.get("uuid").asString();
        api.createUser(admin, tenantUuid, "boss", PASSWORD, "Admin");
        String tenantToken = api.deviceToken(tenant.get("domain").asString(), "boss", PASSWORD);
        api.post("/api/v2/tenants/" + tenantUuid + "/users", admin, Map.of("username", "door", "password", PASSWORD,
                "role", "StandardUser", "extension", "201", "sip_password", "door-Secret-1"));
        assertThat(api.post("/api/v1/device/sip/settings", tenantToken, settings("201", "s3cret!x")).status())
                .isEqualTo(200);
        SipAccountAgentTest.await(Duration.ofSeconds(15), () -> assertThat(
                api.get("/api/v1/sip/status", tenantToken).json().get("sip_status").asString()).isEqualTo("OK"));
        InetSocketAddress sip = engine.localAddress(Transport.UDP).orElseThrow();
        try (RegisterClient phone = new RegisterClient(sip, tenant.get("domain").asString(), "201",
                InetAddress.getByName("127.0.0.42"))) {
            assertThat(phone.register(List.of("<" + phone.contact("201") + ">"), Optional.of(600L), "door-Secret-1")
                    .status()).isEqualTo(200);
            // The phone is busy: its 486 goes back through Switchboard and Kamailio to the caller.
            Thread callee = new Thread(() -> {
                try {
                    String invite = phone.receive(10_000).orElseThrow();
                    StringBuilder busy = new StringBuilder("SIP/2.0 486 Busy Here\r\n");
                    invite.lines().filter(l -> l.startsWith("Via:") || l.startsWith("From:")
                            || l.startsWith("Call-ID:") || l.startsWith("CSeq:")).forEach(l -> busy.append(l).append("\r\n"));
                    invite.lines().filter(l -> l.startsWith("To:")).forEach(l -> busy.append(l).append(";tag=door\r\n"));
                    phone.sendRaw(busy.append("Content-Length: 0\r\n\r\n").toString().getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            callee.start();
            int callerPort;
            try (DatagramSocket free = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                callerPort = free.getLocalPort();
            }
            Sipp.Result result = Sipp.start("call_uac_fails", Map.of("STATUS", "486"), "127.0.0.1", callerPort,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), kamailioPort), 25,
                    "-m", "1", "-s", "201", "-key", "domain", "example.test").await();
            callee.join(10_000);
            assertThat(result.successful()).as("SIPp: %s", result).isEqualTo(1);
        }
    }

    @org.springframework.beans.factory.annotation.Autowired
    dev.switchboard.sip.SipEngine engine;

    @Test
    void wrongPasswordIsAnError() throws Exception {
        api.post("/api/v1/device/sip/settings", token, settings("kam2", "not-the-one"));
        SipAccountAgentTest.await(Duration.ofSeconds(15), () -> assertThat(status()).isEqualTo("ERROR"));
        assertThat(kamailioLog()).doesNotContain("REGISTER-OK sip:kam2@");
        api.post("/api/v1/device/sip/enable", token, Map.of("sip_enable", false));
    }

    private static boolean listening(int udpPort) {
        try (DatagramSocket s = new DatagramSocket(udpPort, InetAddress.getLoopbackAddress())) {
            return false;
        } catch (BindException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<Path> find(List<String> candidates) {
        return candidates.stream().map(Path::of).filter(Files::exists).findFirst();
    }
}
