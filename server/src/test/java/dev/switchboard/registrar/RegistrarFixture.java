package dev.switchboard.registrar;

import dev.switchboard.support.Api;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** A tenant with SIP users, created through the API as an administrator would. */
record RegistrarFixture(Api api, String adminToken, String tenantUuid, String domain) {

    static final String SIP_PASSWORD = "sip-Secret-101";
    static final String LOGIN_PASSWORD = "User-Secret-1";

    static RegistrarFixture create(Api api) {
        String admin = api.signInAdmin();
        JsonNode tenant = api.createTenant(admin);
        return new RegistrarFixture(api, admin, tenant.get("uuid").asString(), tenant.get("domain").asString());
    }

    /** A StandardUser with extension and SIP password; answers its JSON. */
    JsonNode sipUser(String username, String extension) {
        Api.Answer a = api.post("/api/v2/tenants/" + tenantUuid + "/users", adminToken, Map.of("username", username,
                "password", LOGIN_PASSWORD, "role", "StandardUser", "extension", extension,
                "sip_password", SIP_PASSWORD));
        if (a.status() != 201) {
            throw new AssertionError("user creation failed: " + a.status() + " " + a.text());
        }
        return a.json();
    }

    String aor(String extension) {
        return (extension + "@" + domain).toLowerCase();
    }
}
