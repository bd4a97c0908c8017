package dev.switchboard.proxy;

import static dev.switchboard.sip.transaction.TimerService.cancel;

import dev.switchboard.sip.message.SipRequest;
import dev.switchboard.sip.message.SipResponse;
import dev.switchboard.sip.transaction.ServerTransaction;
import dev.switchboard.sip.transaction.TimerService;
import dev.switchboard.sip.transport.Flow;
import dev.switchboard.sip.digest.DigestClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One proxied request and its branches (RFC 3261 §16.7): passes provisional responses up, the
 * first 2xx (and any later one) at once while cancelling the other branches, and otherwise the
 * best final response once every branch has ended. A CANCEL from upstream or the ring timeout
 * cancels what is still ringing. All state changes happen under this object's monitor.
 */
final class ProxyCall {

    /** A branch's final answer; {@code response} is null when we made it up (timeout, no route). */
    private record Outcome(int status, String reason, SipResponse response) {
    }

    private static final DigestClient DIGEST = new DigestClient();

    private final StatefulProxy proxy;
    final SipRequest request;
    final Flow inbound;
    final ServerTransaction server;
    final boolean invite;
    final boolean recordRoute;
    final boolean dropProxyAuthorization;
    final boolean callerAtSource;
    /** Whose call this is: written into the Record-Route, so only this tenant's callers may follow it. */
    final java.util.UUID tenant;
    /** Names this pass in our Record-Route entries. */
    final String pass = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt() & 0xffffffffL);
    private final List<Branch> branches = new ArrayList<>();
    /** Every 401 and 407 the branches sent: their challenges go up together (§16.7 step 7). */
    private final List<SipResponse> challenges = new ArrayList<>();
    private Outcome best;
    private boolean finalSent;
    private boolean cancelled;
    private boolean ringTimedOut;
    /** Why other branches are cancelled, when a callee answered (RFC 3326): phones then show no missed call. */
    private Optional<String> cancelReason = Optional.empty();
    private TimerService.Timeout ringTimer;

    ProxyCall(StatefulProxy proxy, SipRequest request, Flow inbound, ServerTransaction server, boolean recordRoute,
              boolean dropProxyAuthorization, boolean callerAtSource, java.util.UUID tenant) {
        this.callerAtSource = callerAtSource;
        this.tenant = tenant;
        this.proxy = proxy;
        this.request = request;
        this.inbound = inbound;
        this.server = server;
        this.invite = request.isMethod("INVITE");
        this.recordRoute = recordRoute;
        this.dropProxyAuthorization = dropProxyAuthorization;
    }

    synchronized Branch addBranch(Target target) {
        Branch b = new Branch(this, target);
        branches.add(b);
        return b;
    }

    synchronized void ringTimer(TimerService.Timeout timer) {
        ringTimer = timer;
    }

    /** Whether a branch whose destination is now known should still be sent. */
    synchronized boolean stillWanted(Branch b) {
        return !b.done && !b.cancelWanted;
    }

    synchronized void provisional(Branch b, SipResponse response) {
        b.proceeding = true;
        if (b.cancelWanted) {
            sendCancel(b);
            return;
        }
        if (!finalSent && response.status() > 100) {
            proxy.upstream(this, response);
        }
    }

    synchronized void finalResponse(Branch b, SipResponse response) {
        int status = response.status();
        if (status < 300) {
            // §16.7 step 5: every 2xx goes up, even after another one did; the caller sorts out the dialogs.
            b.done = true;
            proxy.upstream(this, response);
            if (!finalSent) {
                finalSent = true;
                finished();
                cancelReason = Optional.of("SIP;cause=200;text=\"Call completed elsewhere\"");
                cancelOthers(b);
            }
            return;
        }
        if (b.done) {
            return;
        }
        b.done = true;
        if (status == 401 || status == 407) {
            if (retriedWithCredentials(b, response)) {
                return;
            }
            challenges.add(response);
        }
        consider(new Outcome(status, response.reason(), response));
        if (status >= 600) {
            cancelOthers(b);
        }
        answerWhenAllEnded();
    }

    /**
     * A challenge from the next hop on a branch that goes out through a SIP account: send the
     * request again, once, with the account's digest answer (as Kamailio's uac_auth does, with
     * the caller's CSeq).
     */
    private boolean retriedWithCredentials(Branch b, SipResponse challenge) {
        if (b.target.upstream().isEmpty() || b.authorization != null || finalSent || cancelled || ringTimedOut) {
            return false;
        }
        UpstreamAccount account = b.target.upstream().get();
        boolean proxyChallenge = challenge.status() == 407;
        Optional<String> answer = DIGEST.authorize(
                challenge.headers(proxyChallenge ? "Proxy-Authenticate" : "WWW-Authenticate"), request.method(),
                b.target.requestUri().toString(), account.authUser(), account.password());
        if (answer.isEmpty()) {
            return false;
        }
        Branch retry = addBranch(b.target);
        retry.authorization = new Forwarding.Credentials(proxyChallenge ? "Proxy-Authorization" : "Authorization",
                answer.get());
        proxy.start(retry);
        return true;
    }

    /** The branch ended without a response (timeout, unreachable): as if it answered {@code status}. */
    synchronized void failed(Branch b, int status, String reason) {
        if (b.done) {
            return;
        }
        b.done = true;
        consider(new Outcome(status, reason, null));
        answerWhenAllEnded();
    }

    /** A CANCEL from upstream matched this call (§16.10). */
    synchronized void cancelledUpstream() {
        if (finalSent) {
            return;
        }
        cancelled = true;
        cancelOthers(null);
        answerWhenAllEnded();
    }

    /**
     * The node is going down and cannot wait minutes for an answer: the caller hears 503 at once
     * (RFC 3261 §21.5.4, so it may retry through another node) and every branch is cancelled,
     * rather than both sides being left without a final response when the sockets close.
     */
    synchronized void shuttingDown() {
        if (finalSent) {
            return;
        }
        finalSent = true;
        finished();
        cancelOthers(null);
        proxy.answer(this, 503, "Service Unavailable");
    }

    /** Nobody answered in time: ring no longer; the caller hears 408. */
    synchronized void ringTimeout() {
        if (finalSent) {
            return;
        }
        ringTimedOut = true;
        cancelOthers(null);
        answerWhenAllEnded();
    }

    private void cancelOthers(Branch except) {
        for (Branch other : branches) {
            if (other == except || other.done || other.cancelWanted) {
                continue;
            }
            other.cancelWanted = true;
            if (other.proceeding) {
                sendCancel(other);
            } else {
                // Nothing heard yet: the CANCEL follows the first provisional (§9.1); for the
                // caller this branch has ended.
                other.done = true;
                consider(new Outcome(487, "Request Terminated", null));
            }
        }
    }

    synchronized Optional<String> cancelReason() {
        return cancelReason;
    }

    private void sendCancel(Branch b) {
        if (!b.cancelSent && b.sent != null && invite) {
            b.cancelSent = true;
            proxy.sendCancel(this, b);
        }
    }

    private void consider(Outcome candidate) {
        if (best == null || better(candidate, best)) {
            best = candidate;
        }
    }

    /**
     * §16.7 step 6: a 6xx first, else the lowest class; among 4xx one that lets the caller try
     * again (a challenge it can answer, 415, 420, 484) whichever came first; in a class, a real
     * answer over "nobody answered".
     */
    private static boolean better(Outcome a, Outcome b) {
        boolean a6 = a.status() >= 600;
        boolean b6 = b.status() >= 600;
        if (a6 != b6) {
            return a6;
        }
        if (a.status() / 100 != b.status() / 100) {
            return a.status() / 100 < b.status() / 100;
        }
        if (resubmittable(a) != resubmittable(b)) {
            return resubmittable(a);
        }
        if (noAnswer(a) && noAnswer(b)) {
            // Both say nobody took the call: what a callee sent (its 487, with its To tag) over what we made up.
            return a.response() != null && b.response() == null;
        }
        return noAnswer(b) && !noAnswer(a);
    }

    private static boolean resubmittable(Outcome o) {
        return o.response() != null && (o.status() == 401 || o.status() == 407 || o.status() == 415
                || o.status() == 420 || o.status() == 484);
    }

    private static boolean noAnswer(Outcome o) {
        return o.response() == null || o.status() == 408 || o.status() == 480 || o.status() == 487;
    }

    private void answerWhenAllEnded() {
        if (finalSent) {
            return;
        }
        for (Branch b : branches) {
            if (!b.done) {
                return;
            }
        }
        finalSent = true;
        finished();
        Outcome answer = best == null ? new Outcome(480, "Temporarily Unavailable", null) : best;
        if (cancelled && !(answer.status() == 487 && answer.response() != null)) {
            // A branch's own 487 is forwarded (§16.7 step 6: the best response received), with
            // its To tag; one is made only when no branch sent it.
            answer = new Outcome(487, "Request Terminated", null);
        } else if (ringTimedOut && (answer.status() == 487 || answer.response() == null)) {
            answer = new Outcome(408, "Request Timeout", null);
        }
        if (answer.response() != null) {
            proxy.upstream(this, withEveryChallenge(answer.response()));
        } else if (answer.status() == 503) {
            // A branch that could not be sent (§16.9: as if it got a 503) is told upstream as 500,
            // as a callee's own 503 is (§16.7 step 6): a 503 would turn the caller away from this proxy.
            proxy.answer(this, 500, "Server Internal Error");
        } else {
            proxy.answer(this, answer.status(), answer.reason());
        }
    }

    /**
     * §16.7 step 7: a 401 or 407 going up carries the WWW-Authenticate and Proxy-Authenticate
     * values of every 401 and 407 received, so the caller can answer each callee's challenge.
     */
    private SipResponse withEveryChallenge(SipResponse chosen) {
        if (chosen.status() != 401 && chosen.status() != 407 || challenges.size() < 2) {
            return chosen;
        }
        SipResponse.Builder merged = chosen.toBuilder();
        for (SipResponse other : challenges) {
            if (other == chosen) {
                continue;
            }
            for (String name : List.of("WWW-Authenticate", "Proxy-Authenticate")) {
                for (String value : other.headers(name)) {
                    merged.header(name, value);
                }
            }
        }
        try {
            return merged.build();
        } catch (IllegalStateException | IllegalArgumentException tooLarge) {
            return chosen;
        }
    }

    private void finished() {
        cancel(ringTimer);
        proxy.forget(this);
    }
}
