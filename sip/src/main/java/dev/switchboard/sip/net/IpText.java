package dev.switchboard.sip.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * IP addresses as SIP writes them: IPv6 in the RFC 5952 form ({@code ::1}, lowercase, longest
 * zero run compressed) without a zone, bracketed where a URI or Via sent-by needs it.
 *
 * <p>{@link InetAddress#getHostAddress()} is not usable on the wire: for a datagram from
 * {@code ::1} it gives {@code 0:0:0:0:0:0:0:1%0}, and a {@code %} zone is not allowed in
 * {@code received=} (RFC 3261 §25.1) nor in a URI host; the same address would also get two
 * spellings as a throttle key or a binding's source.
 */
public final class IpText {

    private IpText() {
    }

    /** The address without brackets, as {@code received=} and source fields want it. */
    public static String of(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        return Cidr.of(address).toString();
    }

    /**
     * An IPv6 literal as text ({@code 0:0::1}, {@code [::1]}) in its one spelling, without
     * brackets; empty for anything else. Parsed, never looked up.
     */
    public static Optional<String> canonicalIpv6(String text) {
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        return Cidr.parse(bare).filter(c -> c.v6() && c.prefix() == 128).map(Cidr::toString);
    }

    /** The address as a URI host or Via sent-by host: IPv6 in brackets. */
    public static String uriHost(InetAddress address) {
        String text = of(address);
        return address instanceof Inet6Address ? "[" + text + "]" : text;
    }
}
