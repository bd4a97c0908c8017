package dev.switchboard.sip;

import dev.switchboard.proxy.AccountContact;
import dev.switchboard.proxy.CallAuthenticator;
import dev.switchboard.proxy.CallRouter;
import dev.switchboard.proxy.CallServices;
import dev.switchboard.proxy.Caller;
import dev.switchboard.proxy.Hop;
import dev.switchboard.proxy.RecordRoutes;
import dev.switchboard.proxy.StatefulProxy;
import dev.switchboard.proxy.Target;
import dev.switchboard.registrar.AddressOfRecord;
import dev.switchboard.registrar.RegisterAuthenticator;
import dev.switchboard.registrar.Registrar;
import dev.switchboard.registrar.RegistrarServices;
import dev.switchboard.registrar.SipDirectory.SipTenant;
import dev.switchboard.sip.message.HeaderName;
import dev.switchboard.sip.message.Methods;
import dev.switchboard.sip.message.NameAddress;
import dev.switchboard.sip.message.ParseResult;
import dev.switchboard.sip.message.SipDate;
import dev.switchboard.sip.message.SipParser;
import dev.switchboard.sip.message.SipRequest;
import dev.switchboard.sip.message.SipResponse;
import dev.switchboard.sip.message.SipUri;
import dev.switchboard.sip.message.TelUri;
import dev.switchboard.sip.net.Cidr;
import dev.switchboard.sip.transaction.ServerTransaction;
import dev.switchboard.sip.transaction.TransactionId;
import dev.switchboard.sip.transaction.TransactionLayer;
import dev.switchboard.sip.transport.ConnectionTable;
import dev.switchboard.sip.transport.Flow;
import dev.switchboard.sip.transport.InboundPacket;
import dev.switchboard.sip.transport.PacketHandler;
import dev.switchboard.sip.transport.Transport;
import dev.switchboard.tenant.DomainNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switchboard's SIP policy, read top to bottom: parse and sanity-check, absorb retransmissions
 * in the transaction layer, then decide what each request gets. Mechanisms (parser,
 * transactions, transports) live in the sip module; this class only decides which to use.
 */
public final class SipRouter implements PacketHandler {

    private static final Logger log = LoggerFactory.getLogger(SipRouter.class);

    /**
     * Option tags this server implements: anything else in Proxy-Require gets 420, and in Require
     * where this server is the UAS (a REGISTER, an OPTIONS to it).
     */
    static final Set<String> SUPPORTED = Set.of("path", "outbound");
    static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, UPDATE, INFO, PRACK, MESSAGE, NOTIFY, REFER";
    private static final Set<String> ALLOWED = Set.of(ALLOW.split(", "));
    /** Methods of RFC 3261 and its extensions that are known but not served here when addressed to us. */
    private static final Set<String> KNOWN_NOT_ALLOWED = Set.of(Methods.SUBSCRIBE, Methods.PUBLISH);

    private final SipParser parser;
    private final TransactionLayer transactions;
    private final SipResponder responder;
    private final LocalAddresses local;
    private final Function<SipUri, Optional<AccountContact>> agentContacts;
    private final ConnectionTable connections;
    private final Counter received;
    private final Counter rejected;
    private final Counter dropped;
    private final RegistrarServices registrar;
    private final CallServices calls;
    private final StatefulProxy proxy;
    private final RecordRoutes recordRoutes;
    private final RequestTimers timers;

    /** Methods that create dialogs: the proxy stays on their path (Record-Route). */
    private static final Set<String> DIALOG_CREATING = Set.of("INVITE", "SUBSCRIBE", "REFER", "NOTIFY");

    public SipRouter(SipParser parser, TransactionLayer transactions, SipResponder responder, LocalAddresses local,
                     MeterRegistry meters, RegistrarServices registrar,
                     Function<SipUri, Optional<AccountContact>> agentContacts,
                     ConnectionTable connections, CallServices calls, StatefulProxy proxy,
                     RecordRoutes recordRoutes) {
        this.registrar = registrar;
        this.calls = calls;
        this.proxy = proxy;
        this.recordRoutes = recordRoutes;
        this.agentContacts = agentContacts;
        this.connections = connections;
        this.parser = parser;
        this.transactions = transactions;
        this.responder = responder;
        this.local = local;
        this.timers = new RequestTimers(meters);
        this.received = Counter.builder("sip.messages.received").description("SIP messages received").register(meters);
        this.rejected = Counter.builder("sip.messages.rejected")
                .description("SIP requests refused by the parser's sanity checks").register(meters);
        this.dropped = Counter.builder("sip.messages.dropped")
                .description("SIP messages dropped unanswered (garbage, invalid responses)").register(meters);
    }

