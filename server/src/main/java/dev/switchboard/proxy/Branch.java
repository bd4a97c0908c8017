package dev.switchboard.proxy;

import dev.switchboard.sip.message.SipResponse;
import dev.switchboard.sip.transaction.ClientTransaction;
import dev.switchboard.sip.transport.Flow;

/**
 * One fork of a proxied request (RFC 3261 §16.6): its target, what it sent, and where it stands.
 * Its state is guarded by the {@link ProxyCall}'s monitor; it hears its client transaction and
 * passes what it hears to the call.
 */
final class Branch implements ClientTransaction.Listener<SipResponse> {

    final ProxyCall call;
    final Target target;
    Flow flow;
    Forwarding.Sent sent;
    /** A provisional response arrived: a CANCEL may now be sent (§9.1). */
    boolean proceeding;
    /** A final response arrived, or the branch failed or was given up. */
    boolean done;
    /** The branch should be cancelled as soon as it may be. */
    boolean cancelWanted;
    boolean cancelSent;
    /** Our answer to the next hop's challenge, for a branch that re-sends after a 401/407; else null. */
    Forwarding.Credentials authorization;

    Branch(ProxyCall call, Target target) {
        this.call = call;
        this.target = target;
    }

    @Override
    public void onResponse(SipResponse response, int status) {
        if (status < 200) {
            call.provisional(this, response);
        } else {
            call.finalResponse(this, response);
        }
    }

    @Override
    public void onTimeout() {
        call.failed(this, 408, "Request Timeout");
    }

    /** §16.9/§17.1.4: a connection lost under a branch is a 503 from it (told upstream as 500), not a timeout. */
    @Override
    public void onTransportError() {
        call.failed(this, 503, "Service Unavailable");
    }

    @Override
    public String toString() {
        return target.label();
    }
}
