package dev.switchboard.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sip.transport.Transport;
import dev.switchboard.support.Datagrams;
import dev.switchboard.support.SipServerTest;
import dev.switchboard.support.Sipp;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

/** The running server's SIP answers over every transport, under loss and under garbage. */
@SipServerTest
class SipEngineTest {

    @org.junit.jupiter.api.AfterAll
    static void noBufferLeaked() {
        dev.switchboard.sip.testing.LeakRecorder.assertNoLeaks();
    }

    @Autowired
    SipEngine engine;

    static String options(String transport, int port, String branch, String uri) {
        return """
                OPTIONS %s SIP/2.0\r
                Via: SIP/2.0/%s 127.0.0.1:%d;branch=%s;rport\r
                Max-Forwards: 70\r
                From: <sip:probe@127.0.0.1>;tag=probe1\r
                To: <%s>\r
                Call-ID: %s@127.0.0.1\r
                CSeq: 1 OPTIONS\r
                Content-Length: 0\r
                \r
                """.formatted(uri, transport, port, branch, uri, branch);
    }

    Optional<String> udpExchange(DatagramSocket socket, String message) throws Exception {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, engine.localAddress(Transport.UDP).orElseThrow()));
        return Datagrams.receive(socket);
    }

    @Test
    void answersOptionsAddressedToItWithAllowAndSupported() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(3000);
            String answer = udpExchange(socket, options("UDP", socket.getLocalPort(), "z9hG4bK-opt1",
                    "sip:127.0.0.1")).orElseThrow();
            assertThat(answer).startsWith("SIP/2.0 200 OK\r\n").contains("\r\nAllow: ").contains("OPTIONS")
                    .contains("\r\nSupported: ").containsPattern("To: <sip:127.0.0.1>;tag=\\w+")
                    .contains("rport=" + socket.getLocalPort()).contains("received=127.0.0.1");
        }
    }

    @Test
    void aMethodItDoesNotServeAddressedToItIs405AndAnUnknownOne501BothWithAllowAndNoChallenge() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(3000);
            String subscribe = options("UDP", socket.getLocalPort(), "z9hG4bK-sub1", "sip:127.0.0.1")
                    .replace("OPTIONS", "SUBSCRIBE").replace("Content-Length", "Event: presence\r\nContent-Length");
            assertThat(udpExchange(socket, subscribe).orElseThrow()).startsWith("SIP/2.0 405 Method Not Allowed\r\n")
                    .contains("\r\nAllow: INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER");
            String foo = options("UDP", socket.getLocalPort(), "z9hG4bK-foo1", "sip:127.0.0.1").replace("OPTIONS", "FOO");
            assertThat(udpExchange(socket, foo).orElseThrow()).startsWith("SIP/2.0 501 Not Implemented\r\n")
                    .contains("\r\nAllow: ");
            // With a user part it is someone else's request to judge: the proxy's gate decides.
            String forUser = options("UDP", socket.getLocalPort(), "z9hG4bK-foo2", "sip:alice@example.com")
                    .replace("OPTIONS", "FOO");
            assertThat(udpExchange(socket, forUser).orElseThrow()).startsWith("SIP/2.0 403 ");
        }
    }

    @Test
    void answersAStunKeepAliveOnTheSipPortWithTheAddressItCameFrom() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(3000);
            var id = dev.switchboard.sip.stun.TransactionId.random();
            byte[] request = dev.switchboard.sip.stun.StunCodec.encodeBindingRequest(id);
            socket.send(new DatagramPacket(request, request.length, engine.localAddress(Transport.UDP).orElseThrow()));
            byte[] buffer = new byte[1500];
            DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
            socket.receive(answer);
            // RFC 5626 §8 keep-alive (RFC 5389 Binding): the answer maps the flow's own address.
            assertThat(dev.switchboard.sip.stun.StunCodec.decodeBindingResponse(buffer, answer.getLength(), id))
                    .isEqualTo(new dev.switchboard.sip.stun.BindingResponse.Success(
                            new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort())));
            // A request after a stray CRLF (first byte below 0x40 too) is still SIP.
            String options = "\r\n" + options("UDP", socket.getLocalPort(), "z9hG4bK-crlf1", "sip:127.0.0.1");
            assertThat(udpExchange(socket, options)).hasValueSatisfying(a -> assertThat(a).startsWith("SIP/2.0 200"));
        }
    }

    @Test
    void refusesEverythingItDoesNotHandleYetWith403() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(3000);
            String answer = udpExchange(socket, options("UDP", socket.getLocalPort(), "z9hG4bK-opt2",
                    "sip:alice@example.com")).orElseThrow();
            assertThat(answer).startsWith("SIP/2.0 403 Forbidden\r\n");
        }
    }

    @Test
    void aRequestTheParserRefusesIsAnsweredWithRportReceivedAndOneToTagForEveryCopy() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(3000);
            String request = options("UDP", socket.getLocalPort(), "z9hG4bK-badmf", "sip:127.0.0.1")
                    .replace("Max-Forwards: 70", "Max-Forwards: abc");
            String first = udpExchange(socket, request).orElseThrow();
            assertThat(first).startsWith("SIP/2.0 400 ").contains("rport=" + socket.getLocalPort())
                    .contains("received=127.0.0.1").containsPattern("To: <sip:127.0.0.1>;tag=\\w+");
            // No transaction remembers it, yet a copy gets the very same answer (RFC 3261 §8.2.7).
            assertThat(udpExchange(socket, request).orElseThrow()).isEqualTo(first);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"To", "From", "Call-ID", "CSeq"})
    void aRequestTooBrokenToRebuildIsStillAnsweredWithRportAndReceived(String missing) throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(3000);
            String request = options("UDP", socket.getLocalPort(), "z9hG4bK-no" + missing, "sip:127.0.0.1")
                    .replaceAll("(?m)^" + missing + ": [^\r]*\r\n", "");
            assertThat(request).doesNotContain("\n" + missing + ": ");
            String answer = udpExchange(socket, request).orElseThrow();
            // RFC 3581 §4: received and rport are filled in on every answer, whatever else is missing.
            assertThat(answer).startsWith("SIP/2.0 400 ").contains("rport=" + socket.getLocalPort())
                    .contains("received=127.0.0.1");
        }
    }

    @Test
    void absorbsARetransmittedRequestByResendingTheSameAnswer() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(3000);
            String request = options("UDP", socket.getLocalPort(), "z9hG4bK-retx", "sip:127.0.0.1");
            String first = udpExchange(socket, request).orElseThrow();
            String second = udpExchange(socket, request).orElseThrow();
            assertThat(second).isEqualTo(first);
        }
    }

    @Test
    void dropsResponsesThatMatchNoTransactionAndAnswers481ToAStrayCancel() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(500);
            String stray = """
                    SIP/2.0 200 OK\r
                    Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-nobody\r
                    From: <sip:a@127.0.0.1>;tag=1\r
                    To: <sip:b@127.0.0.1>;tag=2\r
                    Call-ID: stray@127.0.0.1\r
                    CSeq: 1 OPTIONS\r
                    Content-Length: 0\r
                    \r
                    """;
            assertThat(udpExchange(socket, stray)).isEmpty();
            socket.setSoTimeout(3000);
            String cancel = options("UDP", socket.getLocalPort(), "z9hG4bK-cancel", "sip:bob@127.0.0.1")
                    .replace("OPTIONS", "CANCEL");
            assertThat(udpExchange(socket, cancel).orElseThrow()).startsWith("SIP/2.0 481 ");
        }
    }

    @Test
    void answersOverTcpAndTlsOnTheSameConnection() throws Exception {
        InetSocketAddress tcp = engine.localAddress(Transport.TCP).orElseThrow();
        try (Socket socket = new Socket(tcp.getAddress(), tcp.getPort())) {
            socket.setSoTimeout(5000);
            for (int i = 0; i < 3; i++) {
                socket.getOutputStream().write(options("TCP", socket.getLocalPort(), "z9hG4bK-tcp" + i,
                        "sip:127.0.0.1").getBytes(StandardCharsets.UTF_8));
                assertThat(SipConformanceTest.readHead(socket.getInputStream()).orElseThrow())
                        .startsWith("SIP/2.0 200 OK");
            }
        }
        InetSocketAddress tls = engine.localAddress(Transport.TLS).orElseThrow();
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustingManager()}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(tls.getAddress(), tls.getPort())) {
            socket.setSoTimeout(5000);
            socket.startHandshake();
            socket.getOutputStream().write(options("TLS", socket.getLocalPort(), "z9hG4bK-tls",
                    "sip:127.0.0.1").getBytes(StandardCharsets.UTF_8));
            assertThat(SipConformanceTest.readHead(socket.getInputStream()).orElseThrow())
                    .startsWith("SIP/2.0 200 OK");
        }
    }

    @Test
    void reusesAConnectionForTheAddressItsPeerAdvertisedWithAlias() throws Exception {
        InetSocketAddress tcp = engine.localAddress(Transport.TCP).orElseThrow();
        var transports = engine.clientStack().orElseThrow().transports();
        InetSocketAddress advertised = new InetSocketAddress("127.0.0.1", 5999);
        try (Socket socket = new Socket(tcp.getAddress(), tcp.getPort())) {
            socket.setSoTimeout(5000);
            String request = options("TCP", 5999, "z9hG4bK-alias", "sip:127.0.0.1").replace(";rport", ";alias");
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            assertThat(SipConformanceTest.readHead(socket.getInputStream()).orElseThrow()).startsWith("SIP/2.0 200");
            var flow = transports.connections().find(Transport.TCP, advertised).orElseThrow();
            assertThat(flow.remote().getPort()).isEqualTo(socket.getLocalPort());
            // A request to the advertised address goes down the peer's own connection.
            transports.send(Transport.TCP, advertised, "\r\n\r\n".getBytes(StandardCharsets.UTF_8)).get();
            assertThat(socket.getInputStream().readNBytes(4)).containsExactly('\r', '\n', '\r', '\n');
        }
    }

    @Test
    void keepsAnsweringAfterAFloodOfGarbage() throws Exception {
        Random random = new Random(4475);
        InetSocketAddress udp = engine.localAddress(Transport.UDP).orElseThrow();
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 2000; i++) {
                byte[] junk = new byte[1 + random.nextInt(1400)];
                random.nextBytes(junk);
                if (i % 3 == 0) {
                    byte[] head = "INVITE sip:x SIP/2.0\r\nVia: ".getBytes(StandardCharsets.UTF_8);
                    System.arraycopy(head, 0, junk, 0, Math.min(head.length, junk.length));
                }
                socket.send(new DatagramPacket(junk, junk.length, udp));
            }
            socket.setSoTimeout(1000);
            // Drain answers to the garbage that looked enough like requests, then probe. 2,000 messages
            // within a second are over the per-source rate limit (1,000): the rest of that second is
            // dropped, so the probe is sent again until the second has turned, for at most five seconds.
            String probe = options("UDP", socket.getLocalPort(), "z9hG4bK-after-flood", "sip:127.0.0.1");
            Optional<String> answer = Optional.empty();
            for (int attempt = 0; attempt < 5 && answer.isEmpty(); attempt++) {
                Optional<String> next = udpExchange(socket, probe);
                while (next.isPresent() && !next.get().contains("z9hG4bK-after-flood")) {
                    next = Datagrams.receive(socket);
                }
                answer = next;
            }
            assertThat(answer).hasValueSatisfying(a -> assertThat(a).startsWith("SIP/2.0 200 OK"));
        }
        InetSocketAddress tcp = engine.localAddress(Transport.TCP).orElseThrow();
        try (Socket garbage = new Socket(tcp.getAddress(), tcp.getPort())) {
            byte[] junk = new byte[8192];
            random.nextBytes(junk);
            junk[0] = 0x16;
            garbage.getOutputStream().write(junk);
        } catch (java.net.SocketException closedEarly) {
            // the server may close before everything is written
        }
        try (Socket socket = new Socket(tcp.getAddress(), tcp.getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(options("TCP", socket.getLocalPort(), "z9hG4bK-after-junk",
                    "sip:127.0.0.1").getBytes(StandardCharsets.UTF_8));
            assertThat(SipConformanceTest.readHead(socket.getInputStream()).orElseThrow())
                    .startsWith("SIP/2.0 200 OK");
        }
    }

    @Test
    void completesEveryOptionsTransactionWithTenPercentLossOnUdp() throws Exception {
        InetSocketAddress udp = engine.localAddress(Transport.UDP).orElseThrow();
        Sipp.Result result = Sipp.run("options", udp, 60, "-m", "200", "-r", "40", "-lost", "10");
        assertThat(result.successful()).as(result.output()).isEqualTo(200);
        assertThat(result.failed()).as(result.output()).isZero();
        assertThat(result.retransmissions()).as("SIPp lost packets, so it had to retransmit").isPositive();
    }

    /** Accepts the server's generated self-signed certificate; test only. */
    private static final class TrustingManager implements X509TrustManager {
        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
        }
    }
}