    @Override
    public void onPacket(InboundPacket packet) {
        long start = System.nanoTime();
        received.increment();
        ParseResult result = parser.parse(packet.bytes());
        if (result instanceof ParseResult.Parsed parsed && packet.tooLarge()) {
            // The complete lines of a header section over the limit: answered, never acted on.
            rejected.increment();
            if (parsed.message() instanceof SipRequest request) {
                packet.flow().send(responder.statelessResponse(request, packet.flow(), 513, "Message Too Large")
                        .toBytes());
            }
        } else if (result instanceof ParseResult.Parsed parsed) {
            if (parsed.message() instanceof SipRequest request) {
                onRequest(request, packet.flow());
                timers.record(request.method(), start);
            } else {
                onResponse((SipResponse) parsed.message());
            }
        } else if (result instanceof ParseResult.Rejected rejection) {
            rejected.increment();
            // Only the header section of a stream message over the limit came: it is too large,
            // whatever the parser makes of its missing body.
            ParseResult.Rejected refusal = packet.tooLarge()
                    ? new ParseResult.Rejected(513, "Message Too Large", rejection.partial()) : rejection;
            // Malformed requests get a stateless answer when they can be routed back at all.
            responder.refusal(refusal, packet.flow()).ifPresent(packet.flow()::send);
            log.debug("refused request from {}: {} {}", packet.flow().remote(), refusal.status(), refusal.reason());
        } else if (result instanceof ParseResult.Dropped drop) {
            dropped.increment();
            log.debug("dropped message from {}: {}", packet.flow().remote(), drop.reason());
        }
    }

    private void onResponse(SipResponse response) {
        var via = response.topVia();
        var branch = via == null ? null : via.branch().orElse(null);
        if (branch == null) {
            dropped.increment();
            return;
        }
        transactions.<SipResponse>findClient(TransactionId.client(branch, response.cseq().method()))
                .ifPresentOrElse(tx -> tx.onResponse(response, response.status()), dropped::increment);
    }

    private void onRequest(SipRequest received, Flow flow) {
        reuseConnection(received, flow);
        SipRequest request = looseRouted(received);

        if (request.isMethod(Methods.ACK)) {
            onAck(request, flow, transactionId(request, flow));
            return;
        }
        if (request.isMethod(Methods.CANCEL)) {
            onCancel(request, flow, transactionId(request, flow));
            return;
        }

        Screening screened = request.isMethod(Methods.REGISTER) ? screenRegister(request, flow)
                : screenCall(request, flow);
        if (screened == Screened.ANSWERED) {
            return;
        }

        // The key is built only now: what was answered statelessly above never needs one.
        TransactionId id = transactionId(request, flow);
        if (!(transactions.serverTransaction(id, flow) instanceof TransactionLayer.Created created)) {
            return;
        }
        ServerTransaction tx = created.transaction();

        List<String> proxyRequired = SipRequest.unsupported(request.proxyRequire(), SUPPORTED);
        // Require is for the UAS to judge (RFC 3261 §8.2.2.3): a call's "Require: 100rel" or
        // "timer" is the callee's business, and a proxy looks at Proxy-Require only (§16.3 step 4).
        List<String> required = isUasFor(request) ? SipRequest.unsupported(request.require(), SUPPORTED) : List.of();
        if (!proxyRequired.isEmpty() || !required.isEmpty()) {
            var unsupported = proxyRequired.isEmpty() ? required : proxyRequired;
            answer(tx, responder.response(request, flow, 420, "Bad Extension")
                    .header("Unsupported", String.join(", ", unsupported)));
            return;
        }
        if (!(request.requestUri() instanceof SipUri) && !(request.requestUri() instanceof TelUri)) {
            answer(tx, responder.response(request, flow, 416, "Unsupported URI Scheme"));
            return;
        }
        if (request.isMethod(Methods.REGISTER)) {
            register(request, flow, tx, screened instanceof ScreenedRegister r ? r : null);
            return;
        }
        if (request.isMethod(Methods.OPTIONS) && (isUasFor(request) || agentContact(request).isPresent())) {
            // Also a provider's keep-alive to a contact our user agent registered with it.
            answer(tx, responder.response(request, flow, 200, "OK")
                    .header("Allow", ALLOW)
                    .header("Supported", String.join(", ", SUPPORTED))
                    .header("Accept", "application/sdp"));
            return;
        }
        if (notServedHere(request)) {
            // RFC 3261 §8.2.1 and §21.5.2: this server is the UAS of a request naming it (or a
            // tenant domain) without a user; a method it does not serve is 405, one it does not know 501.
            boolean known = KNOWN_NOT_ALLOWED.contains(request.method());
            answer(tx, responder.response(request, flow, known ? 405 : 501, known ? "Method Not Allowed"
                    : "Not Implemented").header("Allow", ALLOW));
            return;
        }
        if (request.maxForwards().isPresent() && request.maxForwards().getAsInt() == 0) {
            answer(tx, responder.response(request, flow, 483, "Too Many Hops"));
            return;
        }
        Optional<AccountContact> arrival = request.isMethod(Methods.INVITE) ? agentContact(request) : Optional.empty();
        if (arrival.isPresent()) {
            arrive(request, flow, tx, arrival.get());
            return;
        }
        proxy(request, flow, tx, screened instanceof ScreenedCall c ? c : null);
    }

