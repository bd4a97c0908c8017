package dev.switchboard.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SipTransportsTest {

    @org.junit.jupiter.api.AfterAll
    static void noBufferLeaked() {
        dev.switchboard.sip.testing.LeakRecorder.assertNoLeaks();
    }

    private static final String OPTIONS = """
            OPTIONS sip:127.0.0.1 SIP/2.0\r
            Via: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK-%s\r
            From: <sip:a@127.0.0.1>;tag=1\r
            To: <sip:127.0.0.1>\r
            Call-ID: %s\r
            CSeq: 1 OPTIONS\r
            Max-Forwards: 70\r
            Content-Length: %d\r
            \r
            %s""";

    @TempDir
    Path dir;

    SipTransports transports;
    final BlockingQueue<InboundPacket> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        transports = SipTransports.start(TransportSettings.loopback(dir), packet -> {
            received.add(packet);
            if (!new String(packet.bytes(), StandardCharsets.UTF_8).startsWith("SIP/2.0")) {
                packet.flow().send(echo(packet.bytes().length).getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    @AfterEach
    void stop() {
        transports.close();
    }

    /** A framed answer carrying the length of what was received. */
    static String echo(int length) {
        String body = "echo " + length;
        return "SIP/2.0 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    static String message(String id, String body) {
        return OPTIONS.formatted(id, id, body.getBytes(StandardCharsets.UTF_8).length, body);
    }

    /** Transports with these settings that answer every message with {@link #echo} of its length. */
    static SipTransports echoing(TransportSettings settings) throws Exception {
        return SipTransports.start(settings, packet -> packet.flow().send(
                echo(packet.bytes().length).getBytes(StandardCharsets.UTF_8)));
    }

    /** Sends a message on a connection and reads the echo of it. */
    static String roundTrip(Socket socket, String message) throws java.io.IOException {
        socket.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
        return new String(socket.getInputStream().readNBytes(echo(message.length()).length()), StandardCharsets.UTF_8);
    }

    /** The server closed the connection: an orderly end of stream, or a reset when bytes were left unread. */
    static void assertClosedByServer(Socket socket) throws java.io.IOException {
        try {
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        } catch (java.net.SocketException reset) {
            assertThat(reset.getMessage()).containsIgnoringCase("reset");
        }
    }

    @Test
    void receivesADatagramAndAnswersOnTheSameFlow() throws Exception {
        InetSocketAddress udp = transports.localAddress(Transport.UDP).orElseThrow();
        try (DatagramSocket socket = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(5000);
            byte[] bytes = message("u1", "").getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(bytes, bytes.length, udp));
            DatagramPacket answer = new DatagramPacket(new byte[2048], 2048);
            socket.receive(answer);
            assertThat(new String(answer.getData(), 0, answer.getLength(), StandardCharsets.UTF_8))
                    .isEqualTo(echo(bytes.length));
            InboundPacket packet = received.poll(5, TimeUnit.SECONDS);
            assertThat(packet.flow().transport()).isEqualTo(Transport.UDP);
            assertThat(packet.flow().remote().getPort()).isEqualTo(socket.getLocalPort());
        }
    }

    /** An OPTIONS whose body makes it exactly {@code length} bytes long. */
    static byte[] sized(int length) {
        int body = length - message("b", "").length();
        while (message("b", "x".repeat(body)).length() > length) {
            body--;
        }
        return message("b", "x".repeat(body)).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void answersEveryDatagramOfABurstAndDropsOnlyThoseOverTheLimit() throws Exception {
        TransportSettings base = TransportSettings.loopback(dir.resolve("burst"));
        TransportSettings small = new TransportSettings("127.0.0.1", 0, 0, -1, 2000, base.idleTimeout(),
                base.maxConnections(), 1, base.tlsKeyStore(), "", base.generatedCertificateDir(), false);
        BlockingQueue<InboundPacket> got = new LinkedBlockingQueue<>();
        try (SipTransports limited = SipTransports.start(small, packet -> {
                got.add(packet);
                packet.flow().send(echo(packet.bytes().length).getBytes(StandardCharsets.UTF_8));
            });
             DatagramSocket socket = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReceiveBufferSize(1 << 20);
            socket.setSoTimeout(5000);
            InetSocketAddress udp = limited.localAddress(Transport.UDP).orElseThrow();
            byte[] exact = sized(2000);
            byte[] over = sized(2001);
            byte[] far = message("b", "x".repeat(9000)).getBytes(StandardCharsets.UTF_8);
            assertThat(exact).hasSize(2000);
            assertThat(over).hasSize(2001);
            // Read in batches of several datagrams per system call: the ones too large, cut at the
            // end of their slot, must be dropped, not handed on truncated.
            int sent = 0;
            for (int i = 0; i < 60; i++) {
                byte[] bytes = i % 3 == 1 ? over : i % 3 == 2 ? far : exact;
                socket.send(new DatagramPacket(bytes, bytes.length, udp));
                sent += bytes == exact ? 1 : 0;
            }
            for (int i = 0; i < sent; i++) {
                DatagramPacket answer = new DatagramPacket(new byte[2048], 2048);
                socket.receive(answer);
                assertThat(new String(answer.getData(), 0, answer.getLength(), StandardCharsets.UTF_8))
                        .isEqualTo(echo(2000));
            }
            socket.setSoTimeout(300);
            assertThatThrownBy(() -> socket.receive(new DatagramPacket(new byte[2048], 2048)))
                    .isInstanceOf(java.net.SocketTimeoutException.class);
            assertThat(got).hasSize(sent).allSatisfy(p -> assertThat(p.bytes()).hasSize(2000));
            // Dropped unread, but counted.
            assertThat(limited.oversizeDatagrams()).isEqualTo(60 - sent);
        }
    }

    @Test
    void listensOnIpv6Loopback() throws Exception {
        TransportSettings v4 = TransportSettings.loopback(dir.resolve("v6"));
        TransportSettings v6 = new TransportSettings("::1", 0, 0, -1, v4.maxMessageBytes(), v4.idleTimeout(),
                v4.maxConnections(), 1, v4.tlsKeyStore(), "", v4.generatedCertificateDir(), false);
        try (SipTransports six = SipTransports.start(v6, received::add);
             DatagramSocket socket = new DatagramSocket(0, java.net.InetAddress.getByName("::1"))) {
            InetSocketAddress udp = six.localAddress(Transport.UDP).orElseThrow();
            assertThat(udp.getAddress()).isInstanceOf(java.net.Inet6Address.class);
            byte[] bytes = message("v6", "").getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(bytes, bytes.length, udp));
            InboundPacket packet = received.poll(5, TimeUnit.SECONDS);
            assertThat(packet).isNotNull();
            assertThat(packet.flow().remote().getAddress()).isInstanceOf(java.net.Inet6Address.class);
            InetSocketAddress tcp = six.localAddress(Transport.TCP).orElseThrow();
            try (Socket stream = new Socket(tcp.getAddress(), tcp.getPort())) {
                stream.getOutputStream().write(bytes);
                assertThat(received.poll(5, TimeUnit.SECONDS)).isNotNull();
            }
        }
    }

    @Test
    void framesSplitAndCoalescedTcpSegments() throws Exception {
        InetSocketAddress tcp = transports.localAddress(Transport.TCP).orElseThrow();
        String first = message("t1", "hello");
        String second = message("t2", "");
        byte[] both = (first + second).getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(tcp.getAddress(), tcp.getPort())) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            out.write("\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            for (byte b : both) {
                out.write(b);
                out.flush();
            }
            assertThat(new String(received.poll(5, TimeUnit.SECONDS).bytes(), StandardCharsets.UTF_8))
                    .isEqualTo(first);
            assertThat(new String(received.poll(5, TimeUnit.SECONDS).bytes(), StandardCharsets.UTF_8))
                    .isEqualTo(second);
            out.write(both);
            out.flush();
            assertThat(received.poll(5, TimeUnit.SECONDS)).isNotNull();
            assertThat(received.poll(5, TimeUnit.SECONDS)).isNotNull();
            assertThat(transports.connections().size()).isEqualTo(1);
        }
    }

    @Test
    void closingTheTransportsEndsEveryConnection() throws Exception {
        InetSocketAddress tcp = transports.localAddress(Transport.TCP).orElseThrow();
        try (Socket socket = new Socket(tcp.getAddress(), tcp.getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(message("c1", "").getBytes(StandardCharsets.UTF_8));
            assertThat(received.poll(5, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();
            transports.close();
            // The peer learns at once, rather than writing into a connection nobody reads any more.
            byte[] answer = socket.getInputStream().readAllBytes();
            assertThat(new String(answer, StandardCharsets.UTF_8)).startsWith("SIP/2.0 200 OK");
            assertThat(transports.connections().size()).isZero();
        }
    }

    @Test
    void aBodyWithoutContentLengthOnAStreamEndsTheConnectionAfterItsHeaderSectionIsAnswered() throws Exception {
        InetSocketAddress tcp = transports.localAddress(Transport.TCP).orElseThrow();
        String headers = "OPTIONS sip:127.0.0.1 SIP/2.0\r\nContent-Type: application/sdp\r\n\r\n";
        try (Socket socket = new Socket(tcp.getAddress(), tcp.getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write((headers + "v=0\r\n" + message("after", ""))
                    .getBytes(StandardCharsets.UTF_8));
            InboundPacket packet = received.poll(5, TimeUnit.SECONDS);
            assertThat(new String(packet.bytes(), StandardCharsets.UTF_8)).isEqualTo(headers);
            socket.getInputStream().readNBytes(echo(headers.length()).length());
            assertClosedByServer(socket);
        }
        // Neither the body nor what followed it was taken for a message.
        assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void oneSourceHoldsNoMoreConnectionsThanItsLimitAndOthersStillGetIn() throws Exception {
        TransportSettings limited = TransportSettings.loopback(dir.resolve("per-source"))
                .withStreamLimits(2, java.time.Duration.ofSeconds(20));
        try (SipTransports two = echoing(limited)) {
            InetSocketAddress tcp = two.localAddress(Transport.TCP).orElseThrow();
            java.net.InetAddress attacker = java.net.InetAddress.getByName("127.0.0.1");
            String options = message("p", "");
            try (Socket a = new Socket(tcp.getAddress(), tcp.getPort(), attacker, 0);
                 Socket b = new Socket(tcp.getAddress(), tcp.getPort(), attacker, 0)) {
                for (Socket admitted : List.of(a, b)) {
                    admitted.setSoTimeout(5000);
                    assertThat(roundTrip(admitted, options)).isEqualTo(echo(options.length()));
                }
                try (Socket c = new Socket(tcp.getAddress(), tcp.getPort(), attacker, 0);
                     Socket phone = new Socket(tcp.getAddress(), tcp.getPort(),
                             java.net.InetAddress.getByName("127.0.0.2"), 0)) {
                    c.setSoTimeout(5000);
                    assertClosedByServer(c);
                    phone.setSoTimeout(5000);
                    assertThat(roundTrip(phone, options)).isEqualTo(echo(options.length()));
                    assertThat(two.connections().size()).isEqualTo(3);
                }
            }
        }
    }

    @Test
    void aMessageSentAByteAtATimeMustStillBeFinishedWithinTheReadTimeout() throws Exception {
        TransportSettings slow = TransportSettings.loopback(dir.resolve("slow"))
                .withStreamLimits(0, java.time.Duration.ofMillis(600));
        try (SipTransports limited = echoing(slow)) {
            InetSocketAddress tcp = limited.localAddress(Transport.TCP).orElseThrow();
            try (Socket loris = new Socket(tcp.getAddress(), tcp.getPort())) {
                loris.setSoTimeout(5000);
                OutputStream out = loris.getOutputStream();
                long start = System.nanoTime();
                byte[] partial = "OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP h".getBytes(StandardCharsets.UTF_8);
                // A byte every 150 ms: the idle timeout never fires, the read timeout does.
                try {
                    for (byte b : partial) {
                        out.write(b);
                        out.flush();
                        Thread.sleep(150);
                        if (System.nanoTime() - start > 3_000_000_000L) {
                            break;
                        }
                    }
                } catch (java.io.IOException closed) {
                    // closed by the server while writing
                }
                assertClosedByServer(loris);
                assertThat(System.nanoTime() - start).isLessThan(3_000_000_000L);
            }
            // A message finished in time keeps its connection.
            try (Socket phone = new Socket(tcp.getAddress(), tcp.getPort())) {
                phone.setSoTimeout(5000);
                String options = message("ok", "");
                assertThat(roundTrip(phone, options)).isEqualTo(echo(options.length()));
                Thread.sleep(1000);
                assertThat(limited.connections().size()).isEqualTo(1);
            }
        }
    }

    @Test
    void outboundTlsChecksThePeersCertificateAgainstTheNameOrAddressItCalls() throws Exception {
        // Trust the listener's generated certificate (it names localhost, 127.0.0.1 and ::1).
        java.security.KeyStore generated = java.security.KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(dir.resolve(TlsContexts.GENERATED_FILE))) {
            generated.load(in, "switchboard".toCharArray());
        }
        java.security.KeyStore trusted = java.security.KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("listener", generated.getCertificate(generated.aliases().nextElement()));
        Path trustFile = dir.resolve("trust.p12");
        try (var out = java.nio.file.Files.newOutputStream(trustFile)) {
            trusted.store(out, "changeit".toCharArray());
        }
        String[] keys = {"javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword", "javax.net.ssl.trustStoreType"};
        String[] saved = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            saved[i] = System.getProperty(keys[i]);
        }
        System.setProperty(keys[0], trustFile.toString());
        System.setProperty(keys[1], "changeit");
        System.setProperty(keys[2], "PKCS12");
        try {
            TransportSettings base = TransportSettings.loopback(dir.resolve("verifying"));
            TransportSettings verifying = new TransportSettings("127.0.0.1", -1, -1, -1, base.maxMessageBytes(),
                    base.idleTimeout(), base.maxConnections(), 1, java.util.Optional.empty(), "",
                    base.generatedCertificateDir(), true);
            InetSocketAddress listener = transports.localAddress(Transport.TLS).orElseThrow();
            try (SipTransports client = SipTransports.start(verifying, packet -> { })) {
                // The address it calls is in the certificate: the handshake succeeds (it failed for every peer).
                assertThat(client.flowTo(Transport.TLS, listener).get(5, TimeUnit.SECONDS).transport())
                        .isEqualTo(Transport.TLS);
            }
            // A name the certificate does not carry, at the same address (a client of its own: the
            // first one's connection to the address would be reused): refused.
            InetSocketAddress otherName = new InetSocketAddress(java.net.InetAddress.getByAddress("sip.example.org",
                    listener.getAddress().getAddress()), listener.getPort());
            try (SipTransports client = SipTransports.start(verifying, packet -> { })) {
                assertThatThrownBy(() -> client.flowTo(Transport.TLS, otherName).get(5, TimeUnit.SECONDS))
                        .isInstanceOf(java.util.concurrent.ExecutionException.class);
            }
        } finally {
            for (int i = 0; i < keys.length; i++) {
                if (saved[i] == null) {
                    System.clearProperty(keys[i]);
                } else {
                    System.setProperty(keys[i], saved[i]);
                }
            }
        }
    }

    @Test
    void closesAStreamThatCannotBeFramed() throws Exception {
        InetSocketAddress tcp = transports.localAddress(Transport.TCP).orElseThrow();
        try (Socket socket = new Socket(tcp.getAddress(), tcp.getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 'h', 'e', 'l', 'l', 'o'});
            assertClosedByServer(socket);
        }
        assertThat(received).isEmpty();
    }

    @Test
    void closesAStreamThatSendsMoreThanTheLimitWithoutAnEnd() throws Exception {
        InetSocketAddress tcp = transports.localAddress(Transport.TCP).orElseThrow();
        try (Socket socket = new Socket(tcp.getAddress(), tcp.getPort())) {
            socket.setSoTimeout(5000);
            byte[] junk = "X".repeat(70_000).getBytes(StandardCharsets.UTF_8);
            try {
                socket.getOutputStream().write(junk);
            } catch (java.io.IOException closedEarly) {
                // the server may close before all bytes are written
            }
            assertClosedByServer(socket);
        }
    }

    @Test
    void handsOnTheHeadersOfAnUnframeableMessageThenCloses() throws Exception {
        InetSocketAddress tcp = transports.localAddress(Transport.TCP).orElseThrow();
        String negative = "OPTIONS sip:127.0.0.1 SIP/2.0\r\nContent-Length: -5\r\n\r\n";
        try (Socket socket = new Socket(tcp.getAddress(), tcp.getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(negative.getBytes(StandardCharsets.UTF_8));
            assertThat(new String(received.poll(5, TimeUnit.SECONDS).bytes(), StandardCharsets.UTF_8))
                    .isEqualTo(negative);
            byte[] answer = socket.getInputStream().readNBytes(echo(negative.length()).length());
            assertThat(new String(answer, StandardCharsets.UTF_8)).isEqualTo(echo(negative.length()));
            assertClosedByServer(socket);
        }
    }

    @Test
    void answersADoubleCrlfPingWithAPong() throws Exception {
        InetSocketAddress tcp = transports.localAddress(Transport.TCP).orElseThrow();
        try (Socket socket = new Socket(tcp.getAddress(), tcp.getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            assertThat(socket.getInputStream().readNBytes(2)).containsExactly('\r', '\n');
        }
    }

    @Test
    void answersTlsClientsWithTheGeneratedCertificateAndReusesConnections() throws Exception {
        InetSocketAddress tls = transports.localAddress(Transport.TLS).orElseThrow();
        assertThat(dir.resolve(TlsContexts.GENERATED_FILE)).exists();
        BlockingQueue<InboundPacket> clientSide = new LinkedBlockingQueue<>();
        try (SipTransports client = SipTransports.start(TransportSettings.loopback(dir.resolve("client")),
                clientSide::add)) {
            Flow flow = client.send(Transport.TLS, tls, message("s1", "").getBytes(StandardCharsets.UTF_8))
                    .get(10, TimeUnit.SECONDS);
            InboundPacket atServer = received.poll(10, TimeUnit.SECONDS);
            assertThat(atServer).isNotNull();
            assertThat(atServer.flow().transport()).isEqualTo(Transport.TLS);
            InboundPacket echo = clientSide.poll(10, TimeUnit.SECONDS);
            assertThat(new String(echo.bytes(), StandardCharsets.UTF_8)).endsWith("echo " + atServer.bytes().length);
            Flow again = client.flowTo(Transport.TLS, tls).get(5, TimeUnit.SECONDS);
            assertThat(again).isSameAs(flow);
        }
    }
}
