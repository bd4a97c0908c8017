package dev.switchboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sip.SipEngine;
import dev.switchboard.sip.message.ParseResult;
import dev.switchboard.sip.message.SipParser;
import dev.switchboard.sip.message.SipResponse;
import dev.switchboard.sip.transport.Transport;
import dev.switchboard.support.Api;
import dev.switchboard.support.Datagrams;
import dev.switchboard.support.RegisterClient;
import dev.switchboard.support.SipServerTest;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * The gate's and the proxy's answers to single requests, sent as raw UDP from loopback addresses:
 * who is challenged, who is refused, and what a forged or looping request gets.
 */
@SipServerTest
@TestPropertySource(properties = "switchboard.proxy.ring-timeout=4s")
class ProxyRulesTest {

    @LocalServerPort
    int port;
    @Autowired
    SipEngine engine;
    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    static CallFixture fixture;
    InetSocketAddress proxy;

    @BeforeEach
    void tenant() throws Exception {
        if (fixture == null) {
            fixture = CallFixture.create(new Api(port));
        }
        proxy = engine.localAddress(Transport.UDP).orElseThrow();
    }

    /** A request from {@code source}; {@code extra} header lines go before Content-Length. */
    static String request(String method, String uri, String source, int sourcePort, String toTag, String... extra) {
        StringBuilder b = new StringBuilder();
        b.append(method).append(' ').append(uri).append(" SIP/2.0\r\n");
        b.append("Via: SIP/2.0/UDP ").append(source).append(':').append(sourcePort).append(";branch=z9hG4bK")
                .append(UUID.randomUUID().toString().replace("-", "")).append(";rport\r\n");
        b.append("From: <sip:caller@example.net>;tag=f1\r\n");
        b.append("To: <").append(uri).append('>').append(toTag == null ? "" : ";tag=" + toTag).append("\r\n");
        b.append("Call-ID: ").append(UUID.randomUUID()).append("\r\n");
        b.append("CSeq: 1 ").append(method).append("\r\n");
        b.append("Contact: <sip:caller@").append(source).append(':').append(sourcePort).append(">\r\n");
        boolean maxForwards = false;
        for (String h : extra) {
            b.append(h).append("\r\n");
            maxForwards |= h.startsWith("Max-Forwards");
        }
        if (!maxForwards) {
            b.append("Max-Forwards: 70\r\n");
        }
        return b.append("Content-Length: 0\r\n\r\n").toString();
    }