    /**
     * RFC 3261 §16.4: a strict router (RFC 2543) sends an in-dialog request to one of our
     * Record-Route entries as its Request-URI, with the remote target last in Route. The target
     * becomes the Request-URI again and our entry the top Route, the form a loose router sends,
     * so the dialog's token in the entry is checked as it always is.
     */
    private SipRequest looseRouted(SipRequest request) {
        if (!(request.requestUri() instanceof SipUri uri) || request.isMethod(Methods.REGISTER)
                || request.to().tag().isEmpty() || !recordRoutes.isOurEntry(uri)) {
            return request;
        }
        List<NameAddress> routes = request.routes();
        if (routes.isEmpty()) {
            return request;
        }
        StringBuilder route = new StringBuilder("<").append(uri).append('>');
        for (NameAddress r : routes.subList(0, routes.size() - 1)) {
            route.append(", ").append(r);
        }
        try {
            return request.toBuilder().requestUri(routes.get(routes.size() - 1).uri())
                    .set(HeaderName.ROUTE, route.toString()).build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            // Not expressible as a valid request (a Route entry that is no URI of ours to place): as it came.
            return request;
        }
    }

    /** The requests this server answers itself rather than proxies: REGISTER, and OPTIONS addressed to it. */
    private boolean isUasFor(SipRequest request) {
        return request.isMethod(Methods.REGISTER) || (request.isMethod(Methods.OPTIONS)
                && request.requestUri() instanceof SipUri uri && local.isAddressedToUs(uri)
                // A user of a tenant whose domain is one of our addresses is that user's, not ours.
                && (uri.user().isEmpty() || registrar.directory().tenantByDomain(uri.host()).isEmpty()));
    }

    /** A method this server does not serve, addressed to it outside a dialog: answered before the gate. */
    private boolean notServedHere(SipRequest request) {
        return !ALLOWED.contains(request.method()) && request.to().tag().isEmpty() && addressedToServer(request);
    }

    /** A Request-URI without user part naming this server or a tenant domain. */
    private boolean addressedToServer(SipRequest request) {
        return request.requestUri() instanceof SipUri uri && uri.user().isEmpty()
                && (local.isLocalHost(uri.host()) || registrar.directory().tenantByDomain(uri.host()).isPresent());
    }

    private boolean isAgentCall(SipRequest request) {
        return request.isMethod(Methods.INVITE) && agentContact(request).isPresent();
    }

    private Optional<AccountContact> agentContact(SipRequest request) {
        return request.requestUri() instanceof SipUri uri ? agentContacts.apply(uri) : Optional.empty();
    }

    /**
     * SPEC 3.2: a call arriving on a SIP account's registration is a call into the account's
     * tenant for the account's user (the AOR the provider looked up). Its contact, random and
     * known only to the provider, is the call's admission, as for a phone; the call never
     * leaves the tenant again (no trunk, no account), so the upstream cannot relay through us.
     */
    private void arrive(SipRequest request, Flow flow, ServerTransaction tx, AccountContact account) {
        RecordRoutes.Popped popped = recordRoutes.pop(request, flow.remote().getAddress());
        if (StatefulProxy.looped(request)) {
            answer(tx, responder.response(request, flow, 482, "Loop Detected"));
            return;
        }
        var decision = calls.router().arrival(account);
        if (decision instanceof CallRouter.Decision.Fork fork) {
            log.debug("call-id={} arriving on the SIP account of {} from {} to {} branch(es)", request.callId(),
                    account.user(), flow.remote(), fork.targets().size());
            // A Route the sender preloaded is not followed: the call goes to the user, nowhere else.
            proxy.forward(request, flow, tx, fork.targets(), List.of(), true, false, false,
                    account.tenantId().orElse(null));
        } else {
            var reject = (CallRouter.Decision.Reject) decision;
            answer(tx, responder.response(request, flow, reject.status(), reject.reason()));
        }
    }

