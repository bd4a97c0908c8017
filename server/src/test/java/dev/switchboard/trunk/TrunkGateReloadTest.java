package dev.switchboard.trunk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.support.Api;
import dev.switchboard.support.Eventually;
import dev.switchboard.support.SwitchboardTest;
import dev.switchboard.web.Timestamps;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The gate and the trunk routes follow changes they did not make themselves: rows written by
 * another node (simulated by writing the database directly), its clock behind or not, and tenants
 * being disabled.
 */
@SwitchboardTest
class TrunkGateReloadTest {

    @LocalServerPort
    int port;
    @Autowired
    TrunkGate gate;
    @Autowired
    TrunkRoutes routes;
    @Autowired
    JdbcClient jdbc;

    @Test
    void picksUpMethodsWrittenByAnotherNodeWithinAboutASecond() throws Exception {
        Api api = new Api(port);
        String admin = api.signInAdmin();
        UUID tenant = UUID.fromString(api.createTenant(admin).get("uuid").asString());
        UUID trunk = UUID.randomUUID();
        UUID method = UUID.randomUUID();
        Instant now = Instant.now();
        jdbc.sql("INSERT INTO trunk (id, tenant_id, name, domain, port, transport, user_format, created_at, updated_at)"
                        + " VALUES (?, ?, 'other node', 'peer.example.com', 5060, 'udp', '%e164', ?, ?)")
                .params(trunk, tenant, Timestamps.sql(now), Timestamps.sql(now)).update();
        jdbc.sql("INSERT INTO trunk_auth (id, trunk_id, tenant_id, auth_type, ip, username, created_at, updated_at)"
                        + " VALUES (?, ?, ?, 'ip', '2001:db8:77::/48', '', ?, ?)")
                .params(method, trunk, tenant, Timestamps.sql(now), Timestamps.sql(now)).update();
        InetAddress source = InetAddress.getByName("2001:db8:77::1234");
        assertThat(gate.trunkOf(source)).isEmpty();
        jdbc.sql("UPDATE trunk_change SET version = version + 1 WHERE id = 1").update();
        Eventually.within(Duration.ofSeconds(5), "the gate reloads the other node's method",
                () -> gate.trunkOf(source).isPresent());
        assertThat(gate.trunkOf(source).orElseThrow().trunkId()).isEqualTo(trunk);

        jdbc.sql("DELETE FROM trunk_auth WHERE id = ?").param(method).update();
        jdbc.sql("UPDATE trunk_change SET version = version + 1 WHERE id = 1").update();
        Eventually.within(Duration.ofSeconds(5), "the gate drops the other node's deleted method",
                () -> gate.trunkOf(source).isEmpty());
    }

    @Test
    void followsChangesWrittenByANodeWhoseClockIsBehind() throws Exception {
        Api api = new Api(port);
        String admin = api.signInAdmin();
        JsonNode tenant = api.createTenant(admin);
        String id = tenant.get("uuid").asString();
        String trunkId = createTrunk(api, admin, id, "carrier.example.com");
        String username = "behind" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> method = new LinkedHashMap<>();
        method.put("type", "sipuser");
        method.put("ip", "");
        method.put("username", username);
        method.put("password", "s3cret-trunk");
        assertThat(api.post("/voip/trunk/" + trunkId + "/auth?tenant=" + id, admin, method).status()).isEqualTo(201);
        InetAddress source = InetAddress.getByName("198.51.100.7");
        assertThat(gate.sipUser(tenant.get("domain").asString(), username, source)).isPresent();
        // A newer tenant and trunk, so that neither changed row below is the newest of its table;
        // once the gate serves the newer trunk's method, it has read them.
        JsonNode newer = api.createTenant(admin);
        String newerTrunk = createTrunk(api, admin, newer.get("uuid").asString(), "newer.example.com");
        method.put("username", username + "n");
        assertThat(api.post("/voip/trunk/" + newerTrunk + "/auth?tenant=" + newer.get("uuid").asString(), admin,
                method).status()).isEqualTo(201);
        Eventually.within(Duration.ofSeconds(5), "the gate serves the newer tenant's method",
                () -> gate.sipUser(newer.get("domain").asString(), username + "n", source).isPresent());
        Eventually.within(Duration.ofSeconds(5), "the routes carry the newer trunk",
                () -> routes.all().stream().anyMatch(t -> t.id().toString().equals(newerTrunk)));

        // Another node, its clock an hour behind, renames the tenant and moves the trunk.
        Instant behind = Instant.now().minus(Duration.ofHours(1));
        String renamed = "renamed-" + tenant.get("domain").asString();
        jdbc.sql("UPDATE tenant SET domain = ?, domain_key = ?, updated_at = ? WHERE id = ?")
                .params(renamed, renamed, Timestamps.sql(behind), UUID.fromString(id)).update();
        jdbc.sql("UPDATE trunk SET domain = 'moved.example.net', updated_at = ? WHERE id = ?")
                .params(Timestamps.sql(behind), UUID.fromString(trunkId)).update();
        Eventually.within(Duration.ofSeconds(5), "the gate serves the renamed tenant's realm",
                () -> gate.sipUser(renamed, username, source).isPresent());
        Eventually.within(Duration.ofSeconds(5), "the routes carry the moved trunk",
                () -> routes.all().stream().anyMatch(t -> t.id().toString().equals(trunkId)
                        && t.domain().equals("moved.example.net")));
    }

    @Test
    void aDisabledTenantsTrunksLeaveTheGateAndComeBackWhenEnabled() throws Exception {
        Api api = new Api(port);
        String admin = api.signInAdmin();
        JsonNode tenant = api.createTenant(admin);
        String id = tenant.get("uuid").asString();
        String trunkId = createTrunk(api, admin, id, "carrier.example.com");
        Api.Answer m = api.post("/voip/trunk/" + trunkId + "/auth?tenant=" + id, admin,
                Map.of("type", "ip", "ip", "198.18.5.0/24"));
        assertThat(m.status()).as(m.text()).isEqualTo(201);
        InetAddress source = InetAddress.getByName("198.18.5.5");
        assertThat(gate.trunkOf(source)).isPresent();

        assertThat(api.put("/api/v2/tenants/" + id, admin, Map.of("enabled", false)).status()).isEqualTo(200);
        assertThat(gate.trunkOf(source)).isEmpty();
        assertThat(api.put("/api/v2/tenants/" + id, admin, Map.of("enabled", true)).status()).isEqualTo(200);
        Eventually.within(Duration.ofSeconds(5), "the gate serves the re-enabled tenant's trunk",
                () -> gate.trunkOf(source).isPresent());
    }

    /** A trunk of the tenant through the Yay API; answers its uuid. */
    private static String createTrunk(Api api, String admin, String tenant, String domain) {
        Api.Answer trunk = api.post("/voip/trunk?tenant=" + tenant, admin, Map.of("name", "T", "domain", domain));
        assertThat(trunk.status()).as(trunk.text()).isEqualTo(201);
        return trunk.json().get("result").get("uuid").asString();
    }
}
