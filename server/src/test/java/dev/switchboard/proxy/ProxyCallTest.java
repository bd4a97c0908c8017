package dev.switchboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sip.SipEngine;
import dev.switchboard.sip.transport.Transport;
import dev.switchboard.support.Api;
import dev.switchboard.support.SipServerTest;
import dev.switchboard.support.Eventually;
import dev.switchboard.support.Sipp;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
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
        "switchboard.proxy.ring-timeout=8s", "logging.level.dev.switchboard.sip.SipRouter=DEBUG"})
class ProxyCallTest {

    @LocalServerPort
    int port;
    @Autowired
    SipEngine engine;
    @Autowired
    MeterRegistry meters;

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

    /** SIPp UASs of the running test: stopped after it, so a failed test leaves no port taken. */
    final List<Sipp.Running> answerers = new ArrayList<>();

    @AfterEach
    void stopAnswerers() {
        answerers.forEach(Sipp.Running::stop);
    }

    /** A UAS on host:port, stopped after the test. */
    Sipp.Running uas(String scenario, Map<String, String> fill, String host, int localPort, String... extra)
            throws Exception {
        Sipp.Running running = Sipp.start(scenario, fill, host, localPort, proxy, 25, extra);
        answerers.add(running);
        return running;
    }

    /** A UAS standing in for the trunk's far end. */
    Sipp.Running trunkUas(String scenario, Map<String, String> fill, String... extra) throws Exception {
        return uas(scenario, fill, CallFixture.TRUNK_HOST, fixture.trunkPort(), extra);
    }