    /**
     * SPEC 4.3 for everything but REGISTER: a request from a party of a dialog of ours (our Route
     * with a valid token) follows its dialog; anything else passes the trunk gate (its IP methods,
     * else 407 and the credentials of a sipuser method or a tenant user) and is then routed by its
     * dialog, or by its Request-URI when it starts one.
     */
    private void proxy(SipRequest request, Flow flow, ServerTransaction tx, ScreenedCall screened) {
        RecordRoutes.Popped popped = recordRoutes.pop(request, flow.remote().getAddress());
        if (StatefulProxy.looped(request)) {
            answer(tx, responder.response(request, flow, 482, "Loop Detected"));
            return;
        }
        if (popped.fromParty()) {
            followDialog(request, flow, tx, popped, false);
            return;
        }
        var verdict = gateVerdict(request, flow.remote().getAddress(), screened);
        if (verdict instanceof CallAuthenticator.Verdict.Admitted admitted) {
            if (request.to().tag().isPresent()) {
                if (recordRoutes.ofTenant(request, popped, admitted.caller().tenantId())) {
                    // A dialog of ours, from someone the gate lets in (a trunk's other address, a user)
                    // of the tenant whose call it is; credentials for our realm go no further.
                    followDialog(request, flow, tx, popped, admitted.byCredentials());
                } else {
                    // In a dialog, yet not on a route we recorded: no dialog of ours.
                    answer(tx, responder.response(request, flow, 481, "Call/Transaction Does Not Exist"));
                }
                return;
            }
            var decision = calls.router().route(request, admitted.caller());
            if (decision instanceof CallRouter.Decision.Fork fork) {
                List<Target> targets = secureOnly(request, flow, fork.targets());
                if (targets.isEmpty() && !fork.targets().isEmpty()) {
                    answer(tx, sipsRefusal(request, flow));
                    return;
                }
                log.debug("call-id={} {} from {} to {} branch(es)", request.callId(), request.method(),
                        flow.remote(), targets.size());
                // Routed by Request-URI (SPEC 4.3): a Route the caller preloaded beyond our own entries
                // is dropped, as Kamailio's default script does, or any caller could have its call
                // sent to any host, another tenant's trunk included.
                proxy.forward(request, flow, tx, targets, List.of(),
                        DIALOG_CREATING.contains(request.method()), admitted.byCredentials(),
                        admitted.caller() instanceof Caller.User, admitted.caller().tenantId());
            } else {
                var reject = (CallRouter.Decision.Reject) decision;
                answer(tx, responder.response(request, flow, reject.status(), reject.reason()));
            }
            return;
        }
        if (popped.dialogToken()) {
            log.info("call-id={} {} from {} carries a dialog's Route but is no party of it: {}", request.callId(),
                    request.method(), flow.remote(), verdict instanceof CallAuthenticator.Verdict.Challenged
                            ? "challenged" : "refused");
        }
        if (tx.isInvite()) {
            // Credentials that failed (a wrong password, a made-up nonce, a locked user): an INVITE
            // transaction would resend this answer until an ACK (timer G), state and traffic for a
            // sender that may be spoofed (SPEC 4.4). It goes once, statelessly, as the challenge to
            // a request without credentials does; a retransmission is judged again.
            flow.send(gateAnswer(request, flow, verdict, true).toBytes());
            tx.abort();
            return;
        }
        answer(tx, gateAnswer(request, flow, verdict, false));
    }

    private SipResponse.Builder sipsRefusal(SipRequest request, Flow flow) {
        return responder.response(request, flow, 480, "Temporarily Unavailable")
                .header("Warning", "399 switchboard \"A SIPS request goes over TLS on every hop\"");
    }

    /**
     * A {@code sips:} Request-URI asks for TLS on every hop (RFC 3261 §26.2.2, RFC 5630): such a
     * request is taken only over TLS and goes only to targets reached over TLS; none may be left.
     */
    private static List<Target> secureOnly(SipRequest request, Flow flow, List<Target> targets) {
        if (!(request.requestUri() instanceof SipUri uri) || !uri.isSecure()) {
            return targets;
        }
        return targets.stream().filter(t -> keepsSips(request, flow, t)).toList();
    }

