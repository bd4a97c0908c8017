package dev.switchboard.device.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.device.SipAccountSettings;
import dev.switchboard.sip.transport.Transport;
import org.junit.jupiter.api.Test;

/** Where REGISTERs go: the transport's default port when the proxy names none. */
class TargetTest {

    static SipAccountSettings settings(String proxy, String transport, String outbound) {
        return new SipAccountSettings(proxy, "example.test", "101", "s3cret!x", transport, "", 60, outbound,
                new SipAccountSettings.Stun("127.0.0.1", 3478));
    }

    @Test
    void tlsDefaultsTo5061() {
        assertThat(Target.of(settings("sip:sip.example.test", "tls", "")))
                .isEqualTo(new Target(Transport.TLS, "sip.example.test", 5061, "sip.example.test"));
    }

    @Test
    void udpAndTcpDefaultTo5060() {
        assertThat(Target.of(settings("sip:sip.example.test", "udp", "")).port()).isEqualTo(5060);
        assertThat(Target.of(settings("sip:sip.example.test", "tcp", "")).port()).isEqualTo(5060);
    }

    @Test
    void anExplicitPortWins() {
        assertThat(Target.of(settings("sip:sip.example.test:5071", "tls", "")))
                .isEqualTo(new Target(Transport.TLS, "sip.example.test", 5071, "sip.example.test:5071"));
    }

    @Test
    void theOutboundProxyIsTheHop() {
        assertThat(Target.of(settings("sip:sip.example.test", "tls", "edge.example.test")))
                .isEqualTo(new Target(Transport.TLS, "edge.example.test", 5061, "sip.example.test"));
    }
}
