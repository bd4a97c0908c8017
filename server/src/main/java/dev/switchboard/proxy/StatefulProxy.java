package dev.switchboard.proxy;

import dev.switchboard.sip.SipResponder;
import dev.switchboard.sip.message.NameAddress;
import dev.switchboard.sip.message.SipRequest;
import dev.switchboard.sip.message.SipResponse;
import dev.switchboard.sip.message.SipUri;
import dev.switchboard.sip.transaction.ClientTransaction;
import dev.switchboard.sip.transaction.ServerTransaction;
import dev.switchboard.sip.transaction.TimerService;
import dev.switchboard.sip.transaction.TransactionId;
import dev.switchboard.sip.transaction.TransactionLayer;
import dev.switchboard.sip.transport.Flow;
import dev.switchboard.sip.transport.SipTransports;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stateful proxy (RFC 3261 §16): forwards a request to its targets in parallel, each in a
 * client transaction, and passes responses back through the server transaction; relays ACKs
 * of 2xx statelessly along the dialog's route. Routing decisions are made elsewhere
 * ({@link CallRouter}, the dialog's Route set); this class only carries them out.
 */
public final class StatefulProxy {

    private static final Logger log = LoggerFactory.getLogger(StatefulProxy.class);

    private static final ClientTransaction.Listener<SipResponse> IGNORE = new ClientTransaction.Listener<>() {
        @Override
        public void onResponse(SipResponse response, int status) {
        }

        @Override
        public void onTimeout() {
        }
    };

    private final SipTransports transports;
    private final TransactionLayer transactions;
    private final TimerService timers;
    private final SipResponder responder;
    private final OwnAddress own;
    private final RecordRoutes recordRoutes;
    private final Duration ringTimeout;
    private final Executor resolver;
    /** INVITEs still waiting for a final answer, by server transaction: what a CANCEL finds. */
    private final Map<TransactionId, ProxyCall> ringing = new ConcurrentHashMap<>();
    private final Counter forwarded;

    public StatefulProxy(SipTransports transports, TransactionLayer transactions, TimerService timers,
                         SipResponder responder, OwnAddress own, RecordRoutes recordRoutes, Duration ringTimeout,
                         Executor resolver, MeterRegistry meters) {
        this.transports = transports;
        this.transactions = transactions;
        this.timers = timers;
        this.responder = responder;
        this.own = own;
        this.recordRoutes = recordRoutes;
        this.ringTimeout = ringTimeout;
        this.resolver = resolver;
        this.forwarded = Counter.builder("sip.proxy.branches").description("Requests forwarded by the proxy, per branch")
                .register(meters);
    }

    /**
     * Forwards {@code request} to every target at once. An INVITE gets 100 Trying first and rings
     * at most the ring timeout (timer C).
     *
     * @param remainingRoutes Route entries left after ours were removed, put after each target's own
     * @param recordRoute     add our Record-Route (dialog-creating requests)
     * @param dropProxyAuthorization remove the Proxy-Authorization we consumed
     * @param callerAtSource  the caller is a phone: in its dialog, requests to it go where it called from
     */
    public void forward(SipRequest request, Flow inbound, ServerTransaction server, List<Target> targets,
                        List<NameAddress> remainingRoutes, boolean recordRoute, boolean dropProxyAuthorization,
                        boolean callerAtSource, java.util.UUID tenant) {
        ProxyCall call = new ProxyCall(this, request, inbound, server, recordRoute, dropProxyAuthorization,
                callerAtSource, tenant);
        if (call.invite) {
            server.respond(100, responder.response(request, inbound, 100, "Trying").toBytes());
            ringing.put(server.id(), call);
            call.ringTimer(timers.schedule(ringTimeout, call::ringTimeout));
        }
        List<Branch> branches = new ArrayList<>(targets.size());
        for (Target target : targets) {
            branches.add(call.addBranch(withRoutes(target, remainingRoutes)));
        }
        branches.forEach(this::start);
    }

    /** A CANCEL matched this INVITE server transaction: cancel its ringing branches. */
    public void cancel(TransactionId invite) {
        ProxyCall call = ringing.get(invite);
        if (call != null) {
            call.cancelledUpstream();
        }
    }

    /** Relays an ACK for a 2xx (or any request that needs no transaction) to {@code target}, statelessly. */
    public void relayStateless(SipRequest request, Flow inbound, Target target) {
        Hop hop = streamHop(target);
        hop.resolve(resolver)
                .thenCompose(address -> transports.flowTo(hop.transport(), address))
                .whenComplete((flow, error) -> {
                    if (error != null) {
                        log.debug("stateless relay to {} failed: {}", hop, error.toString());
                        return;
                    }
                    var sent = Forwarding.request(request, inbound, target, flow.transport(),
                            own.hostTowards(flow.remote().getAddress()), own.port(flow.transport()), List.of(), false,
                            null);
                    flow.send(sent.bytes());
                });
    }

    private static Target withRoutes(Target target, List<NameAddress> remaining) {
        if (remaining.isEmpty()) {
            return target;
        }
        List<String> routes = new ArrayList<>(target.routes());
        remaining.forEach(r -> routes.add(r.toString()));
        Hop hop = target.routes().isEmpty() && remaining.get(0).uri() instanceof SipUri next
                ? Hop.of(next) : target.hop();
        return new Target(target.requestUri(), routes, hop, target.label(), target.upstream(),
                target.atSource() && target.routes().isEmpty());
    }

    void start(Branch branch) {
        Hop hop = streamHop(branch.target);
        hop.resolve(resolver)
                .thenCompose(address -> transports.flowTo(hop.transport(), address))
                .whenComplete((flow, error) -> {
                    if (error != null) {
                        log.info("call-id={} branch to {} unreachable: {}", branch.call.request.callId(), branch,
                                error.toString());
                        branch.call.failed(branch, 503, "Service Unavailable");
                        return;
                    }
                    send(branch, flow);
                });
    }

    /**
     * Where a branch goes. A phone registered over TCP or TLS is reached over the connection it
     * registered on; once that is gone (the phone closed it, or this node restarted and the
     * binding was reloaded), a new connection to its old ephemeral port would be refused, so it
     * is reached where its Contact says it listens (RFC 3261 §18.2.2's fallback), over the same
     * transport, until it registers again over a new connection.
     */
    private Hop streamHop(Target target) {
        Hop hop = target.hop();
        if (!target.atSource() || !hop.transport().isStream()
                || !(target.requestUri() instanceof SipUri contact)) {
            return hop;
        }
        try {
            InetSocketAddress source = new InetSocketAddress(InetAddress.getByName(hop.host()), hop.port());
            if (transports.connections().find(hop.transport(), source).filter(Flow::isOpen).isPresent()) {
                return hop;
            }
        } catch (java.net.UnknownHostException notAnAddress) {
            return hop;
        }
        Hop listening = Hop.of(contact);
        return new Hop(hop.transport(), listening.host(),
                contact.port().orElse(hop.transport().defaultPort()));
    }

    private void send(Branch branch, Flow flow) {
        ProxyCall call = branch.call;
        synchronized (call) {
            if (!call.stillWanted(branch)) {
                return;
            }
            List<String> rr = call.recordRoute ? recordRoutesFor(call, branch, flow) : List.of();
            String host = own.hostTowards(flow.remote().getAddress());
            Forwarding.Sent sent = Forwarding.request(call.request, call.inbound, branch.target, flow.transport(), host,
                    own.port(flow.transport()), rr, call.dropProxyAuthorization, branch.authorization);
            branch.flow = flow;
            branch.sent = sent;
            try {
                transactions.startClient(TransactionId.client(sent.branch(), call.request.method()), flow,
                        sent.bytes(), response -> Forwarding.ackForFailure(call.request, sent, response), branch);
                forwarded.increment();
            } catch (IllegalStateException e) {
                call.failed(branch, 500, "Server Internal Error");
            }
        }
    }

    /** One entry facing each side; two when the sides differ in transport or address (RFC 5658). */
    private List<String> recordRoutesFor(ProxyCall call, Branch branch, Flow out) {
        Flow in = call.inbound;
        // Phones reached where they registered from (or call from) are reached there in the dialog too.
        String params = recordRoutes.params(new RecordRoutes.Dialog(call.request, call.pass,
                call.callerAtSource ? Optional.of(Hop.of(in)) : Optional.empty(),
                branch.target.atSource() ? Optional.of(Hop.of(out)) : Optional.empty(),
                in.remote().getAddress(), out.remote().getAddress(), call.tenant));
        boolean secure = call.request.requestUri() instanceof SipUri uri && uri.isSecure();
        String inward = recordRoutes.value(own.hostTowards(in.remote().getAddress()), own.port(in.transport()),
                in.transport(), params, secure);
        String outward = recordRoutes.value(own.hostTowards(out.remote().getAddress()), own.port(out.transport()),
                out.transport(), params, secure);
        return inward.equals(outward) ? List.of(inward) : List.of(outward, inward);
    }

    void sendCancel(ProxyCall call, Branch branch) {
        byte[] cancel = Forwarding.cancel(call.request, branch.sent, call.cancelReason());
        try {
            transactions.startClient(TransactionId.client(branch.sent.branch(), "CANCEL"), branch.flow, cancel,
                    response -> null, IGNORE);
            transactions.findClient(TransactionId.client(branch.sent.branch(), call.request.method()))
                    .ifPresent(ClientTransaction::cancelSent);
        } catch (IllegalStateException alreadyCancelling) {
            log.debug("branch {} already has a CANCEL", branch);
        }
    }

    /** Called under the call's lock: the response leaves in the order the call decided (see {@link Flow#inOrder}). */
    void upstream(ProxyCall call, SipResponse response) {
        // A callee that built its answer from the CANCEL's Via (one, ours) leaves nothing to forward
        // by §16.7 step 3; the answer matched our INVITE branch, so it goes up with the Vias of the
        // request it answers (what a well-formed one carries anyway), its To tag kept.
        byte[] bytes = response.vias().size() <= 1 ? Forwarding.upstream(response, call.request.vias())
                : Forwarding.upstream(response);
        int status = response.status() == 503 ? 500 : response.status();
        call.inbound.inOrder(() -> {
            if (!call.server.respond(status, bytes) && call.invite && status >= 200 && status < 300) {
                // §16.7 step 10: a 2xx to an INVITE always goes up, also after the caller was told
                // 487 (a callee that answered before it heard our CANCEL) — statelessly, so the
                // caller can ACK and BYE it rather than leave the callee in a call nobody has.
                call.inbound.send(bytes);
            }
        });
    }

    void answer(ProxyCall call, int status, String reason) {
        byte[] bytes = responder.response(call.request, call.inbound, status, reason).toBytes();
        call.inbound.inOrder(() -> call.server.respond(status, bytes));
    }

    void forget(ProxyCall call) {
        ringing.remove(call.server.id(), call);
    }

    /** Whether the request already passed this proxy unchanged (§16.3 step 4): answer 482. */
    public static boolean looped(SipRequest request) {
        return Forwarding.looped(request);
    }

    /** The node is going down: every ringing call is ended (see {@link ProxyCall#shuttingDown}). */
    public void shutDown() {
        for (ProxyCall call : List.copyOf(ringing.values())) {
            call.shuttingDown();
        }
    }

    public int ringingCalls() {
        return ringing.size();
    }
}
