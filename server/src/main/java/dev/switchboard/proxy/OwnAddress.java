package dev.switchboard.proxy;

import dev.switchboard.sip.net.IpText;
import dev.switchboard.sip.transport.Transport;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The address this server writes into Via and Record-Route towards a peer: the configured
 * advertised host, else the listening address when it is a specific one, else the source address
 * the operating system routes from towards that peer (learned once per peer address and cached).
 */
public final class OwnAddress {

    private static final int MAX_CACHED = 10_000;

    private final Optional<String> fixed;
    private final Function<Transport, Optional<InetSocketAddress>> listening;
    private final Map<InetAddress, String> towards = new ConcurrentHashMap<>();

    /**
     * @param advertised the host to advertise (a name or address), blank to work it out
     * @param listening  where each transport listens
     */
    public OwnAddress(String advertised, Function<Transport, Optional<InetSocketAddress>> listening) {
        this.fixed = Optional.ofNullable(advertised).map(String::strip).filter(s -> !s.isEmpty());
        this.listening = listening;
    }

    /** Host for a URI or Via (IPv6 in brackets) that {@code peer} can reach us at. */
    public String hostTowards(InetAddress peer) {
        if (fixed.isPresent()) {
            return fixed.get();
        }
        Optional<InetSocketAddress> bound = listening.apply(Transport.UDP).or(() -> listening.apply(Transport.TCP));
        if (bound.isPresent() && !bound.get().getAddress().isAnyLocalAddress()) {
            return literal(bound.get().getAddress());
        }
        String known = towards.get(peer);
        if (known != null) {
            return known;
        }
        String learned = literal(routeSource(peer).orElse(peer.isLoopbackAddress() ? peer : loopback()));
        if (towards.size() >= MAX_CACHED) {
            towards.clear();
        }
        towards.put(peer, learned);
        return learned;
    }

    /** The port a transport listens on. */
    public int port(Transport transport) {
        return listening.apply(transport).map(InetSocketAddress::getPort).orElse(transport.defaultPort());
    }

    private static Optional<InetAddress> routeSource(InetAddress peer) {
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(new InetSocketAddress(peer, 9));
            return Optional.ofNullable(probe.getLocalAddress()).filter(a -> !a.isAnyLocalAddress());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static InetAddress loopback() {
        return InetAddress.getLoopbackAddress();
    }

    static String literal(InetAddress address) {
        return IpText.uriHost(address);
    }
}