    /** Sends from {@code source} and answers the first final response. */
    SipResponse exchange(String source, String message) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(source), 0))) {
            socket.setSoTimeout(5000);
            String text = message.replace(":0;branch", ":" + socket.getLocalPort() + ";branch")
                    .replace(source + ":0>", source + ":" + socket.getLocalPort() + ">");
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(bytes, bytes.length, proxy));
            while (true) {
                DatagramPacket packet = new DatagramPacket(new byte[65535], 65535);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("no answer to:\n" + text);
                }
                byte[] data = Arrays.copyOf(packet.getData(), packet.getLength());
                if (SipParser.DEFAULT.parse(data) instanceof ParseResult.Parsed p && p.message() instanceof SipResponse r
                        && r.status() >= 200) {
                    return r;
                }
            }
        }
    }

    RegisterClient phone(String host, String extension) throws Exception {
        return new RegisterClient(proxy, fixture.domain(), extension, InetAddress.getByName(host));
    }

    /** A phone at {@code host} registered as {@code extension} for ten minutes. */
    RegisterClient registeredPhone(String host, String extension) throws Exception {
        RegisterClient phone = phone(host, extension);
        try {
            assertThat(phone.register(List.of("<" + phone.contact(extension) + ">"), Optional.of(600L),
                    CallFixture.SIP_PASSWORD).status()).isEqualTo(200);
            return phone;
        } catch (Exception | AssertionError e) {
            phone.close();
            throw e;
        }
    }

    @Test
    void aDeviceRegisteredOverTwoFlowsIsRungOnceOverTheFlowItRegisteredLast() throws Exception {
        fixture.sipUser("flows", "611");
        String instance = "\"<urn:uuid:6c8a1c64-0b71-4f3e-9f57-" + Long.toHexString(System.nanoTime()) + ">\"";
        try (RegisterClient first = phone("127.0.0.11", "611"); RegisterClient last = phone("127.0.0.12", "611")) {
            for (var flow : List.of(Map.entry(first, 1), Map.entry(last, 2))) {
                assertThat(flow.getKey().register(List.of("<" + flow.getKey().contact("611") + ";ob>;+sip.instance="
                        + instance + ";reg-id=" + flow.getValue()), Optional.of(600L), CallFixture.SIP_PASSWORD,
                        "Supported: outbound, path").status()).isEqualTo(200);
                Thread.sleep(5);
            }
            sendFromTrunk(request("INVITE", "sip:611@" + fixture.domain(), CallFixture.TRUNK_SOURCE, 0, null));
            // RFC 5626 §7: never more than one contact of an AOR and instance in the target set.
            assertThat(last.receive(3000)).hasValueSatisfying(m -> assertThat(m).startsWith("INVITE "));
            assertThat(first.receive(1000)).isEmpty();
        }
    }

    @Test
    void aPathSentAsOneCommaSeparatedLineIsFollowedFromItsFirstEntry() throws Exception {
        fixture.sipUser("edge", "612");
        try (DatagramSocket edge = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.13"), 0));
             RegisterClient ua = phone("127.0.0.14", "612")) {
            edge.setSoTimeout(3000);
            String first = "<sip:127.0.0.13:" + edge.getLocalPort() + ";lr>";
            assertThat(ua.register(List.of("<" + ua.contact("612") + ">"), Optional.of(600L), CallFixture.SIP_PASSWORD,
                    "Path: " + first + ", <sip:core.example.net;lr>", "Supported: path").status()).isEqualTo(200);
            sendFromTrunk(request("INVITE", "sip:612@" + fixture.domain(), CallFixture.TRUNK_SOURCE, 0, null));
            DatagramPacket packet = new DatagramPacket(new byte[65535], 65535);
            edge.receive(packet);
            String invite = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            assertThat(invite).startsWith("INVITE ").contains("Route: " + first)
                    .contains("<sip:core.example.net;lr>");
        }
    }

    @Test
    void aCalleesAnswerThatDroppedTheCallersViaGoesUpWithTheViasOfTheRequestItAnswers() throws Exception {
        fixture.sipUser("novia", "613");
        try (RegisterClient phone = registeredPhone("127.0.0.15", "613")) {
            Thread callee = new Thread(() -> {
                try {
                    String invite = phone.receive(5000).orElseThrow();
                    // A broken callee: its 486 carries the proxy's Via only, not the caller's below it.
                    String ownVia = invite.lines().filter(l -> l.startsWith("Via:")).findFirst().orElseThrow();
                    StringBuilder busy = new StringBuilder("SIP/2.0 486 Busy Here\r\n").append(ownVia).append("\r\n");
                    invite.lines().filter(l -> l.startsWith("From:") || l.startsWith("Call-ID:") || l.startsWith("CSeq:"))
                            .forEach(l -> busy.append(l).append("\r\n"));
                    invite.lines().filter(l -> l.startsWith("To:")).forEach(l -> busy.append(l).append(";tag=callee\r\n"));
                    phone.sendRaw(busy.append("Content-Length: 0\r\n\r\n").toString().getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            callee.start();
            SipResponse answer = exchange(CallFixture.TRUNK_SOURCE,
                    request("INVITE", "sip:613@" + fixture.domain(), CallFixture.TRUNK_SOURCE, 0, null));
            callee.join(5000);
            // Never Via-less upstream (RFC 3261 §16.7 step 3): the caller's Via is back, the callee's tag kept.
            assertThat(answer.status()).isEqualTo(486);
            assertThat(answer.vias()).hasSize(1);
            assertThat(answer.vias().get(0).host()).isEqualTo(CallFixture.TRUNK_SOURCE);
            assertThat(answer.to().param("tag")).contains("callee");
        }
    }

    @Test
    void aCalleeThatAnswersACancelledCallBeforeItsFirstProvisionalReachesTheCallerWithItsOk() throws Exception {
        fixture.sipUser("silent", "621");
        try (RegisterClient phone = registeredPhone("127.0.0.26", "621");
             DatagramSocket caller = callerAt(CallFixture.TRUNK_SOURCE)) {
            String invite = withPort(request("INVITE", "sip:621@" + fixture.domain(), CallFixture.TRUNK_SOURCE, 0,
                    null), caller);
            send(caller, invite);
            String forwarded = phone.receive(3000).orElseThrow();
            assertThat(forwarded).startsWith("INVITE ");
            // The phone says nothing yet (an intercom that answers at once, a TCP phone without 100).
            send(caller, cancelOf(invite));
            assertThat(receiveUntil(caller, m -> m.startsWith("SIP/2.0 487"))).contains("CSeq: 1 INVITE");
            // Then it answers the INVITE it had: the OK goes up, so the caller can ACK and end it.
            phone.sendRaw(answer(forwarded, "200 OK", "late").getBytes(StandardCharsets.UTF_8));
            String ok = receiveUntil(caller, m -> m.startsWith("SIP/2.0 200") && m.contains("INVITE"));
            assertThat(header(ok, "To")).contains("tag=late");
        }
    }

    @Test
    void aCancelledForkAnswersTheCallerWithTheCalleesOwn487NotOneTheProxyMadeUp() throws Exception {
        fixture.sipUser("forked", "622");
        try (RegisterClient silent = registeredPhone("127.0.0.27", "622");
             RegisterClient ringing = registeredPhone("127.0.0.28", "622");
             DatagramSocket caller = callerAt(CallFixture.TRUNK_SOURCE)) {
            String invite = withPort(request("INVITE", "sip:622@" + fixture.domain(), CallFixture.TRUNK_SOURCE, 0,
                    null), caller);
            send(caller, invite);
            assertThat(silent.receive(3000).orElseThrow()).startsWith("INVITE ");
            String atRinging = ringing.receive(3000).orElseThrow();
            ringing.sendRaw(answer(atRinging, "180 Ringing", "callee").getBytes(StandardCharsets.UTF_8));
            receiveUntil(caller, m -> m.startsWith("SIP/2.0 180"));
            send(caller, cancelOf(invite));
            String cancel = ringing.receive(3000).orElseThrow();
            assertThat(cancel).startsWith("CANCEL ");
            ringing.sendRaw(answer(cancel, "200 OK", "callee").getBytes(StandardCharsets.UTF_8));
            ringing.sendRaw(answer(atRinging, "487 Request Terminated", "callee").getBytes(StandardCharsets.UTF_8));
            String terminated = receiveUntil(caller, m -> m.startsWith("SIP/2.0 487"));
            assertThat(header(terminated, "To")).contains("tag=callee");
        }
    }

    @Test
    void anOptionsForAUserOfATenantNamedByOurOwnAddressIsThatUsersNotTheServers() throws Exception {
        Api api = new Api(port);
        String admin = api.signInAdmin();
        var tenant = api.post("/api/v2/tenants", admin, Map.of("name", "By address", "domain", "127.0.0.1"));
        assertThat(tenant.status()).as(tenant.text()).isEqualTo(201);
        try {
            SipResponse toUser = exchange("127.0.0.9", request("OPTIONS", "sip:201@127.0.0.1", "127.0.0.9", 0, null));
            assertThat(toUser.status()).as("challenged as any request to a tenant user").isEqualTo(407);
            SipResponse toServer = exchange("127.0.0.9", request("OPTIONS", "sip:127.0.0.1", "127.0.0.9", 0, null));
            assertThat(toServer.status()).isEqualTo(200);
        } finally {
            assertThat(api.delete("/api/v2/tenants/" + tenant.json().get("uuid").asString(), admin).status())
                    .isEqualTo(204);
        }
    }

    @Test
    void aTcpPhoneWhoseRegistrationConnectionClosedIsReachedWhereItsContactListens() throws Exception {
        fixture.sipUser("tcpphone", "623");
        InetAddress phoneHost = InetAddress.getByName("127.0.0.31");
        try (java.net.ServerSocket listening = new java.net.ServerSocket(0, 5, phoneHost)) {
            listening.setSoTimeout(5000);
            String contact = "<sip:623@127.0.0.31:" + listening.getLocalPort() + ";transport=tcp>";
            // Registered over a connection of its own, which then closes (the phone, or a restart of ours).
            tcpPhone("623", contact).close();
            Thread.sleep(200);
            sendFromTrunk(request("INVITE", "sip:623@" + fixture.domain(), CallFixture.TRUNK_SOURCE, 0, null));
            try (java.net.Socket toPhone = listening.accept()) {
                toPhone.setSoTimeout(5000);
                byte[] head = new byte[64];
                int n = toPhone.getInputStream().read(head);
                assertThat(new String(head, 0, Math.max(n, 0), StandardCharsets.UTF_8)).startsWith("INVITE sip:623@");
            }
        }
    }

    /** A phone at 127.0.0.31 registered as {@code extension} over the returned, still open TCP connection. */
    java.net.Socket tcpPhone(String extension, String contact) throws Exception {
        java.net.Socket registration = new java.net.Socket();
        registration.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.31"), 0));
        registration.connect(engine.localAddress(Transport.TCP).orElseThrow(), 3000);
        registration.setSoTimeout(5000);
        String challenge = tcpExchange(registration, tcpRegister(registration, extension, contact, 1, null));
        assertThat(challenge).startsWith("SIP/2.0 401");
        SipResponse parsed = (SipResponse) ((ParseResult.Parsed) SipParser.DEFAULT
                .parse(challenge.getBytes(StandardCharsets.UTF_8))).message();
        String authorization = new dev.switchboard.sip.digest.DigestClient().authorize(
                parsed.headers("WWW-Authenticate"), "REGISTER", "sip:" + fixture.domain(), extension,
                CallFixture.SIP_PASSWORD).orElseThrow();
        assertThat(tcpExchange(registration, tcpRegister(registration, extension, contact, 2, authorization)))
                .startsWith("SIP/2.0 200");
        return registration;
    }

    /** Reads one message's header section (the tests' requests and responses carry no body). */
    static String readHead(java.net.Socket socket) throws IOException {
        java.io.ByteArrayOutputStream in = new java.io.ByteArrayOutputStream();
        while (!in.toString(StandardCharsets.UTF_8).endsWith("\r\n\r\n")) {
            int b = socket.getInputStream().read();
            if (b < 0) {
                break;
            }
            in.write(b);
        }
        return in.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aByeForATcpPhoneWhoseConnectionClosedInTheCallReachesItWhereItsContactListens() throws Exception {
        fixture.sipUser("tcpincall", "630");
        try (java.net.ServerSocket listening = new java.net.ServerSocket(0, 5, InetAddress.getByName("127.0.0.31"))) {
            listening.setSoTimeout(5000);
            String contact = "sip:630@127.0.0.31:" + listening.getLocalPort() + ";transport=tcp";
            String invite;
            try (java.net.Socket phone = tcpPhone("630", "<" + contact + ">")) {
                sendFromTrunk(request("INVITE", "sip:630@" + fixture.domain(), CallFixture.TRUNK_SOURCE, 0, null));
                invite = readHead(phone);
                assertThat(invite).startsWith("INVITE ");
                phone.getOutputStream().write(answer(invite, "200 OK", "tcpcallee").getBytes(StandardCharsets.UTF_8));
            }
            // The call's connection is gone (the phone dropped it, or registered again over another).
            Thread.sleep(300);
            sendFromTrunk(inDialog("BYE", contact, CallFixture.TRUNK_SOURCE, header(invite, "Call-ID"),
                    header(invite, "Record-Route")));
            try (java.net.Socket toPhone = listening.accept()) {
                toPhone.setSoTimeout(5000);
                assertThat(readHead(toPhone)).startsWith("BYE sip:630@");
            }
        }
    }

    @Test
    void aCalleeWhoseConnectionDropsBeforeItAnswersIsAFailureNotATimeout() throws Exception {
        fixture.sipUser("tcpdrop", "631");
        try (java.net.Socket phone = tcpPhone("631", "<sip:631@127.0.0.31:5999;transport=tcp>");
             DatagramSocket caller = callerAt(CallFixture.TRUNK_SOURCE)) {
            send(caller, withPort(request("INVITE", "sip:631@" + fixture.domain(), CallFixture.TRUNK_SOURCE, 0, null),
                    caller));
            assertThat(readHead(phone)).startsWith("INVITE ");
            phone.close();
            // §16.9: a transport error is a 503 from the branch, told upstream as 500; 408 read as "nobody answered".
            assertThat(receiveUntil(caller, m -> m.startsWith("SIP/2.0 5") || m.startsWith("SIP/2.0 4")))
                    .startsWith("SIP/2.0 500");
        }
    }

    String tcpRegister(java.net.Socket socket, String extension, String contact, int cseq, String authorization) {
        return "REGISTER sip:" + fixture.domain() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP 127.0.0.31:" + socket.getLocalPort() + ";branch=z9hG4bK" + UUID.randomUUID()
                + ";rport\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:" + extension + "@" + fixture.domain() + ">;tag=t1\r\nTo: <sip:"
                + extension + "@" + fixture.domain() + ">\r\nCall-ID: tcp-" + socket.getLocalPort() + "\r\nCSeq: "
                + cseq + " REGISTER\r\nContact: " + contact + "\r\nExpires: 600\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Content-Length: 0\r\n\r\n";
    }

    /** Sends a request on a TCP connection and reads one response (a header section, no body). */
    static String tcpExchange(java.net.Socket socket, String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        return readHead(socket);
    }

    @Test
    void aPhoneStillRingingWhenAnotherAnswersIsToldTheCallWasCompletedElsewhere() throws Exception {
        fixture.sipUser("twophones", "624");
        try (RegisterClient ringing = registeredPhone("127.0.0.32", "624");
             RegisterClient answering = registeredPhone("127.0.0.33", "624");
             DatagramSocket caller = callerAt(CallFixture.TRUNK_SOURCE)) {
            send(caller, withPort(request("INVITE", "sip:624@" + fixture.domain(), CallFixture.TRUNK_SOURCE, 0, null),
                    caller));
            String atRinging = ringing.receive(3000).orElseThrow();
            ringing.sendRaw(answer(atRinging, "180 Ringing", "ring").getBytes(StandardCharsets.UTF_8));
            String atAnswering = answering.receive(3000).orElseThrow();
            answering.sendRaw(answer(atAnswering, "200 OK", "answer").getBytes(StandardCharsets.UTF_8));
            receiveUntil(caller, m -> m.startsWith("SIP/2.0 200"));
            String cancel = ringing.receive(3000).orElseThrow();
            while (!cancel.startsWith("CANCEL ")) {
                cancel = ringing.receive(3000).orElseThrow();
            }
            // RFC 3326: the phone shows no missed call for a call taken on another.
            assertThat(header(cancel, "Reason")).isEqualTo("SIP;cause=200;text=\"Call completed elsewhere\"");
        }
    }

    @Test
    void aForkWhoseCalleesAllChallengeAnswersTheCallerWithEveryChallenge() throws Exception {
        fixture.sipUser("challenged", "625");
        try (RegisterClient one = registeredPhone("127.0.0.34", "625");
             RegisterClient two = registeredPhone("127.0.0.35", "625");
             DatagramSocket caller = callerAt(CallFixture.TRUNK_SOURCE)) {
            send(caller, withPort(request("INVITE", "sip:625@" + fixture.domain(), CallFixture.TRUNK_SOURCE, 0, null),
                    caller));
            String atOne = one.receive(3000).orElseThrow();
            String atTwo = two.receive(3000).orElseThrow();
            one.sendRaw(answer(atOne, "401 Unauthorized", "one").replace("Content-Length:",
                    "WWW-Authenticate: Digest realm=\"one.example\", nonce=\"n1\"\r\nContent-Length:")
                    .getBytes(StandardCharsets.UTF_8));
            two.sendRaw(answer(atTwo, "407 Proxy Authentication Required", "two").replace("Content-Length:",
                    "Proxy-Authenticate: Digest realm=\"two.example\", nonce=\"n2\"\r\nContent-Length:")
                    .getBytes(StandardCharsets.UTF_8));
            // RFC 3261 §16.7 step 7: the caller can answer both callees' challenges.
            String up = receiveUntil(caller, m -> m.startsWith("SIP/2.0 401") || m.startsWith("SIP/2.0 407"));
            assertThat(up).contains("realm=\"one.example\"", "realm=\"two.example\"");
        }
    }

    @Test
    void aChallengeIsPreferredOverABusyThatCameFirst() throws Exception {
        fixture.sipUser("busyorchallenge", "628");
        try (RegisterClient busy = registeredPhone("127.0.0.38", "628");
             RegisterClient challenging = registeredPhone("127.0.0.39", "628");
             DatagramSocket caller = callerAt(CallFixture.TRUNK_SOURCE)) {
            send(caller, withPort(request("INVITE", "sip:628@" + fixture.domain(), CallFixture.TRUNK_SOURCE, 0, null),
                    caller));
            String atBusy = busy.receive(3000).orElseThrow();
            String atChallenging = challenging.receive(3000).orElseThrow();
            busy.sendRaw(answer(atBusy, "486 Busy Here", "busy").getBytes(StandardCharsets.UTF_8));
            Thread.sleep(300);
            challenging.sendRaw(answer(atChallenging, "401 Unauthorized", "auth").replace("Content-Length:",
                    "WWW-Authenticate: Digest realm=\"phone.example\", nonce=\"n3\"\r\nContent-Length:")
                    .getBytes(StandardCharsets.UTF_8));
            // §16.7 step 6: among 4xx, the answer the caller can act on (it was whichever came first).
            String up = receiveUntil(caller, m -> m.startsWith("SIP/2.0 4"));
            assertThat(up).startsWith("SIP/2.0 401").contains("realm=\"phone.example\"");
        }
    }

    @Test
    void anInDialogRequestForASipsTargetIsNotRelayedOverUdp() throws Exception {
        fixture.sipUser("sipsdialog", "629");
        try (RegisterClient callee = registeredPhone("127.0.0.40", "629")) {
            sendFromTrunk(request("INVITE", "sip:629@" + fixture.domain(), CallFixture.TRUNK_SOURCE, 0, null));
            String invite = callee.receive(3000).orElseThrow();
            String target = callee.contact("629").replaceFirst("^sip:", "sips:");
            SipResponse r = exchange(CallFixture.TRUNK_SOURCE, inDialog("MESSAGE", target, CallFixture.TRUNK_SOURCE,
                    header(invite, "Call-ID"), header(invite, "Record-Route")));
            // A SIPS dialog's requests keep to TLS (a re-INVITE may carry SDES keys); this came over UDP.
            assertThat(r.status()).isEqualTo(480);
            assertThat(messageAt(callee)).isFalse();
        }
    }

    @Test
    void aStrictRouterSendingOurEntryAsTheRequestUriFollowsTheDialog() throws Exception {
        fixture.sipUser("strict", "626");
        try (RegisterClient callee = registeredPhone("127.0.0.36", "626")) {
            sendFromTrunk(request("INVITE", "sip:626@" + fixture.domain(), CallFixture.TRUNK_SOURCE, 0, null));
            String invite = callee.receive(3000).orElseThrow();
            String route = header(invite, "Record-Route");
            String ourEntry = route.substring(1, route.indexOf('>'));
            // RFC 2543 (§16.4): the next hop, our entry, as Request-URI; the remote target last in Route.
            sendFromTrunk(inDialog("MESSAGE", ourEntry, CallFixture.TRUNK_SOURCE, header(invite, "Call-ID"),
                    "<" + callee.contact("626") + ">"));
            assertThat(messageAt(callee)).isTrue();
        }
    }

    @Test
    void aSipsCallIsNeitherTakenNorSentOverUdp() throws Exception {
        fixture.sipUser("secure", "627");
        try (RegisterClient phone = registeredPhone("127.0.0.37", "627")) {
            // RFC 3261 §26.2.2: TLS on every hop; neither this hop nor the phone's binding is TLS.
            SipResponse r = exchange(CallFixture.TRUNK_SOURCE,
                    request("INVITE", "sips:627@" + fixture.domain(), CallFixture.TRUNK_SOURCE, 0, null));
            assertThat(r.status()).isEqualTo(480);
            assertThat(phone.receive(1000)).isEmpty();
        }
    }

    static DatagramSocket callerAt(String host) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(host), 0));
        socket.setSoTimeout(5000);
        return socket;
    }

    static String withPort(String message, DatagramSocket socket) {
        String host = socket.getLocalAddress().getHostAddress();
        return message.replace(":0;branch", ":" + socket.getLocalPort() + ";branch")
                .replace(host + ":0>", host + ":" + socket.getLocalPort() + ">");
    }

    void send(DatagramSocket socket, String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, proxy));
    }

    /** The CANCEL of an INVITE (RFC 3261 §9.1): its Request-URI, top Via, Call-ID, From, To and CSeq number. */
    static String cancelOf(String invite) {
        return invite.replaceFirst("^INVITE ", "CANCEL ").replace("CSeq: 1 INVITE", "CSeq: 1 CANCEL");
    }

    /** A callee's answer to a request it received: its Vias, From, Call-ID and CSeq, the To with a tag. */
    static String answer(String request, String status, String toTag) {
        StringBuilder out = new StringBuilder("SIP/2.0 ").append(status).append("\r\n");
        request.lines().filter(l -> l.startsWith("Via:") || l.startsWith("From:") || l.startsWith("Call-ID:")
                || l.startsWith("CSeq:") || l.startsWith("Record-Route:")).forEach(l -> out.append(l).append("\r\n"));
        request.lines().filter(l -> l.startsWith("To:")).forEach(l -> out.append(l).append(";tag=").append(toTag)
                .append("\r\n"));
        return out.append("Contact: <sip:callee@127.0.0.1>\r\nContent-Length: 0\r\n\r\n").toString();
    }

    static String receiveUntil(DatagramSocket socket, java.util.function.Predicate<String> wanted) throws IOException {
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < end) {
            DatagramPacket packet = new DatagramPacket(new byte[65535], 65535);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                break;
            }
            String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            if (wanted.test(text)) {
                return text;
            }
        }
        throw new AssertionError("the awaited message did not come");
    }

    /** Sends from the trunk's address (let in without a challenge) and does not wait for an answer. */
    void sendFromTrunk(String message) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(
                InetAddress.getByName(CallFixture.TRUNK_SOURCE), 0))) {
            String text = message.replace(":0;branch", ":" + socket.getLocalPort() + ";branch")
                    .replace(CallFixture.TRUNK_SOURCE + ":0>", CallFixture.TRUNK_SOURCE + ":" + socket.getLocalPort() + ">");
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(bytes, bytes.length, proxy));
        }
    }

    @Test
    void aCallForADomainWeDoNotServeIsRefused() throws Exception {
        SipResponse r = exchange("127.0.0.9", request("INVITE", "sip:100@elsewhere.example.org", "127.0.0.9", 0, null));
        assertThat(r.status()).isEqualTo(403);
    }

    @Test
    void aCallFromAnUnknownAddressIsChallengedInTheTenantsRealmWithSha256AndMd5() throws Exception {
        SipResponse r = exchange("127.0.0.9", request("INVITE", "sip:100@" + fixture.domain(), "127.0.0.9", 0, null));
        assertThat(r.status()).isEqualTo(407);
        assertThat(r.headers("Proxy-Authenticate")).hasSize(2)
                .allSatisfy(h -> assertThat(h).contains("realm=\"" + fixture.domain() + "\"").contains("qop=\"auth\""))
                .anySatisfy(h -> assertThat(h).contains("algorithm=SHA-256"))
                .anySatisfy(h -> assertThat(h).contains("algorithm=MD5"));
    }

    @Test
    void aForgedRouteGetsNoPassFromTheGate() throws Exception {
        String us = "127.0.0.1:" + proxy.getPort();
        // A BYE "in a dialog" with our Route and a made-up token, aimed at some other host.
        SipResponse r = exchange("127.0.0.9", request("BYE", "sip:victim@127.0.0.3:5999", "127.0.0.9", 0, "t1",
                "Route: <sip:" + us + ";lr;sbd=0123456789abcdef>"));
        assertThat(r.status()).isEqualTo(403);
        // A dialog-less one with a To tag from a trunk's address: not a dialog of ours.
        SipResponse fromTrunk = exchange(CallFixture.TRUNK_SOURCE, request("BYE", "sip:victim@" + fixture.domain(),
                CallFixture.TRUNK_SOURCE, 0, "t1"));
        assertThat(fromTrunk.status()).isEqualTo(481);
    }

    @Test
    void aDialogsRouteTakenByAStrangerOrAlteredGivesNoPassButItsPartyFollowsTheDialog() throws Exception {
        fixture.sipUser("dialog", "614");
        try (RegisterClient callee = registeredPhone("127.0.0.16", "614");
             DatagramSocket elsewhere = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.77"), 0))) {
            elsewhere.setSoTimeout(1500);
            sendFromTrunk(request("INVITE", "sip:614@" + fixture.domain(), CallFixture.TRUNK_SOURCE, 0, null));
            String invite = callee.receive(3000).orElseThrow();
            String callId = header(invite, "Call-ID");
            String route = header(invite, "Record-Route");
            assertThat(route).contains(";sbd=");
            String target = "sip:anyone@127.0.0.77:" + elsewhere.getLocalPort();

            // Someone who saw the entry (it travels in clear) but is no party of the call: the gate
            // decides as for any request from there, and nothing is relayed.
            SipResponse stranger = exchange("127.0.0.99", inDialog("MESSAGE", target, "127.0.0.99", callId, route));
            assertThat(stranger.status()).isEqualTo(403);
            assertThat(Datagrams.receive(elsewhere)).isEmpty();

            // A party whose entry was altered (another callee address): no dialog of ours.
            String altered = route.replaceAll(";sbq=[0-9a-f]+", ";sbq=0123456789abcdef");
            SipResponse forged = exchange(CallFixture.TRUNK_SOURCE,
                    inDialog("MESSAGE", target, CallFixture.TRUNK_SOURCE, callId, altered));
            assertThat(forged.status()).isEqualTo(481);
            assertThat(Datagrams.receive(elsewhere)).isEmpty();

            // Another tenant's trunk, let in by the gate as its own caller: not its tenant's call.
            String otherTrunkSource = "127.0.0.6";
            otherTenantTrunk(otherTrunkSource);
            SipResponse foreign = exchange(otherTrunkSource, inDialog("MESSAGE", target, otherTrunkSource, callId, route));
            assertThat(foreign.status()).isEqualTo(481);
            assertThat(Datagrams.receive(elsewhere)).isEmpty();

            // The caller itself follows its dialog: to the callee, reached where it registered from.
            assertThat(messageAt(callee)).isFalse();
            sendFromTrunk(inDialog("MESSAGE", target, CallFixture.TRUNK_SOURCE, callId, route));
            assertThat(messageAt(callee)).isTrue();
        }
    }

    /** Whether a MESSAGE reaches the phone within a second and a half (the INVITE's retransmissions and CANCEL aside). */
    static boolean messageAt(RegisterClient phone) throws IOException {
        long end = System.nanoTime() + 1_500_000_000L;
        while (System.nanoTime() < end) {
            Optional<String> m = phone.receive((int) Math.max(1, (end - System.nanoTime()) / 1_000_000));
            if (m.isPresent() && m.get().startsWith("MESSAGE ")) {
                return true;
            }
        }
        return false;
    }

    static String otherToken;
    static String otherTrunk;
    static final java.util.Set<String> otherTrunkSources = new java.util.HashSet<>();

    /** Another tenant with a trunk whose {@code ip} methods include {@code source}. */
    void otherTenantTrunk(String source) {
        Api api = fixture.api();
        if (otherTrunk == null) {
            var tenant = api.createTenant(fixture.adminToken());
            String uuid = tenant.get("uuid").asString();
            api.post("/api/v2/tenants/" + uuid + "/users", fixture.adminToken(), Map.of("username", "other",
                    "password", "Other-Secret-1", "role", "Admin"));
            otherToken = api.signIn(tenant.get("domain").asString(), "other", "Other-Secret-1");
            otherTrunk = api.post("/voip/trunk", otherToken, Map.of("name", "Other", "domain", "127.0.0.7", "port",
                    5999, "transport", "udp", "user", "%user")).json().get("result").get("uuid").asString();
        }
        if (otherTrunkSources.add(source)) {
            assertThat(api.post("/voip/trunk/" + otherTrunk + "/auth", otherToken, Map.of("type", "ip", "ip", source))
                    .status()).isEqualTo(201);
        }
    }

    @Test
    void anotherTenantsTrunkClaimingAPhonesAddressDoesNotTakeItsCallsToItsOwnTenant() throws Exception {
        // Another tenant's Admin lists the address a phone of ours calls from as its trunk's.
        String phoneAddress = "127.0.0.29";
        otherTenantTrunk(phoneAddress);
        SipResponse answer = exchange(phoneAddress,
                request("INVITE", "sip:+15550100@" + fixture.domain(), phoneAddress, 0, null));
        // Not let in as that trunk's call: challenged in our realm, as any caller of ours is.
        assertThat(answer.status()).isEqualTo(407);
        assertThat(answer.header("Proxy-Authenticate").orElseThrow()).contains("realm=\"" + fixture.domain() + "\"");
    }

    @Test
    void aRoutePreloadedOnACallIsNotFollowedTheCallGoesWhereItsRequestUriSays() throws Exception {
        fixture.sipUser("preload", "615");
        try (RegisterClient callee = registeredPhone("127.0.0.17", "615");
             DatagramSocket elsewhere = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.78"), 0))) {
            elsewhere.setSoTimeout(1500);
            sendFromTrunk(request("INVITE", "sip:615@" + fixture.domain(), CallFixture.TRUNK_SOURCE, 0, null,
                    "Route: <sip:127.0.0.78:" + elsewhere.getLocalPort() + ";lr>"));
            assertThat(callee.receive(3000)).hasValueSatisfying(m -> assertThat(m).startsWith("INVITE ")
                    .doesNotContain("127.0.0.78"));
            assertThat(Datagrams.receive(elsewhere)).isEmpty();
        }
    }

    @Test
    void failedCredentialsOnAnInviteAreAnsweredOnceStatelesslyNotResentUntilAnAck() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.19"), 0))) {
            socket.setSoTimeout(1200);
            String invite = request("INVITE", "sip:100@" + fixture.domain(), "127.0.0.19", socket.getLocalPort(), null,
                    "Proxy-Authorization: Digest username=\"100\", realm=\"" + fixture.domain() + "\", nonce=\"abc\", "
                            + "uri=\"sip:100@" + fixture.domain() + "\", response=\"0123456789abcdef0123456789abcdef\"");
            double before = meters.get("sip.transactions.server").gauge().value();
            byte[] bytes = invite.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(bytes, bytes.length, proxy));
            assertThat(Datagrams.receive(socket)).hasValueSatisfying(m -> assertThat(m).startsWith("SIP/2.0 407 "));
            // Timer G would have resent it after 500 ms, and again after a second.
            assertThat(Datagrams.receive(socket)).isEmpty();
            assertThat(meters.get("sip.transactions.server").gauge().value()).isLessThanOrEqualTo(before);
        }
    }

    /** An in-dialog request of the call {@code callId} (From tag f1, the callee's tag), along its Route. */
    static String inDialog(String method, String uri, String source, String callId, String route) {
        return request(method, uri, source, 0, "callee", "Route: " + route)
                .replaceFirst("Call-ID: [^\r]+", "Call-ID: " + callId);
    }

    static String header(String message, String name) {
        return message.lines().filter(l -> l.startsWith(name + ":")).findFirst()
                .map(l -> l.substring(name.length() + 1).trim()).orElseThrow(() -> new AssertionError(name + " missing"));
    }

    @Test
    void maxForwardsZeroIs483() throws Exception {
        SipResponse r = exchange(CallFixture.TRUNK_SOURCE, request("INVITE", "sip:0123@" + fixture.domain(),
                CallFixture.TRUNK_SOURCE, 0, null, "Max-Forwards: 0"));
        assertThat(r.status()).isEqualTo(483);
    }

    /**
     * A second tenant with one trunk to {@code host:port} over {@code transport} that lets in
     * {@code source} by address; answers the tenant's domain.
     */
    String tenantWithTrunk(String host, int trunkPort, String transport, String source) {
        Api api = new Api(port);
        String admin = api.signInAdmin();
        var tenant = api.createTenant(admin);
        String domain = tenant.get("domain").asString();
        String user = "admin" + UUID.randomUUID().toString().substring(0, 8);
        api.post("/api/v2/tenants/" + tenant.get("uuid").asString() + "/users", admin, Map.of("username", user,
                "password", "Trunk-Admin-1", "role", "Admin"));
        String token = api.signIn(domain, user, "Trunk-Admin-1");
        String trunk = api.post("/voip/trunk", token, Map.of("name", "Trunk", "domain", host, "port", trunkPort,
                "transport", transport, "user", "%user")).json().get("result").get("uuid").asString();
        assertThat(api.post("/voip/trunk/" + trunk + "/auth", token, Map.of("type", "ip", "ip", source))
                .status()).isEqualTo(201);
        return domain;
    }

    @Test
    void aCallThatComesBackUnchangedIsALoop() throws Exception {
        // A second tenant whose trunk is this proxy itself and lets in the proxy's own address.
        String domain = tenantWithTrunk("127.0.0.1", proxy.getPort(), "udp", "127.0.0.1");
        SipResponse r = exchange("127.0.0.1", request("INVITE", "sip:0999@" + domain, "127.0.0.1", 0, null));
        assertThat(r.status()).isEqualTo(482);
    }

    @Test
    void aBranchThatCannotBeSentIsAnswered500NotA503ThatWouldTurnTheCallerAway() throws Exception {
        // A tenant whose trunk is a TCP port where nothing listens: the branch fails at once (§16.9).
        int closed;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.3"))) {
            closed = probe.getLocalPort();
        }
        String domain = tenantWithTrunk("127.0.0.3", closed, "tcp", "127.0.0.16");
        SipResponse r = exchange("127.0.0.16", request("INVITE", "sip:0555@" + domain, "127.0.0.16", 0, null));
        // §16.7 step 6: a lone 503 goes upstream as 500.
        assertThat(r.status()).isEqualTo(500);
    }
}
