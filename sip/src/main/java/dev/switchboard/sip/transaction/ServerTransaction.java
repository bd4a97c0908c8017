package dev.switchboard.sip.transaction;

import static dev.switchboard.sip.transaction.TimerService.cancel;

import dev.switchboard.sip.transport.Flow;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A server transaction (RFC 3261 §17.2, with RFC 6026's Accepted state for INVITE 2xx):
 * absorbs retransmitted requests by resending the last response, retransmits INVITE failure
 * responses over UDP until the ACK arrives (timers G and H), and lingers to absorb late
 * retransmissions (timers I, J and L) before it is forgotten.
 */
public final class ServerTransaction {

    /** Where the transaction is in its state machine. */
    public enum State { TRYING, PROCEEDING, COMPLETED, CONFIRMED, ACCEPTED, TERMINATED }

    private final TransactionId id;
    private final boolean invite;
    private final Flow flow;
    private final TimerService timers;
    private final SipTimers values;
    private final Consumer<ServerTransaction> onTerminated;
    private final BiConsumer<TransactionId, byte[]> onAnsweredOverUdp;

    private State state;
    private byte[] lastResponse;
    private int lastStatus;
    private Duration retransmitInterval;
    private TimerService.Timeout retransmitTimer;
    private TimerService.Timeout endTimer;
    private boolean ackTimedOut;

    ServerTransaction(TransactionId id, boolean invite, Flow flow, TimerService timers, SipTimers values,
                      Consumer<ServerTransaction> onTerminated, BiConsumer<TransactionId, byte[]> onAnsweredOverUdp) {
        this.id = id;
        this.invite = invite;
        this.flow = flow;
        this.timers = timers;
        this.values = values;
        this.onTerminated = onTerminated;
        this.onAnsweredOverUdp = onAnsweredOverUdp;
        this.state = invite ? State.PROCEEDING : State.TRYING;
    }

    public TransactionId id() {
        return id;
    }

    public boolean isInvite() {
        return invite;
    }

    public Flow flow() {
        return flow;
    }

    public synchronized State state() {
        return state;
    }

    public synchronized int lastStatus() {
        return lastStatus;
    }

    /** True when timer H fired: the failure response was never acknowledged. */
    public synchronized boolean ackTimedOut() {
        return ackTimedOut;
    }

    /**
     * Sends a response from the transaction user. Answers false when the transaction has
     * already sent a final response (a second final response is not allowed).
     */
    public synchronized boolean respond(int status, byte[] response) {
        if (state == State.COMPLETED || state == State.CONFIRMED || state == State.ACCEPTED
                || state == State.TERMINATED) {
            // RFC 6026 §7.1: further 2xx from the TU pass through the Accepted state.
            if (state == State.ACCEPTED && status >= 200 && status < 300) {
                flow.send(response);
                return true;
            }
            return false;
        }
        lastResponse = response;
        lastStatus = status;
        flow.send(response);
        if (status < 200) {
            state = State.PROCEEDING;
        } else if (!invite) {
            state = State.COMPLETED;
            if (!flow.transport().isStream()) {
                // Timer J: the layer remembers the answer for retransmissions, not this object.
                onAnsweredOverUdp.accept(id, response);
            }
            endAfter(Duration.ZERO);
        } else if (status < 300) {
            state = State.ACCEPTED;
            endAfter(values.timeout());                                                 // timer L
        } else {
            state = State.COMPLETED;
            if (!flow.transport().isStream()) {
                retransmitInterval = values.t1();
                retransmitTimer = timers.schedule(retransmitInterval, this::timerG);
            }
            endTimer = timers.schedule(values.timeout(), this::timerH);
        }
        return true;
    }

    /** The same request arrived again: resend the last response, if there is one to resend. */
    public synchronized void onRetransmission() {
        if (lastResponse != null && (state == State.PROCEEDING || state == State.COMPLETED)) {
            flow.send(lastResponse);
        }
    }

    /**
     * An ACK matched this INVITE transaction. Answers true when the ACK belongs to the transaction
     * user (it acknowledges a 2xx), false when the transaction absorbed it.
     */
    public synchronized boolean onAck() {
        if (state == State.COMPLETED) {
            state = State.CONFIRMED;
            cancel(retransmitTimer);
            cancel(endTimer);
            endAfter(flow.transport().isStream() ? Duration.ZERO : values.t4());            // timer I
            return false;
        }
        return state == State.ACCEPTED;
    }

    private synchronized void timerG() {
        if (state != State.COMPLETED) {
            return;
        }
        flow.send(lastResponse);
        retransmitInterval = values.backOff(retransmitInterval);
        retransmitTimer = timers.schedule(retransmitInterval, this::timerG);
    }

    private synchronized void timerH() {
        if (state == State.COMPLETED) {
            ackTimedOut = true;
            terminate();
        }
    }

    private void endAfter(Duration delay) {
        cancel(endTimer);
        if (delay.isZero()) {
            terminate();
        } else {
            endTimer = timers.schedule(delay, () -> {
                synchronized (this) {
                    terminate();
                }
            });
        }
    }

    private void terminate() {
        if (state == State.TERMINATED) {
            return;
        }
        state = State.TERMINATED;
        cancel(retransmitTimer);
        cancel(endTimer);
        onTerminated.accept(this);
    }

    /** Ends the transaction at once (shutdown). */
    public synchronized void abort() {
        terminate();
    }
}
