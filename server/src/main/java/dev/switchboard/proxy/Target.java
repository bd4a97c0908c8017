package dev.switchboard.proxy;

import dev.switchboard.sip.message.Uri;
import java.util.List;
import java.util.Optional;

/**
 * One branch's destination (RFC 3261 §16.5): the Request-URI the forwarded request carries, the
 * Route values put in front of it (a binding's Path, the rest of a dialog's route set), and the
 * hop it is sent to.
 *
 * @param label    what the branch is for in logs ("binding 10.0.0.5:5060", "trunk Carrier")
 * @param upstream the SIP account whose credentials answer the next hop's challenge, if any
 * @param atSource the hop is where the target's REGISTER came from (a phone perhaps behind NAT):
 *                 its in-dialog requests must go there too, not to its Contact
 */
public record Target(Uri requestUri, List<String> routes, Hop hop, String label, Optional<UpstreamAccount> upstream,
                     boolean atSource) {

    public Target {
        routes = List.copyOf(routes);
    }

    public Target(Uri requestUri, List<String> routes, Hop hop, String label) {
        this(requestUri, routes, hop, label, Optional.empty(), false);
    }

    public Target(Uri requestUri, List<String> routes, Hop hop, String label, Optional<UpstreamAccount> upstream) {
        this(requestUri, routes, hop, label, upstream, false);
    }
}
