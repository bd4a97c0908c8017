package dev.switchboard.trunk;

import dev.switchboard.sip.SipEngine;
import dev.switchboard.sip.message.SipResponse;
import dev.switchboard.sip.transaction.ClientTransaction;
import dev.switchboard.sip.transaction.TransactionId;
import dev.switchboard.sip.transport.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Pings every trunk's destination with OPTIONS (as Kamailio's dispatcher does) so the API can
 * show whether it answers: any response means up, none within the transaction timeout or a
 * connection that cannot be opened means down. Each node probes for itself.
 */
@Component
public class TrunkProbe {

    private static final Logger log = LoggerFactory.getLogger(TrunkProbe.class);

    private final TrunkRoutes routes;
    private final TrunkHealth health;
    private final SipEngine engine;
    private final Clock clock;
    private final Duration interval;
    private final Map<UUID, Instant> lastSent = new ConcurrentHashMap<>();
    private final Set<UUID> inFlight = ConcurrentHashMap.newKeySet();

    public TrunkProbe(TrunkRoutes routes, TrunkHealth health, SipEngine engine, Clock clock,
                      @Value("${switchboard.trunk.probe-interval:30s}") Duration interval) {
        this.routes = routes;
        this.health = health;
        this.engine = engine;
        this.clock = clock;
        this.interval = dev.switchboard.config.SettingRules.zeroOrPositive("switchboard.trunk.probe-interval",
                interval);
    }

    /** Every second: probes the trunks whose interval has passed (none when the interval is 0). */
    @Scheduled(fixedDelay = 1000, initialDelay = 2000)
    void tick() {
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        var trunks = routes.all();
        health.retain(trunks.stream().map(Trunk::id).collect(Collectors.toSet()));
        Instant now = clock.instant();
        for (Trunk trunk : trunks) {
            Instant last = lastSent.get(trunk.id());
            if ((last == null || !now.isBefore(last.plus(interval))) && inFlight.add(trunk.id())) {
                lastSent.put(trunk.id(), now);
                try {
                    probe(trunk);
                } catch (RuntimeException e) {
                    inFlight.remove(trunk.id());
                    log.debug("trunk {} not probed: {}", trunk.id(), e.toString());
                }
            }
        }
        lastSent.keySet().retainAll(trunks.stream().map(Trunk::id).collect(Collectors.toSet()));
    }

    private void probe(Trunk trunk) {
        var stack = engine.clientStack();
        if (stack.isEmpty()) {
            inFlight.remove(trunk.id());
            return;
        }
        Transport transport = Transport.of(trunk.transport()).orElse(Transport.UDP);
        Instant started = clock.instant();
        InetSocketAddress remote;
        try {
            // On the scheduler's thread, never an event loop: a DNS lookup may block.
            remote = new InetSocketAddress(InetAddress.getByName(trunk.domain()), trunk.port());
        } catch (UnknownHostException e) {
            done(trunk.id(), TrunkHealth.Reachability.DOWN, 503, started);
            return;
        }
        stack.get().transports().flowTo(transport, remote).whenComplete((flow, error) -> {
            if (error != null) {
                done(trunk.id(), TrunkHealth.Reachability.DOWN, 503, started);
                return;
            }
            String host = stack.get().own().hostTowards(remote.getAddress());
            int port = stack.get().own().port(transport);
            String branch = TransactionId.MAGIC_COOKIE + "tp" + random();
            String target = "sip:" + (trunk.domain().indexOf(':') >= 0 ? "[" + trunk.domain() + "]" : trunk.domain())
                    + ":" + trunk.port() + (transport == Transport.UDP ? "" : ";transport=" + trunk.transport());
            String request = "OPTIONS " + target + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/" + transport.name() + " " + host + ":" + port + ";branch=" + branch + ";rport\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:switchboard@" + host + ">;tag=" + random() + "\r\n"
                    + "To: <" + target + ">\r\n"
                    + "Call-ID: " + random() + "@switchboard\r\n"
                    + "CSeq: 1 OPTIONS\r\n"
                    + "User-Agent: Switchboard trunk probe\r\n"
                    + "Content-Length: 0\r\n\r\n";
            try {
                stack.get().transactions().startClient(TransactionId.client(branch, "OPTIONS"), flow,
                        request.getBytes(java.nio.charset.StandardCharsets.US_ASCII), r -> null,
                        new ClientTransaction.Listener<SipResponse>() {
                            @Override
                            public void onResponse(SipResponse response, int status) {
                                if (status >= 200) {
                                    done(trunk.id(), TrunkHealth.Reachability.UP, status, started);
                                }
                            }

                            @Override
                            public void onTimeout() {
                                done(trunk.id(), TrunkHealth.Reachability.DOWN, 408, started);
                            }
                        });
            } catch (IllegalStateException e) {
                done(trunk.id(), TrunkHealth.Reachability.DOWN, 503, started);
            }
        });
    }

    private void done(UUID trunk, TrunkHealth.Reachability reachability, int status, Instant started) {
        Instant now = clock.instant();
        health.probed(trunk, new TrunkHealth.Probe(reachability, status, Duration.between(started, now).toMillis(), now));
        inFlight.remove(trunk);
    }

    private static String random() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }
}
