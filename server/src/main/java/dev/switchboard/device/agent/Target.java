package dev.switchboard.device.agent;

import dev.switchboard.device.SipAccountSettings;
import dev.switchboard.sip.transport.Transport;

/**
 * Where REGISTERs of an account go: the outbound proxy when set, else the proxy; the port
 * defaults to the transport's (5060, 5061 for TLS). {@code registrar} is the proxy without
 * its {@code sip:} prefix, the Request-URI's host part.
 */
record Target(Transport transport, String host, int port, String registrar) {

    static Target of(SipAccountSettings s) {
        Transport transport = Transport.of(s.transport()).orElse(Transport.UDP);
        String registrar = s.proxy().substring("sip:".length());
        String hop = s.outboundProxy().orElse(registrar);
        int colon = hop.lastIndexOf(':');
        boolean hasPort = colon > hop.lastIndexOf(']') && colon >= 0;
        String host = hasPort ? hop.substring(0, colon) : hop;
        int port = hasPort ? Integer.parseInt(hop.substring(colon + 1)) : transport.defaultPort();
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Target(transport, host, port, registrar);
    }
}
