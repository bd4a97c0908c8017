package dev.switchboard.sip.transaction;

import dev.switchboard.sip.transport.Flow;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The table of live transactions. It knows transaction identities and state machines, not
 * message syntax: the caller extracts the branch, sent-by and method from the parsed message
 * and hands over the bytes to send, so this layer stays independent of the message model.
 */
public final class TransactionLayer {

    /** The outcome of looking up a request's server transaction. */
    public sealed interface ServerMatch {
    }

    /** The request starts a new transaction. */
    public record Created(ServerTransaction transaction) implements ServerMatch {
    }

    /**
     * The request is a retransmission, absorbed here: the last response (if any) was sent again,
     * by its live transaction or from the answers remembered for timer J.
     */
    public record Retransmission() implements ServerMatch {
    }

    /** How much longer than timer J an answer may be remembered: the ring's slice length. */
    private static final Duration ANSWER_SLICE = Duration.ofSeconds(4);

    private final Map<TransactionId, ServerTransaction> servers = new ConcurrentHashMap<>();
    private final Map<TransactionId, ClientTransaction<?>> clients = new ConcurrentHashMap<>();
    private final TimerService timers;
    private final SipTimers values;

    private final AnsweredRequests answered;
    /** Transactions started since the layer was made, for the metrics. */
    private final LongAdder serversStarted = new LongAdder();
    private final LongAdder clientsStarted = new LongAdder();

    /** Remembers answers for timer J in at most a quarter of the heap. */
    public TransactionLayer(TimerService timers, SipTimers values) {
        this(timers, values, Runtime.getRuntime().maxMemory() / 4);
    }

    /** @param answerBytes at most this much memory holds answers remembered for timer J */
    public TransactionLayer(TimerService timers, SipTimers values, long answerBytes) {
        this.timers = timers;
        this.values = values;
        this.answered = new AnsweredRequests(timers, values.timeout(), ANSWER_SLICE, answerBytes);
    }

    /** Finds the server transaction of a request (not ACK), creating it when new. */
    public ServerMatch serverTransaction(TransactionId id, Flow flow) {
        ServerTransaction existing = servers.get(id);
        if (existing != null && existing.state() != ServerTransaction.State.TERMINATED) {
            existing.onRetransmission();
            return new Retransmission();
        }
        boolean invite = id.method().equals("INVITE");
        if (!invite && !flow.transport().isStream()) {
            byte[] answer = answered.find(id);
            if (answer != null) {
                flow.send(answer);
                return new Retransmission();
            }
        }
        ServerTransaction created = new ServerTransaction(id, invite, flow, timers, values,
                t -> servers.remove(t.id(), t), answered::remember);
        ServerTransaction raced = servers.putIfAbsent(id, created);
        if (raced != null) {
            raced.onRetransmission();
            return new Retransmission();
        }
        serversStarted.increment();
        return new Created(created);
    }

    /** The live server transaction with this id (an INVITE's, for ACK and CANCEL matching). */
    public Optional<ServerTransaction> findServer(TransactionId id) {
        return Optional.ofNullable(servers.get(id)).filter(t -> t.state() != ServerTransaction.State.TERMINATED);
    }

    /** Sends a request in a new client transaction. */
    public <R> ClientTransaction<R> startClient(TransactionId id, Flow flow, byte[] request,
                                                Function<R, byte[]> ackForFailure,
                                                ClientTransaction.Listener<R> listener) {
        ClientTransaction<R> tx = new ClientTransaction<>(id, id.method().equals("INVITE"), flow, request,
                ackForFailure, listener, timers, values, t -> clients.remove(t.id(), t));
        if (clients.putIfAbsent(id, tx) != null) {
            throw new IllegalStateException("client transaction " + id + " already exists");
        }
        clientsStarted.increment();
        tx.start();
        if (flow.transport().isStream() && !flow.isOpen()) {
            // Closed before the request could leave (its close was announced before the transaction existed).
            timers.schedule(Duration.ZERO, tx::transportFailed);
        }
        return tx;
    }

    /**
     * A TCP or TLS connection closed: the client transactions waiting for a response on it fail
     * at once (RFC 3261 §17.1.4) instead of after 64*T1.
     */
    public void flowClosed(Flow flow) {
        for (ClientTransaction<?> tx : clients.values()) {
            if (tx.flow() == flow) {
                tx.transportFailed();
            }
        }
    }

    /** The client transaction a response belongs to (its top Via branch and CSeq method). */
    @SuppressWarnings("unchecked")
    public <R> Optional<ClientTransaction<R>> findClient(TransactionId id) {
        return Optional.ofNullable((ClientTransaction<R>) clients.get(id));
    }

    public int serverCount() {
        return servers.size();
    }

    public int clientCount() {
        return clients.size();
    }

    /** Server transactions created so far (retransmissions absorbed not counted). */
    public long serversStarted() {
        return serversStarted.sum();
    }

    /** Client transactions started so far. */
    public long clientsStarted() {
        return clientsStarted.sum();
    }

    /** Ends every transaction (shutdown after in-flight work had its grace period). */
    public void abortAll() {
        servers.values().forEach(ServerTransaction::abort);
        answered.close();
    }

    /** Answers remembered for retransmissions of non-INVITE requests over UDP. */
    public int answeredCount() {
        return answered.size();
    }
}