    Sipp.Result caller(String scenario, String from, String dialled, Map<String, String> fill, String... extra)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("-m", "1", "-s", dialled, "-key", "domain", fixture.domain()));
        args.addAll(List.of(extra));
        return Sipp.start(scenario, fill, from, CallFixture.freeUdpPort(from), proxy, 25, args.toArray(String[]::new))
                .await();
    }

    double forwarded() {
        return meters.get("sip.proxy.branches").counter().count();
    }

    /** One call from the trunk's address to the trunk's far end; both sides must play their scenario out. */
    void trunkCall(String uas, Map<String, String> uasFill, String uac, Map<String, String> uacFill, String dialled)
            throws Exception {
        Sipp.Running far = trunkUas(uas, uasFill, "-m", "1");
        succeeded(caller(uac, CallFixture.TRUNK_SOURCE, dialled, uacFill), 1);
        succeeded(far.await(), 1);
    }

    static void succeeded(Sipp.Result result, int calls) {
        assertThat(result.allSucceeded(calls)).as(result.output()).isTrue();
    }

    @Test
    void aCallFromTheTrunksAddressGoesOutToTheTrunkAndCompletes() throws Exception {
        var status = "/api/v2/tenants/" + fixture.tenantUuid() + "/trunks/" + fixture.trunkUuid();
        long in = fixture.api().get(status, fixture.tenantToken()).json().get("calls_in").asLong();
        long out = fixture.api().get(status, fixture.tenantToken()).json().get("calls_out").asLong();
        trunkCall("call_uas", Map.of(), "call_uac", Map.of(), "0123456789");
        // The trunk's live status counts the call both ways: in from its address, out to its domain.
        var after = fixture.api().get(status, fixture.tenantToken()).json();
        assertThat(after.get("calls_in").asLong()).isEqualTo(in + 1);
        assertThat(after.get("calls_out").asLong()).isEqualTo(out + 1);
        assertThat(after.get("last_call_at").asString()).isNotBlank();
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
        double forwardedBefore = forwarded();
        succeeded(caller("call_uac_refused", "127.0.0.6", "0123456789", Map.of(), "-au", CallFixture.TRUNK_USER,
                "-ap", "not-the-password", "-auth_uri", "0123456789@" + fixture.domain()), 1);
        assertThat(forwarded()).isEqualTo(forwardedBefore);
    }

    @Test
    void aLockSetByFailedCallDigestsIsCountedAndAuditedAsACallLock() throws Exception {
        fixture.sipUser("guessed", "778");
        double locksBefore = meters.get("sip.proxy.auth.locks").counter().count();
        // The default limit: 10 failures for one user (from an address of its own, under the 30 per address).
        succeeded(caller("call_uac_refused", "127.0.0.8", "0123456789", Map.of(), "-m", "10", "-au", "778",
                "-ap", "not-the-password", "-auth_uri", "0123456789@" + fixture.domain()), 10);
        assertThat(meters.get("sip.proxy.auth.locks").counter().count()).isEqualTo(locksBefore + 1);
        Eventually.within(java.time.Duration.ofSeconds(10), "the call lock in the audit log", () -> fixture.api()
                .auditEvents(fixture.adminToken(), "tenant=" + fixture.tenantUuid()).stream()
                .anyMatch(e -> e.get("kind").asString().equals("sip.call.locked")
                        && e.get("subject").asString().equals("sip:778@" + fixture.domain())));
    }

    /** Registers {@code extension} with a contact at host:port (the REGISTER comes from there too). */
    void register(String extension, String host, int localPort) throws Exception {
        Sipp.Result registered = Sipp.start("register", host, localPort, proxy, 20, "-m", "1", "-s", extension,
                "-ap", CallFixture.SIP_PASSWORD, "-key", "domain", fixture.domain(), "-auth_uri", fixture.domain(),
                "-key", "expires", "600").await();
        succeeded(registered, 1);
    }

    @Test
    void aCallToAUserRingsAllItsPhonesAndTheFirstToAnswerWins() throws Exception {
        fixture.sipUser("dora", "301");
        int deskPort = CallFixture.freeUdpPort("127.0.0.3");
        int mobilePort = CallFixture.freeUdpPort("127.0.0.4");
        register("301", "127.0.0.3", deskPort);
        register("301", "127.0.0.4", mobilePort);

        Sipp.Running desk = uas("call_uas", Map.of(), "127.0.0.3", deskPort, "-m", "1");
        Sipp.Running mobile = uas("call_uas_noanswer", Map.of(), "127.0.0.4", mobilePort, "-m", "1");
        succeeded(caller("call_uac", CallFixture.TRUNK_SOURCE, "301", Map.of()), 1);
        succeeded(desk.await(), 1);
        // The phone that did not answer was cancelled (it answered the CANCEL and sent 487).
        succeeded(mobile.await(), 1);
    }

    @Test
    void aUserCallsAnotherUserWithItsOwnSipCredentials() throws Exception {
        fixture.sipUser("erin", "401");
        fixture.sipUser("finn", "402");
        int phonePort = CallFixture.freeUdpPort("127.0.0.4");
        register("402", "127.0.0.4", phonePort);
        Sipp.Running callee = uas("call_uas", Map.of(), "127.0.0.4", phonePort, "-m", "1");
        succeeded(caller("call_uac_auth", "127.0.0.7", "402", Map.of(), "-au", "401", "-ap",
                CallFixture.SIP_PASSWORD, "-auth_uri", "402@" + fixture.domain()), 1);
        succeeded(callee.await(), 1);
    }

    @Test
    void theCallerCancelsWhileItRings() throws Exception {
        trunkCall("call_uas_noanswer", Map.of(), "call_uac_cancel", Map.of(), "0200");
    }

    @Test
    void aBusyCalleesAnswerReachesTheCaller() throws Exception {
        trunkCall("call_uas_fails", Map.of("STATUS", "486 Busy Here"), "call_uac_fails", Map.of("STATUS", "486"), "0300");
    }

    @Test
    void aCalleeThatNeverAnswersIsCancelledAtTheRingTimeoutAndTheCallerGets408() throws Exception {
        trunkCall("call_uas_noanswer", Map.of(), "call_uac_fails", Map.of("STATUS", "408"), "0400");
    }

    @Test
    void aUserWithNoRegisteredPhoneIs480AndANameNobodyHasIs404() throws Exception {
        fixture.sipUser("gail", "501");
        succeeded(caller("call_uac_fails", CallFixture.TRUNK_SOURCE, "501", Map.of("STATUS", "480")), 1);
        succeeded(caller("call_uac_fails", CallFixture.TRUNK_SOURCE, "nobody", Map.of("STATUS", "404")), 1);
    }

    @Test
    void aCallRequiringExtensionsOfTheCalleeIsPassedOnAndOneRequiringThemOfTheProxyIsRefused() throws Exception {
        // Require is for the callee to judge (RFC 3261 §8.2.2.3); the proxy looks at Proxy-Require only.
        Sipp.Running uas = trunkUas("call_uas", Map.of(), "-m", "1", "-trace_msg", "-message_file", "uas.log");
        succeeded(caller("call_uac", CallFixture.TRUNK_SOURCE, "0700", Map.of("HEADER", "Require: 100rel, timer")), 1);
        succeeded(uas.await(), 1);
        assertThat(java.nio.file.Files.readString(uas.work().resolve("uas.log"))).contains("Require: 100rel, timer");

        double forwardedBefore = forwarded();
        succeeded(caller("call_uac_fails", CallFixture.TRUNK_SOURCE, "0701", Map.of("STATUS", "420",
                "HEADER", "Proxy-Require: nothing-supports-this")), 1);
        assertThat(forwarded()).isEqualTo(forwardedBefore);
    }

    @Test
    void callsCompleteUnderTenPercentPacketLoss() throws Exception {
        // The caller loses 10% of what it sends and receives, so retransmissions of INVITE, ACK-less
        // 2xx and BYE cross the proxy both ways. The answerer lingers 4 s after each BYE for its
        // retransmissions; it is not made to lose packets itself, because SIPp's answerer gives
        // up on a retransmitted INVITE once it has sent its 200 (a SIPp limit, whatever the proxy).
        Sipp.Running uas = trunkUas("call_uas", Map.of(), "-m", "20", "-d", "4000");
        succeeded(caller("call_uac", CallFixture.TRUNK_SOURCE, "0500", Map.of(), "-m", "20", "-r", "10",
                "-lost", "10", "-l", "5"), 20);
        succeeded(uas.await(), 20);
    }

    @Test
    void aCallerOnTcpReachesAUdpTrunkWithARecordRouteFacingEachSide() throws Exception {
        Sipp.Running uas = trunkUas("call_uas", Map.of(), "-m", "1", "-trace_msg", "-message_file", "uas.log");
        InetSocketAddress tcp = engine.localAddress(Transport.TCP).orElseThrow();
        Sipp.Result result = Sipp.start("call_uac", Map.of(), CallFixture.TRUNK_SOURCE,
                CallFixture.freeUdpPort(CallFixture.TRUNK_SOURCE), tcp, 25, "-m", "1", "-s", "0600", "-key", "domain",
                fixture.domain(), "-t", "t1").await();
        succeeded(result, 1);
        succeeded(uas.await(), 1);
        // The callee saw two entries: the UDP one facing it on top, the TCP one facing the caller below.
        String received = java.nio.file.Files.readString(uas.work().resolve("uas.log"));
        assertThat(received).containsPattern("Record-Route: <sip:127\\.0\\.0\\.1:\\d+;lr(;sbi=[^>]*;sbd=[0-9a-f]{16})>\\r?\\n"
                + "Record-Route: <sip:127\\.0\\.0\\.1:\\d+;transport=tcp;lr\\1>");
    }

    @Test
    void inTheDialogAPhoneBehindNatIsReachedWhereItRegisteredFromNotAtItsContact() throws Exception {
        fixture.sipUser("hugo", "701");
        int phonePort = CallFixture.freeUdpPort("127.0.0.4");
        register("701", "127.0.0.4", phonePort);
        Sipp.Running phone = uas("call_uas_natted", Map.of(), "127.0.0.4", phonePort, "-m", "1");
        // The caller's ACK and BYE name the phone's private Contact; the proxy sends them to its source.
        succeeded(caller("call_uac", CallFixture.TRUNK_SOURCE, "701", Map.of()), 1);
        succeeded(phone.await(), 1);
    }
}
