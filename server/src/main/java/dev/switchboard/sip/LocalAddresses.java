package dev.switchboard.sip;

import dev.switchboard.sip.message.SipUri;
import dev.switchboard.sip.net.IpText;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Tells whether a Request-URI names this server itself (one of its addresses or host names). */
public final class LocalAddresses {

    private final Set<String> names = new HashSet<>();

    public LocalAddresses(String configuredHost) {
        names.add("localhost");
        if (configuredHost != null && !configuredHost.isBlank()) {
            names.add(strip(configuredHost));
        }
        try {
            var interfaces = NetworkInterface.getNetworkInterfaces();
            while (interfaces != null && interfaces.hasMoreElements()) {
                var addresses = interfaces.nextElement().getInetAddresses();
                while (addresses.hasMoreElements()) {
                    names.add(IpText.of(addresses.nextElement()));
                }
            }
        } catch (SocketException e) {
            // without interface enumeration, only the configured host and localhost count
        }
        try {
            names.add(strip(InetAddress.getLocalHost().getHostName()));
        } catch (java.io.IOException e) {
            // no resolvable host name
        }
    }

    /** OPTIONS pings without a user part, or to one of our addresses, are for the server itself. */
    public boolean isAddressedToUs(SipUri uri) {
        return uri.user().isEmpty() || isLocalHost(uri.host());
    }

    /** Whether the host is one of this server's addresses or names. */
    public boolean isLocalHost(String host) {
        return names.contains(strip(host));
    }

    /** Lowercase, without brackets, and an IPv6 literal in its one RFC 5952 spelling. */
    private static String strip(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.indexOf(':') < 0 ? h : IpText.canonicalIpv6(h).orElse(h);
    }
}
