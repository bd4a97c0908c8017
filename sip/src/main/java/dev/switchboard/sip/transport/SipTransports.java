package dev.switchboard.sip.transport;

import dev.switchboard.sip.stun.StunCodec;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP listeners (UDP, TCP, TLS; IPv4 or IPv6) and outbound connections on Netty. Hands
 * every complete inbound message to one {@link PacketHandler}; knows nothing of SIP semantics.
 * Uses the native epoll transport where available, with one UDP socket per event loop thread
 * (SO_REUSEPORT) so datagrams are read on every core.
 */
public final class SipTransports implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SipTransports.class);
    /** Datagrams one recvmmsg call may return. */
    private static final int DATAGRAMS_PER_READ = 8;

    private final TransportSettings settings;
    private final PacketHandler handler;
    private final boolean epoll = Epoll.isAvailable();
    private final EventLoopGroup bosses;
    private final EventLoopGroup workers;
    private final java.util.concurrent.atomic.LongAdder oversize = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder refusedAtLimit = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.AtomicLong lastLimitWarning =
            new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - LIMIT_WARNING_NANOS - 1);
    private static final long LIMIT_WARNING_NANOS = 60_000_000_000L;
    private final ConnectionTable connections;
    private final List<Channel> udpChannels = new ArrayList<>();
    private final StunTransactions stunTransactions = new StunTransactions();
    private final Map<Transport, InetSocketAddress> bound = new EnumMap<>(Transport.class);
    private final List<Channel> listeners = new ArrayList<>();
    private SslContext serverTls;
    private SslContext clientTls;

    private SipTransports(TransportSettings settings, PacketHandler handler) {
        this.settings = settings;
        this.handler = handler;
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.bosses = new MultiThreadIoEventLoopGroup(1, io);
        this.workers = new MultiThreadIoEventLoopGroup(settings.eventLoopThreads(), io);
        this.connections = new ConnectionTable(settings.maxConnections(), settings.maxConnectionsPerSource());
    }

    /** Binds every enabled listener; fails if any cannot be bound. */
    public static SipTransports start(TransportSettings settings, PacketHandler handler)
            throws IOException, GeneralSecurityException, InterruptedException {
        SipTransports transports = new SipTransports(settings, handler);
        try {
            transports.bindAll();
        } catch (IOException | GeneralSecurityException | InterruptedException | RuntimeException e) {
            transports.close();
            throw e;
        }
        return transports;
    }

    private void bindAll() throws IOException, GeneralSecurityException, InterruptedException {
        clientTls = TlsContexts.client(settings.tlsVerifyPeers());
        if (settings.udpPort() != TransportSettings.DISABLED) {
            bindUdp();
        }
        if (settings.tcpPort() != TransportSettings.DISABLED) {
            bindStream(Transport.TCP, settings.tcpPort(), null);
        }
        if (settings.tlsPort() != TransportSettings.DISABLED) {
            serverTls = TlsContexts.server(settings);
            bindStream(Transport.TLS, settings.tlsPort(), serverTls);
        }
        log.info("SIP listening on {} ({} transport)", bound, epoll ? "epoll" : "nio");
    }

    private void bindUdp() throws InterruptedException, IOException {
        int sockets = epoll ? settings.eventLoopThreads() : 1;
        int port = settings.udpPort();
        for (int i = 0; i < sockets; i++) {
            Bootstrap b = new Bootstrap().group(workers)
                    .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                    .option(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024)
                    .option(ChannelOption.SO_SNDBUF, 4 * 1024 * 1024)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(
                            epoll ? DATAGRAMS_PER_READ * datagramSize() : 65536))
                    .handler(new ChannelInitializer<DatagramChannel>() {
                        @Override
                        protected void initChannel(DatagramChannel ch) {
                            // Responses written while a read batch is handled leave in one sendmmsg at its end.
                            ch.pipeline().addLast(new FlushConsolidationHandler(DATAGRAMS_PER_READ * 4, false),
                                    new DatagramInbound());
                        }
                    });
            if (epoll) {
                b.option(EpollChannelOption.SO_REUSEPORT, true);
                // recvmmsg: several datagrams per system call, each in its own slot of the read buffer.
                b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, datagramSize());
            }
            Channel channel = bindOrFail(b.bind(settings.host(), port), "UDP", port);
            udpChannels.add(channel);
            if (i == 0) {
                InetSocketAddress address = (InetSocketAddress) channel.localAddress();
                bound.put(Transport.UDP, address);
                port = address.getPort();
            }
        }
    }

    /**
     * One slot of the recvmmsg buffer: a byte more than the largest message accepted, so a
     * datagram cut at the slot's end is seen as too large and dropped rather than read truncated.
     */
    private int datagramSize() {
        return Math.min(settings.maxMessageBytes(), 65535) + 1;
    }

    private void bindStream(Transport transport, int port, SslContext tls) throws InterruptedException, IOException {
        Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ServerBootstrap b = new ServerBootstrap().group(bosses, workers).channel(type)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(streamInitializer(transport, tls, null));
        Channel channel = bindOrFail(b.bind(settings.host(), port), transport.name(), port);
        listeners.add(channel);
        bound.put(transport, (InetSocketAddress) channel.localAddress());
    }

    private static Channel bindOrFail(io.netty.channel.ChannelFuture future, String what, int port)
            throws InterruptedException, IOException {
        future.await();
        if (!future.isSuccess()) {
            throw new IOException("cannot bind SIP " + what + " port " + port + ": " + future.cause().getMessage(),
                    future.cause());
        }
        return future.channel();
    }

    /** @param peer the address we connect to (null for an accepted connection), whose name TLS checks */
    private ChannelInitializer<SocketChannel> streamInitializer(Transport transport, SslContext tls,
                                                                InetSocketAddress peer) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                if (tls != null) {
                    // The context knows whether it is the server or the client side. A client names
                    // the peer: its certificate is checked against that name (or address), and SNI
                    // carries it; without it every certificate failed the name check.
                    ch.pipeline().addLast("tls", peer == null ? tls.newHandler(ch.alloc())
                            : tls.newHandler(ch.alloc(), peer.getHostString(), peer.getPort()));
                }
                long idle = settings.idleTimeout().toMillis();
                ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS));
                ch.pipeline().addLast("framer", new StreamFrameDecoder(settings.maxMessageBytes(),
                        settings.messageReadTimeout()));
                ch.pipeline().addLast("sip", new StreamInbound(transport));
            }
        };
    }

    /**
     * Our public address and port as a STUN server sees the UDP SIP socket (RFC 5389 Binding, sent
     * from that socket: a NAT maps it, not some other socket); fails after about {@code 7 × rto}
     * without an answer, or at once without a UDP listener.
     */
    public CompletableFuture<InetSocketAddress> stunBinding(InetSocketAddress server, java.time.Duration rto,
                                                            int attempts) {
        if (udpChannels.isEmpty()) {
            return CompletableFuture.failedFuture(new IOException("no UDP listener"));
        }
        Channel channel = udpChannels.get(Math.floorMod(server.hashCode(), udpChannels.size()));
        return stunTransactions.bind(channel, server, rto, attempts);
    }

    /** Datagrams dropped because they were over the message size limit. */
    public long oversizeDatagrams() {
        return oversize.sum();
    }

    /** The address a transport listens on, once bound. */
    public Optional<InetSocketAddress> localAddress(Transport transport) {
        return Optional.ofNullable(bound.get(transport));
    }

    public ConnectionTable connections() {
        return connections;
    }

    /**
     * A flow to the remote address: for UDP through the listening socket, for TCP/TLS an open
     * connection to (or from, or aliased to) that address, or a new one.
     */
    public CompletableFuture<Flow> flowTo(Transport transport, InetSocketAddress remote) {
        if (transport == Transport.UDP) {
            if (udpChannels.isEmpty()) {
                return CompletableFuture.failedFuture(new IOException("UDP is not enabled"));
            }
            Channel channel = udpChannels.get(Math.floorMod(remote.hashCode(), udpChannels.size()));
            return CompletableFuture.completedFuture(
                    new DatagramFlow(channel, remote, (InetSocketAddress) channel.localAddress()));
        }
        Optional<Flow> open = connections.find(transport, remote);
        if (open.isPresent()) {
            return CompletableFuture.completedFuture(open.get());
        }
        return connect(transport, remote);
    }

    private CompletableFuture<Flow> connect(Transport transport, InetSocketAddress remote) {
        CompletableFuture<Flow> result = new CompletableFuture<>();
        SslContext tls = transport == Transport.TLS ? clientTls : null;
        Bootstrap b = new Bootstrap().group(workers)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(streamInitializer(transport, tls, remote));
        b.connect(remote).addListener((io.netty.channel.ChannelFuture f) -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
                return;
            }
            StreamInbound inbound = f.channel().pipeline().get(StreamInbound.class);
            inbound.ready.whenComplete((flow, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(flow);
                }
            });
        });
        return result;
    }

    /** Sends bytes to a remote address over a transport, reusing or opening a connection. */
    public CompletableFuture<Flow> send(Transport transport, InetSocketAddress remote, byte[] message) {
        return flowTo(transport, remote).thenApply(flow -> {
            flow.send(message);
            return flow;
        });
    }

    /** Stops listening and closes every connection; in-flight writes are flushed first. */
    @Override
    public void close() {
        for (Channel c : listeners) {
            c.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        for (Channel c : udpChannels) {
            c.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        // Closed here rather than left to the event loops' shutdown, which could leave an accepted
        // connection open with nobody reading it: the peer's requests then went unanswered and
        // unrefused (no FIN) until its transaction timed out.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (ChannelFuture closing : connections.closeAll()) {
            closing.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        bosses.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private void deliver(InboundPacket packet) {
        try {
            handler.onPacket(packet);
        } catch (RuntimeException e) {
            // A bug in message handling must not kill the event loop or the connection.
            log.error("SIP message handling failed for a message from {}", packet.flow().remote(), e);
        }
    }

    /** Reads datagrams: each one is a whole message (RFC 3261 §18.3). */
    private final class DatagramInbound extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ByteBuf content = packet.content();
            int length = content.readableBytes();
            if (length > settings.maxMessageBytes()) {
                // Cut at the read slot: no complete header section to answer 513 from; counted.
                oversize.increment();
                return;
            }
            if (length == 0 || isKeepAlive(content)) {
                return;
            }
            byte[] bytes = ByteBufUtil.getBytes(content);
            if ((bytes[0] & 0xC0) == 0 && StunCodec.looksLikeStun(bytes, bytes.length)) {
                // A SIP message starts with a letter (or a stray CRLF), a STUN one with two zero bits
                // and the magic cookie (RFC 5389 §7.3): the keep-alive of an RFC 5626 flow, answered
                // with the address it came from, or the answer to a Binding request of our own.
                var request = StunCodec.decodeBindingRequest(bytes, bytes.length);
                if (request.isPresent()) {
                    ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(
                            StunCodec.encodeBindingSuccess(request.get(), packet.sender())), packet.sender()));
                } else {
                    stunTransactions.answered(bytes, packet.sender());
                }
                return;
            }
            InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
            deliver(new InboundPacket(bytes,
                    new DatagramFlow(ctx.channel(), packet.sender(), local), System.nanoTime()));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("UDP receive error: {}", cause.toString());
        }

        private boolean isKeepAlive(ByteBuf content) {
            for (int i = content.readerIndex(); i < content.writerIndex(); i++) {
                byte b = content.getByte(i);
                if (b != '\r' && b != '\n') {
                    return false;
                }
            }
            return true;
        }
    }

    /** Receives framed messages of one TCP/TLS connection and keeps it in the connection table. */
    private final class StreamInbound extends ChannelInboundHandlerAdapter {
        private final Transport transport;
        private final CompletableFuture<Flow> ready = new CompletableFuture<>();
        private ConnectionTable.StreamFlow flow;

        StreamInbound(Transport transport) {
            this.transport = transport;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            flow = new ConnectionTable.StreamFlow(ctx.channel(), transport);
            ConnectionTable.Refusal refusal = connections.admit(flow);
            if (refusal != ConnectionTable.Refusal.NONE) {
                flow = null;
                if (refusal == ConnectionTable.Refusal.TOTAL_LIMIT) {
                    refusedAtLimit.increment();
                    long now = System.nanoTime();
                    long last = lastLimitWarning.get();
                    // Once a minute at most: whoever fills the limit could otherwise write a line per connection.
                    if (now - last > LIMIT_WARNING_NANOS && lastLimitWarning.compareAndSet(last, now)) {
                        log.warn("SIP connection limit {} reached; refusing {} ({} refused since the last warning)",
                                settings.maxConnections(), ctx.channel().remoteAddress(), refusedAtLimit.sumThenReset());
                    }
                } else {
                    // Every further connection of a source past its limit would log: debug only.
                    log.debug("SIP connection limit {} per source reached; refusing {}",
                            settings.maxConnectionsPerSource(), ctx.channel().remoteAddress());
                }
                ready.completeExceptionally(new IOException("connection limit reached"));
                ctx.close();
                return;
            }
            if (transport != Transport.TLS) {
                ready.complete(flow);
            }
            super.channelActive(ctx);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof IdleStateEvent) {
                ctx.close();
            } else if (event instanceof io.netty.handler.ssl.SslHandshakeCompletionEvent done) {
                if (done.isSuccess() && flow != null) {
                    ready.complete(flow);
                } else {
                    ready.completeExceptionally(done.cause() == null ? new IOException("TLS failed") : done.cause());
                    ctx.close();
                }
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof byte[] bytes && flow != null) {
                deliver(new InboundPacket(bytes, flow, System.nanoTime()));
            } else if (msg instanceof StreamFrameDecoder.TooLarge tooLarge && flow != null) {
                deliver(new InboundPacket(tooLarge.headers(), flow, System.nanoTime(), true));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (flow != null) {
                connections.remove(flow);
            }
            ready.completeExceptionally(new IOException("connection closed"));
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A stream that cannot be framed cannot be resynchronised: close it.
            log.debug("closing SIP {} connection from {}: {}", transport, ctx.channel().remoteAddress(),
                    cause.toString());
            ctx.close();
        }
    }
}
