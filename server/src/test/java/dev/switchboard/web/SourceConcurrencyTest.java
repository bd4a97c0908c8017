package dev.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.support.SwitchboardTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * Slow bodies from one address hold at most {@code max-requests-per-source} worker threads: the
 * next request from there is refused at once, other addresses are served, and the address is
 * served again once its requests end.
 */
@SwitchboardTest
@TestPropertySource(properties = "switchboard.http.max-requests-per-source=3")
class SourceConcurrencyTest {

    @LocalServerPort
    int port;

    @Test
    void slowBodiesFromOneAddressHoldNoMoreThanItsShareOfWorkers() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), port, InetAddress.getByName("127.0.0.1"), 0);
                s.getOutputStream().write(("POST /api/auth/sign_in HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
                        .getBytes(StandardCharsets.US_ASCII));
                slow.add(s);
            }
            Thread.sleep(1000);
            // A body a byte at a time held a worker each; 210 of them held all 200.
            assertThat(statusFrom("127.0.0.1")).isEqualTo(429);
            assertThat(statusFrom("127.0.0.2")).isNotEqualTo(429);
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        int status = statusFrom("127.0.0.1");
        while (status == 429 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            status = statusFrom("127.0.0.1");
        }
        assertThat(status).isNotEqualTo(429);
    }

    int statusFrom(String source) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port, InetAddress.getByName(source), 0)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET /api/info?domain=nobody.example HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String line = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(line.substring(9, 12));
        }
    }
}
