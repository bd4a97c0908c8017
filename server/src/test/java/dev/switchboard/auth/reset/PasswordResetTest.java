package dev.switchboard.auth.reset;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.switchboard.support.Api;
import dev.switchboard.support.SwitchboardTest;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Forgotten password by e-mail, with a real SMTP server (GreenMail) on a free port. */
@SwitchboardTest
class PasswordResetTest {

    static final String CALLBACK = "https://portal.example.com/reset";
    static final Pattern LINK = Pattern.compile(Pattern.quote(CALLBACK) + "\\?token=([A-Za-z0-9_-]+)");
    static final GreenMail smtp = startSmtp();

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    Api api;
    String admin;
    String bobUuid;
    String tenantUuid;
    String domain;

    @DynamicPropertySource
    static void mail(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> smtp.getSmtp().getPort());
        registry.add("switchboard.mail.from", () -> "noreply@switchboard.example");
    }

    @AfterAll
    static void stopSmtp() {
        smtp.stop();
    }

    @BeforeEach
    void setUp() throws Exception {
        smtp.purgeEmailFromAllMailboxes();
        api = new Api(port);
        admin = api.signInAdmin();
        var tenant = api.createTenant(admin);
        tenantUuid = tenant.get("uuid").asString();
        domain = tenant.get("domain").asString();
        var bob = api.post("/api/v2/tenants/" + tenantUuid + "/users", admin, Map.of("username", "bob",
                "password", "Old-Password-1", "role", "StandardUser", "email", "bob@example.org"));
        assertThat(bob.status()).as(bob.text()).isEqualTo(201);
        bobUuid = bob.json().get("uuid").asString();
    }

    @Test
    void mailsALinkWhoseTokenSetsTheNewPasswordOnceAndEndsOldSessions() throws Exception {
        String oldSession = api.signIn(domain, "bob", "Old-Password-1");

        var forget = api.post("/api/auth/forget_password", null,
                Map.of("domain", domain, "username", "bob", "callback_url", CALLBACK));
        assertThat(forget.status()).isEqualTo(200);
        assertThat(forget.text()).isEqualTo("{}");
        MimeMessage mail = nextMail();
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("bob@example.org");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("noreply@switchboard.example");
        String token = tokenIn(mail);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM password_reset WHERE token_hash = ?").param(token)
                .query(Long.class).single()).as("the token is stored only hashed").isZero();

        var reset = api.post("/api/auth/reset_password", null, Map.of("token", token, "new_password", "New-Password-2"));
        assertThat(reset.status()).as(reset.text()).isEqualTo(200);
        assertThat(reset.text()).isEqualTo("{}");

        assertThat(api.get("/api/auth/user", oldSession).status()).isEqualTo(401);
        assertThat(signInStatus("Old-Password-1")).isEqualTo(401);
        String fresh = api.signIn(domain, "bob", "New-Password-2");
        assertThat(api.get("/api/auth/user", fresh).json().get("password_force_reset").asBoolean()).isFalse();

        var again = api.post("/api/auth/reset_password", null, Map.of("token", token, "new_password", "Third-Pass-3"));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.contentType()).startsWith("application/problem+json");
        assertThat(signInStatus("New-Password-2")).isEqualTo(200);
    }

    @Test
    void answersTheSameForUnknownUsersAndSendsThemNothing() throws Exception {
        for (Map<String, String> body : List.of(
                Map.of("domain", domain, "username", "nobody", "callback_url", CALLBACK),
                Map.of("domain", "unknown.example.org", "username", "bob", "callback_url", CALLBACK),
                Map.of("domain", domain, "username", "bob", "callback_url", "javascript:alert(1)"))) {
            var a = api.post("/api/auth/forget_password", null, body);
            assertThat(a.status()).as(body.toString()).isEqualTo(200);
            assertThat(a.text()).isEqualTo("{}");
        }
        // SPEC 3.1: "200 always", bodies of the wrong shape too.
        for (String body : new String[] {"[]", "{\"domain\":5}", "not json", "", "{\"domain\":\"" + domain
                + "\",\"username\":[\"bob\"]}"}) {
            var a = api.send("POST", "/api/auth/forget_password", null, body, "application/json");
            assertThat(a.status()).as(body).isEqualTo(200);
            assertThat(a.text()).isEqualTo("{}");
        }
        // Mail goes out in order on one thread: the next mail is the known user's, so none came before it.
        api.post("/api/auth/forget_password", null, Map.of("domain", domain, "username", "bob", "callback_url", CALLBACK));
        assertThat(smtp.waitForIncomingEmail(10_000, 1)).isTrue();
        assertThat(smtp.getReceivedMessages()).hasSize(1);
        assertThat(smtp.getReceivedMessages()[0].getAllRecipients()[0].toString()).isEqualTo("bob@example.org");
    }

    @Test
    void refusesAWeakPasswordAndKeepsTheTokenUsable() throws Exception {
        api.post("/api/auth/forget_password", null, Map.of("domain", domain, "username", "bob", "callback_url", CALLBACK));
        String token = tokenIn(nextMail());
        for (String weak : new String[] {"short1A", "alllowercaseletters", ""}) {
            var a = api.post("/api/auth/reset_password", null, Map.of("token", token, "new_password", weak));
            assertThat(a.status()).as(weak).isEqualTo(400);
            assertThat(a.json().get("field").asString()).isEqualTo("new_password");
        }
        assertThat(api.post("/api/auth/reset_password", null, Map.of("token", token, "new_password", "Strong-Pass-9"))
                .status()).isEqualTo(200);
    }

    @Test
    void refusesExpiredAndMadeUpTokens() throws Exception {
        api.post("/api/auth/forget_password", null, Map.of("domain", domain, "username", "bob", "callback_url", CALLBACK));
        String token = tokenIn(nextMail());
        jdbc.sql("UPDATE password_reset SET expires_at = ?")
                .param(java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minusMinutes(1)).update();
        assertThat(api.post("/api/auth/reset_password", null, Map.of("token", token, "new_password", "Strong-Pass-9"))
                .status()).isEqualTo(400);
        assertThat(api.post("/api/auth/reset_password", null, Map.of("token", "made-up", "new_password", "Strong-Pass-9"))
                .status()).isEqualTo(400);
        assertThat(signInStatus("Old-Password-1")).isEqualTo(200);
    }

    @Test
    void aLinkDiesWhenTheEmailOrThePasswordChangesOrTheTenantIsDisabled() throws Exception {
        String user = "/api/v2/tenants/" + tenantUuid + "/users/" + bobUuid;
        String toOldAddress = freshLink();
        assertThat(api.put(user, admin, Map.of("email", "bob-new@example.org")).status()).isEqualTo(200);
        assertThat(api.post("/api/auth/reset_password", null, Map.of("token", toOldAddress, "new_password",
                "Strong-Pass-9")).status()).isEqualTo(400);

        String beforeAdminSetOne = freshLink();
        assertThat(api.put(user, admin, Map.of("password", "Admin-Set-Pass-4")).status()).isEqualTo(200);
        assertThat(api.post("/api/auth/reset_password", null, Map.of("token", beforeAdminSetOne, "new_password",
                "Strong-Pass-9")).status()).isEqualTo(400);
        assertThat(signInStatus("Admin-Set-Pass-4")).isEqualTo(200);

        String whileDisabled = freshLink();
        assertThat(api.put("/api/v2/tenants/" + tenantUuid, admin, Map.of("enabled", false)).status()).isEqualTo(200);
        assertThat(api.post("/api/auth/reset_password", null, Map.of("token", whileDisabled, "new_password",
                "Strong-Pass-9")).status()).isEqualTo(400);
        assertThat(api.put("/api/v2/tenants/" + tenantUuid, admin, Map.of("enabled", true)).status()).isEqualTo(200);
        assertThat(signInStatus("Admin-Set-Pass-4")).isEqualTo(200);
    }

    @Test
    void keepsResetLinksWithinTheTenantsAllowedCallbackPrefixes() throws Exception {
        var sso = api.put("/api/v2/tenants/" + tenantUuid + "/sso/microsoft", admin, Map.of(
                "entra_tenant_id", "contoso.onmicrosoft.com", "client_id", "c", "client_secret", "s",
                "callback_url_prefixes", List.of("https://portal.example.com/")));
        assertThat(sso.status()).as(sso.text()).isEqualTo(200);
        api.post("/api/auth/forget_password", null,
                Map.of("domain", domain, "username", "bob", "callback_url", "https://evil.example.net/reset"));
        api.post("/api/auth/forget_password", null, Map.of("domain", domain, "username", "bob", "callback_url", CALLBACK));
        assertThat(smtp.waitForIncomingEmail(10_000, 1)).isTrue();
        assertThat(smtp.getReceivedMessages()).hasSize(1);
        assertThat(GreenMailUtil.getBody(smtp.getReceivedMessages()[0])).contains(CALLBACK + "?token=")
                .doesNotContain("evil.example.net");
    }

    /** A new link for bob, from an empty mailbox so that the mail read is the one just sent. */
    private String freshLink() throws Exception {
        smtp.purgeEmailFromAllMailboxes();
        api.post("/api/auth/forget_password", null, Map.of("domain", domain, "username", "bob", "callback_url", CALLBACK));
        return tokenIn(nextMail());
    }

    private int signInStatus(String password) {
        return api.post("/api/auth/sign_in", null, Map.of("domain", domain, "username", "bob", "password", password))
                .status();
    }

    private MimeMessage nextMail() {
        assertThat(smtp.waitForIncomingEmail(10_000, 1)).as("a mail arrives").isTrue();
        MimeMessage[] all = smtp.getReceivedMessages();
        return all[all.length - 1];
    }

    private static String tokenIn(MimeMessage mail) {
        // Quoted-printable may wrap long lines with soft breaks; undo them before matching.
        String body = GreenMailUtil.getBody(mail).replace("=\r\n", "").replace("=\n", "").replace("=3D", "=");
        Matcher m = LINK.matcher(body);
        assertThat(m.find()).as("reset link in: " + body).isTrue();
        return m.group(1);
    }

    private static GreenMail startSmtp() {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        GreenMail mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        return mail;
    }
}
