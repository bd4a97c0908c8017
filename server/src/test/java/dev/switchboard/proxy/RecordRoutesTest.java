package dev.switchboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sip.message.ParseResult;
import dev.switchboard.sip.message.SipParser;
import dev.switchboard.sip.message.SipRequest;
import dev.switchboard.sip.transport.Transport;
import dev.switchboard.support.MovableClock;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who a dialog's Record-Route entry lets through without the gate, and for how long. */
class RecordRoutesTest {

    static final byte[] KEY = "a cluster key of thirty-two byte".getBytes(StandardCharsets.US_ASCII);
    static final java.util.UUID TENANT = java.util.UUID.fromString("6f1c0c9e-3b1a-4f7e-9d2a-1c2b3d4e5f60");

    final MovableClock clock = new MovableClock(Instant.parse("2026-12-07T10:00:00Z"));
    final RecordRoutes routes = new RecordRoutes(KEY, "192.0.2.1"::equals, Set.of(5060), Duration.ofHours(12), clock);

    static SipRequest request(String method, String toTag, String route) {
        String text = method + " sip:bob@198.51.100.7:5062 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bK" + method.hashCode() + "\r\n"
                + (route == null ? "" : "Route: " + route + "\r\n")
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@example.com>;tag=caller1\r\n"
                + "To: <sip:bob@example.com>" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: dialog-1@203.0.113.5\r\n"
                + "CSeq: 2 " + method + "\r\n"
                + "Content-Length: 0\r\n\r\n";
        return (SipRequest) ((ParseResult.Parsed) SipParser.DEFAULT.parse(text.getBytes(StandardCharsets.UTF_8)))
                .message();
    }

    String entry() throws Exception {
        String params = routes.params(new RecordRoutes.Dialog(request("INVITE", null, null), "p1", Optional.empty(),
                Optional.empty(), InetAddress.getByName("203.0.113.5"), InetAddress.getByName("198.51.100.7"), TENANT));
        return routes.value("192.0.2.1", 5060, Transport.UDP, params, false);
    }

    @Test
    void aSipsRequestGetsASipsEntryThatStillNamesUsAndCarriesTheDialog() throws Exception {
        String params = routes.params(new RecordRoutes.Dialog(request("INVITE", null, null), "p1", Optional.empty(),
                Optional.empty(), InetAddress.getByName("203.0.113.5"), InetAddress.getByName("198.51.100.7"), TENANT));
        String secure = routes.value("192.0.2.1", 5061, Transport.TLS, params, true);
        // RFC 3261 §16.6 step 4: a SIPS Request-URI, a SIPS Record-Route (TLS implied, no transport=).
        assertThat(secure).startsWith("<sips:192.0.2.1:5061;lr;").doesNotContain("transport=");
        RecordRoutes tls = new RecordRoutes(KEY, "192.0.2.1"::equals, Set.of(5061), Duration.ofHours(12), clock);
        assertThat(tls.pop(request("BYE", "callee9", secure), InetAddress.getByName("203.0.113.5")).pass())
                .isEqualTo(RecordRoutes.Pass.PARTY);
    }

    @Test
    void bothPartiesPassEveryoneElseOnlyShowsADialog() throws Exception {
        String route = entry();
        assertThat(routes.pop(request("BYE", "callee9", route), InetAddress.getByName("203.0.113.5")).pass())
                .isEqualTo(RecordRoutes.Pass.PARTY);
        assertThat(routes.pop(request("BYE", "callee9", route), InetAddress.getByName("198.51.100.7")).pass())
                .isEqualTo(RecordRoutes.Pass.PARTY);
        RecordRoutes.Popped stranger = routes.pop(request("BYE", "callee9", route), InetAddress.getByName("198.51.100.8"));
        assertThat(stranger.pass()).isEqualTo(RecordRoutes.Pass.DIALOG);
        assertThat(stranger.removed()).isEqualTo(1);
    }

    @Test
    void theEntryNamesItsTenantSoOnlyThatTenantsCallersMayFollowItThroughTheGate() throws Exception {
        SipRequest bye = request("BYE", "callee9", entry());
        RecordRoutes.Popped stranger = routes.pop(bye, InetAddress.getByName("198.51.100.8"));
        assertThat(routes.ofTenant(bye, stranger, TENANT)).isTrue();
        assertThat(routes.ofTenant(bye, stranger, java.util.UUID.randomUUID())).isFalse();
        assertThat(entry()).doesNotContain(TENANT.toString());
    }

    @Test
    void aPartyPassesForThePassLifetimeThenGoesThroughTheGate() throws Exception {
        String route = entry();
        clock.advance(Duration.ofHours(12));
        assertThat(routes.pop(request("BYE", "callee9", route), InetAddress.getByName("203.0.113.5")).pass())
                .isEqualTo(RecordRoutes.Pass.PARTY);
        clock.advance(Duration.ofMinutes(2));
        assertThat(routes.pop(request("BYE", "callee9", route), InetAddress.getByName("203.0.113.5")).pass())
                .isEqualTo(RecordRoutes.Pass.DIALOG);
    }

    @Test
    void anAlteredEntryAnotherCallOrNoToTagIsNoDialogOfOurs() throws Exception {
        String route = entry();
        InetAddress caller = InetAddress.getByName("203.0.113.5");
        // Any parameter changed: the callee hop, the parties, the time it was let in.
        for (String altered : new String[] {
                route.replace(";lr;", ";lr;sbc=udp~203.0.113.66~5060;"),
                route.replaceAll(";sbq=[0-9a-f]+", ";sbq=0123456789abcdef"),
                route.replaceAll(";sbt=[0-9a-f]+", ";sbt=ffffffff"),
                route.replaceAll(";sbn=[0-9a-f]+", ";sbn=0123456789abcdef")}) {
            assertThat(routes.pop(request("BYE", "callee9", altered), caller).pass()).as(altered)
                    .isEqualTo(RecordRoutes.Pass.NONE);
        }
        SipRequest otherCall = request("BYE", "callee9", route);
        SipRequest rewritten = (SipRequest) ((ParseResult.Parsed) SipParser.DEFAULT.parse(new String(otherCall.toBytes(),
                StandardCharsets.UTF_8).replace("dialog-1@", "dialog-2@").getBytes(StandardCharsets.UTF_8))).message();
        assertThat(routes.pop(rewritten, caller).pass()).isEqualTo(RecordRoutes.Pass.NONE);
        assertThat(routes.pop(request("BYE", null, route), caller).pass()).isEqualTo(RecordRoutes.Pass.NONE);
    }
}