    /** Whether sending the request to this target keeps what a {@code sips:} Request-URI asks for. */
    private static boolean keepsSips(SipRequest request, Flow flow, Target target) {
        return !(request.requestUri() instanceof SipUri uri) || !uri.isSecure()
                || flow.transport() == Transport.TLS && target.hop().transport() == Transport.TLS;
    }

    private void followDialog(SipRequest request, Flow flow, ServerTransaction tx, RecordRoutes.Popped popped,
                              boolean dropProxyAuthorization) {
        Optional<Target> next = dialogTarget(request, flow, popped);
        if (next.isEmpty()) {
            answer(tx, responder.response(request, flow, 416, "Unsupported URI Scheme"));
            return;
        }
        if (!keepsSips(request, flow, next.get())) {
            // A SIPS dialog's requests keep to TLS as its first did (a re-INVITE may carry SDES keys).
            answer(tx, sipsRefusal(request, flow));
            return;
        }
        proxy.forward(request, flow, tx, List.of(next.get()), List.of(), false, dropProxyAuthorization, false, null);
    }

    /** The gate's verdict, from what the stateless screening found when there was one. */
    private CallAuthenticator.Verdict gateVerdict(SipRequest request, InetAddress source, ScreenedCall screened) {
        return screened == null ? calls.gate().authenticate(request, source)
                : calls.gate().verdict(request, source, screened.screening());
    }

    /**
     * Where an in-dialog request goes: the next Route entry; else the other party's real address
     * when the proxy reached it at its source (a phone behind NAT); else the Request-URI (the
     * remote target).
     */
    private static Optional<Target> dialogTarget(SipRequest request, Flow flow, RecordRoutes.Popped popped) {
        List<String> routes = popped.remaining().stream().map(Object::toString).toList();
        if (!popped.remaining().isEmpty() && popped.remaining().get(0).uri() instanceof SipUri next) {
            return Optional.of(new Target(request.requestUri(), routes, Hop.of(next), "route " + next));
        }
        Optional<Hop> caller = popped.callerSource();
        Optional<Hop> callee = popped.calleeSource();
        Optional<Hop> other = caller.isPresent() && caller.get().isPeerOf(flow) ? callee
                : callee.isPresent() && callee.get().isPeerOf(flow) ? caller
                : caller.isEmpty() ? callee : callee.isEmpty() ? caller : Optional.empty();
        if (other.isPresent()) {
            // Reached at its source, as when the call began: over TCP/TLS, once that connection is
            // gone (the phone registered again over a new one), at its Contact, the Request-URI.
            return Optional.of(new Target(request.requestUri(), routes, other.get(), "dialog peer " + other.get(),
                    Optional.empty(), true));
        }
        if (request.requestUri() instanceof SipUri target) {
            return Optional.of(new Target(target, routes, Hop.of(target), "dialog " + target.host()));
        }
        return Optional.empty();
    }

    /** An ACK either ends a failure response's INVITE transaction, or (for a 2xx) follows the dialog's route. */
    private void onAck(SipRequest request, Flow flow, TransactionId id) {
        Optional<ServerTransaction> server = transactions.findServer(id);
        if (server.isPresent() && !server.get().onAck()) {
            return;
        }
        RecordRoutes.Popped popped = recordRoutes.pop(request, flow.remote().getAddress());
        if (!popped.dialogToken() || (request.maxForwards().isPresent() && request.maxForwards().getAsInt() <= 0)) {
            return;
        }
        // An ACK cannot be challenged: from anyone but a party, only what the gate lets in as it is.
        if (!popped.fromParty() && !(calls.gate().authenticate(request, flow.remote().getAddress())
                instanceof CallAuthenticator.Verdict.Admitted admitted
                && recordRoutes.ofTenant(request, popped, admitted.caller().tenantId()))) {
            return;
        }
        dialogTarget(request, flow, popped).filter(target -> keepsSips(request, flow, target))
                .ifPresent(target -> proxy.relayStateless(request, flow, target));
    }

