package dev.switchboard.trunk;

import dev.switchboard.web.ChangeStamps;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Where a tenant's calls to numbers outside it go: the tenant's oldest trunk, read from memory so
 * the proxy never waits for the database. Trunk writes on this node reload it at once; writes on
 * other nodes arrive with a poll every second of a cheap stamp of the trunk table.
 */
@Component
public class TrunkRoutes implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(TrunkRoutes.class);

    private final TrunkRepository trunks;
    private final JdbcClient jdbc;
    private volatile Map<UUID, Trunk> outbound = Map.of();
    private volatile List<Trunk> all = List.of();
    private volatile String loadedStamp = "";

    public TrunkRoutes(TrunkRepository trunks, JdbcClient jdbc) {
        this.trunks = trunks;
        this.jdbc = jdbc;
    }

    @Override
    public void afterPropertiesSet() {
        reload();
    }

    /** The trunk that carries the tenant's outgoing calls: its oldest one. */
    public Optional<Trunk> outboundTrunk(UUID tenant) {
        return Optional.ofNullable(outbound.get(tenant));
    }

    /** Every trunk of every tenant (what the trunk probe pings). */
    public List<Trunk> all() {
        return all;
    }

    @Scheduled(fixedDelay = 500, initialDelay = 1000)
    void pollForChanges() {
        try {
            if (!stamp().equals(loadedStamp)) {
                reload();
            }
        } catch (RuntimeException e) {
            log.warn("trunk routes poll failed; keeping the current routes: {}", e.toString());
        }
    }

    /** Reads every trunk afresh; synchronized so overlapping reloads cannot swap in an older view. */
    public synchronized void reload() {
        String stamp = stamp();
        List<Trunk> loaded = trunks.allTrunksOldestFirst();
        Map<UUID, Trunk> next = new HashMap<>();
        loaded.forEach(t -> next.putIfAbsent(t.tenantId(), t));
        outbound = Map.copyOf(next);
        all = List.copyOf(loaded);
        loadedStamp = stamp;
        log.debug("trunk routes loaded: {} trunks, {} tenants with an outbound trunk", loaded.size(), next.size());
    }

    /** Moves with any insert, delete or replace of a trunk on any node. */
    private String stamp() {
        return ChangeStamps.of(jdbc, "trunk");
    }
}
