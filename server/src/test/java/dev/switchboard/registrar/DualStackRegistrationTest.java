package dev.switchboard.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sip.SipEngine;
import dev.switchboard.sip.message.SipResponse;
import dev.switchboard.sip.transport.Transport;
import dev.switchboard.support.Api;
import dev.switchboard.support.RegisterClient;
import dev.switchboard.support.SipServerTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/** The default SIP listener, {@code ::}, serves phones over IPv6 and IPv4 alike (SPEC 4.1). */
@SipServerTest
@TestPropertySource(properties = "switchboard.sip.host=::")
class DualStackRegistrationTest {

    @LocalServerPort
    int port;
    @Autowired
    SipEngine engine;
    @Autowired
    LocationStore store;

    @Test
    void phonesRegisterOverIpv6AndIpv4OnOneListenerAndAreAnsweredWithTheirOwnAddress() throws Exception {
        RegistrarFixture fixture = RegistrarFixture.create(new Api(port));
        fixture.sipUser("alice", "101");
        fixture.sipUser("bob", "102");
        int sip = engine.localAddress(Transport.UDP).orElseThrow().getPort();
        InetAddress v6 = InetAddress.getByName("::1");
        InetAddress v4 = InetAddress.getByName("127.0.0.1");
        try (RegisterClient alice = new RegisterClient(new InetSocketAddress(v6, sip), fixture.domain(), "101", v6);
             RegisterClient bob = new RegisterClient(new InetSocketAddress(v4, sip), fixture.domain(), "102", v4)) {
            SipResponse overV6 = alice.register(List.of("<" + alice.contact("101") + ">"), Optional.of(600L),
                    RegistrarFixture.SIP_PASSWORD);
            SipResponse overV4 = bob.register(List.of("<" + bob.contact("102") + ">"), Optional.of(600L),
                    RegistrarFixture.SIP_PASSWORD);

            assertThat(overV6.status()).isEqualTo(200);
            // received= takes an IPv6address as RFC 3261 §25.1 writes it: no brackets, no %zone.
            assertThat(overV6.header("Via")).hasValueSatisfying(via -> assertThat(via)
                    .contains(";rport=" + alice.port()).endsWith(";received=::1"));
            assertThat(store.lookup(fixture.aor("101"))).singleElement().satisfies(b -> {
                assertThat(b.contact()).isEqualTo("sip:101@[::1]:" + alice.port());
                assertThat(b.source()).isEqualTo("[::1]:" + alice.port());
            });

            assertThat(overV4.status()).isEqualTo(200);
            assertThat(overV4.header("Via")).hasValueSatisfying(via -> assertThat(via)
                    .contains(";rport=" + bob.port()).endsWith(";received=127.0.0.1"));
            assertThat(store.lookup(fixture.aor("102"))).singleElement()
                    .satisfies(b -> assertThat(b.source()).isEqualTo("127.0.0.1:" + bob.port()));
        }
    }
}
