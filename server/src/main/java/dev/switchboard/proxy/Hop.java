package dev.switchboard.proxy;

import dev.switchboard.sip.message.SipUri;
import dev.switchboard.sip.net.Cidr;
import dev.switchboard.sip.transport.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The next hop of a request: transport, host and port, as RFC 3263 picks them from a URI without
 * NAPTR/SRV (the transport from {@code transport=} or {@code sips}, the port from the URI or the
 * transport's default). Host names are resolved off the event loop.
 */
public record Hop(Transport transport, String host, int port) {

    public static Hop of(SipUri uri) {
        Transport transport = uri.isSecure() ? Transport.TLS
                : uri.param("transport").flatMap(Transport::of).orElse(Transport.UDP);
        return new Hop(transport, bare(uri.host()), uri.port().orElse(transport.defaultPort()));
    }

    /** A hop given as "address:port" (how bindings record their source) and a transport name. */
    public static Hop ofSource(String source, String transport) {
        int colon = source.lastIndexOf(':');
        return new Hop(Transport.of(transport).orElse(Transport.UDP), bare(source.substring(0, colon)),
                Integer.parseInt(source.substring(colon + 1)));
    }

    /** The hop a flow leads to: its transport and remote address. */
    public static Hop of(dev.switchboard.sip.transport.Flow flow) {
        return new Hop(flow.transport(), flow.remoteHost(), flow.remote().getPort());
    }

    /** This hop as one URI parameter value ({@code udp~10.0.0.5~5060}); {@link #ofToken} reads it back. */
    public String token() {
        return transport.name().toLowerCase(java.util.Locale.ROOT) + "~" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host)
                + "~" + port;
    }

    public static java.util.Optional<Hop> ofToken(String token) {
        String[] parts = token.split("~", -1);
        if (parts.length != 3) {
            return java.util.Optional.empty();
        }
        try {
            var transport = Transport.of(parts[0]);
            int port = Integer.parseInt(parts[2]);
            Hop hop = new Hop(transport.orElse(null), bare(parts[1]), port);
            return transport.isPresent() && hop.isLiteral() && port > 0 && port < 65536
                    ? java.util.Optional.of(hop) : java.util.Optional.empty();
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    /** Whether this hop is the address of that flow's peer (the sender of a request). */
    public boolean isPeerOf(dev.switchboard.sip.transport.Flow flow) {
        return flow.remote().getPort() == port && flow.remoteHost().equals(host)
                || flow.remote().getPort() == port && Cidr.parse(host).equals(Cidr.parse(
                        flow.remoteHost()));
    }

    /** The socket address, at once for an address literal, else by a DNS lookup on {@code resolver}. */
    public CompletableFuture<InetSocketAddress> resolve(Executor resolver) {
        if (isLiteral()) {
            try {
                return CompletableFuture.completedFuture(new InetSocketAddress(InetAddress.getByName(host), port));
            } catch (UnknownHostException impossibleForALiteral) {
                return CompletableFuture.failedFuture(impossibleForALiteral);
            }
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new InetSocketAddress(InetAddress.getByName(host), port);
            } catch (UnknownHostException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, resolver);
    }

    private boolean isLiteral() {
        return Cidr.parse(host).filter(c -> c.prefix() == c.maxPrefix()).isPresent();
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    @Override
    public String toString() {
        return transport + " " + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
