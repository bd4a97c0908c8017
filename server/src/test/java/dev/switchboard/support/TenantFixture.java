package dev.switchboard.support;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Base of API tests that each start with the system administrator signed in and a fresh tenant. */
public abstract class TenantFixture {

    /** A password that meets the policy, for the users a test creates. */
    protected static final String PASSWORD = "Right-Pass-1";

    @LocalServerPort
    protected int port;

    protected Api api;
    protected String admin;
    protected String domain;
    protected String tenantUuid;

    @BeforeEach
    void signInAndCreateTenant() {
        api = new Api(port);
        admin = api.signInAdmin();
        JsonNode tenant = api.createTenant(admin);
        domain = tenant.get("domain").asString();
        tenantUuid = tenant.get("uuid").asString();
    }
}
