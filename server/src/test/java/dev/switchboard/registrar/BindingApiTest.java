package dev.switchboard.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sip.SipEngine;
import dev.switchboard.sip.transport.Transport;
import dev.switchboard.support.Api;
import dev.switchboard.support.Eventually;
import dev.switchboard.support.RegisterClient;
import dev.switchboard.support.SwitchboardTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Live bindings through the native API: fields, roles, isolation, forced de-registration, persistence. */
@SwitchboardTest
class BindingApiTest {

    @LocalServerPort
    int port;
    @Autowired
    SipEngine engine;
    @Autowired
    LocationStore store;
    @Autowired
    JdbcClient jdbc;

    Api api;
    RegistrarFixture fixture;
    String alice;
    String bob;

    @BeforeEach
    void twoRegisteredUsers() throws Exception {
        api = new Api(port);
        fixture = RegistrarFixture.create(api);
        alice = fixture.sipUser("alice", "101").get("uuid").asString();
        bob = fixture.sipUser("bob", "102").get("uuid").asString();
        register("101", "<sip:101@127.0.0.1:5999>;q=0.7");
        register("102", "<sip:102@127.0.0.1:5998>");
    }

    void register(String user, String contact) throws Exception {
        assertThat(registerStatus(user, contact, RegistrarFixture.SIP_PASSWORD)).isEqualTo(200);
    }

    int registerStatus(String user, String contact, String password) throws Exception {
        try (RegisterClient ua = new RegisterClient(engine.localAddress(Transport.UDP).orElseThrow(),
                fixture.domain(), user)) {
            return ua.register(List.of(contact), Optional.of(600L), password).status();
        }
    }

    String tenantPath() {
        return "/api/v2/tenants/" + fixture.tenantUuid();
    }

    long rowsFor(String userUuid) {
        return jdbc.sql("SELECT COUNT(*) FROM binding WHERE user_id = ?").param(UUID.fromString(userUuid))
                .query(Long.class).single();
    }

    @Test
    void listsTheTenantsAndAUsersBindingsWithTheirFields() {
        Api.Answer all = api.get(tenantPath() + "/bindings", fixture.adminToken());
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json().get("items")).hasSize(2);

