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
