package dev.switchboard.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sip.SipEngine;
import dev.switchboard.sip.transport.Transport;
import dev.switchboard.support.Api;
import dev.switchboard.support.Sipp;
import dev.switchboard.support.SwitchboardTest;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A real SIP client (SIPp) registering over UDP and TCP with users made through the API, against
 * the default configuration. SIPp answers only the topmost challenge and knows only MD5: it gets
 * MD5 offered first (its User-Agent is listed by default, and so is a request without any).
 */
@SwitchboardTest
class RegistrarSippTest {

    @LocalServerPort
    int port;
    @Autowired
    SipEngine engine;
    @Autowired
    LocationStore store;

    RegistrarFixture fixture;

    @BeforeEach
    void tenantWithUser() {
        fixture = RegistrarFixture.create(new Api(port));
        fixture.sipUser("alice", "101");
    }

    Sipp.Result sipp(String scenario, Transport transport, String password, String expires, String... extra)
            throws Exception {
        InetSocketAddress target = engine.localAddress(transport).orElseThrow();
        // -auth_uri: the digest uri must be the Request-URI (sip:domain), not SIPp's default remote address.
        String[] base = {"-m", "1", "-s", "101", "-ap", password, "-key", "domain", fixture.domain(),
                "-auth_uri", fixture.domain(), "-key", "expires", expires, "-t", transport == Transport.TCP ? "t1" : "u1"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return Sipp.run(scenario, target, 20, args);
    }

    static int freeUdpPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void registersOverUdpWithMd5ThenUnregistersWithExpiresZero() throws Exception {
        String localPort = Integer.toString(freeUdpPort());
        Sipp.Result registered = sipp("register", Transport.UDP, RegistrarFixture.SIP_PASSWORD, "600",
                "-p", localPort);
        assertThat(registered.allSucceeded(1)).as(registered.output()).isTrue();
        assertThat(store.lookup(fixture.aor("101"))).singleElement().satisfies(b -> {
            assertThat(b.transport()).isEqualTo("UDP");
            assertThat(b.contact()).contains("127.0.0.1:" + localPort);
            assertThat(b.userAgent()).contains("SIPp");
        });

        Sipp.Result unregistered = sipp("register", Transport.UDP, RegistrarFixture.SIP_PASSWORD, "0",
                "-p", localPort);
        assertThat(unregistered.allSucceeded(1)).as(unregistered.output()).isTrue();
        assertThat(store.lookup(fixture.aor("101"))).isEmpty();
    }

    @Test
    void registersOverTcpAndRemovesAllWithStar() throws Exception {
        Sipp.Result registered = sipp("register", Transport.TCP, RegistrarFixture.SIP_PASSWORD, "600");
        assertThat(registered.allSucceeded(1)).as(registered.output()).isTrue();
        Sipp.Result overUdp = sipp("register", Transport.UDP, RegistrarFixture.SIP_PASSWORD, "600");
        assertThat(overUdp.allSucceeded(1)).as(overUdp.output()).isTrue();
        assertThat(store.lookup(fixture.aor("101"))).extracting(Binding::transport)
                .containsExactlyInAnyOrder("TCP", "UDP");

        Sipp.Result star = sipp("register_star", Transport.TCP, RegistrarFixture.SIP_PASSWORD, "0");
        assertThat(star.allSucceeded(1)).as(star.output()).isTrue();
        assertThat(store.lookup(fixture.aor("101"))).isEmpty();
    }

    @Test
    void refusesAWrongPasswordAndAnUnknownUserAlikeWithoutABinding() throws Exception {
        Sipp.Result wrong = sipp("register_refused", Transport.UDP, "wrong-password", "600");
        assertThat(wrong.allSucceeded(1)).as(wrong.output()).isTrue();
        InetSocketAddress target = engine.localAddress(Transport.UDP).orElseThrow();
        Sipp.Result unknown = Sipp.run("register_refused", target, 20, "-m", "1", "-s", "555", "-ap",
                RegistrarFixture.SIP_PASSWORD, "-key", "domain", fixture.domain(), "-auth_uri", fixture.domain(),
                "-key", "expires", "600");
        assertThat(unknown.allSucceeded(1)).as(unknown.output()).isTrue();
        assertThat(store.lookup(fixture.aor("101"))).isEmpty();
        assertThat(store.lookup(fixture.aor("555"))).isEmpty();
    }

    @Test
    void aScenarioWithoutUserAgentOrAuthUriRegistersWithTheDefaults() throws Exception {
        // As a SIPp user would write it: no User-Agent, no -auth_uri (the digest uri is then SIPp's
        // default, sip:<address it sent to>:<port>, not the Request-URI).
        InetSocketAddress target = engine.localAddress(Transport.UDP).orElseThrow();
        Sipp.Result registered = Sipp.run("register_plain", target, 20, "-m", "1", "-s", "101", "-ap",
                RegistrarFixture.SIP_PASSWORD, "-key", "domain", fixture.domain(), "-key", "expires", "600");
        assertThat(registered.allSucceeded(1)).as(registered.output()).isTrue();
        assertThat(store.lookup(fixture.aor("101"))).hasSize(1);
        // Behind NAT SIPp hashes the public address, which is none the server could know as its own.
        Sipp.Result natted = Sipp.run("register_plain", target, 20, "-m", "1", "-s", "101", "-ap",
                RegistrarFixture.SIP_PASSWORD, "-key", "domain", fixture.domain(), "-key", "expires", "600",
                "-auth_uri", "203.0.113.5:5060");
        assertThat(natted.allSucceeded(1)).as(natted.output()).isTrue();
        // A digest uri naming another user's resource is still refused (a fresh challenge, so the
        // un-REGISTER never gets its 200 and the binding stays).
        Sipp.Result elsewhere = Sipp.run("register_plain", target, 20, "-m", "1", "-s", "101", "-ap",
                RegistrarFixture.SIP_PASSWORD, "-key", "domain", fixture.domain(), "-key", "expires", "0",
                "-auth_uri", "102@" + fixture.domain());
        assertThat(elsewhere.allSucceeded(1)).as(elsewhere.output()).isFalse();
        assertThat(store.lookup(fixture.aor("101"))).hasSize(1);
    }
}