    /**
     * The gate's cheap answers (403 for a domain we do not serve or a locked source, 407 to a
     * request without credentials) go out without a transaction, as for REGISTER: a scanner's
     * flood leaves no state behind. What is left (a trunk's source, credentials to verify) is
     * carried to the transaction, so the gate looks the request up once.
     */
    private Screening screenCall(SipRequest request, Flow flow) {
        if (isUasFor(request)) {
            return Screened.UNSCREENED;
        }
        if (!(request.requestUri() instanceof SipUri) || isAgentCall(request) || notServedHere(request)
                || !SipRequest.unsupported(request.proxyRequire(), SUPPORTED).isEmpty()
                || (request.maxForwards().isPresent() && request.maxForwards().getAsInt() == 0)
                || recordRoutes.pop(request, flow.remote().getAddress()).fromParty()) {
            return Screened.UNSCREENED;
        }
        var screening = calls.gate().screen(request, flow.remote().getAddress());
        if (screening instanceof CallAuthenticator.Screening.Decided decided
                && !(decided.verdict() instanceof CallAuthenticator.Verdict.Admitted)) {
            flow.send(gateAnswer(request, flow, decided.verdict(), true).toBytes());
            return Screened.ANSWERED;
        }
        return new ScreenedCall(screening);
    }

    private SipResponse.Builder gateAnswer(SipRequest request, Flow flow, CallAuthenticator.Verdict verdict,
                                           boolean stateless) {
        if (verdict instanceof CallAuthenticator.Verdict.Challenged challenge) {
            var response = reply(request, flow, 407, "Proxy Authentication Required", stateless);
            challenge.proxyAuthenticate().forEach(v -> response.header("Proxy-Authenticate", v));
            return response;
        }
        log.debug("call-id={} {} from {} refused: {}", request.callId(), request.method(), flow.remote(),
                ((CallAuthenticator.Verdict.Refused) verdict).reason());
        return reply(request, flow, 403, "Forbidden", stateless);
    }

    /** How the stateless look at a request ended. */
    private sealed interface Screening permits Screened, ScreenedRegister, ScreenedCall {
    }

    private enum Screened implements Screening {
        /** Answered already (unknown domain, no credentials, locked): nothing more to do. */
        ANSWERED,
        /** Not screened (an unusual request): the transaction's path decides everything. */
        UNSCREENED
    }

    /** A REGISTER with credentials to verify, and whose they are: looked up and parsed once. */
    private record ScreenedRegister(SipTenant tenant, RegisterTarget target,
                                    RegisterAuthenticator.Screening.Verify credentials) implements Screening {
    }

    /**
     * The AOR a REGISTER authenticates against: the To AOR when it names one of the tenant's
     * ({@code served}), else the digest user's own, and the answer is then 404 at best.
     */
    private record RegisterTarget(AddressOfRecord aor, boolean served) {
    }

    private RegisterTarget registerTarget(SipRequest request, SipTenant tenant) {
        Optional<AddressOfRecord> named = addressOfRecord(request, tenant);
        return new RegisterTarget(named.orElseGet(() -> registrar.authenticator().claimant(request, tenant)),
                named.isPresent());
    }

    /** A call the gate has looked at: a trunk's source admitted, or credentials to verify. */
    private record ScreenedCall(CallAuthenticator.Screening screening) implements Screening {
    }

    /**
     * What a scanner gets (a domain we do not serve, no credentials, a locked user or source) is
     * answered without a transaction, as Kamailio's stateless replies: a flood of such REGISTERs
     * leaves no state behind, and a retransmission gets the answer again, the same one (see
     * {@link SipResponder#statelessResponse}).
     */
    private Screening screenRegister(SipRequest request, Flow flow) {
        if (!(request.requestUri() instanceof SipUri)
                || !SipRequest.unsupported(request.require(), SUPPORTED).isEmpty()
                || !SipRequest.unsupported(request.proxyRequire(), SUPPORTED).isEmpty()) {
            return Screened.UNSCREENED;
        }
        Optional<SipTenant> tenant = registerTenant(request);
        if (tenant.isEmpty()) {
            flow.send(responder.statelessResponse(request, flow, 403, "Forbidden").toBytes());
            return Screened.ANSWERED;
        }
        RegisterTarget target = registerTarget(request, tenant.get());
        var screening = registrar.authenticator().screen(request, tenant.get(), target.aor(), flow.remoteHost());
        if (screening instanceof RegisterAuthenticator.Screening.Verify verify) {
            return new ScreenedRegister(tenant.get(), target, verify);
        }
        flow.send(authAnswer(request, flow, ((RegisterAuthenticator.Screening.Answer) screening).outcome(), true)
                .toBytes());
        return Screened.ANSWERED;
    }

