package dev.switchboard.trunk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sip.SipEngine;
import dev.switchboard.sip.transport.Transport;
import dev.switchboard.support.Api;
import dev.switchboard.support.Eventually;
import dev.switchboard.support.SipServerTest;
import dev.switchboard.support.Sipp;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The trunks' live status in the native API: OPTIONS probes against a SIPp UAS (up) and against a
 * closed TCP port (down), and another tenant's admin finding nothing.
 */
@SipServerTest
@TestPropertySource(properties = "switchboard.trunk.probe-interval=1s")
class TrunkStatusTest {

    @LocalServerPort
    int port;
    @Autowired
    SipEngine engine;

    @Test
    void aTrunkThatAnswersOptionsIsUpAndOneThatCannotBeReachedIsDown() throws Exception {
        Api api = new Api(port);
        String admin = api.signInAdmin();
        JsonNode tenant = api.createTenant(admin);
        String uuid = tenant.get("uuid").asString();
        api.createUser(admin, uuid, "boss", "Boss-Secret-1", "Admin");
        String token = api.signIn(tenant.get("domain").asString(), "boss", "Boss-Secret-1");
        InetSocketAddress proxy = engine.localAddress(Transport.UDP).orElseThrow();

        int farPort;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.3"), 0))) {
            farPort = s.getLocalPort();
        }
        Sipp.Running far = Sipp.start("options_uas", "127.0.0.3", farPort, proxy, 20, "-m", "1");
        String up = api.post("/voip/trunk", token, Map.of("name", "Alive", "domain", "127.0.0.3", "port", farPort,
                "transport", "udp")).json().get("result").get("uuid").asString();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String down = api.post("/voip/trunk", token, Map.of("name", "Gone", "domain", "127.0.0.1", "port", closedPort,
                "transport", "tcp")).json().get("result").get("uuid").asString();

        String base = "/api/v2/tenants/" + uuid + "/trunks";
        Eventually.within(Duration.ofSeconds(10), "both trunks probed", () ->
                !api.get(base + "/" + up, token).json().get("status").asString().equals("unknown")
                        && !api.get(base + "/" + down, token).json().get("status").asString().equals("unknown"));
        JsonNode alive = api.get(base + "/" + up, token).json();
        assertThat(alive.get("status").asString()).isEqualTo("up");
        assertThat(alive.get("last_response").asInt()).isEqualTo(200);
        assertThat(alive.get("checked_at").asString()).isNotBlank();
        JsonNode gone = api.get(base + "/" + down, token).json();
        assertThat(gone.get("status").asString()).isEqualTo("down");
        assertThat(gone.get("last_response").asInt()).isEqualTo(503);
        assertThat(far.await().allSucceeded(1)).isTrue();

        Api.Answer list = api.get(base, token);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("items")).hasSize(2);
        assertThat(list.json().get("next").isNull()).isTrue();
        // Cursor pagination as every native list: one per page, then the rest, then a bad limit.
        JsonNode first = api.get(base + "?limit=1", token).json();
        assertThat(first.get("items")).hasSize(1);
        JsonNode second = api.get(base + "?limit=1&after=" + first.get("next").asString(), token).json();
        assertThat(second.get("items")).hasSize(1);
        assertThat(second.get("next").isNull()).isTrue();
        assertThat(List.of(first.get("items").get(0).get("uuid").asString(),
                second.get("items").get(0).get("uuid").asString())).containsExactlyInAnyOrder(up, down);
        assertThat(api.get(base + "?limit=0", token).status()).isEqualTo(400);
        assertThat(api.get(base + "?after=zzz", token).status()).isEqualTo(400);

        // Another tenant's admin: the tenant and its trunks do not exist for it.
        JsonNode other = api.createTenant(admin);
        api.createUser(admin, other.get("uuid").asString(), "rival", "Rival-Secret-1", "Admin");
        String rival = api.signIn(other.get("domain").asString(), "rival", "Rival-Secret-1");
        assertThat(api.get(base, rival).status()).isEqualTo(404);
        assertThat(api.get(base + "/" + up, rival).status()).isEqualTo(404);
        // And a trunk of another tenant under one's own tenant is 404 too.
        assertThat(api.get("/api/v2/tenants/" + other.get("uuid").asString() + "/trunks/" + up, admin).status())
                .isEqualTo(404);
    }
}
