package dev.switchboard.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sip.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransactionTimersTest {

    final ManualTimers clock = new ManualTimers();
    final TransactionLayer layer = new TransactionLayer(clock, SipTimers.RFC3261);

    /** Records what a client transaction tells its user: each response, or "timeout@<ms>". */
    final class Heard implements ClientTransaction.Listener<String> {
        final List<String> events = new ArrayList<>();

        @Override
        public void onResponse(String response, int status) {
            events.add(response);
        }

        @Override
        public void onTimeout() {
            events.add("timeout@" + clock.nowMillis());
        }

        @Override
        public void onTransportError() {
            events.add("transport-error@" + clock.nowMillis());
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private ServerTransaction created(TransactionId id, RecordingFlow flow) {
        return ((TransactionLayer.Created) layer.serverTransaction(id, flow)).transaction();
    }

    @Test
    void retransmitsAnInviteFailureAtTimerGUntilTimerH() {
        RecordingFlow udp = new RecordingFlow(Transport.UDP, clock);
        var tx = created(TransactionId.of("z9hG4bK1", "a:5060", "INVITE"), udp);
        tx.respond(486, bytes("486"));
        clock.advance(Duration.ofSeconds(40));
        // Sent at 0, then G at 0.5, 1.5, 3.5, 7.5, 11.5, ... (doubling, capped at T2 = 4 s) until H at 32 s.
        assertThat(udp.timesOf("486")).containsExactly(0L, 500L, 1500L, 3500L, 7500L, 11500L, 15500L, 19500L,
                23500L, 27500L, 31500L);
        assertThat(tx.state()).isEqualTo(ServerTransaction.State.TERMINATED);
        assertThat(tx.ackTimedOut()).isTrue();
        assertThat(layer.serverCount()).isZero();
    }

    @Test
    void stopsRetransmittingOnAckAndLingersForTimerI() {
        RecordingFlow udp = new RecordingFlow(Transport.UDP, clock);
        TransactionId id = TransactionId.of("z9hG4bK2", "a:5060", "INVITE");
        var tx = created(id, udp);
        tx.respond(404, bytes("404"));
        clock.advance(Duration.ofMillis(600));
        assertThat(layer.findServer(TransactionId.of("z9hG4bK2", "a:5060", "ACK")).orElseThrow().onAck()).isFalse();
        assertThat(tx.state()).isEqualTo(ServerTransaction.State.CONFIRMED);
        clock.advance(Duration.ofMillis(4999));
        assertThat(tx.state()).isEqualTo(ServerTransaction.State.CONFIRMED);
        clock.advance(Duration.ofMillis(1));
        assertThat(tx.state()).isEqualTo(ServerTransaction.State.TERMINATED);
        assertThat(udp.timesOf("404")).containsExactly(0L, 500L);
    }

    @Test
    void absorbsRetransmittedRequestsByResendingTheLastResponseUntilTimerJ() {
        RecordingFlow udp = new RecordingFlow(Transport.UDP, clock);
        TransactionId id = TransactionId.of("z9hG4bK3", "a:5060", "OPTIONS");
        var first = layer.serverTransaction(id, udp);
        assertThat(first).isInstanceOf(TransactionLayer.Created.class);
        ((TransactionLayer.Created) first).transaction().respond(200, bytes("200"));
        // The answer is remembered by the layer; the transaction object itself is done with.
        assertThat(layer.serverCount()).isZero();
        assertThat(layer.answeredCount()).isOne();
        clock.advance(Duration.ofSeconds(10));
        assertThat(layer.serverTransaction(id, udp)).isInstanceOf(TransactionLayer.Retransmission.class);
        assertThat(layer.serverTransaction(TransactionId.of("z9hG4bK3", "b:5060", "OPTIONS"), udp))
                .as("another sent-by is another transaction").isInstanceOf(TransactionLayer.Created.class);
        clock.advance(Duration.ofMillis(21_999));
        assertThat(layer.serverTransaction(id, udp)).as("still inside timer J").isInstanceOf(TransactionLayer.Retransmission.class);
        assertThat(udp.timesOf("200")).containsExactly(0L, 10_000L, 31_999L);
        // Forgotten once timer J (32 s) and at most one slice of the ring (4 s) have passed.
        clock.advance(Duration.ofMillis(4_001));
        assertThat(layer.serverTransaction(id, udp)).isInstanceOf(TransactionLayer.Created.class);
    }

    @Test
    void endsAtOnceOnStreamsWhereNothingIsRetransmitted() {
        RecordingFlow tcp = new RecordingFlow(Transport.TCP, clock);
        var tx = created(TransactionId.of("z9hG4bK4", "a:5060", "INVITE"), tcp);
        tx.respond(486, bytes("486"));
        clock.advance(Duration.ofSeconds(10));
        assertThat(tcp.timesOf("486")).containsExactly(0L);
        var options = created(TransactionId.of("z9hG4bK5", "a:5060", "OPTIONS"), tcp);
        options.respond(200, bytes("200"));
        assertThat(options.state()).isEqualTo(ServerTransaction.State.TERMINATED);
    }

    @Test
    void keepsAnAcceptedInviteForTimerLAndPassesItsAckOn() {
        RecordingFlow udp = new RecordingFlow(Transport.UDP, clock);
        TransactionId id = TransactionId.of("z9hG4bK6", "a:5060", "INVITE");
        var tx = created(id, udp);
        tx.respond(180, bytes("180"));
        tx.respond(200, bytes("200"));
        assertThat(tx.state()).isEqualTo(ServerTransaction.State.ACCEPTED);
        assertThat(tx.onAck()).isTrue();
        assertThat(layer.serverTransaction(id, udp)).isInstanceOf(TransactionLayer.Retransmission.class);
        clock.advance(Duration.ofMillis(31_999));
        assertThat(tx.state()).isEqualTo(ServerTransaction.State.ACCEPTED);
        clock.advance(Duration.ofMillis(1));
        assertThat(tx.state()).isEqualTo(ServerTransaction.State.TERMINATED);
        assertThat(udp.timesOf("200")).containsExactly(0L);
    }

    @Test
    void failsAtOnceWhenItsConnectionClosesBeforeTheFinalResponse() {
        RecordingFlow tcp = new RecordingFlow(Transport.TCP, clock);
        RecordingFlow otherTcp = new RecordingFlow(Transport.TCP, clock);
        RecordingFlow udp = new RecordingFlow(Transport.UDP, clock);
        Heard onTcp = new Heard();
        Heard onOther = new Heard();
        Heard onUdp = new Heard();
        var tx = layer.startClient(TransactionId.client("z9hG4bK-c1", "REGISTER"), tcp, bytes("REGISTER"),
                r -> null, onTcp);
        layer.startClient(TransactionId.client("z9hG4bK-c2", "REGISTER"), otherTcp, bytes("REGISTER"), r -> null,
                onOther);
        layer.startClient(TransactionId.client("z9hG4bK-c3", "REGISTER"), udp, bytes("REGISTER"), r -> null, onUdp);
        clock.advance(Duration.ofMillis(1000));
        layer.flowClosed(tcp);
        layer.flowClosed(udp); // a datagram flow has no connection to lose: nothing happens
        assertThat(onTcp.events).containsExactly("transport-error@1000");
        assertThat(tx.state()).isEqualTo(ClientTransaction.State.TERMINATED);
        layer.flowClosed(tcp);
        assertThat(onTcp.events).as("told once").hasSize(1);
        assertThat(onOther.events).isEmpty();
        assertThat(onUdp.events).isEmpty();
        assertThat(layer.clientCount()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(40));
        assertThat(onOther.events).containsExactly("timeout@32000");
        assertThat(onUdp.events).containsExactly("timeout@32000");
    }

    @Test
    void failsAtOnceWhenItsConnectionClosedBeforeTheRequestLeft() {
        RecordingFlow tcp = new RecordingFlow(Transport.TCP, clock);
        tcp.open = false;
        Heard heard = new Heard();
        layer.startClient(TransactionId.client("z9hG4bK-c4", "REGISTER"), tcp, bytes("REGISTER"), r -> null, heard);
        clock.advance(Duration.ZERO);
        assertThat(heard.events).containsExactly("transport-error@0");
        assertThat(layer.clientCount()).isZero();
    }

    @Test
    void retransmitsANonInviteRequestAtTimerEAndTimesOutAtTimerF() {
        RecordingFlow udp = new RecordingFlow(Transport.UDP, clock);
        Heard heard = new Heard();
        layer.startClient(TransactionId.client("z9hG4bK7", "OPTIONS"), udp, bytes("OPTIONS"), r -> null,
                heard);
        clock.advance(Duration.ofSeconds(40));
        assertThat(udp.timesOf("OPTIONS")).containsExactly(0L, 500L, 1500L, 3500L, 7500L, 11500L, 15500L, 19500L,
                23500L, 27500L, 31500L);
        assertThat(heard.events).containsExactly("timeout@32000");
        assertThat(layer.clientCount()).isZero();
    }

    @Test
    void retransmitsANonInviteAtT2AfterAProvisionalAndAbsorbsFinalRetransmissions() {
        RecordingFlow udp = new RecordingFlow(Transport.UDP, clock);
        Heard heard = new Heard();
        TransactionId id = TransactionId.client("z9hG4bK8", "REGISTER");
        var tx = layer.startClient(id, udp, bytes("REGISTER"), r -> null, heard);
        clock.advance(Duration.ofMillis(600));
        tx.onResponse("100", 100);
        clock.advance(Duration.ofMillis(9000));
        assertThat(udp.timesOf("REGISTER")).containsExactly(0L, 500L, 1500L, 5500L, 9500L);
        tx.onResponse("200", 200);
        tx.onResponse("200", 200);
        assertThat(heard.events).containsExactly("100", "200");
        clock.advance(Duration.ofMillis(4999));
        assertThat(tx.state()).isEqualTo(ClientTransaction.State.COMPLETED);
        clock.advance(Duration.ofMillis(1));
        assertThat(tx.state()).isEqualTo(ClientTransaction.State.TERMINATED);
    }

    @Test
    void retransmitsAnInviteAtTimerAAndAcknowledgesFailuresItself() {
        RecordingFlow udp = new RecordingFlow(Transport.UDP, clock);
        Heard heard = new Heard();
        TransactionId id = TransactionId.client("z9hG4bK9", "INVITE");
        var tx = layer.startClient(id, udp, bytes("INVITE"), r -> bytes("ACK for " + r),
                heard);
        clock.advance(Duration.ofMillis(3600));
        assertThat(udp.timesOf("INVITE")).containsExactly(0L, 500L, 1500L, 3500L);
        tx.onResponse("486", 486);
        tx.onResponse("486", 486);
        assertThat(heard.events).containsExactly("486");
        assertThat(udp.timesOf("ACK for 486")).hasSize(2);
        clock.advance(Duration.ofSeconds(32));
        assertThat(tx.state()).isEqualTo(ClientTransaction.State.TERMINATED);
    }

    @Test
    void timesOutAnUnansweredInviteAtTimerBWithDoublingRetransmissions() {
        RecordingFlow udp = new RecordingFlow(Transport.UDP, clock);
        Heard heard = new Heard();
        layer.startClient(TransactionId.client("z9hG4bK10", "INVITE"), udp, bytes("INVITE"), r -> null,
                heard);
        clock.advance(Duration.ofSeconds(40));
        assertThat(udp.timesOf("INVITE")).containsExactly(0L, 500L, 1500L, 3500L, 7500L, 15500L, 31500L);
        assertThat(heard.events).containsExactly("timeout@32000");
    }

    @Test
    void aRingingInviteIsNotTimedOutByTimerBAndStillTakesItsFinalResponse() {
        RecordingFlow udp = new RecordingFlow(Transport.UDP, clock);
        Heard heard = new Heard();
        var tx = layer.startClient(TransactionId.client("z9hG4bK11", "INVITE"), udp, bytes("INVITE"), r -> null,
                heard);
        clock.advance(Duration.ofMillis(700));
        tx.onResponse("180", 180);
        // RFC 3261 §17.1.1.2: timer B runs in Calling only; a ringing call ends by its answer or by the
        // proxy's timer C (§16.6 step 11), minutes later, never at 64*T1.
        clock.advance(Duration.ofMinutes(3));
        assertThat(tx.state()).isEqualTo(ClientTransaction.State.PROCEEDING);
        tx.onResponse("200", 200);
        assertThat(heard.events).containsExactly("180", "200");
        assertThat(udp.timesOf("INVITE")).containsExactly(0L, 500L);
    }

    @Test
    void aNonInviteStillTimesOutAtTimerFAfterAProvisional() {
        RecordingFlow udp = new RecordingFlow(Transport.UDP, clock);
        Heard heard = new Heard();
        var tx = layer.startClient(TransactionId.client("z9hG4bK12", "OPTIONS"), udp, bytes("OPTIONS"), r -> null,
                heard);
        tx.onResponse("100", 100);
        clock.advance(Duration.ofSeconds(40));
        assertThat(heard.events).containsExactly("100", "timeout@32000");
    }

    @Test
    void aCancelledInviteWithoutAFinalResponseEnds64T1AfterTheCancel() {
        RecordingFlow udp = new RecordingFlow(Transport.UDP, clock);
        Heard heard = new Heard();
        var tx = layer.startClient(TransactionId.client("z9hG4bK13", "INVITE"), udp, bytes("INVITE"), r -> null,
                heard);
        tx.onResponse("180", 180);
        clock.advance(Duration.ofSeconds(100));
        tx.cancelSent();
        clock.advance(Duration.ofMillis(31_999));
        assertThat(heard.events).containsExactly("180");
        clock.advance(Duration.ofMillis(1));
        assertThat(heard.events).containsExactly("180", "timeout@132000");
        assertThat(layer.clientCount()).isZero();
    }
}