    /**
     * REGISTER (RFC 3261 §10.3): for a domain we serve, the AOR named in To, after digest
     * authentication of the AOR's own user (unknown users look exactly like wrong passwords),
     * then the bindings are added, refreshed or removed and every current one is listed.
     */
    private void register(SipRequest request, Flow flow, ServerTransaction tx, ScreenedRegister screened) {
        String source = flow.remoteHost();
        SipTenant tenant;
        RegisterTarget target;
        RegisterAuthenticator.Outcome auth;
        if (screened != null) {
            tenant = screened.tenant();
            target = screened.target();
            auth = registrar.authenticator().verify(request, tenant, target.aor(), source, screened.credentials());
        } else {
            Optional<SipTenant> found = registerTenant(request);
            if (found.isEmpty()) {
                // Not a domain of ours, or a disabled tenant's: we are nobody's registrar for it.
                answer(tx, responder.response(request, flow, 403, "Forbidden"));
                return;
            }
            tenant = found.get();
            target = registerTarget(request, tenant);
            auth = registrar.authenticator().authenticate(request, tenant, target.aor(), source);
        }
        if (auth instanceof RegisterAuthenticator.Outcome.Accepted && !target.served()) {
            // RFC 3261 §10.3: authentication (steps 3, 4) before the AOR check (step 5), so only a
            // user who proved who they are learns that To names no AOR of this domain.
            answer(tx, responder.response(request, flow, 404, "Not Found"));
        } else if (auth instanceof RegisterAuthenticator.Outcome.Accepted accepted) {
            Instant now = registrar.clock().instant();
            var outcome = registrar.registrar().register(request, target.aor(), accepted.user(), flow, now);
            answer(tx, registerAnswer(request, flow, outcome, now));
        } else {
            answer(tx, authAnswer(request, flow, auth, false));
        }
    }

    /**
     * The tenant a REGISTER is for: the Request-URI's domain, or, when the Request-URI names this
     * server by address (phones configured with the registrar's IP), the domain of the To AOR, as
     * Kamailio's registrar does.
     */
    private Optional<SipTenant> registerTenant(SipRequest request) {
        if (!(request.requestUri() instanceof SipUri uri)) {
            return Optional.empty();
        }
        Optional<SipTenant> tenant = registrar.directory().tenantByDomain(uri.host());
        if (tenant.isEmpty() && local.isLocalHost(uri.host()) && request.to().uri() instanceof SipUri to) {
            tenant = registrar.directory().tenantByDomain(to.host());
        }
        return tenant.filter(SipTenant::enabled);
    }

    /** 401 with the challenges; 403 alike for wrong credentials, unknown users, replays and locks. */
    private SipResponse.Builder authAnswer(SipRequest request, Flow flow, RegisterAuthenticator.Outcome auth,
                                           boolean stateless) {
        if (auth instanceof RegisterAuthenticator.Outcome.Challenged challenge) {
            var response = reply(request, flow, 401, "Unauthorized", stateless);
            challenge.wwwAuthenticate().forEach(v -> response.header("WWW-Authenticate", v));
            return response;
        }
        return reply(request, flow, 403, "Forbidden", stateless);
    }

    /** A response to send in a transaction, or without one (then the same for every copy of the request). */
    private SipResponse.Builder reply(SipRequest request, Flow flow, int status, String reason, boolean stateless) {
        return stateless ? responder.statelessResponse(request, flow, status, reason)
                : responder.response(request, flow, status, reason);
    }

    /** The AOR is the To URI; it must name a user of the tenant's domain. */
    private static Optional<AddressOfRecord> addressOfRecord(SipRequest request, SipTenant tenant) {
        if (request.to().uri() instanceof SipUri to && to.user().isPresent()
                && DomainNames.same(to.host(), tenant.domain())) {
            return Optional.of(new AddressOfRecord(to.user().get(), tenant.domain()));
        }
        return Optional.empty();
    }

    /**
     * Whether a REGISTER asks for an RFC 5626 flow that this registrar keeps: the UA supports
     * outbound, a contact carries {@code +sip.instance} and {@code reg-id}, and this server is the
     * first hop (no Path) or the edge proxy marked its Path entry with {@code ob}.
     */
    private static boolean usesOutbound(SipRequest request) {
        boolean supported = supports(request, "outbound");
        boolean flowContact = request.contacts().stream()
                .anyMatch(c -> c.param("reg-id").isPresent() && c.param("+sip.instance").isPresent());
        List<String> path = request.headers("Path");
        return supported && flowContact && (path.isEmpty() || firstPathHasOb(path.get(0)));
    }