        Api.Answer mine = api.get(tenantPath() + "/users/" + alice + "/bindings", fixture.adminToken());
        assertThat(mine.status()).isEqualTo(200);
        JsonNode b = mine.json().get("items").get(0);
        assertThat(mine.json().get("items")).hasSize(1);
        assertThat(b.get("aor").asString()).isEqualTo(fixture.aor("101"));
        assertThat(b.get("contact").asString()).isEqualTo("sip:101@127.0.0.1:5999");
        assertThat(b.get("source").asString()).startsWith("127.0.0.1:");
        assertThat(b.get("transport").asString()).isEqualTo("UDP");
        assertThat(b.get("user_agent").asString()).isEqualTo("RegisterClient");
        assertThat(b.get("expires").asLong()).isBetween(560L, 600L);
        assertThat(b.get("expires_at").asString()).isNotEmpty();
        assertThat(b.get("q").asDouble()).isEqualTo(0.7);
        assertThat(b.get("call_id").asString()).isNotEmpty();
        assertThat(b.get("user_uuid").asString()).isEqualTo(alice);
        assertThat(b.has("instance")).isTrue();
        assertThat(b.has("reg_id")).isTrue();
    }

    @Test
    void letsAStandardUserReadOnlyItsOwnBindings() {
        String token = api.signIn(fixture.domain(), "alice", RegistrarFixture.LOGIN_PASSWORD);
        assertThat(api.get(tenantPath() + "/users/" + alice + "/bindings", token).json().get("items")).hasSize(1);
        assertThat(api.get(tenantPath() + "/users/" + bob + "/bindings", token).status()).isEqualTo(404);
        assertThat(api.get(tenantPath() + "/bindings", token).status()).isEqualTo(403);
        assertThat(api.delete(tenantPath() + "/users/" + alice + "/bindings", token).status()).isEqualTo(403);
    }

    @Test
    void hidesBindingsFromAnotherTenantsAdmin() {
        JsonNode other = api.createTenant(fixture.adminToken());
        String otherUuid = other.get("uuid").asString();
        api.post("/api/v2/tenants/" + otherUuid + "/users", fixture.adminToken(), Map.of("username", "boss",
                "password", RegistrarFixture.LOGIN_PASSWORD, "role", "Admin"));
        String token = api.signIn(other.get("domain").asString(), "boss", RegistrarFixture.LOGIN_PASSWORD);
        assertThat(api.get(tenantPath() + "/bindings", token).status()).isEqualTo(404);
        assertThat(api.get(tenantPath() + "/users/" + alice + "/bindings", token).status()).isEqualTo(404);
        String id = store.lookup(fixture.aor("101")).get(0).id().toString();
        assertThat(api.delete(tenantPath() + "/bindings/" + id, token).status()).isEqualTo(404);
        // Nor through its own tenant's path.
        assertThat(api.delete("/api/v2/tenants/" + otherUuid + "/bindings/" + id, token).status()).isEqualTo(404);
        assertThat(store.lookup(fixture.aor("101"))).hasSize(1);
    }

    @Test
    void deletesOneBindingOrAllOfAUserAndTheDatabaseFollows() {
        Eventually.within(Duration.ofSeconds(5), "bindings written behind", () -> rowsFor(alice) == 1
                && rowsFor(bob) == 1);
        String id = store.lookup(fixture.aor("101")).get(0).id().toString();
        assertThat(api.delete(tenantPath() + "/bindings/" + id, fixture.adminToken()).status()).isEqualTo(204);
        assertThat(api.delete(tenantPath() + "/bindings/" + id, fixture.adminToken()).status()).isEqualTo(404);
        assertThat(api.get(tenantPath() + "/users/" + alice + "/bindings", fixture.adminToken()).json().get("items"))
                .isEmpty();

        assertThat(api.delete(tenantPath() + "/users/" + bob + "/bindings", fixture.adminToken()).status())
                .isEqualTo(204);
        assertThat(store.lookup(fixture.aor("102"))).isEmpty();
        Eventually.within(Duration.ofSeconds(5), "removals written behind", () -> rowsFor(alice) == 0
                && rowsFor(bob) == 0);
    }

    @Test
    void endsTheBindingsOfADeletedUserAndOfADisabledTenant() {
        assertThat(api.delete(tenantPath() + "/users/" + alice, fixture.adminToken()).status()).isEqualTo(204);
        assertThat(store.lookup(fixture.aor("101"))).isEmpty();
        assertThat(store.lookup(fixture.aor("102"))).hasSize(1);

        assertThat(api.put(tenantPath(), fixture.adminToken(), Map.of("enabled", false)).status()).isEqualTo(200);
        assertThat(store.lookup(fixture.aor("102"))).isEmpty();
    }

    @Test
    void keepsBindingsForANewSipPasswordAndEndsThemForANewExtensionOrNoSipPassword() throws Exception {
        String password = "sip-Secret-New-9";
        assertThat(api.put(tenantPath() + "/users/" + alice, fixture.adminToken(), Map.of("sip_password", password))
                .status()).isEqualTo(200);
        assertThat(store.lookup(fixture.aor("101"))).hasSize(1);
        // The registrar knows the new password at once and no longer the old one.
        assertThat(registerStatus("101", "<sip:101@127.0.0.1:5997>", RegistrarFixture.SIP_PASSWORD)).isEqualTo(403);
        assertThat(registerStatus("101", "<sip:101@127.0.0.1:5997>", password)).isEqualTo(200);
        assertThat(store.lookup(fixture.aor("101"))).hasSize(2);

        assertThat(api.put(tenantPath() + "/users/" + alice, fixture.adminToken(),
                Map.of("extension", "111", "sip_password", password)).status()).isEqualTo(200);
        assertThat(store.lookup(fixture.aor("101"))).isEmpty();
        assertThat(registerStatus("101", "<sip:101@127.0.0.1:5997>", password)).isEqualTo(403);
        assertThat(registerStatus("111", "<sip:111@127.0.0.1:5997>", password)).isEqualTo(200);
        // The freed extension can be another user's at once.
        String carol = fixture.sipUser("carol", "101").get("uuid").asString();
        register("101", "<sip:101@127.0.0.1:5996>");
        assertThat(store.lookup(fixture.aor("101"))).singleElement()
                .satisfies(b -> assertThat(b.userId()).hasToString(carol));

        assertThat(api.put(tenantPath() + "/users/" + bob, fixture.adminToken(), Map.of("sip_password", ""))
                .status()).isEqualTo(200);
        assertThat(store.lookup(fixture.aor("102"))).isEmpty();
        assertThat(registerStatus("102", "<sip:102@127.0.0.1:5998>", RegistrarFixture.SIP_PASSWORD)).isEqualTo(403);
        assertThat(store.lookup(fixture.aor("111"))).hasSize(1);
    }

    @Test
    void clearsSipPasswordsWhenTheTenantDomainChanges() {
        String domain = "n" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
        Instant before = Instant.parse(api.get(tenantPath() + "/users/" + alice, fixture.adminToken()).json()
                .get("updated_at").asText());
        assertThat(api.put(tenantPath(), fixture.adminToken(), Map.of("domain", domain)).status()).isEqualTo(200);
        assertThat(store.lookup(fixture.aor("101"))).isEmpty();
        JsonNode user = api.get(tenantPath() + "/users/" + alice, fixture.adminToken()).json();
        assertThat(user.get("sip_password_set").asBoolean()).isFalse();
        // A client syncing users by updated_at learns that the SIP credentials went.
        assertThat(Instant.parse(user.get("updated_at").asText())).isAfter(before);
    }
}
