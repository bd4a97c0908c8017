package dev.switchboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sip.SipEngine;
import dev.switchboard.sip.transport.Transport;
import dev.switchboard.support.Api;
import dev.switchboard.support.SipServerTest;
import dev.switchboard.support.Sipp;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * Calls through the proxy between real SIP peers (SIPp) on loopback addresses: a trunk's caller
 * let in by its address (127.0.0.2), callers from elsewhere challenged with 407, the trunk's far
 * end and registered phones played by SIPp UASs on 127.0.0.3 and 127.0.0.4.
 */
@SipServerTest
@TestPropertySource(properties = {"switchboard.registrar.md5-only-user-agents=SIPp",
        "switchboard.proxy.ring-timeout=3s", "logging.level.dev.switchboard.sip.SipRouter=DEBUG"})
class ProxyCallTest {

    @LocalServerPort
    int port;
    @Autowired
    SipEngine engine;

    /** One tenant for the class: a trunk's address range may belong to one trunk only. */
    static CallFixture fixture;
    InetSocketAddress proxy;

    @BeforeEach
    void tenantWithTrunk() throws Exception {
        if (fixture == null) {
            fixture = CallFixture.create(new Api(port));
        }
        proxy = engine.localAddress(Transport.UDP).orElseThrow();
    }

    /** A UAS standing in for the trunk's far end. */
    Sipp.Running trunkUas(String scenario, Map<String, String> fill, String... extra) throws Exception {
        return Sipp.start(scenario, fill, CallFixture.TRUNK_HOST, fixture.trunkPort(), proxy, 25, extra);
    }

    Sipp.Result caller(String scenario, String from, String dialled, Map<String, String> fill, String... extra)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("-m", "1", "-s", dialled, "-key", "domain", fixture.domain()));
        args.addAll(List.of(extra));
        return Sipp.start(scenario, fill, from, CallFixture.freeUdpPort(from), proxy, 25, args.toArray(String[]::new))
                .await();
    }

    static void succeeded(Sipp.Result result, int calls) {
        assertThat(result.allSucceeded(calls)).as(result.output()).isTrue();
    }

    @Test
    void aCallFromTheTrunksAddressGoesOutToTheTrunkAndCompletes() throws Exception {
        Sipp.Running uas = trunkUas("call_uas", Map.of(), "-m", "1");
        succeeded(caller("call_uac", CallFixture.TRUNK_SOURCE, "0123456789", Map.of()), 1);
        succeeded(uas.await(), 1);
    }

    @Test
    void aCallFromElsewhereIsChallengedAndCompletesWithTheTrunksSipCredentials() throws Exception {
        Sipp.Running uas = trunkUas("call_uas", Map.of(), "-m", "1");
        succeeded(caller("call_uac_auth", "127.0.0.5", "0123456789", Map.of(), "-au", CallFixture.TRUNK_USER,
                "-ap", CallFixture.TRUNK_PASSWORD, "-auth_uri", "0123456789@" + fixture.domain()), 1);
        succeeded(uas.await(), 1);
    }

    @Test
    void wrongCredentialsAreRefusedWith403AndNothingIsForwarded() throws Exception {
        Sipp.Running uas = trunkUas("call_uas", Map.of(), "-m", "1");
        try {
            succeeded(caller("call_uac_refused", "127.0.0.6", "0123456789", Map.of(), "-au", CallFixture.TRUNK_USER,
                    "-ap", "not-the-password", "-auth_uri", "0123456789@" + fixture.domain()), 1);
        } finally {
            uas.stop();
        }
        assertThat(uas.await().created()).isZero();
    }
}
