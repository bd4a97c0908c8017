package dev.switchboard.sip.transaction;

import static dev.switchboard.sip.transaction.TimerService.cancel;

import dev.switchboard.sip.transport.Flow;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A client transaction (RFC 3261 §17.1, with RFC 6026's Accepted state for INVITE 2xx):
 * retransmits the request over UDP (timers A and E), gives up with a timeout (timer B before any
 * provisional response, timer F),
 * acknowledges INVITE failure responses itself, and absorbs retransmitted final responses.
 *
 * @param <R> the response type the transaction user receives
 */
public final class ClientTransaction<R> {

    /** What the transaction user hears from the transaction. */
    public interface Listener<R> {
        void onResponse(R response, int status);

        /** No final response within 64*T1 (timer B or F): act as if a 408 arrived. */
        void onTimeout();

        /**
         * The connection the request went out on closed before a final response (RFC 3261
         * §17.1.4: act as if a 503 arrived). By default the same as a timeout.
         */
        default void onTransportError() {
            onTimeout();
        }
    }

    /** Where the transaction is in its state machine. */
    public enum State { CALLING, TRYING, PROCEEDING, COMPLETED, ACCEPTED, TERMINATED }

    private final TransactionId id;
    private final boolean invite;
    private final Flow flow;
    private final byte[] request;
    private final Function<R, byte[]> ackForFailure;
    private final Listener<R> listener;
    private final TimerService timers;
    private final SipTimers values;
    private final Consumer<ClientTransaction<?>> onTerminated;

    private State state;
    private byte[] ack;
    private Duration retransmitInterval;
    private TimerService.Timeout retransmitTimer;
    private TimerService.Timeout endTimer;

    ClientTransaction(TransactionId id, boolean invite, Flow flow, byte[] request, Function<R, byte[]> ackForFailure,
                      Listener<R> listener, TimerService timers, SipTimers values,
                      Consumer<ClientTransaction<?>> onTerminated) {
        this.id = id;
        this.invite = invite;
        this.flow = flow;
        this.request = request;
        this.ackForFailure = ackForFailure;
        this.listener = listener;
        this.timers = timers;
        this.values = values;
        this.onTerminated = onTerminated;
        this.state = invite ? State.CALLING : State.TRYING;
    }

    public TransactionId id() {
        return id;
    }

    public Flow flow() {
        return flow;
    }

    public synchronized State state() {
        return state;
    }

    synchronized void start() {
        if (state == State.TERMINATED) {
            return; // its connection closed while it was being started
        }
        flow.send(request);
        if (!flow.transport().isStream()) {
            retransmitInterval = values.t1();
            retransmitTimer = timers.schedule(retransmitInterval, this::retransmit);
        }
        endTimer = timers.schedule(values.timeout(), this::timedOut);
    }

    /** A response matched this transaction; it reaches the listener unless it is absorbed. */
    public void onResponse(R response, int status) {
        boolean deliver;
        synchronized (this) {
            deliver = transition(response, status);
        }
        if (deliver) {
            listener.onResponse(response, status);
        }
    }

    private boolean transition(R response, int status) {
        switch (state) {
            case CALLING, TRYING, PROCEEDING -> {
                if (status < 200) {
                    state = State.PROCEEDING;
                    if (invite) {
                        // Timer B runs in Calling only (§17.1.1.2): a ringing INVITE waits for its
                        // final response, or for the proxy's timer C, for as long as it rings.
                        cancel(retransmitTimer);
                        cancel(endTimer);
                    }
                    return true;
                }
                cancel(retransmitTimer);
                cancel(endTimer);
                if (invite && status < 300) {
                    state = State.ACCEPTED;
                    endTimer = timers.schedule(values.timeout(), this::end);                    // timer M
                } else if (invite) {
                    state = State.COMPLETED;
                    ack = ackForFailure.apply(response);
                    flow.send(ack);
                    endAfter(flow.transport().isStream() ? Duration.ZERO : values.timerD());     // timer D
                } else {
                    state = State.COMPLETED;
                    endAfter(flow.transport().isStream() ? Duration.ZERO : values.t4());        // timer K
                }
                return true;
            }
            case ACCEPTED -> {
                // RFC 6026: retransmitted 2xx go to the TU, which acknowledges them end to end.
                return status >= 200 && status < 300;
            }
            case COMPLETED -> {
                if (invite && status >= 300 && ack != null) {
                    flow.send(ack);
                }
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    /**
     * A CANCEL went out for this INVITE: without a final response within 64*T1 it ends as timed
     * out (RFC 3261 §9.1), since a ringing INVITE has no timer B any more.
     */
    public synchronized void cancelSent() {
        if (invite && state == State.PROCEEDING) {
            cancel(endTimer);
            endTimer = timers.schedule(values.timeout(), this::timedOut);
        }
    }

    private synchronized void retransmit() {
        if (state != State.CALLING && state != State.TRYING && state != State.PROCEEDING) {
            return;
        }
        if (invite && state == State.PROCEEDING) {
            return;
        }
        flow.send(request);
        // Timer E stays at T2 once a provisional response arrived (§17.1.2.2); timer A keeps doubling.
        retransmitInterval = state == State.PROCEEDING ? values.t2()
                : invite ? retransmitInterval.multipliedBy(2) : values.backOff(retransmitInterval);
        retransmitTimer = timers.schedule(retransmitInterval, this::retransmit);
    }

    /**
     * Its connection closed: no response can come on it, so fail now rather than after timer B
     * or F (a registrar that restarts would otherwise see the next REGISTER 32 s late).
     */
    void transportFailed() {
        boolean notify;
        synchronized (this) {
            notify = flow.transport().isStream()
                    && (state == State.CALLING || state == State.TRYING || state == State.PROCEEDING);
            if (notify) {
                terminate();
            }
        }
        if (notify) {
            listener.onTransportError();
        }
    }

    private void timedOut() {
        boolean notify;
        synchronized (this) {
            notify = state == State.CALLING || state == State.TRYING || state == State.PROCEEDING;
            if (notify) {
                terminate();
            }
        }
        if (notify) {
            listener.onTimeout();
        }
    }

    private synchronized void end() {
        terminate();
    }

    private void endAfter(Duration delay) {
        if (delay.isZero()) {
            terminate();
        } else {
            endTimer = timers.schedule(delay, this::end);
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
}
