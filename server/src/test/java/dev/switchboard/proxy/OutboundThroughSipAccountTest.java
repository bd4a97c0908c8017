package dev.switchboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.device.SettingsReaderTest;
import dev.switchboard.sip.SipEngine;
import dev.switchboard.sip.transport.Transport;
import dev.switchboard.support.Api;
import dev.switchboard.support.Eventually;
import dev.switchboard.support.SipServerTest;
import dev.switchboard.support.Sipp;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A tenant whose outside calls leave through its user agent's SIP account (outbound_route
 * sip_account). The provider is this same server as tenant B: it challenges the call with 407 in
 * B's realm, the proxy answers with the account's credentials, and B sends the call on to its own
 * trunk, a SIPp UAS on 127.0.0.4.
 */
@SipServerTest
@TestPropertySource(properties = {"switchboard.registrar.md5-only-user-agents=SIPp",
        "switchboard.proxy.ring-timeout=5s"})
class OutboundThroughSipAccountTest {

    static final String ACCOUNT_PASSWORD = "b-sip-secret-801";

    @LocalServerPort
    int port;
    @Autowired
    SipEngine engine;

    @Test
    void aCallToAnOutsideNumberLeavesThroughTheSipAccountWithItsCredentials() throws Exception {
        Api api = new Api(port);
        CallFixture a = CallFixture.create(api);
        InetSocketAddress proxy = engine.localAddress(Transport.UDP).orElseThrow();

        // Tenant B, the provider: the account's user, and a trunk to the far end.
        JsonNode b = api.createTenant(a.adminToken());
        String bUuid = b.get("uuid").asString();
        String bDomain = b.get("domain").asString();
        assertThat(api.post("/api/v2/tenants/" + bUuid + "/users", a.adminToken(), Map.of("username", "acct",
                "password", "Acct-Secret-1", "role", "Admin", "extension", "801", "sip_password",
                ACCOUNT_PASSWORD)).status()).isEqualTo(201);
        String bToken = api.signIn(bDomain, "acct", "Acct-Secret-1");
        int farPort = CallFixture.freeUdpPort("127.0.0.4");
        assertThat(api.post("/voip/trunk", bToken, Map.of("name", "Far end", "domain", "127.0.0.4", "port", farPort,
                "transport", "udp", "user", "%user")).status()).isEqualTo(201);

        Api.Answer wrong = api.put("/api/v2/tenants/" + a.tenantUuid(), a.adminToken(),
                Map.of("outbound_route", "carrier-pigeon"));
        assertThat(wrong.status()).as(wrong.text()).isEqualTo(400);
        assertThat(wrong.text()).contains("outbound_route");
        assertThat(api.get("/api/v2/tenants/" + a.tenantUuid(), a.adminToken()).json().get("outbound_route")
                .asString()).isEqualTo("trunk");

        // Tenant A: calls out through its SIP account, which is B's user 801.
        Api.Answer route = api.put("/api/v2/tenants/" + a.tenantUuid(), a.adminToken(),
                Map.of("outbound_route", "sip_account"));
        assertThat(route.status()).as(route.text()).isEqualTo(200);
        assertThat(route.json().get("outbound_route").asString()).isEqualTo("sip_account");
        String device = api.deviceToken(a.domain(), "boss", "Boss-Secret-1");
        var settings = SettingsReaderTest.with("proxy", "sip:127.0.0.1:" + proxy.getPort(), "realm", bDomain,
                "user", "801", "user_id", "", "password", ACCOUNT_PASSWORD, "transport", "udp", "outbound", "",
                "registration_interval", 60, "stun.ip", "127.0.0.1", "stun.port", 9);
        assertThat(api.post("/api/v1/device/sip/settings", device, settings).status()).isEqualTo(200);
        Eventually.within(Duration.ofSeconds(15), "the SIP account registered", () ->
                api.get("/api/v1/sip/status", device).json().get("sip_status").asString().equals("OK"));

        Sipp.Running farEnd = Sipp.start("call_uas", Map.of(), "127.0.0.4", farPort, proxy, 25, "-m", "1");
        Sipp.Result caller = Sipp.start("call_uac", Map.of(), CallFixture.TRUNK_SOURCE,
                CallFixture.freeUdpPort(CallFixture.TRUNK_SOURCE), proxy, 20, "-m", "1", "-s", "0777",
                "-key", "domain", a.domain()).await();
        assertThat(caller.allSucceeded(1)).as(caller.output()).isTrue();
        Sipp.Result far = farEnd.await();
        assertThat(far.allSucceeded(1)).as(far.output()).isTrue();

        // Without an active account there is no way out, and the caller is told so.
        assertThat(api.post("/api/v1/device/sip/enable", device, Map.of("sip_enable", false)).status())
                .isEqualTo(200);
        Sipp.Result refused = Sipp.start("call_uac_fails", Map.of("STATUS", "503"), CallFixture.TRUNK_SOURCE,
                CallFixture.freeUdpPort(CallFixture.TRUNK_SOURCE), proxy, 20, "-m", "1", "-s", "0778",
                "-key", "domain", a.domain()).await();
        assertThat(refused.allSucceeded(1)).as(refused.output()).isTrue();
    }
}
