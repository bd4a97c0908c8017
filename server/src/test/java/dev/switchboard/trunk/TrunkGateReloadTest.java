package dev.switchboard.trunk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.support.Api;
import dev.switchboard.support.Eventually;
import dev.switchboard.support.SwitchboardTest;
import dev.switchboard.web.Timestamps;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The gate follows changes it did not make itself: rows written by another node (simulated by
 * writing the database directly and bumping the change version) and tenants being disabled.
 */
@SwitchboardTest
class TrunkGateReloadTest {

    @LocalServerPort
    int port;
    @Autowired
    TrunkGate gate;
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
    void aDisabledTenantsTrunksLeaveTheGateAndComeBackWhenEnabled() throws Exception {
        Api api = new Api(port);
        String admin = api.signInAdmin();
        JsonNode tenant = api.createTenant(admin);
        String id = tenant.get("uuid").asString();
        Api.Answer trunk = api.post("/voip/trunk?tenant=" + id, admin,
                Map.of("name", "T", "domain", "carrier.example.com"));
        String trunkId = trunk.json().get("result").get("uuid").asString();
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
}
