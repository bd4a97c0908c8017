package dev.switchboard.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sip.transport.Transport;
import dev.switchboard.support.Datagrams;
import dev.switchboard.support.SipServerTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every RFC 4475 torture message sent to the running server, over UDP and over TCP, is handled as
 * {@code conformance/rfc4475/INDEX.md} says. Valid requests that no capability handles yet (no
 * registrar or proxy) get 403; OPTIONS to the server itself would get 200.
 */
@SipServerTest
class SipConformanceTest {

    @org.junit.jupiter.api.AfterAll
    static void noBufferLeaked() {
        dev.switchboard.sip.testing.LeakRecorder.assertNoLeaks();
    }

    /** Status expected over UDP; 0 means dropped without an answer. */
    static final Map<String, Integer> UDP = Map.ofEntries(
            Map.entry("wsinv", 403), Map.entry("intmeth", 403), Map.entry("esc01", 403), Map.entry("escnull", 403),
            Map.entry("esc02", 403), Map.entry("lwsdisp", 403), Map.entry("longreq", 403), Map.entry("dblreq", 403),
            Map.entry("semiuri", 403), Map.entry("transports", 403), Map.entry("mpart01", 403),
            Map.entry("unreason", 0), Map.entry("noreason", 0),
            Map.entry("badinv01", 400), Map.entry("clerr", 400), Map.entry("ncl", 400), Map.entry("scalar02", 400),
            Map.entry("scalarlg", 0), Map.entry("quotbal", 400), Map.entry("ltgtruri", 400),
            Map.entry("lwsruri", 400), Map.entry("lwsstart", 400), Map.entry("trws", 400), Map.entry("escruri", 400),
            // baddate: INDEX allows parsing and ignoring Date; the request then meets the 403 policy.
            Map.entry("baddate", 403), Map.entry("regbadct", 400), Map.entry("badaspec", 400),
            Map.entry("baddn", 400), Map.entry("badvers", 505), Map.entry("mismatch01", 400),
            Map.entry("mismatch02", 400), Map.entry("bigcode", 0),
            // badbranch: parsed; matched by the RFC 2543 rules and answered by policy.
            Map.entry("badbranch", 403), Map.entry("insuf", 400), Map.entry("unkscm", 416),
            // novelsc: soap.beep parses but cannot be routed here.
            Map.entry("novelsc", 416), Map.entry("unksm2", 403), Map.entry("bext01", 420),
            Map.entry("invut", 403), Map.entry("regaut01", 403), Map.entry("multi01", 400), Map.entry("mcl01", 400),
            Map.entry("bcast", 0), Map.entry("zeromf", 483), Map.entry("cparam01", 403), Map.entry("cparam02", 403),
            Map.entry("regescrt", 403), Map.entry("sdp01", 403), Map.entry("inv2543", 403));

    @Autowired
    SipEngine engine;

    static Stream<Arguments> vectors() throws IOException {
        Path dir = conformanceDir();
        try (Stream<Path> files = Files.list(dir)) {
            var names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".dat"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
            assertThat(names).containsExactlyInAnyOrderElementsOf(UDP.keySet());
            return names.stream().map(n -> Arguments.of(n, UDP.get(n)));
        }
    }

    @ParameterizedTest(name = "{0} over UDP → {1}")
    @MethodSource("vectors")
    void answersEveryTortureMessageOverUdpAsTheIndexSays(String name, int expected) throws IOException {
        byte[] message = Files.readAllBytes(conformanceDir().resolve(name + ".dat"));
        InetSocketAddress server = engine.localAddress(Transport.UDP).orElseThrow();
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(expected == 0 ? 400 : 3000);
            socket.send(new DatagramPacket(message, message.length, server));
            assertThat(statusOf(Datagrams.receive(socket))).as(name).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0} over TCP")
    @MethodSource("vectors")
    void answersEveryTortureMessageOverTcpAsTheIndexSays(String name, int udpExpected) throws IOException {
        // On a stream a Content-Length larger than the message means "more is coming", not an error.
        int expected = name.equals("clerr") ? 0 : udpExpected;
        byte[] message = Files.readAllBytes(conformanceDir().resolve(name + ".dat"));
        InetSocketAddress server = engine.localAddress(Transport.TCP).orElseThrow();
        try (Socket socket = new Socket(server.getAddress(), server.getPort())) {
            socket.setSoTimeout(expected == 0 ? 400 : 3000);
            socket.getOutputStream().write(message);
            assertThat(statusOf(readHead(socket.getInputStream()))).as(name).isEqualTo(expected);
        }
    }

    @Test
    void aStreamMessageOverTheSizeLimitIs513ThenTheConnectionCloses() throws IOException {
        InetSocketAddress server = engine.localAddress(Transport.TCP).orElseThrow();
        String head = "OPTIONS sip:" + server.getAddress().getHostAddress() + ":" + server.getPort() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bKbig1\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:probe@example.com>;tag=1\r\nTo: <sip:probe@example.com>\r\n"
                + "Call-ID: big-1@test\r\nCSeq: 1 OPTIONS\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 100000\r\n\r\n";
        try (Socket socket = new Socket(server.getAddress(), server.getPort())) {
            socket.setSoTimeout(3000);
            // The header section alone says it: the answer does not wait for the body.
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            Optional<String> answer = readHead(socket.getInputStream());
            assertThat(answer).hasValueSatisfying(a -> assertThat(a).startsWith("SIP/2.0 513 Message Too Large\r\n")
                    .contains("Call-ID: big-1@test"));
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        // A header section over the limit: its complete lines address the 513, nothing acts on them.
        String hugeHeader = head.replace("Content-Type: text/plain\r\nContent-Length: 100000\r\n",
                "X-Pad: " + "a".repeat(70_000) + "\r\nContent-Length: 0\r\n").replace("big-1@test", "big-2@test");
        try (Socket socket = new Socket(server.getAddress(), server.getPort())) {
            socket.setSoTimeout(3000);
            socket.getOutputStream().write(hugeHeader.getBytes(StandardCharsets.US_ASCII));
            assertThat(readHead(socket.getInputStream())).hasValueSatisfying(a -> assertThat(a)
                    .startsWith("SIP/2.0 513 Message Too Large\r\n").contains("Call-ID: big-2@test"));
        }
    }

    /** The start line and headers of the first response on the stream, if one arrives. */
    static Optional<String> readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        try {
            int b;
            while ((b = in.read()) >= 0) {
                head.append((char) b);
                if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                    return Optional.of(head.toString());
                }
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // no (complete) answer
        }
        return Optional.empty();
    }

    static int statusOf(Optional<String> response) {
        return response.map(r -> {
            assertThat(r).startsWith("SIP/2.0 ");
            return Integer.parseInt(r.substring(8, 11));
        }).orElse(0);
    }

    static Path conformanceDir() {
        String configured = System.getProperty("conformance.dir");
        Path dir = configured != null ? Path.of(configured, "rfc4475") : Path.of("../../shared/conformance/rfc4475");
        if (!Files.isDirectory(dir)) {
            throw new AssertionError("RFC 4475 vectors not found at " + dir.toAbsolutePath()
                    + ": the repository expects ../shared/conformance beside it");
        }
        return dir;
    }
}