    private static boolean firstPathHasOb(String pathValue) {
        try {
            return NameAddress.parseList(pathValue).get(0).uri() instanceof SipUri uri && uri.params().has("ob");
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    /** Whether the request lists this option tag in Supported (tags are case-insensitive). */
    private static boolean supports(SipRequest request, String option) {
        for (String supported : request.supported()) {
            if (supported.equalsIgnoreCase(option)) {
                return true;
            }
        }
        return false;
    }

    private SipResponse.Builder registerAnswer(SipRequest request, Flow flow, Registrar.Outcome outcome, Instant now) {
        if (outcome instanceof Registrar.Outcome.Registered registered) {
            var ok = responder.response(request, flow, 200, "OK")
                    .header("Date", SipDate.format(now));
            for (String contact : Registrar.contactValues(registered.bindings(), now)) {
                ok.header("Contact", contact);
            }
            if (supports(request, "path")) {
                // RFC 3327 §5.3: echo the Path we stored, so the UA learns its route.
                request.headers("Path").forEach(p -> ok.header("Path", p));
            }
            if (usesOutbound(request)) {
                // RFC 5626 §6: the flow is kept (we route to the instance over the flow it registered
                // last, and answer its STUN and CRLF keep-alives), and the UA is told so.
                ok.header("Require", "outbound");
            }
            return ok;
        }
        if (outcome instanceof Registrar.Outcome.IntervalTooBrief brief) {
            return responder.response(request, flow, 423, "Interval Too Brief")
                    .header("Min-Expires", Long.toString(brief.minSeconds()));
        }
        if (outcome instanceof Registrar.Outcome.TooManyContacts) {
            return responder.response(request, flow, 403, "Too Many Contacts");
        }
        if (outcome instanceof Registrar.Outcome.OutOfOrder) {
            // RFC 3261 §10.3 step 7: an old or reordered request for a binding fails as a whole.
            return responder.response(request, flow, 500, "Out Of Order Request");
        }
        return responder.response(request, flow, 400, ((Registrar.Outcome.Invalid) outcome).reason());
    }

    private void onCancel(SipRequest cancel, Flow reply, TransactionId cancelId) {
        if (!(transactions.serverTransaction(cancelId, reply) instanceof TransactionLayer.Created created)) {
            return;
        }
        TransactionId inviteId = new TransactionId(cancelId.branch(), cancelId.sentBy(), Methods.INVITE);
        boolean found = transactions.findServer(inviteId).isPresent();
        answer(created.transaction(), responder.response(cancel, reply, found ? 200 : 481,
                found ? "OK" : "Call/Transaction Does Not Exist"));
        if (found) {
            proxy.cancel(inviteId);
        }
    }

    private void answer(ServerTransaction tx, SipResponse.Builder response) {
        responder.send(tx, response);
    }

    /**
     * A peer that opened a TCP/TLS connection and put {@code alias} in its Via (RFC 5923) asks
     * that requests to its advertised address reuse this connection instead of a new one.
     */
    private void reuseConnection(SipRequest request, Flow flow) {
        var via = request.topVia();
        if (!flow.transport().isStream() || !via.params().has("alias")) {
            return;
        }
        String host = via.host().replace("[", "").replace("]", "");
        // Only address literals: a host name would need a DNS lookup on the event loop.
        if (Cidr.parse(host).filter(c -> c.prefix() == c.maxPrefix()).isEmpty()) {
            return;
        }
        try {
            int port = via.port().orElse(flow.transport().defaultPort());
            connections.alias(flow, new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (UnknownHostException impossibleForALiteral) {
            log.debug("cannot alias {}", host);
        }
    }

    /**
     * The transaction id: the RFC 3261 branch, or for RFC 2543 peers a key built from the fields
     * RFC 3261 §17.2.3 names for them. The sent-by is qualified with the flow the request came
     * on: a genuine retransmission always comes from the same place, and a request from anywhere
     * else cannot step into (or CANCEL) another peer's transaction by reusing its branch.
     */
    static TransactionId transactionId(SipRequest request, Flow flow) {
        var via = request.topVia();
        String sentBy = via.host() + ":" + via.port().orElse(0) + "|" + flow.transport() + " " + flow.remote();
        String branch = via.branch().filter(TransactionId::isRfc3261Branch).orElseGet(() ->
                "2543:" + request.requestUri() + "|" + request.from().tag().orElse("") + "|" + request.callId()
                        + "|" + request.cseq().number());
        return TransactionId.of(branch, sentBy, request.method());
    }
}
