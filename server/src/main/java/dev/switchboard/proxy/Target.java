package dev.switchboard.proxy;

import dev.switchboard.sip.message.Uri;
import java.util.List;

/**
 * One branch's destination (RFC 3261 §16.5): the Request-URI the forwarded request carries, the
 * Route values put in front of it (a binding's Path, the rest of a dialog's route set), and the
 * hop it is sent to.
 *
 * @param label what the branch is for in logs ("binding 10.0.0.5:5060", "trunk Carrier")
 */
public record Target(Uri requestUri, List<String> routes, Hop hop, String label) {

    public Target {
        routes = List.copyOf(routes);
    }
}
