package dev.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.support.Api;
import dev.switchboard.support.SwitchboardTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Requests too broken for an HTTP client library to send (bad percent-encoding, an encoded slash,
 * a header section over Tomcat's limit), written on a raw socket: each is refused with a 4xx in
 * the shape of the surface it was meant for, never a 500 or an HTML page.
 */
@SwitchboardTest
class MalformedRequestsTest {

    @LocalServerPort
    int port;

    record RawAnswer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    RawAnswer raw(String method, String target, String... extraHeaders) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(10_000);
            StringBuilder req = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1\r\nConnection: close\r\n");
            for (String h : extraHeaders) {
                req.append(h).append("\r\n");
            }
            req.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, end).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            return new RawAnswer(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
        }
    }

    private static void assertProblem(RawAnswer a, int status) {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.header("Content-Type")).startsWith("application/problem+json");
        assertThat(a.body()).contains("\"status\":" + status).doesNotContain("<html").doesNotContain("Exception");
    }

    /** The BAS-IP shape, {"error": …} (the body is chunked on the raw socket, so looked for inside it). */
    private static void assertDeviceError(RawAnswer a, int status) {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.body()).contains("{\"error\":");
    }

    /** The Yay envelope, its status_code equal to the HTTP status. */
    private static void assertTrunkEnvelope(RawAnswer a, int status) {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.body()).contains("\"status_code\":" + status);
    }

    @Test
    void undecodablePercentEncodingIs400InEachSurfacesShape() throws IOException {
        assertProblem(raw("GET", "/api/info?domain=%zz"), 400);
        assertProblem(raw("GET", "/api/v2/audit?limit=%zz"), 400);
        assertProblem(raw("GET", "/api/auth/callback/microsoft?code=%zz&state=x"), 400);
        assertDeviceError(raw("GET", "/api/v1/login?username=%zz&password=00"), 400);
        assertTrunkEnvelope(raw("GET", "/voip/trunk?tenant=%zz"), 400);
    }

    @Test
    void requestsTomcatOrTheFirewallRefuseAreProblemsNotPages() throws IOException {
        // Over Tomcat's header section limit (8 KB).
        assertProblem(raw("GET", "/api/info?domain=" + "a".repeat(10_000)), 400);
        // An encoded slash, and a path parameter or dot segment the firewall rejects.
        assertProblem(raw("POST", "/api/auth/sign_in%2Fmicrosoft"), 400);
        assertProblem(raw("GET", "/api/auth/user;x=1"), 400);
        assertProblem(raw("POST", "/api/auth/%2e%2e/sign_in"), 400);
        assertDeviceError(raw("GET", "/api/v1/device/sip/settings;x=1"), 400);
        // The trunk surface's envelope for the same kind of refusal, with its errors list (SPEC 3.3).
        RawAnswer trunk = raw("GET", "/voip/trunk;x=1");
        assertTrunkEnvelope(trunk, 400);
        assertThat(trunk.body()).contains("\"errors\":[{\"field\":\"request\",\"message\":");
    }

    @Test
    void bracketsLeftUnencodedInAQueryReachTheSurfaceAsAnIpv6TenantWouldSendThem() throws IOException {
        // A user of an IPv6 tenant, its MD5 login sent as typed: the surface's own answer, not Tomcat's.
        RawAnswer login = raw("GET", "/api/v1/login?username=alice@[2001:db8::1]&password=0cc175b9c0f1b6a831c399e269772661");
        assertDeviceError(login, 400);
        assertThat(login.body()).contains("Wrong login or password");
        assertProblem(raw("GET", "/api/info?domain=[2001:db8::77]"), 404);
    }

    @Test
    void aContentTypeThatDoesNotParseIsTheDeviceApisWrongJsonBodyNotA500() throws IOException {
        String token = new Api(port).signInAdmin();
        RawAnswer a = raw("POST", "/api/v1/device/sip/settings", "Authorization: Bearer " + token,
                "Content-Type: application/json; charset=bogus", "Content-Length: 2", "", "{}");
        assertDeviceError(a, 400);
        assertThat(a.body()).contains("Wrong JSON body");
    }

    @Test
    void aFirewallRefusalNamesTheRequestsPathNotTheErrorDispatch() throws IOException {
        RawAnswer a = raw("GET", "/api/auth/user;x=1");
        assertProblem(a, 400);
        assertThat(a.body()).contains("\"instance\":\"/api/auth/user;x=1\"");
    }

    @Test
    void theErrorPathCalledDirectlyIsAnUnknownPath() throws IOException {
        assertProblem(raw("GET", "/error"), 404);
        assertProblem(raw("POST", "/error"), 404);
    }

    @Test
    void aWrongMethodOnAPublicCallIs405WithAllowNot401() {
        Api api = new Api(port);
        for (String[] call : new String[][] {
                {"GET", "/api/auth/sign_in", "POST"}, {"PUT", "/api/auth/sign_in", "POST"},
                {"POST", "/api/info?domain=example.com", "GET"}, {"DELETE", "/api/auth/token", "POST"},
                {"POST", "/api/v1/login", "GET"}, {"PUT", "/api/login", "POST"}, {"DELETE", "/api/login", "GET"}}) {
            Api.Answer a = api.send(call[0], call[1], null, null, null);
            assertThat(a.status()).as(call[0] + " " + call[1]).isEqualTo(405);
            assertThat(a.header("Allow")).as(call[1]).contains(call[2]);
        }
        // RFC 9110 §9.3.2: HEAD answers as GET does, without the body.
        assertThat(api.send("HEAD", "/api/info?domain=nowhere.example.com", null, null, null).status()).isEqualTo(404);
    }
}
