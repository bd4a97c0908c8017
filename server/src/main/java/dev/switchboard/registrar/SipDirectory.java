package dev.switchboard.registrar;

import dev.switchboard.sip.digest.Ha1Set;
import dev.switchboard.tenant.DomainNames;
import dev.switchboard.tenant.OutboundRoute;
import dev.switchboard.web.ChangeStamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The in-memory index of who may register: tenants by SIP domain and users by extension with
 * their HA1 digests. SIP threads read it without touching the database. A user changed here is
 * read again alone (see {@link RegistrarEvents}), so creating n users costs n small reads, not n
 * reloads of everyone; a tenant change reloads everything, and so does the periodic check when
 * the tables' stamp has moved, so changes made on another node arrive too. A full reload swaps one
 * snapshot, so readers never see half of one.
 *
 * <p>The periodic check reads the stamp alone when nothing changed: reading every user every few
 * seconds cost a million-user directory seconds of CPU, and even ten thousand users put a few
 * megabytes of new objects through each young collection that followed.
 */
@Component
public class SipDirectory {

    private static final Logger log = LoggerFactory.getLogger(SipDirectory.class);

    /** A tenant as SIP sees it. */
    public record SipTenant(UUID id, String domain, boolean enabled, OutboundRoute outboundRoute) {
    }

    /** A user who can register: extension and HA1s under the tenant domain. */
    public record SipUser(UUID id, UUID tenantId, String extension, Ha1Set ha1) {
    }

    /** Tenants are immutable; the user maps are concurrent, as single users are put into them in place. */
    private record Snapshot(Map<String, SipTenant> tenantsByDomain, Map<UUID, SipTenant> tenantsById,
                            Map<String, SipUser> usersByExtension, Map<UUID, SipUser> usersById) {
    }

    private static final String USER_COLUMNS = """
            SELECT id, tenant_id, extension, sip_ha1_md5, sip_ha1_sha256 FROM app_user
            WHERE tenant_id IS NOT NULL AND extension IS NOT NULL AND sip_ha1_md5 IS NOT NULL
              AND sip_ha1_sha256 IS NOT NULL""";

    private final JdbcClient jdbc;
    /** The stamp read before the last full reload; null before the first. */
    private String loadedStamp;
    private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of(), new ConcurrentHashMap<>(),
            new ConcurrentHashMap<>());

    public SipDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The tenant whose SIP domain is {@code host} (case-insensitive). */
    public Optional<SipTenant> tenantByDomain(String host) {
        return Optional.ofNullable(snapshot.tenantsByDomain().get(DomainNames.key(host)));
    }

    /** The tenant with this id (a trunk's, for routing its calls). */
    public Optional<SipTenant> tenantById(UUID id) {
        return Optional.ofNullable(snapshot.tenantsById().get(id));
    }

    /** The user of the tenant with exactly this extension and a SIP password set. */
    public Optional<SipUser> user(UUID tenant, String extension) {
        return Optional.ofNullable(snapshot.usersByExtension().get(userKey(tenant, extension)));
    }

    public Optional<SipUser> userById(UUID id) {
        return Optional.ofNullable(snapshot.usersById().get(id));
    }

    /**
     * Whether this binding may stand: its user still has a SIP password under the extension it
     * registered, in its tenant, enabled and under the domain it registered to. A user deleted on
     * another node may have registered here in the time before this node heard of it.
     */
    public boolean admits(Binding b) {
        Snapshot s = snapshot;
        SipUser user = s.usersById().get(b.userId());
        SipTenant tenant = s.tenantsById().get(b.tenantId());
        return user != null && tenant != null && tenant.enabled()
                && b.aor().equals(new AddressOfRecord(user.extension(), tenant.domain()).key());
    }

    /**
     * Reloads when a tenant or user changed on any node since the last reload. Returns whether it
     * did.
     */
    public synchronized boolean reloadIfChanged() {
        String stamp = stamp();
        if (stamp.equals(loadedStamp)) {
            return false;
        }
        load(stamp);
        return true;
    }

    /** Reads tenants and SIP users afresh. Synchronized so overlapping reloads do not swap in an older view. */
    public synchronized void reload() {
        load(stamp());
    }

    /**
     * Reads everything and remembers {@code stamp} as what it reflects: the stamp is read before
     * the data, so a change made during the read moves the stamp again and is read next time.
     */
    private void load(String stamp) {
        Map<String, SipTenant> tenants = new HashMap<>();
        jdbc.sql("SELECT id, domain, enabled, outbound_route FROM tenant").query((rs, n) -> new SipTenant(
                rs.getObject("id", UUID.class), rs.getString("domain"), rs.getBoolean("enabled"),
                OutboundRoute.ofWire(rs.getString("outbound_route")).orElse(OutboundRoute.TRUNK)))
                .list().forEach(t -> tenants.put(DomainNames.key(t.domain()), t));
        Map<String, SipUser> users = new ConcurrentHashMap<>();
        Map<UUID, SipUser> byId = new ConcurrentHashMap<>();
        jdbc.sql(USER_COLUMNS).query(SipDirectory::sipUser).list().forEach(u -> {
            users.put(userKey(u.tenantId(), u.extension()), u);
            byId.put(u.id(), u);
        });
        Map<UUID, SipTenant> tenantsById = new HashMap<>();
        tenants.values().forEach(t -> tenantsById.put(t.id(), t));
        snapshot = new Snapshot(Map.copyOf(tenants), Map.copyOf(tenantsById), users, byId);
        loadedStamp = stamp;
        log.debug("SIP directory reloaded: {} tenants, {} SIP users", tenants.size(), users.size());
    }

    /**
     * Reads one user afresh (created, SIP password or extension changed, deleted): under the same
     * lock as {@link #reload}, so whichever runs last has read the database last.
     */
    public synchronized void refreshUser(UUID id) {
        Snapshot s = snapshot;
        Optional<SipUser> now = jdbc.sql(USER_COLUMNS + " AND id = :id").param("id", id)
                .query(SipDirectory::sipUser).optional();
        SipUser before = now.isPresent() ? s.usersById().put(id, now.get()) : s.usersById().remove(id);
        if (before != null) {
            s.usersByExtension().remove(userKey(before.tenantId(), before.extension()), before);
        }
        now.ifPresent(u -> s.usersByExtension().put(userKey(u.tenantId(), u.extension()), u));
        log.debug("SIP directory: user {} {}", id, now.isPresent() ? "read again" : "removed");
    }

    /** Moves with any insert, update or delete of a tenant or user on any node. */
    private String stamp() {
        return ChangeStamps.of(jdbc, "tenant") + ":" + ChangeStamps.of(jdbc, "app_user");
    }

    private static SipUser sipUser(ResultSet rs, int row) throws SQLException {
        return new SipUser(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class),
                rs.getString("extension"), Ha1Set.of(rs.getString("sip_ha1_md5"), rs.getString("sip_ha1_sha256")));
    }

    private static String userKey(UUID tenant, String extension) {
        return tenant + "\u0000" + extension;
    }
}
