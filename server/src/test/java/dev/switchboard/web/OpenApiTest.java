package dev.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.support.Api;
import dev.switchboard.support.SwitchboardTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/** The OpenAPI document describes every endpoint the application maps, as it is on the wire. */
@SwitchboardTest
class OpenApiTest {

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    /** One mapped operation of the application's own controllers. */
    record Operation(String method, String path, HandlerMethod handler) {
        @Override
        public String toString() {
            return method + " " + path + " (" + handler.getBeanType().getSimpleName() + "."
                    + handler.getMethod().getName() + ")";
        }
    }

    List<Operation> applicationOperations() {
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> e : mappings.getHandlerMethods().entrySet()) {
            if (!e.getValue().getBeanType().getPackageName().startsWith("dev.switchboard")
                    || org.springframework.boot.webmvc.error.ErrorController.class.isAssignableFrom(
                            e.getValue().getBeanType())) {
                // Not the API's own: the servlet container's error dispatch (any method), as Boot's would be.
                continue;
            }
            Set<RequestMethod> methods = e.getKey().getMethodsCondition().getMethods();
            assertThat(methods).as("%s maps every HTTP method", e.getValue()).isNotEmpty();
            for (String path : e.getKey().getPatternValues()) {
                for (RequestMethod method : methods) {
                    operations.add(new Operation(method.name().toLowerCase(Locale.ROOT), path, e.getValue()));
                }
            }
        }
        return operations;
    }

    JsonNode document() {
        var docs = api.get("/v3/api-docs", null);
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.contentType()).startsWith("application/json");
        return docs.json();
    }

    @Test
    void describesEveryMappedEndpoint() {
        JsonNode paths = document().get("paths");
        List<Operation> operations = applicationOperations();
        List<String> missing = new ArrayList<>();
        for (Operation op : operations) {
            JsonNode path = paths.get(op.path());
            if (path == null || path.get(op.method()) == null) {
                missing.add(op.toString());
            }
        }
        assertThat(missing).as("operations missing from /v3/api-docs").isEmpty();

        // The endpoints built so far are all among them (guards against the scan finding nothing).
        List<String> found = operations.stream().map(o -> o.method() + " " + o.path()).toList();
        assertThat(found).contains(
                "get /api/v2/tenants", "post /api/v2/tenants", "get /api/v2/tenants/{uuid}",
                "put /api/v2/tenants/{uuid}", "delete /api/v2/tenants/{uuid}",
                "get /api/v2/tenants/{tenant}/users", "post /api/v2/tenants/{tenant}/users",
                "get /api/v2/tenants/{tenant}/users/{user}", "put /api/v2/tenants/{tenant}/users/{user}",
                "delete /api/v2/tenants/{tenant}/users/{user}", "get /api/v2/audit",
                "post /api/auth/sign_in", "post /api/auth/refresh_token", "post /api/auth/sign_out",
                "get /api/auth/user", "post /api/login", "get /api/login", "post /api/logout", "get /api/info");
    }

    @Test
    void documentsEachOperationWithASummaryAndItsRealSuccessStatus() {
        JsonNode paths = document().get("paths");
        for (Operation op : applicationOperations()) {
            JsonNode operation = paths.get(op.path()).get(op.method());
            assertThat(operation.path("summary").asString("")).as(op + " summary").isNotBlank();
            assertThat(operation.path("tags").size()).as(op + " tags").isPositive();
            assertThat(operation.get("parameters") == null ? List.of() : names(operation.get("parameters")))
                    .as(op + " must not expose the authenticated caller as a parameter")
                    .doesNotContain("caller");
        }
        assertThat(paths.get("/api/v2/tenants").get("post").get("responses").has("201")).isTrue();
        assertThat(paths.get("/api/v2/tenants/{tenant}/users").get("post").get("responses").has("201")).isTrue();
        assertThat(paths.get("/api/v2/tenants/{uuid}").get("delete").get("responses").has("204")).isTrue();
        assertThat(paths.get("/api/v2/tenants/{tenant}/users/{user}").get("delete").get("responses").has("204"))
                .isTrue();
        assertThat(paths.get("/api/logout").get("post").get("responses").has("204")).isTrue();
        // Calls that answer through a ResponseEntity say their status themselves.
        assertThat(names(paths.get("/voip/trunk").get("post").get("responses"))).contains("201")
                .doesNotContain("200");
        assertThat(names(paths.get("/voip/trunk/{uuid}").get("delete").get("responses"))).contains("204")
                .doesNotContain("200");
        assertThat(names(paths.get("/voip/trunk/{uuid}/auth").get("post").get("responses"))).contains("201", "409");
        assertThat(names(paths.get("/voip/trunk/{uuid}/auth/{auth_uuid}").get("delete").get("responses")))
                .contains("204").doesNotContain("200");
        assertThat(names(paths.get("/api/auth/callback/{provider}").get("get").get("responses"))).contains("302")
                .doesNotContain("200");
        JsonNode byMicrosoft = paths.get("/api/login/by_microsoft").get("post");
        assertThat(names(byMicrosoft.get("responses"))).contains("302").doesNotContain("200");
        assertThat(names(byMicrosoft.path("requestBody").path("content")))
                .containsExactly("application/x-www-form-urlencoded");
    }

    @Test
    void declaresTheYayHeaderLoginAsAnAlternativeToTheBearerToken() {
        JsonNode doc = document();
        JsonNode schemes = doc.path("components").path("securitySchemes");
        for (String header : new String[] {"X-Auth-Reseller", "X-Auth-User", "X-Auth-Password"}) {
            assertThat(schemes.get(header).get("type").asString()).isEqualTo("apiKey");
            assertThat(schemes.get(header).get("in").asString()).isEqualTo("header");
        }
        JsonNode security = doc.get("paths").get("/voip/trunk").get("get").get("security");
        assertThat(security.size()).isEqualTo(2);
        assertThat(names(security.get(1))).containsExactlyInAnyOrder("X-Auth-Reseller", "X-Auth-User",
                "X-Auth-Password");
    }

    @Test
    void describesTheBasIpBodiesAsTheSeedsDo() {
        JsonNode doc = document();
        JsonNode schemas = doc.get("components").get("schemas");
        JsonNode settings = schemas.get("BasIpSipSettings");
        assertThat(names(settings.get("properties"))).containsExactlyInAnyOrder("proxy", "realm", "user", "password",
                "transport", "user_id", "stun", "registration_interval", "outbound");
        assertThat(settings.get("required").valueStream().map(JsonNode::asString))
                .containsExactlyInAnyOrder("proxy", "realm", "user", "password", "stun");
        assertThat(names(schemas.get("BasIpStun").get("properties"))).containsExactlyInAnyOrder("ip", "port");
        assertThat(names(schemas.get("BasIpSipStatus").get("properties")))
                .containsExactlyInAnyOrder("sip_status", "register_last_attempt");
        JsonNode paths = doc.get("paths");
        assertThat(paths.at("/~1api~1v1~1device~1sip~1settings/post/requestBody/content/application~1json/schema/$ref")
                .asString()).endsWith("/BasIpSipSettings");
        assertThat(paths.at("/~1api~1v1~1device~1sip~1settings/get/responses/200/content").toString())
                .contains("BasIpSipSettings");
        assertThat(paths.at("/~1api~1v1~1device~1sip~1enable/post/requestBody/content/application~1json/schema/$ref")
                .asString()).endsWith("/BasIpSipEnable");
        assertThat(paths.at("/~1api~1v1~1login/get/responses/200/content").toString()).contains("BasIpLogin");
        assertThat(paths.at("/~1api~1v1~1login/get/parameters").valueStream()
                .allMatch(p -> p.get("required").asBoolean())).isTrue();
        // The Yay header login is no way into the device API, and the document does not say it is.
        assertThat(paths.at("/~1api~1v1~1sip~1status/get/responses/401/description").asString())
                .doesNotContain("Yay").doesNotContain("X-Auth");
    }

    @Test
    void describesTheNativeAndSignInBodiesAsTheServerReadsThem() {
        JsonNode doc = document();
        JsonNode paths = doc.get("paths");
        JsonNode schemas = doc.get("components").get("schemas");
        assertThat(paths.at("/~1api~1v2~1tenants~1{tenant}~1sip-accounts~1{slot}/put/requestBody/content/"
                + "application~1json/schema/$ref").asString()).endsWith("/SipAccountRequest");
        assertThat(names(schemas.get("SipAccountRequest").get("properties"))).contains("proxy", "realm", "user",
                "password", "stun", "enabled");
        // Two calls take different bodies of the same Java name: each has its own schema.
        assertThat(paths.at("/~1api~1auth~1sign_in~1{provider}/post/requestBody/content/application~1json/schema/$ref")
                .asString()).endsWith("/SsoSignInRequest");
        assertThat(names(schemas.get("SsoSignInRequest").get("properties")))
                .containsExactlyInAnyOrder("domain", "callback_url");
        assertThat(names(schemas.get("SignInRequest").get("properties"))).contains("username", "password");
        // A header object needs a schema (OpenAPI 3.1 §4.8.21).
        assertThat(paths.at("/~1api~1login~1by_microsoft/post/responses/302/headers/Location/schema/type").toString())
                .contains("string");
        assertThat(paths.at("/~1api~1auth~1callback~1{provider}/get/responses/302/headers/Location/schema").isMissingNode())
                .isFalse();
        // Fields the server writes as null say so.
        assertThat(schemas.at("/TenantView/properties/website/type").toString()).contains("null");
        assertThat(schemas.at("/BindingView/properties/user_agent/type").toString()).contains("null");
        assertThat(schemas.at("/UserView/properties/email/type").toString()).contains("null");
        assertThat(schemas.at("/TrunkStatusView/properties/last_call_at/type").toString()).contains("null");
        assertThat(schemas.at("/UserRequest/properties/role/enum").toString()).doesNotContain("SystemAdmin");
        // A nullable object is a choice: a $ref beside "type": "null" would let only null validate (3.1).
        assertThat(schemas.at("/AccountView/properties/stun/oneOf").toString()).contains("StunView", "null");
        schemas.propertyStream().forEach(schema -> schema.getValue().path("properties").propertyStream()
                .forEach(p -> assertThat(p.getValue().has("$ref") && p.getValue().has("type"))
                        .as(schema.getKey() + "." + p.getKey()).isFalse()));
        // Paging bounds as Page.limit checks them, and the audit log's 404 for another tenant.
        JsonNode limit = paths.at("/~1api~1v2~1tenants/get/parameters").valueStream()
                .filter(p -> p.get("name").asString().equals("limit")).findFirst().orElseThrow();
        assertThat(limit.at("/schema/minimum").asInt()).isEqualTo(1);
        assertThat(limit.at("/schema/maximum").asInt()).isEqualTo(500);
        assertThat(paths.at("/~1api~1v2~1audit/get/responses").has("404")).isTrue();
        // Only what the server answers: forget_password is 200 always, an unknown provider 400.
        assertThat(names(paths.at("/~1api~1auth~1forget_password/post/responses"))).containsExactly("200");
        assertThat(paths.at("/~1api~1auth~1sign_in~1{provider}/post/responses").has("404")).isFalse();
        assertThat(paths.has("/api/v2/me/password")).isTrue();
    }

    @Test
    void describesTheYayBodiesAndEnvelopesAsTheSeedDoes() {
        JsonNode doc = document();
        JsonNode schemas = doc.get("components").get("schemas");
        assertThat(schemas.has("JsonNode")).as("no library internals as a body").isFalse();
        assertThat(names(schemas.get("YayTrunkRequest").get("properties")))
                .containsExactlyInAnyOrder("name", "domain", "port", "transport", "user");
        assertThat(names(schemas.get("YayAuthRequest").get("properties")))
                .containsExactlyInAnyOrder("type", "ip", "username", "password");
        assertThat(names(schemas.get("YayTrunk").get("properties"))).containsExactlyInAnyOrder("uuid", "name",
                "domain", "port", "transport", "user", "auth", "created_on", "updated_on");
        assertThat(names(schemas.get("YayTrunkEnvelope").get("properties")))
                .containsExactlyInAnyOrder("result", "status_code", "status_message");
        JsonNode paths = doc.get("paths");
        assertThat(paths.at("/~1voip~1trunk/post/requestBody/content/application~1json/schema/$ref").asString())
                .endsWith("/YayTrunkRequest");
        assertThat(paths.at("/~1voip~1trunk~1{uuid}~1auth/post/requestBody/content/application~1json/schema/$ref")
                .asString()).endsWith("/YayAuthRequest");
        assertThat(paths.has("/voip/trunk/{uuid}/auth/{auth_uuid}")).isTrue();
        assertThat(paths.at("/~1voip~1trunk/get/responses/200/content").toString()).contains("YayTrunkListEnvelope");
    }

    @Test
    void schemasUseTheWireNamesAndKeepPasswordsWriteOnly() {
        JsonNode schemas = document().get("components").get("schemas");
        JsonNode userView = schemas.get("UserView").get("properties");
        assertThat(names(userView)).contains("uuid", "tenant_uuid", "username", "role", "email", "extension",
                "sip_password_set", "created_at", "updated_at").doesNotContain("password", "sip_password",
                "sipPasswordSet", "createdAt");
        JsonNode userRequest = schemas.get("UserRequest").get("properties");
        assertThat(names(userRequest)).contains("username", "password", "role", "email", "extension",
                "sip_password");
        assertThat(names(schemas.get("TokenAnswer").get("properties")))
                .containsExactlyInAnyOrder("token_type", "access_token", "refresh_token", "expires_in");
        assertThat(names(schemas.get("TenantView").get("properties"))).contains("created_at", "updated_at");
    }

    @Test
    void declaresBearerTokensAndLeavesPublicCallsOpen() {
        JsonNode doc = document();
        JsonNode schemes = doc.path("components").path("securitySchemes");
        assertThat(schemes.isObject()).as("security schemes").isTrue();
        String scheme = schemes.propertyNames().iterator().next();
        assertThat(schemes.get(scheme).get("type").asString()).isEqualTo("http");
        assertThat(schemes.get(scheme).get("scheme").asString()).isEqualToIgnoringCase("bearer");
        JsonNode paths = doc.get("paths");
        assertThat(requiresToken(doc, paths.get("/api/v2/tenants").get("get"))).isTrue();
        assertThat(requiresToken(doc, paths.get("/api/auth/sign_in").get("post"))).isFalse();
        assertThat(requiresToken(doc, paths.get("/api/info").get("get"))).isFalse();
        assertThat(requiresToken(doc, paths.get("/api/login").get("post"))).isFalse();
        assertThat(requiresToken(doc, paths.get("/api/login").get("get"))).isTrue();
        assertThat(requiresToken(doc, paths.get("/api/auth/refresh_token").get("post"))).isFalse();
    }

    /** Each operation's documented need for a token is what the server enforces. */
    @Test
    void documentsWhichCallsNeedATokenAsTheServerEnforcesIt() {
        JsonNode doc = document();
        List<String> wrong = new ArrayList<>();
        for (Operation op : applicationOperations()) {
            String path = op.path().replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
            String method = op.method().toUpperCase(Locale.ROOT);
            boolean hasBody = method.equals("POST") || method.equals("PUT");
            var answer = api.send(method, path, null, hasBody ? "{}" : null, hasBody ? "application/json" : null);
            boolean enforced = answer.status() == 401;
            boolean documented = requiresToken(doc, doc.get("paths").get(op.path()).get(op.method()));
            if (enforced != documented) {
                wrong.add(op + ": server answers " + answer.status() + " without a token, document says "
                        + (documented ? "token required" : "no token"));
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void documentsTheRefusalsOfEachCallInItsSurfacesShape() {
        JsonNode paths = document().get("paths");
        JsonNode tenant = paths.get("/api/v2/tenants/{uuid}").get("get").get("responses");
        for (String status : List.of("400", "401", "403", "404")) {
            assertThat(tenant.get(status).get("content").get("application/problem+json").get("schema").get("$ref")
                    .asString()).as(status).endsWith("/Problem");
        }
        assertThat(paths.get("/voip/trunk/{uuid}").get("get").get("responses").get("404").get("content")
                .get("application/json").get("schema").get("$ref").asString()).endsWith("/YayError");
        assertThat(paths.get("/api/v1/device/sip/settings").get("post").get("responses").get("400").get("content")
                .get("application/json").get("schema").get("$ref").asString()).endsWith("/DeviceError");
        // A call without a token has no 401 or 403 to document, but its own refusals.
        assertThat(paths.get("/api/info").get("get").get("responses").has("403")).isFalse();
        assertThat(paths.get("/api/info").get("get").get("responses").has("404")).isTrue();
        JsonNode signIn = paths.get("/api/auth/sign_in").get("post").get("responses");
        assertThat(List.of("400", "401", "413", "415", "429")).allSatisfy(s -> assertThat(signIn.has(s)).as(s).isTrue());
        assertThat(paths.get("/api/v2/me/password").get("post").get("responses").has("429")).isTrue();
        assertThat(paths.get("/api/v2/tenants").get("post").get("responses").has("409")).isTrue();
        assertThat(paths.get("/voip/trunk/{uuid}").get("delete").get("responses").get("204").has("content")).isFalse();
        assertThat(paths.get("/voip/trunk").get("get").get("parameters").toString()).contains("\"tenant\"");
    }

    @Test
    void servesSwaggerUiWithoutAToken() {
        var page = api.get("/swagger-ui.html", null);
        int hops = 0;
        while (page.status() / 100 == 3 && hops++ < 5) {
            String location = page.header("Location");
            assertThat(location).isNotNull();
            page = api.get(location.startsWith("http") ? location.substring(api.base().length()) : location, null);
        }
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.text()).containsIgnoringCase("swagger");
        var config = api.get("/v3/api-docs/swagger-config", null);
        assertThat(config.status()).isEqualTo(200);
    }

    static boolean requiresToken(JsonNode doc, JsonNode operation) {
        JsonNode security = operation.has("security") ? operation.get("security") : doc.path("security");
        if (security.isMissingNode() || security.isNull() || security.isEmpty()) {
            return false;
        }
        for (JsonNode requirement : security) {
            if (requirement.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(p -> names.add(p.get("name").asString()));
        } else {
            node.propertyNames().forEach(names::add);
        }
        return names;
    }
}
