package dev.switchboard.trunk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.support.Api;
import dev.switchboard.support.SwitchboardTest;
import java.net.InetAddress;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** SPEC 3.3 against the running server: envelope, status codes, rules, isolation, and the gate kept current. */
@SwitchboardTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class YayTrunkApiTest {

    static final String PASSWORD = "Passw0rd-Trunk";
    static final AtomicInteger SEQ = new AtomicInteger();

    @LocalServerPort
    int port;
    @Autowired
    TrunkGate gate;

    Api api;
    String admin;
    String tenantA;
    String domainA;
    String tokenA;
    String tokenB;
    String standardA;

    @BeforeAll
    void setUp() {
        api = new Api(port);
        admin = api.signInAdmin();
        JsonNode a = api.createTenant(admin);
        JsonNode b = api.createTenant(admin);
        tenantA = a.get("uuid").asString();
        domainA = a.get("domain").asString();
        api.createUser(admin, tenantA, "alice", PASSWORD, "Admin");
        api.createUser(admin, tenantA, "sam", PASSWORD, "StandardUser");
        api.createUser(admin, b.get("uuid").asString(), "bob", PASSWORD, "Admin");
        tokenA = api.signIn(domainA, "alice", PASSWORD);
        standardA = api.signIn(domainA, "sam", PASSWORD);
        tokenB = api.signIn(b.get("domain").asString(), "bob", PASSWORD);
    }

    static Map<String, Object> trunkBody(String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("domain", "sip.carrier.example.net");
        body.put("port", 5080);
        body.put("transport", "tcp");
        body.put("user", "%e164");
        return body;
    }

    static Map<String, Object> method(String type, String ip, String username, String password) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("ip", ip);
        body.put("username", username);
        body.put("password", password);
        return body;
    }

    String newTrunk(String token) {
        Api.Answer a = api.post("/voip/trunk", token, trunkBody("Trunk " + SEQ.incrementAndGet()));
        assertEnvelope(a, 201, "Created");
        return a.json().get("result").get("uuid").asString();
    }

    /** Each test gets fresh addresses so that overlap checks of different tests never meet. */
    static String freshNet() {
        int n = SEQ.incrementAndGet();
        return "10." + (n / 256 % 256) + "." + (n % 256) + ".0/24";
    }

    static void assertEnvelope(Api.Answer a, int status, String message) {
        assertThat(a.status()).as(a.text()).isEqualTo(status);
        assertThat(a.contentType()).startsWith("application/json");
        JsonNode json = a.json();
        assertThat(json.get("status_code").asInt()).isEqualTo(status);
        assertThat(json.get("status_message").asString()).isEqualTo(message);
        assertThat(json.has("result")).isTrue();
        if (status >= 400) {
            assertThat(json.get("result").isObject() && json.get("result").isEmpty()).as(a.text()).isTrue();
        }
    }

    static void assertBadRequest(Api.Answer a, String field) {
        assertEnvelope(a, 400, "Bad Request");
        JsonNode errors = a.json().get("errors");
        assertThat(errors.isArray()).isTrue();
        assertThat(errors.valueStream().map(e -> e.get("field").asString())).as(a.text()).contains(field);
        errors.forEach(e -> assertThat(e.get("message").asString()).isNotBlank());
    }

    static void assertNoContent(Api.Answer a) {
        assertThat(a.status()).as(a.text()).isEqualTo(204);
        assertThat(a.text()).isEmpty();
    }

    @Test
    void createsReadsListsAndDeletesATrunk() {
        Api.Answer created = api.post("/voip/trunk", tokenA, trunkBody("Main carrier"));
        assertEnvelope(created, 201, "Created");
        JsonNode t = created.json().get("result");
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        assertThat(t.get("name").asString()).isEqualTo("Main carrier");
        assertThat(t.get("domain").asString()).isEqualTo("sip.carrier.example.net");
        assertThat(t.get("port").asInt()).isEqualTo(5080);
        assertThat(t.get("transport").asString()).isEqualTo("tcp");
        assertThat(t.get("user").asString()).isEqualTo("%e164");
        assertThat(t.get("auth").isArray() && t.get("auth").isEmpty()).isTrue();
        assertThat(t.get("created_on").asString()).isEqualTo(today).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(t.get("updated_on").asString()).isEqualTo(today);
        String uuid = t.get("uuid").asString();
        UUID.fromString(uuid);
        assertThat(created.header("Location")).isEqualTo("/voip/trunk/" + uuid);

        Api.Answer got = api.get("/voip/trunk/" + uuid, tokenA);
        assertEnvelope(got, 200, "OK");
        assertThat(got.json().get("result")).isEqualTo(t);

        Api.Answer list = api.get("/voip/trunk", tokenA);
        assertEnvelope(list, 200, "OK");
        assertThat(list.json().get("result").valueStream().map(x -> x.get("uuid").asString())).contains(uuid);

        assertNoContent(api.delete("/voip/trunk/" + uuid, tokenA));
        assertEnvelope(api.get("/voip/trunk/" + uuid, tokenA), 404, "Not Found");
        assertEnvelope(api.delete("/voip/trunk/" + uuid, tokenA), 404, "Not Found");
    }

    @Test
    void putReplacesTheWholeTrunkAndOmittedFieldsTakeDefaults() {
        String uuid = newTrunk(tokenA);
        Map<String, Object> put = Map.of("name", "Renamed", "domain", "198.51.100.20");
        Api.Answer replaced = api.put("/voip/trunk/" + uuid, tokenA, put);
        assertEnvelope(replaced, 200, "OK");
        JsonNode t = replaced.json().get("result");
        assertThat(t.get("uuid").asString()).isEqualTo(uuid);
        assertThat(t.get("name").asString()).isEqualTo("Renamed");
        assertThat(t.get("domain").asString()).isEqualTo("198.51.100.20");
        assertThat(t.get("port").asInt()).isEqualTo(5060);
        assertThat(t.get("transport").asString()).isEqualTo("udp");
        assertThat(t.get("user").asString()).isEqualTo("%e164");
        assertThat(api.get("/voip/trunk/" + uuid, tokenA).json().get("result")).isEqualTo(t);

        // A GET → PUT round trip (uuid, auth, dates included) is accepted unchanged.
        Api.Answer roundTrip = api.put("/voip/trunk/" + uuid, tokenA, t);
        assertEnvelope(roundTrip, 200, "OK");
        assertThat(roundTrip.json().get("result").get("name").asString()).isEqualTo("Renamed");

        assertBadRequest(api.put("/voip/trunk/" + uuid, tokenA, Map.of("domain", "x.example.com")), "name");
        assertEnvelope(api.put("/voip/trunk/" + UUID.randomUUID(), tokenA, put), 404, "Not Found");
    }

    @Test
    void refusesInvalidTrunks() {
        assertBadRequest(api.post("/voip/trunk", tokenA, Map.of("domain", "a.example.com")), "name");
        assertBadRequest(api.post("/voip/trunk", tokenA, Map.of("name", "x")), "domain");
        assertBadRequest(api.post("/voip/trunk", tokenA, Map.of("name", "x", "domain", "not a host")), "domain");
        assertBadRequest(api.post("/voip/trunk", tokenA, Map.of("name", "x", "domain", "a.example.com", "port", 0)),
                "port");
        assertBadRequest(api.post("/voip/trunk", tokenA,
                Map.of("name", "x", "domain", "a.example.com", "port", 65536)), "port");
        assertBadRequest(api.post("/voip/trunk", tokenA,
                Map.of("name", "x", "domain", "a.example.com", "port", "5060")), "port");
        assertBadRequest(api.post("/voip/trunk", tokenA,
                Map.of("name", "x", "domain", "a.example.com", "transport", "sctp")), "transport");
        assertBadRequest(api.post("/voip/trunk", tokenA, Map.of("name", 12, "domain", "a.example.com")), "name");
        assertBadRequest(api.send("POST", "/voip/trunk", tokenA, "{\"name\":", "application/json"), "body");
        assertBadRequest(api.send("POST", "/voip/trunk", tokenA, "[1,2]", "application/json"), "body");
        assertBadRequest(api.send("POST", "/voip/trunk", tokenA, null, "application/json"), "body");
    }

    @Test
    void addsReadsAndDeletesAnIpMethodThatReachesTheGateAtOnce() throws Exception {
        String trunk = newTrunk(tokenA);
        String net = freshNet();
        String host = net.replace(".0/24", ".77");
        Api.Answer created = api.post("/voip/trunk/" + trunk + "/auth", tokenA, method("ip", net, "", ""));
        assertEnvelope(created, 201, "Created");
        JsonNode m = created.json().get("result");
        assertThat(m.get("type").asString()).isEqualTo("ip");
        assertThat(m.get("ip").asString()).isEqualTo(net);
        assertThat(m.get("username").asString()).isEmpty();
        assertThat(m.get("password").asString()).isEmpty();
        assertThat(m.get("created_on").asString()).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(m.get("updated_on").asString()).matches("\\d{4}-\\d{2}-\\d{2}");
        String auth = m.get("uuid").asString();

        assertThat(gate.trunkOf(InetAddress.getByName(host)).map(r -> r.trunkId().toString())).hasValue(trunk);
        assertThat(gate.decide(InetAddress.getByName(host), domainA)).isInstanceOf(GateDecision.TrunkCall.class);

        Api.Answer one = api.get("/voip/trunk/" + trunk + "/auth/" + auth, tokenA);
        assertEnvelope(one, 200, "OK");
        assertThat(one.json().get("result")).isEqualTo(m);
        Api.Answer list = api.get("/voip/trunk/" + trunk + "/auth", tokenA);
        assertEnvelope(list, 200, "OK");
        assertThat(list.json().get("result")).containsExactly(m);
        assertThat(api.get("/voip/trunk/" + trunk, tokenA).json().get("result").get("auth")).containsExactly(m);

        assertNoContent(api.delete("/voip/trunk/" + trunk + "/auth/" + auth, tokenA));
        assertThat(gate.trunkOf(InetAddress.getByName(host))).isEmpty();
        assertThat(gate.decide(InetAddress.getByName(host), domainA))
                .isEqualTo(new GateDecision.NeedsChallenge(domainA));
        assertEnvelope(api.get("/voip/trunk/" + trunk + "/auth/" + auth, tokenA), 404, "Not Found");
        assertEnvelope(api.delete("/voip/trunk/" + trunk + "/auth/" + auth, tokenA), 404, "Not Found");
    }

    @Test
    void deletingATrunkRemovesItsAddressesFromTheGate() throws Exception {
        String trunk = newTrunk(tokenA);
        String net = freshNet();
        assertEnvelope(api.post("/voip/trunk/" + trunk + "/auth", tokenA, method("ip", net, "", "")), 201, "Created");
        InetAddress inside = InetAddress.getByName(net.replace(".0/24", ".9"));
        assertThat(gate.trunkOf(inside)).isPresent();
        assertNoContent(api.delete("/voip/trunk/" + trunk, tokenA));
        assertThat(gate.trunkOf(inside)).isEmpty();
    }

    @Test
    void normalisesAndValidatesAddresses() {
        String trunk = newTrunk(tokenA);
        int n = SEQ.incrementAndGet();
        Api.Answer v4 = api.post("/voip/trunk/" + trunk + "/auth", tokenA,
                method("ip", "172.20." + (n % 256) + ".9/24", "", ""));
        assertEnvelope(v4, 201, "Created");
        assertThat(v4.json().get("result").get("ip").asString()).isEqualTo("172.20." + (n % 256) + ".0/24");
        Api.Answer v6 = api.post("/voip/trunk/" + trunk + "/auth", tokenA,
                method("ip", "2001:DB8:" + Integer.toHexString(n) + ":0:0:0:0:1", "", ""));
        assertEnvelope(v6, 201, "Created");
        assertThat(v6.json().get("result").get("ip").asString()).isEqualTo("2001:db8:" + Integer.toHexString(n) + "::1");
        Api.Answer v6net = api.post("/voip/trunk/" + trunk + "/auth", tokenA,
                method("ip", "2001:db9:" + Integer.toHexString(n) + "::/48", "", ""));
        assertEnvelope(v6net, 201, "Created");

        for (String junk : List.of("999.1.1.1", "1.2.3.4/33", "1.2.3", "2001:db8::/129", "example.com", "1.2.3.4/",
                "fe80::1%eth0", "")) {
            assertBadRequest(api.post("/voip/trunk/" + trunk + "/auth", tokenA, method("ip", junk, "", "")), "ip");
        }
        // A range wide enough to take every other tenant's callers (::/0 made one tenant's trunk of them all).
        for (String wide : List.of("0.0.0.0/0", "10.0.0.0/8", "172.16.0.0/15", "::/0", "2001:db8::/32",
                "::ffff:0.0.0.0/96")) {
            assertBadRequest(api.post("/voip/trunk/" + trunk + "/auth", tokenA, method("ip", wide, "", "")), "ip");
            assertBadRequest(api.post("/voip/trunk/" + trunk + "/auth", tokenA,
                    method("sipuser", wide, "wide" + SEQ.incrementAndGet(), "s3cret-trunk")), "ip");
        }
        Api.Answer ssh = api.post("/voip/trunk/" + trunk + "/auth", tokenA, method("ssh", "1.2.3.4", "", ""));
        assertBadRequest(ssh, "type");
        // A type given but unknown is not a missing one.
        assertThat(ssh.json().at("/errors/0/message").asString()).isEqualTo("type must be ip or sipuser");
        assertBadRequest(api.post("/voip/trunk/" + trunk + "/auth", tokenA,
                Map.of("type", "ip", "ip", 16909060)), "ip");
        assertBadRequest(api.send("POST", "/voip/trunk/" + trunk + "/auth", tokenA, "nope", "application/json"),
                "body");
        // 8 to 64 characters as SPEC 3.3 counts them: four emoji are four, not eight.
        String emoji = "\uD83C\uDF89";
        assertBadRequest(api.post("/voip/trunk/" + trunk + "/auth", tokenA,
                method("sipuser", "", "emo" + SEQ.incrementAndGet(), emoji.repeat(4))), "password");
        assertEnvelope(api.post("/voip/trunk/" + trunk + "/auth", tokenA,
                method("sipuser", "", "emo" + SEQ.incrementAndGet(), emoji.repeat(33))), 201, "Created");
    }

    @Test
    void sipuserMethodsHaveRulesAndMaskedPasswords() throws Exception {
        String trunk = newTrunk(tokenA);
        String name = "pbx" + SEQ.incrementAndGet();
        Api.Answer created = api.post("/voip/trunk/" + trunk + "/auth", tokenA,
                method("sipuser", "", name, "s3cret-trunk"));
        assertEnvelope(created, 201, "Created");
        JsonNode m = created.json().get("result");
        assertThat(m.get("type").asString()).isEqualTo("sipuser");
        assertThat(m.get("username").asString()).isEqualTo(name);
        assertThat(m.get("password").asString()).isEqualTo("********");
        assertThat(m.get("ip").asString()).isEmpty();
        assertThat(created.text()).doesNotContain("s3cret-trunk");
        assertThat(api.get("/voip/trunk/" + trunk + "/auth", tokenA).text()).doesNotContain("s3cret-trunk");

        var creds = gate.sipUser(domainA.toUpperCase(), name, InetAddress.getByName("203.0.113.1")).orElseThrow();
        assertThat(creds.ha1Md5()).isEqualTo(dev.switchboard.user.SipCredentials.derive(name, domainA,
                "s3cret-trunk").ha1Md5());
        assertThat(creds.trunk().trunkId().toString()).isEqualTo(trunk);

        // The same method again, and the username on another trunk of the tenant: 409.
        assertEnvelope(api.post("/voip/trunk/" + trunk + "/auth", tokenA,
                method("sipuser", "", name, "s3cret-trunk")), 409, "Conflict");
        assertEnvelope(api.post("/voip/trunk/" + newTrunk(tokenA) + "/auth", tokenA,
                method("sipuser", "", name, "another-pass")), 409, "Conflict");

        assertBadRequest(api.post("/voip/trunk/" + trunk + "/auth", tokenA,
                method("sipuser", "", "", "s3cret-trunk")), "username");
        assertBadRequest(api.post("/voip/trunk/" + trunk + "/auth", tokenA,
                method("sipuser", "", "bad user", "s3cret-trunk")), "username");
        assertBadRequest(api.post("/voip/trunk/" + trunk + "/auth", tokenA,
                method("sipuser", "", name + "x", "short")), "password");
        assertBadRequest(api.post("/voip/trunk/" + trunk + "/auth", tokenA,
                method("sipuser", "", name + "x", "p".repeat(65))), "password");
        assertBadRequest(api.post("/voip/trunk/" + trunk + "/auth", tokenA,
                method("sipuser", "300.1.1.1", name + "x", "s3cret-trunk")), "ip");

        // Bound to an address: only from there.
        String bound = name + "b";
        Api.Answer withIp = api.post("/voip/trunk/" + trunk + "/auth", tokenA,
                method("sipuser", "192.0.2.0/28", bound, "s3cret-trunk"));
        assertEnvelope(withIp, 201, "Created");
        assertThat(withIp.json().get("result").get("ip").asString()).isEqualTo("192.0.2.0/28");
        assertThat(gate.sipUser(domainA, bound, InetAddress.getByName("192.0.2.5"))).isPresent();
        assertThat(gate.sipUser(domainA, bound, InetAddress.getByName("192.0.2.50"))).isEmpty();
    }

    @Test
    void aDomainChangeDeletesTheSipuserMethodsItsRealmMadeUselessAndKeepsIpMethods() throws Exception {
        JsonNode tenant = api.createTenant(admin);
        String id = tenant.get("uuid").asString();
        String oldDomain = tenant.get("domain").asString();
        api.createUser(admin, id, "carla", PASSWORD, "Admin");
        String token = api.signIn(oldDomain, "carla", PASSWORD);
        String trunk = newTrunk(token);
        String net = freshNet();
        assertEnvelope(api.post("/voip/trunk/" + trunk + "/auth", token, method("ip", net, "", "")), 201, "Created");
        String name = "pbx" + SEQ.incrementAndGet();
        assertEnvelope(api.post("/voip/trunk/" + trunk + "/auth", token, method("sipuser", "", name, "s3cret-trunk")),
                201, "Created");

        String newDomain = "moved" + SEQ.incrementAndGet() + ".example.com";
        assertThat(api.put("/api/v2/tenants/" + id, admin, Map.of("domain", newDomain)).status()).isEqualTo(200);

        // The digest hashed the old domain: the method is gone from the API and from the gate,
        // rather than listed while every SIP attempt with it fails.
        JsonNode methods = api.get("/voip/trunk/" + trunk + "/auth", token).json().get("result");
        assertThat(methods.valueStream().map(m -> m.get("type").asString())).containsExactly("ip");
        assertThat(gate.sipUser(newDomain, name, InetAddress.getByName("203.0.113.1"))).isEmpty();
        assertThat(gate.sipUser(oldDomain, name, InetAddress.getByName("203.0.113.1"))).isEmpty();

        // Added again, it hashes the new domain.
        assertEnvelope(api.post("/voip/trunk/" + trunk + "/auth", token, method("sipuser", "", name, "s3cret-trunk")),
                201, "Created");
        assertThat(gate.sipUser(newDomain, name, InetAddress.getByName("203.0.113.1")).orElseThrow().ha1Md5())
                .isEqualTo(dev.switchboard.user.SipCredentials.derive(name, newDomain, "s3cret-trunk").ha1Md5());
    }

    @Test
    void sipuserUsernameMayNotBeAUserExtension() {
        String ext = "ext" + SEQ.incrementAndGet();
        Api.Answer user = api.post("/api/v2/tenants/" + tenantA + "/users", admin, Map.of("username", ext + "u",
                "password", PASSWORD, "role", "StandardUser", "extension", ext, "sip_password", "sip-pass-123"));
        assertThat(user.status()).as(user.text()).isEqualTo(201);
        assertEnvelope(api.post("/voip/trunk/" + newTrunk(tokenA) + "/auth", tokenA,
                method("sipuser", "", ext, "s3cret-trunk")), 409, "Conflict");
    }

    @Test
    void aUserExtensionMayNotTakeATrunkSipuserName() {
        String name = "trk" + SEQ.incrementAndGet();
        assertEnvelope(api.post("/voip/trunk/" + newTrunk(tokenA) + "/auth", tokenA,
                method("sipuser", "", name, "s3cret-trunk")), 201, "Created");
        String users = "/api/v2/tenants/" + tenantA + "/users";
        Api.Answer taking = api.post(users, admin, Map.of("username", name + "u", "password", PASSWORD,
                "role", "StandardUser", "extension", name, "sip_password", "sip-pass-123"));
        assertThat(taking.status()).as(taking.text()).isEqualTo(409);
        Api.Answer other = api.post(users, admin, Map.of("username", name + "v", "password", PASSWORD,
                "role", "StandardUser", "extension", name + "1", "sip_password", "sip-pass-123"));
        assertThat(other.status()).as(other.text()).isEqualTo(201);
        Api.Answer renaming = api.put(users + "/" + other.json().get("uuid").asString(), admin,
                Map.of("extension", name, "sip_password", "sip-pass-123"));
        assertThat(renaming.status()).as(renaming.text()).isEqualTo(409);
    }

    @Test
    void aUserExtensionAndATrunkSipuserOfOneNameCreatedAtOnceAreNotBothTaken() throws Exception {
        String trunk = newTrunk(tokenA);
        String users = "/api/v2/tenants/" + tenantA + "/users";
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 8; i++) {
                String name = "race" + SEQ.incrementAndGet();
                var user = pool.submit(() -> api.post(users, admin, Map.of("username", name + "u",
                        "password", PASSWORD, "role", "StandardUser", "extension", name, "sip_password",
                        "sip-pass-123")).status());
                var method = pool.submit(() -> api.post("/voip/trunk/" + trunk + "/auth", tokenA,
                        method("sipuser", "", name, "s3cret-trunk")).status());
                // SPEC 3.3: one name space, so whichever comes second is 409.
                assertThat(List.of(user.get(), method.get())).as(name).containsExactlyInAnyOrder(201, 409);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anIpMethodMayNotOverlapAnotherTrunksSourceBoundSipuserButTwoSipusersMayShareAnAddress() {
        String mine = newTrunk(tokenA);
        String theirs = newTrunk(tokenB);
        String net = freshNet();
        String host = net.replace(".0/24", ".7");
        assertEnvelope(api.post("/voip/trunk/" + mine + "/auth", tokenA,
                method("sipuser", net, "bound" + SEQ.incrementAndGet(), "s3cret-trunk")), 201, "Created");
        // Without credentials that address would name two trunks (SPEC 3.3).
        assertEnvelope(api.post("/voip/trunk/" + theirs + "/auth", tokenB, method("ip", host, "", "")),
                409, "Conflict");
        // With credentials the username names the trunk.
        assertEnvelope(api.post("/voip/trunk/" + theirs + "/auth", tokenB,
                method("sipuser", host, "bound" + SEQ.incrementAndGet(), "s3cret-trunk")), 201, "Created");

        String other = freshNet();
        assertEnvelope(api.post("/voip/trunk/" + theirs + "/auth", tokenB, method("ip", other, "", "")),
                201, "Created");
        assertEnvelope(api.post("/voip/trunk/" + mine + "/auth", tokenA,
                method("sipuser", other.replace(".0/24", ".9"), "bound" + SEQ.incrementAndGet(), "s3cret-trunk")),
                409, "Conflict");
    }

    @Test
    void ipMethodsConflictOnTheSameTrunkAndOverlapsWithOtherTenantsTrunks() {
        String mine = newTrunk(tokenA);
        String net = freshNet();
        assertEnvelope(api.post("/voip/trunk/" + mine + "/auth", tokenA, method("ip", net, "", "")), 201, "Created");
        assertEnvelope(api.post("/voip/trunk/" + mine + "/auth", tokenA, method("ip", net, "", "")), 409, "Conflict");
        // A narrower range on the same trunk is fine: it still identifies this trunk.
        assertEnvelope(api.post("/voip/trunk/" + mine + "/auth", tokenA,
                method("ip", net.replace(".0/24", ".1"), "", "")), 201, "Created");

        String theirs = newTrunk(tokenB);
        assertEnvelope(api.post("/voip/trunk/" + theirs + "/auth", tokenB,
                method("ip", net.replace(".0/24", ".128/25"), "", "")), 409, "Conflict");
        String prefix16 = net.substring(0, net.indexOf('.', 3)) + ".0.0/16";
        assertEnvelope(api.post("/voip/trunk/" + theirs + "/auth", tokenB, method("ip", prefix16, "", "")),
                409, "Conflict");
        assertEnvelope(api.post("/voip/trunk/" + newTrunk(tokenA) + "/auth", tokenA, method("ip", net, "", "")),
                409, "Conflict");
        assertEnvelope(api.post("/voip/trunk/" + theirs + "/auth", tokenB, method("ip", freshNet(), "", "")),
                201, "Created");
    }

    @Test
    void anUnknownPathOrMethodIsAnsweredInTheEnvelope() {
        String trunk = newTrunk(tokenA);
        Api.Answer patch = api.send("PATCH", "/voip/trunk/" + trunk, tokenA, "{}", "application/json");
        assertEnvelope(patch, 405, "Method Not Allowed");
        assertThat(patch.header("Allow")).contains("GET").contains("PUT").contains("DELETE");
        assertEnvelope(api.get("/voip/trunk/" + trunk + "/nothing", tokenA), 404, "Not Found");
        assertEnvelope(api.get("/voip/trunk/", tokenA), 404, "Not Found");
    }

    @Test
    void unknownTrunksAndMalformedUuids() {
        String unknown = UUID.randomUUID().toString();
        String trunk = newTrunk(tokenA);
        assertEnvelope(api.get("/voip/trunk/" + unknown + "/auth", tokenA), 404, "Not Found");
        assertEnvelope(api.post("/voip/trunk/" + unknown + "/auth", tokenA, method("ip", freshNet(), "", "")),
                404, "Not Found");
        assertEnvelope(api.get("/voip/trunk/" + trunk + "/auth/" + unknown, tokenA), 404, "Not Found");
        // An unknown trunk is 404 whatever the body: it is not judged for a trunk that is not there.
        assertEnvelope(api.put("/voip/trunk/" + unknown, tokenA, Map.of("name", "x")), 404, "Not Found");
        assertBadRequest(api.get("/voip/trunk/" + trunk + "/auth/not-a-uuid", tokenA), "auth_uuid");
        assertBadRequest(api.get("/voip/trunk/not-a-uuid/auth/" + unknown, tokenA), "uuid");
        // Only that call lists "400 malformed uuid" (seed 002, SPEC 3.3); the others answer it as unknown.
        assertEnvelope(api.get("/voip/trunk/not-a-uuid", tokenA), 404, "Not Found");
        assertEnvelope(api.put("/voip/trunk/not-a-uuid", tokenA, Map.of("name", "x", "domain", "sip.example.com")),
                404, "Not Found");
        assertEnvelope(api.delete("/voip/trunk/not-a-uuid", tokenA), 404, "Not Found");
        assertEnvelope(api.get("/voip/trunk/not-a-uuid/auth", tokenA), 404, "Not Found");
        assertEnvelope(api.post("/voip/trunk/not-a-uuid/auth", tokenA, method("ip", freshNet(), "", "")),
                404, "Not Found");
        assertEnvelope(api.delete("/voip/trunk/" + trunk + "/auth/xyz", tokenA), 404, "Not Found");
    }

    @Test
    void anotherTenantsTrunkDoesNotExistForEveryEndpoint() {
        String trunk = newTrunk(tokenB);
        Api.Answer m = api.post("/voip/trunk/" + trunk + "/auth", tokenB, method("ip", freshNet(), "", ""));
        String auth = m.json().get("result").get("uuid").asString();
        String base = "/voip/trunk/" + trunk;
        assertEnvelope(api.get(base, tokenA), 404, "Not Found");
        assertEnvelope(api.put(base, tokenA, trunkBody("Taken")), 404, "Not Found");
        assertEnvelope(api.get(base + "/auth", tokenA), 404, "Not Found");
        assertEnvelope(api.get(base + "/auth/" + auth, tokenA), 404, "Not Found");
        assertEnvelope(api.post(base + "/auth", tokenA, method("ip", freshNet(), "", "")), 404, "Not Found");
        assertEnvelope(api.delete(base + "/auth/" + auth, tokenA), 404, "Not Found");
        assertEnvelope(api.delete(base, tokenA), 404, "Not Found");
        assertThat(api.get("/voip/trunk", tokenA).json().get("result").valueStream()
                .map(t -> t.get("uuid").asString())).doesNotContain(trunk);
        // B's trunk is untouched.
        JsonNode still = api.get(base, tokenB).json().get("result");
        assertThat(still.get("name").asString()).startsWith("Trunk ");
        assertThat(still.get("auth")).hasSize(1);
    }

    @Test
    void aChunkedBodyOverTheLimitIs413InTheEnvelopeAsADeclaredOneIs() throws Exception {
        try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            var out = s.getOutputStream();
            out.write(("POST /voip/trunk HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tokenA
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String chunk = "{\"name\":\"" + "x".repeat(70_000) + "\"}";
            try {
                out.write((Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            } catch (java.io.IOException closedEarly) {
                // the server may answer and close before all of it is written
            }
            String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            // It was "400 the request body is not valid JSON"; other surfaces said 413.
            assertThat(answer).startsWith("HTTP/1.1 413").contains("\"status_code\":413");
        }
    }

    @Test
    void aTenantAdminNamingAnotherTenantFindsNothingThereNorWritesToItsOwn() {
        int before = api.get("/voip/trunk", tokenB).json().get("result").size();
        assertEnvelope(api.get("/voip/trunk?tenant=" + tenantA, tokenB), 404, "Not Found");
        assertEnvelope(api.post("/voip/trunk?tenant=" + domainA, tokenB, trunkBody("Sneaky")), 404, "Not Found");
        assertEnvelope(api.sendWithHeaders("GET", "/voip/trunk", null, null,
                Map.of("Authorization", "Bearer " + tokenB, "X-Auth-Reseller", domainA)), 404, "Not Found");
        assertThat(api.get("/voip/trunk", tokenB).json().get("result").size()).isEqualTo(before);
        // Naming its own tenant, by uuid or domain in any case, is no error.
        assertEnvelope(api.get("/voip/trunk?tenant=" + tenantA, tokenA), 200, "OK");
        assertEnvelope(api.sendWithHeaders("GET", "/voip/trunk", null, null,
                Map.of("Authorization", "Bearer " + tokenA, "X-Auth-Reseller", domainA.toUpperCase())), 200, "OK");
    }

    @Test
    void rolesAndAuthentication() {
        assertEnvelope(api.get("/voip/trunk", null), 401, "Unauthorized");
        assertEnvelope(api.get("/voip/trunk", "not-a-token"), 401, "Unauthorized");
        assertEnvelope(api.get("/voip/trunk", standardA), 403, "Forbidden");
        assertEnvelope(api.post("/voip/trunk", standardA, trunkBody("Nope")), 403, "Forbidden");
        // The system administrator names the tenant.
        assertBadRequest(api.get("/voip/trunk", admin), "tenant");
        Api.Answer byParam = api.post("/voip/trunk?tenant=" + tenantA, admin, trunkBody("By admin"));
        assertEnvelope(byParam, 201, "Created");
        String uuid = byParam.json().get("result").get("uuid").asString();
        assertEnvelope(api.get("/voip/trunk/" + uuid, tokenA), 200, "OK");
        Api.Answer byHeader = api.sendWithHeaders("GET", "/voip/trunk/" + uuid, null, null,
                Map.of("Authorization", "Bearer " + admin, "X-Auth-Reseller", domainA));
        assertEnvelope(byHeader, 200, "OK");
        assertEnvelope(api.get("/voip/trunk?tenant=" + UUID.randomUUID(), admin), 404, "Not Found");
    }

    Api.Answer withHeaders(String method, String path, Object body, String domain, String user, String password) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Auth-Reseller", domain);
        headers.put("X-Auth-User", user);
        headers.put("X-Auth-Password", password);
        return api.sendWithHeaders(method, path, body, body == null ? null : "application/json", headers);
    }

    @Test
    void headerCredentialsWorkOnEveryCall() {
        Api.Answer created = withHeaders("POST", "/voip/trunk", trunkBody("By headers"), domainA, "alice", PASSWORD);
        assertEnvelope(created, 201, "Created");
        String uuid = created.json().get("result").get("uuid").asString();
        assertEnvelope(withHeaders("GET", "/voip/trunk/" + uuid, null, domainA, "alice", PASSWORD), 200, "OK");
        assertEnvelope(withHeaders("GET", "/voip/trunk", null, domainA, "alice", PASSWORD), 200, "OK");
        Api.Answer m = withHeaders("POST", "/voip/trunk/" + uuid + "/auth", method("ip", freshNet(), "", ""),
                domainA, "alice", PASSWORD);
        assertEnvelope(m, 201, "Created");
        assertNoContent(withHeaders("DELETE", "/voip/trunk/" + uuid + "/auth/"
                + m.json().get("result").get("uuid").asString(), null, domainA, "alice", PASSWORD));
        assertNoContent(withHeaders("DELETE", "/voip/trunk/" + uuid, null, domainA, "alice", PASSWORD));
        assertEnvelope(withHeaders("GET", "/voip/trunk", null, domainA, "sam", PASSWORD), 403, "Forbidden");
        assertEnvelope(withHeaders("GET", "/voip/trunk", null, "unknown.example.org", "alice", PASSWORD),
                401, "Unauthorized");
        // The headers are for /voip only.
        assertThat(withHeaders("GET", "/api/v2/tenants/" + tenantA, null, domainA, "alice", PASSWORD).status())
                .isEqualTo(401);
    }

    @Test
    void wrongHeaderPasswordsAreRefusedAndThrottled() {
        String user = "carl" + SEQ.incrementAndGet();
        api.createUser(admin, tenantA, user, PASSWORD, "Admin");
        assertEnvelope(withHeaders("GET", "/voip/trunk", null, domainA, user, PASSWORD), 200, "OK");
        for (int i = 0; i < 5; i++) {
            Api.Answer wrong = withHeaders("GET", "/voip/trunk", null, domainA, user, "Wrong-Pass-" + i);
            assertEnvelope(wrong, 401, "Unauthorized");
            // RFC 9110 §15.5.2: a 401 names the scheme, refused header credentials included.
            assertThat(wrong.header("WWW-Authenticate")).startsWith("Bearer");
        }
        // Locked: a fresh password (not cached) is refused with 429 without any hash work, and so is
        // the right one remembered from before the lock (a probe created a trunk with it while locked).
        Api.Answer locked = withHeaders("GET", "/voip/trunk", null, domainA, user, "Wrong-Pass-x");
        assertEnvelope(locked, 429, "Too Many Requests");
        // RFC 6585 §4: when to come back, in seconds (the lock time is 15 minutes).
        assertThat(Long.parseLong(locked.header("Retry-After"))).isBetween(800L, 901L);
        Api.Answer cached = withHeaders("POST", "/voip/trunk", trunkBody("While locked"), domainA, user, PASSWORD);
        assertEnvelope(cached, 429, "Too Many Requests");
        assertThat(cached.header("Retry-After")).isNotBlank();
        assertThat(api.auditEvents(admin, "tenant=" + tenantA).stream()
                .filter(e -> e.get("kind").asString().equals("LOGIN_FAILED"))
                .filter(e -> e.get("subject").asString().startsWith(user + "@"))).hasSize(5);
    }

    @Test
    void acceptsTheSeedsAllFieldsExampleAndNeverEchoesAnIpMethodsPassword() {
        String trunk = newTrunk(tokenA);
        Api.Answer created = api.post("/voip/trunk/" + trunk + "/auth", tokenA,
                method("ip", "255.255.255.255", "pete_plumber1", "secret"));
        assertEnvelope(created, 201, "Created");
        JsonNode m = created.json().get("result");
        assertThat(m.get("ip").asString()).isEqualTo("255.255.255.255");
        assertThat(m.get("username").asString()).isEqualTo("pete_plumber1");
        assertThat(m.get("password").asString()).isEmpty();
        assertThat(api.get("/voip/trunk/" + trunk + "/auth", tokenA).text()).doesNotContain("secret");
    }

    @Test
    void aChangedPasswordEndsCachedHeaderCredentialsAtOnce() {
        String user = "dora" + SEQ.incrementAndGet();
        String id = api.createUser(admin, tenantA, user, PASSWORD, "Admin").get("uuid").asString();
        assertEnvelope(withHeaders("GET", "/voip/trunk", null, domainA, user, PASSWORD), 200, "OK");
        Api.Answer changed = api.put("/api/v2/tenants/" + tenantA + "/users/" + id, admin,
                Map.of("password", "Passw0rd-Changed"));
        assertThat(changed.status()).as(changed.text()).isEqualTo(200);
        assertEnvelope(withHeaders("GET", "/voip/trunk", null, domainA, user, PASSWORD), 401, "Unauthorized");
        assertEnvelope(withHeaders("GET", "/voip/trunk", null, domainA, user, "Passw0rd-Changed"), 200, "OK");
        // Demoted to StandardUser: the cached login carries the new role at once.
        api.put("/api/v2/tenants/" + tenantA + "/users/" + id, admin, Map.of("role", "StandardUser"));
        assertEnvelope(withHeaders("GET", "/voip/trunk", null, domainA, user, "Passw0rd-Changed"), 403, "Forbidden");
    }
}
