package dev.switchboard.proxy;

import dev.switchboard.support.Api;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A tenant set up for calls through the API, as an administrator would: a tenant Admin, SIP users,
 * and a trunk whose calls go to a SIPp UAS on 127.0.0.3 and which lets in 127.0.0.2 by address.
 */
record CallFixture(Api api, String adminToken, String tenantUuid, String domain, String tenantToken,
                   String trunkUuid, int trunkPort) {

    static final String SIP_PASSWORD = "sip-Secret-200";
    static final String TRUNK_USER = "carrier";
    static final String TRUNK_PASSWORD = "Trunk-Secret-1";
    static final String TRUNK_SOURCE = "127.0.0.2";
    static final String TRUNK_HOST = "127.0.0.3";

    static CallFixture create(Api api) throws Exception {
        String admin = api.signInAdmin();
        JsonNode tenant = api.createTenant(admin);
        String tenantUuid = tenant.get("uuid").asString();
        String domain = tenant.get("domain").asString();
        created(api.post("/api/v2/tenants/" + tenantUuid + "/users", admin, Map.of("username", "boss",
                "password", "Boss-Secret-1", "role", "Admin")));
        String tenantToken = api.signIn(domain, "boss", "Boss-Secret-1");
        int trunkPort = freeUdpPort(TRUNK_HOST);
        JsonNode trunk = created(api.post("/voip/trunk", tenantToken, Map.of("name", "Carrier", "domain", TRUNK_HOST,
                "port", trunkPort, "transport", "udp", "user", "%user"))).get("result");
        String trunkUuid = trunk.get("uuid").asString();
        created(api.post("/voip/trunk/" + trunkUuid + "/auth", tenantToken, Map.of("type", "ip", "ip", TRUNK_SOURCE)));
        created(api.post("/voip/trunk/" + trunkUuid + "/auth", tenantToken, Map.of("type", "sipuser",
                "username", TRUNK_USER, "password", TRUNK_PASSWORD)));
        return new CallFixture(api, admin, tenantUuid, domain, tenantToken, trunkUuid, trunkPort);
    }

    /** A user with a SIP extension and {@link #SIP_PASSWORD}. */
    void sipUser(String username, String extension) {
        created(api.post("/api/v2/tenants/" + tenantUuid + "/users", adminToken, Map.of("username", username,
                "password", "User-Secret-1", "role", "StandardUser", "extension", extension,
                "sip_password", SIP_PASSWORD)));
    }

    private static JsonNode created(Api.Answer a) {
        if (a.status() != 201) {
            throw new AssertionError("creation failed: " + a.status() + " " + a.text());
        }
        return a.json();
    }

    static int freeUdpPort(String host) throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(host), 0))) {
            return s.getLocalPort();
        }
    }
}
