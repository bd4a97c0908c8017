package dev.switchboard.sip;

import dev.switchboard.config.SwitchboardProperties;
import dev.switchboard.proxy.AccountContact;
import dev.switchboard.proxy.CallServices;
import dev.switchboard.proxy.OwnAddress;
import dev.switchboard.proxy.RecordRoutes;
import dev.switchboard.proxy.StatefulProxy;
import dev.switchboard.registrar.ClusterSecret;
import dev.switchboard.registrar.RegistrarServices;
import dev.switchboard.sip.message.SipParser;
import dev.switchboard.sip.message.SipUri;
import dev.switchboard.sip.transaction.SipTimers;
import dev.switchboard.sip.transaction.TransactionLayer;
import dev.switchboard.sip.transaction.WheelTimerService;
import dev.switchboard.sip.transport.PacketHandler;
import dev.switchboard.sip.transport.SipTransports;
import dev.switchboard.sip.transport.Transport;
import dev.switchboard.sip.transport.TransportSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the SIP listeners for the lifetime of the application: starts them once the rest of the
 * application is ready and stops them first on shutdown, after in-flight transactions had a
 * moment to finish.
 */
@Component
public class SipEngine implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SipEngine.class);
    private static final String ANY_IPV6 = "::";

    private final SipProperties properties;
    private final SwitchboardProperties switchboard;
    private final MeterRegistry meters;
    private final RegistrarServices registrar;
    private final CallServices calls;
    private final ClusterSecret clusterSecret;
    private final AtomicReference<Running> running = new AtomicReference<>();

    private record Running(SipTransports transports, WheelTimerService timers, TransactionLayer transactions,
                           ExecutorService resolver, OwnAddress own, StatefulProxy proxy) {
    }

    /** What the outbound user agent (device/agent) sends with: responses reach its client transactions via the router. */
    public record ClientStack(SipTransports transports, TransactionLayer transactions, OwnAddress own) {
    }

    /** Request-URIs that name a contact the user agent registered upstream (set by the agent). */
    private final AtomicReference<Function<SipUri, Optional<AccountContact>>> agentContacts =
            new AtomicReference<>(uri -> Optional.empty());

    public SipEngine(SipProperties properties, SwitchboardProperties switchboard, MeterRegistry meters,
                     RegistrarServices registrar, CallServices calls, ClusterSecret clusterSecret) {
        this.calls = calls;
        this.clusterSecret = clusterSecret;
        this.properties = properties;
        this.switchboard = switchboard;
        this.meters = meters;
        this.registrar = registrar;
    }

    @Override
    public void start() {
        if (!properties.enabled() || running.get() != null) {
            return;
        }
        int threads = properties.threads() > 0 ? properties.threads() : Runtime.getRuntime().availableProcessors();
        TransportSettings settings = new TransportSettings(properties.host(), properties.port(), properties.port(),
                properties.tlsPort(), properties.maxMessageBytes(), properties.idleTimeout(),
                properties.maxConnections(), threads, Optional.ofNullable(properties.tlsKeyStore()),
                properties.tlsKeyStorePassword(), switchboard.dataDir(), properties.tlsVerifyPeers(),
                properties.maxConnectionsPerSource(), properties.messageReadTimeout());
        WheelTimerService timers = new WheelTimerService();
        TransactionLayer transactions = new TransactionLayer(timers, SipTimers.RFC3261);
        SipParser parser = new SipParser(new SipParser.Config(properties.maxMessageBytes(),
                SipParser.Config.DEFAULT.maxHeaders(), SipParser.Config.KNOWN_SCHEMES));
        AtomicReference<SipRouter> router = new AtomicReference<>();
        // Host names of trunks and routes are resolved here, never on an event loop.
        ExecutorService resolver = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "sip-resolver");
            t.setDaemon(true);
            return t;
        });
        HotPathWarmup.run(parser, 20_000, Duration.ofSeconds(3));
        try {
            // The router needs the bound transports, so the first packets can come before it: they are
            // dropped unanswered (the sender retransmits), not failed with an error per packet.
            SourceRateLimit rateLimit = new SourceRateLimit(properties.maxRequestsPerSource(), 100_000);
            Counter rateLimited = Counter.builder("sip.rate.limited")
                    .description("SIP messages dropped by the per-source rate limit").register(meters);
            SipTransports transports = listen(settings, packet -> {
                SipRouter current = router.get();
                if (current == null) {
                    return;
                }
                switch (rateLimit.admit(packet.flow().remoteHost(), packet.receivedNanos())) {
                    case ADMITTED -> current.onPacket(packet);
                    case FIRST_DROP -> {
                        rateLimited.increment();
                        log.warn("source {} sent over {} SIP messages within a second: the rest of it are dropped",
                                packet.flow().remoteHost(), properties.maxRequestsPerSource());
                    }
                    case DROPPED -> rateLimited.increment();
                }
            });
            transports.connections().onClosed(transactions::flowClosed);
            FunctionCounter.builder("sip.messages.oversize", transports, SipTransports::oversizeDatagrams)
                    .description("SIP datagrams dropped for being over switchboard.sip.max-message-bytes")
                    .register(meters);
            LocalAddresses local = new LocalAddresses(properties.host());
            Set<Integer> ports = new HashSet<>();
            for (Transport t : Transport.values()) {
                transports.localAddress(t).ifPresent(a -> ports.add(a.getPort()));
            }
            RecordRoutes recordRoutes = new RecordRoutes(clusterSecret.nonceKey(), local::isLocalHost, ports,
                    calls.properties().dialogPassLifetime(), java.time.Clock.systemUTC());
            SipResponder responder = new SipResponder();
            OwnAddress own = new OwnAddress(calls.properties().advertisedHost(), transports::localAddress);
            StatefulProxy proxy = new StatefulProxy(transports, transactions, timers, responder, own, recordRoutes,
                    calls.properties().ringTimeout(), resolver, meters);
            router.set(new SipRouter(parser, transactions, responder, local, meters, registrar,
                    uri -> agentContacts.get().apply(uri), transports.connections(), calls, proxy, recordRoutes));
            running.set(new Running(transports, timers, transactions, resolver, own, proxy));
        } catch (Exception e) {
            resolver.shutdownNow();
            timers.close();
            throw new IllegalStateException("SIP engine cannot start: " + e.getMessage(), e);
        }
        Gauge.builder("sip.transactions.server", transactions, TransactionLayer::serverCount)
                .description("Server transactions live now").register(meters);
        Gauge.builder("sip.transactions.client", transactions, TransactionLayer::clientCount)
                .description("Client transactions live now").register(meters);
        FunctionCounter.builder("sip.transactions.started", transactions, TransactionLayer::serversStarted)
                .tag("side", "server").description("Transactions started (RFC 3261 section 17)").register(meters);
        FunctionCounter.builder("sip.transactions.started", transactions, TransactionLayer::clientsStarted)
                .tag("side", "client").description("Transactions started (RFC 3261 section 17)").register(meters);
    }

    /**
     * Binds the listeners. The default host {@code ::} takes IPv6 and IPv4 on one socket each; on
     * a machine without IPv6 it cannot be bound, and the engine then listens on IPv4 only.
     */
    private static SipTransports listen(TransportSettings settings, PacketHandler handler)
            throws IOException, GeneralSecurityException, InterruptedException {
        try {
            return SipTransports.start(settings, handler);
        } catch (IOException e) {
            if (!ANY_IPV6.equals(settings.host())) {
                throw e;
            }
            log.warn("SIP cannot listen on [::] ({}); listening on IPv4 only", e.getMessage());
            return SipTransports.start(settings.withHost("0.0.0.0"), handler);
        }
    }

    @Override
    public void stop() {
        Running r = running.getAndSet(null);
        if (r == null) {
            return;
        }
        // Calls still ringing would outlive the node: their callers hear 503 now (they may try
        // another node) and their callees a CANCEL, which the wait below lets go out and be answered.
        r.proxy().shutDown();
        // Let transactions in flight send their final answers before the sockets close.
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (r.transactions().serverCount() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        r.transports().close();
        r.transactions().abortAll();
        r.timers().close();
        r.resolver().shutdownNow();
        log.info("SIP engine stopped");
    }

    @Override
    public boolean isRunning() {
        return running.get() != null;
    }

    /**
     * Starts before the web server, so a ready health check means SIP is listening too, and stops
     * after it; the database pool closes only after every lifecycle stopped.
     */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2048;
    }

    /** The transports and transaction layer, while running. */
    public Optional<ClientStack> clientStack() {
        Running r = running.get();
        return r == null ? Optional.empty() : Optional.of(new ClientStack(r.transports(), r.transactions(), r.own()));
    }

    /** Tells the router which Request-URIs are the user agent's registered contacts, and whose. */
    public void agentContacts(Function<SipUri, Optional<AccountContact>> contacts) {
        agentContacts.set(contacts);
    }

    /** The address a transport listens on, when running. */
    public Optional<InetSocketAddress> localAddress(Transport transport) {
        Running r = running.get();
        return r == null ? Optional.empty() : r.transports().localAddress(transport);
    }
}
