package dev.switchboard.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sip.SipEngine;
import dev.switchboard.sip.transport.Transport;
import dev.switchboard.support.Api;
import dev.switchboard.support.Baresip;
import dev.switchboard.support.Eventually;
import dev.switchboard.support.ScratchDirectory;
import dev.switchboard.support.SwitchboardTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A real SIP client, baresip (Debian package {@code baresip}), registering over UDP on loopback
 * with a user made through the API, showing up in the bindings API and un-registering when it is
 * told to quit. baresip runs headless: no UI module, only {@code account.so} to read its accounts
 * file, and {@code -s} so its own SIP trace shows which digest algorithm it answered with.
 *
 * <p>baresip 1.0.0 (libre 1.1.0, Debian 12) cannot answer a SHA-256 challenge: given our 401 with
 * SHA-256 offered first and MD5 second it gives up ("Register: Function not implemented") instead
 * of taking the MD5 one, so it is listed by default as a client that gets MD5 offered first, as SIPp is.
 */
@SwitchboardTest
class RealClientRegistrationTest {

    @LocalServerPort
    int port;
    @Autowired
    SipEngine engine;
    @Autowired
    JdbcClient jdbc;

    Api api;
    RegistrarFixture fixture;
    String userUuid;
    Path work;
    Process baresip;

    @BeforeEach
    void tenantWithUser() throws IOException {
        api = new Api(port);
        fixture = RegistrarFixture.create(api);
        userUuid = fixture.sipUser("alice", "101").get("uuid").asString();
        work = ScratchDirectory.create("baresip");
    }

