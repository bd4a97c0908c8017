package dev.switchboard.sip.transport;

import dev.switchboard.sip.net.PerSourceLimit;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Open TCP/TLS connections by remote address, so requests to a peer reuse the connection it
 * opened (RFC 3261 §18) and, with the Via {@code alias} parameter (RFC 5923), the connection
 * stands for the address in its Via too.
 */
public final class ConnectionTable {

    private record Key(Transport transport, InetSocketAddress remote) {
    }

    /** Why a connection was not admitted. */
    enum Refusal {
        NONE, TOTAL_LIMIT, SOURCE_LIMIT
    }

    private final Map<Key, StreamFlow> flows = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final PerSourceLimit<InetAddress> perSource;
    private final int maxConnections;
    private final List<Consumer<Flow>> closeListeners = new CopyOnWriteArrayList<>();

    public ConnectionTable(int maxConnections) {
        this(maxConnections, 0);
    }

    /** @param maxPerSource connections one remote address may hold; 0 for no limit */
    public ConnectionTable(int maxConnections, int maxPerSource) {
        this.maxConnections = maxConnections;
        this.perSource = new PerSourceLimit<>(maxPerSource);
    }

    /** Records a new connection, unless a limit is reached and it must be closed. */
    Refusal admit(StreamFlow flow) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            return Refusal.TOTAL_LIMIT;
        }
        if (!perSource.tryEnter(flow.remote().getAddress())) {
            open.decrementAndGet();
            return Refusal.SOURCE_LIMIT;
        }
        flows.put(new Key(flow.transport(), flow.remote()), flow);
        return Refusal.NONE;
    }

    void remove(StreamFlow flow) {
        open.decrementAndGet();
        perSource.leave(flow.remote().getAddress());
        flows.values().removeIf(f -> f == flow);
        for (Consumer<Flow> listener : closeListeners) {
            listener.accept(flow);
        }
    }

    /** Calls {@code listener} with each connection that closes, on its I/O thread; it must not block. */
    public void onClosed(Consumer<Flow> listener) {
        closeListeners.add(listener);
    }

    /** Lets an open connection also stand for the address a peer advertised with {@code alias}. */
    public void alias(Flow flow, InetSocketAddress advertised) {
        if (flow instanceof StreamFlow stream && stream.isOpen()) {
            flows.put(new Key(stream.transport(), advertised), stream);
        }
    }

    public Optional<Flow> find(Transport transport, InetSocketAddress remote) {
        StreamFlow flow = flows.get(new Key(transport, remote));
        return flow != null && flow.isOpen() ? Optional.of(flow) : Optional.empty();
    }

    public int size() {
        return open.get();
    }

    /** Starts closing every open connection (at shutdown); answers their close futures. */
    List<ChannelFuture> closeAll() {
        Set<StreamFlow> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(flows.values());
        List<ChannelFuture> closing = new ArrayList<>(distinct.size());
        for (StreamFlow flow : distinct) {
            closing.add(flow.channel().close());
        }
        return closing;
    }

    /** A TCP or TLS connection. */
    static final class StreamFlow implements Flow {
        private final Channel channel;
        private final Transport transport;
        private final InetSocketAddress remote;
        private final InetSocketAddress local;

        StreamFlow(Channel channel, Transport transport) {
            this.channel = channel;
            this.transport = transport;
            this.remote = (InetSocketAddress) channel.remoteAddress();
            this.local = (InetSocketAddress) channel.localAddress();
        }

        @Override
        public Transport transport() {
            return transport;
        }

        @Override
        public InetSocketAddress remote() {
            return remote;
        }

        @Override
        public InetSocketAddress local() {
            return local;
        }

        @Override
        public void send(byte[] message) {
            if (channel.isActive()) {
                channel.writeAndFlush(io.netty.buffer.Unpooled.wrappedBuffer(message), channel.voidPromise());
            }
        }

        @Override
        public boolean isOpen() {
            return channel.isActive();
        }

        @Override
        public void inOrder(Runnable task) {
            channel.eventLoop().execute(task);
        }

        Channel channel() {
            return channel;
        }

        @Override
        public String toString() {
            return transport + " " + remote;
        }
    }
}
