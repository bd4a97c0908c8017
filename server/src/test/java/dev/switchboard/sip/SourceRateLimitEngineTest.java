package dev.switchboard.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sip.transport.Transport;
import dev.switchboard.support.Datagrams;
import dev.switchboard.support.SipServerTest;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** SPEC 4.4's per-source rate limit on the running engine, with a low limit to reach it quickly. */
@SipServerTest
@TestPropertySource(properties = "switchboard.sip.max-requests-per-source=20")
class SourceRateLimitEngineTest {

    @Autowired
    SipEngine engine;
    @Autowired
    MeterRegistry meters;

    @Test
    void aSourceOverTheLimitHasTheRestOfItsSecondDroppedWhileOthersAreAnswered() throws Exception {
        InetSocketAddress server = engine.localAddress(Transport.UDP).orElseThrow();
        double before = meters.get("sip.rate.limited").counter().count();
        int answered = 0;
        try (DatagramSocket flood = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.30"), 0));
             DatagramSocket other = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.31"), 0))) {
            flood.setSoTimeout(300);
            other.setSoTimeout(2000);
            for (int i = 0; i < 100; i++) {
                byte[] bytes = SipEngineTest.options("UDP", flood.getLocalPort(), "z9hG4bK-rl" + i, "sip:127.0.0.1")
                        .getBytes(StandardCharsets.UTF_8);
                flood.send(new DatagramPacket(bytes, bytes.length, server));
            }
            byte[] bytes = SipEngineTest.options("UDP", other.getLocalPort(), "z9hG4bK-rl-other", "sip:127.0.0.1")
                    .getBytes(StandardCharsets.UTF_8);
            other.send(new DatagramPacket(bytes, bytes.length, server));
            assertThat(Datagrams.receive(other)).hasValueSatisfying(a -> assertThat(a).startsWith("SIP/2.0 200 "));
            while (Datagrams.receive(flood).isPresent()) {
                answered++;
            }
        }
        // 100 sent within well under a second (two seconds at most on a slow machine): about 20 answered.
        assertThat(answered).isBetween(20, 40);
        assertThat(meters.get("sip.rate.limited").counter().count() - before).isGreaterThanOrEqualTo(60);
    }
}