    @AfterEach
    void stopClient() throws InterruptedException {
        if (baresip != null && baresip.isAlive()) {
            baresip.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    List<JsonNode> bindings() {
        Api.Answer a = api.get("/api/v2/tenants/" + fixture.tenantUuid() + "/users/" + userUuid + "/bindings",
                fixture.adminToken());
        assertThat(a.status()).as(a.text()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        a.json().get("items").forEach(items::add);
        return items;
    }

    long rows() {
        return jdbc.sql("SELECT COUNT(*) FROM binding WHERE user_id = ?").param(UUID.fromString(userUuid))
                .query(Long.class).single();
    }

    String clientOutput() {
        try {
            return Files.readString(work.resolve("out.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no baresip output: " + e + ")";
        }
    }

    /** The lines of baresip's own SIP trace ({@code -s}) that carry this header. */
    List<String> traceLines(String header) {
        return clientOutput().lines().filter(l -> l.regionMatches(true, 0, header, 0, header.length())).toList();
    }

    static Map<String, String> digestParams(String header) {
        Map<String, String> params = new HashMap<>();
        Matcher m = Pattern.compile("([A-Za-z-]+)=(?:\"([^\"]*)\"|([^,\\s]+))")
                .matcher(header.substring(header.indexOf("Digest") + 6));
        while (m.find()) {
            params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2) != null ? m.group(2) : m.group(3));
        }
        return params;
    }

    static String md5(String text) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(
                MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Which digest baresip answered with, read from its own SIP trace: it was offered MD5 only, it
     * sends no algorithm parameter (RFC 2617: absent means MD5), and each response is the MD5 digest.
     */
    void assertAnsweredWithMd5() throws NoSuchAlgorithmException {
        assertThat(traceLines("WWW-Authenticate:")).as(clientOutput()).isNotEmpty()
                .allSatisfy(h -> assertThat(h).contains("algorithm=MD5").doesNotContain("SHA-256"));
        List<String> authorizations = traceLines("Authorization:");
        assertThat(authorizations).as(clientOutput()).isNotEmpty();
        for (String header : authorizations) {
            Map<String, String> p = digestParams(header);
            assertThat(p.getOrDefault("algorithm", "MD5")).as(header).isEqualToIgnoringCase("MD5");
            assertThat(p.get("username")).isEqualTo("101");
            assertThat(p.get("realm")).isEqualTo(fixture.domain());
            String ha1 = md5("101:" + fixture.domain() + ":" + RegistrarFixture.SIP_PASSWORD);
            String ha2 = md5("REGISTER:" + p.get("uri"));
            assertThat(p.get("response")).as(header).isEqualTo(md5(ha1 + ":" + p.get("nonce") + ":" + p.get("nc")
                    + ":" + p.get("cnonce") + ":" + p.get("qop") + ":" + ha2));
        }
    }

    @Test
    void baresipRegistersShowsUpInTheApiAndUnregistersOnQuit() throws Exception {
        String binary = Baresip.binary();
        InetSocketAddress server = engine.localAddress(Transport.UDP).orElseThrow();
        int localPort = Baresip.freeSipPort();
        Files.writeString(work.resolve("config"), String.join("\n",
                "poll_method epoll",
                "sip_listen 127.0.0.1:" + localPort,
                "module_path " + Baresip.modulePath(),
                "module_app account.so",
                ""));
        // The tenant domain does not resolve: the outbound proxy carries all traffic to our UDP port.
        Files.writeString(work.resolve("accounts"), "<sip:101@" + fixture.domain() + ">;auth_pass="
                + RegistrarFixture.SIP_PASSWORD + ";outbound=\"sip:127.0.0.1:" + server.getPort()
                + ";transport=udp\";regint=600\n");
        // -t: baresip quits by itself after 50 s should the test never get to stop it.
        baresip = new ProcessBuilder(binary, "-f", work.toString(), "-s", "-t", "50").directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(work.resolve("out.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();

        Eventually.within(Duration.ofSeconds(15), "baresip's binding in the API", () -> {
            assertThat(baresip.isAlive()).as("baresip ended early:\n%s", clientOutput()).isTrue();
            return !bindings().isEmpty();
        });
        List<JsonNode> items = bindings();
        assertThat(items).as(clientOutput()).hasSize(1);
        JsonNode b = items.get(0);
        assertThat(b.get("aor").asString()).isEqualTo(fixture.aor("101"));
        // baresip's contact user is the account's user with a per-UA suffix: sip:101-0x...@127.0.0.1:port
        assertThat(b.get("contact").asString()).startsWith("sip:101").endsWith("@127.0.0.1:" + localPort);
        assertThat(b.get("source").asString()).isEqualTo("127.0.0.1:" + localPort);
        assertThat(b.get("transport").asString()).isEqualTo("UDP");
        // The User-Agent baresip sent, e.g. "baresip v1.0.0 (x86_64/linux)".
        assertThat(b.get("user_agent").asString()).startsWith("baresip v")
                .isEqualTo(traceLines("User-Agent:").get(0).substring("User-Agent:".length()).trim());
        assertThat(b.get("expires").asLong()).isBetween(560L, 600L);
        assertThat(b.get("user_uuid").asString()).isEqualTo(userUuid);
        assertAnsweredWithMd5();
        Eventually.within(Duration.ofSeconds(5), "binding written behind", () -> rows() == 1);

        // SIGTERM: baresip un-registers (Contact ;expires=0) and exits.
        baresip.destroy();
        assertThat(baresip.waitFor(15, TimeUnit.SECONDS)).as("baresip quits on SIGTERM:\n%s", clientOutput())
                .isTrue();
        assertThat(traceLines("Contact:")).as(clientOutput()).anySatisfy(c -> assertThat(c).endsWith(";expires=0"));
        assertThat(bindings()).as("un-registered on quit:\n%s", clientOutput()).isEmpty();
        // The un-REGISTER's credentials are MD5 too.
        assertAnsweredWithMd5();
        // Also waited for so that no write is pending when the context closes.
        Eventually.within(Duration.ofSeconds(5), "removal written behind", () -> rows() == 0);
    }

    @Test
    void baresipWithOutboundKeepsItsFlowToldByRequireOutbound() throws Exception {
        InetSocketAddress server = engine.localAddress(Transport.UDP).orElseThrow();
        int localPort = Baresip.freeSipPort();
        // RFC 5626 needs the instance id: baresip's uuid module reads it from the file "uuid".
        Files.writeString(work.resolve("uuid"), "2d525387-0326-4e35-b9c7-cf7310cd2fd2");
        Files.writeString(work.resolve("config"), String.join("\n",
                "poll_method epoll",
                "sip_listen 127.0.0.1:" + localPort,
                "module_path " + Baresip.modulePath(),
                "module uuid.so",
                "module_app account.so",
                ""));
        Files.writeString(work.resolve("accounts"), "<sip:101@" + fixture.domain() + ">;auth_pass="
                + RegistrarFixture.SIP_PASSWORD + ";outbound=\"sip:127.0.0.1:" + server.getPort()
                + ";transport=udp\";sipnat=outbound;regint=600\n");
        baresip = new ProcessBuilder(Baresip.binary(), "-f", work.toString(), "-s", "-t", "50").directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(work.resolve("out.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();

        Eventually.within(Duration.ofSeconds(15), "baresip's binding in the API", () -> {
            assertThat(baresip.isAlive()).as("baresip ended early:\n%s", clientOutput()).isTrue();
            return !bindings().isEmpty();
        });
        JsonNode b = bindings().get(0);
        assertThat(b.get("instance").asString()).isEqualTo("<urn:uuid:2d525387-0326-4e35-b9c7-cf7310cd2fd2>");
        assertThat(traceLines("Require:")).as(clientOutput()).containsExactly("Require: outbound");
        // baresip then keeps the flow with STUN keep-alives on it (SipEngineTest shows the SIP port
        // answering them; a loopback capture with this configuration showed baresip sending the first
        // right after the 200 and getting its answer).
        assertThat(traceLines("REGISTER ")).as(clientOutput()).hasSize(2);
        assertThat(bindings()).hasSize(1);
    }
}
