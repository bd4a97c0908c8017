package dev.switchboard.registrar;

import dev.switchboard.sip.digest.Ha1Set;
import dev.switchboard.tenant.DomainNames;
import dev.switchboard.tenant.OutboundRoute;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The in-memory index of who may register: tenants by SIP domain and users by extension with
 * their HA1 digests. SIP threads read it without touching the database; it is reloaded in full
 * when users or tenants change here (see {@link RegistrarEvents}) and periodically, so changes
 * made on another node arrive too. A reload swaps one immutable snapshot, so readers never see
 * half of one.
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

    private record Snapshot(Map<String, SipTenant> tenantsByDomain, Map<UUID, SipTenant> tenantsById,
                            Map<String, SipUser> usersByExtension, Map<UUID, SipUser> usersById) {
    }

    private final JdbcClient jdbc;
    private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of(), Map.of(), Map.of());

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

    /** Reads tenants and SIP users afresh. Synchronized so overlapping reloads do not swap in an older view. */
    public synchronized void reload() {
        Map<String, SipTenant> tenants = new HashMap<>();
        jdbc.sql("SELECT id, domain, enabled, outbound_route FROM tenant").query((rs, n) -> new SipTenant(
                rs.getObject("id", UUID.class), rs.getString("domain"), rs.getBoolean("enabled"),
                OutboundRoute.ofWire(rs.getString("outbound_route")).orElse(OutboundRoute.TRUNK)))
                .list().forEach(t -> tenants.put(DomainNames.key(t.domain()), t));
        Map<String, SipUser> users = new HashMap<>();
        Map<UUID, SipUser> byId = new HashMap<>();
        jdbc.sql("""
                        SELECT id, tenant_id, extension, sip_ha1_md5, sip_ha1_sha256 FROM app_user
                        WHERE tenant_id IS NOT NULL AND extension IS NOT NULL AND sip_ha1_md5 IS NOT NULL
                          AND sip_ha1_sha256 IS NOT NULL""")
                .query((rs, n) -> new SipUser(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class),
                        rs.getString("extension"), Ha1Set.of(rs.getString("sip_ha1_md5"),
                        rs.getString("sip_ha1_sha256"))))
                .list().forEach(u -> {
                    users.put(userKey(u.tenantId(), u.extension()), u);
                    byId.put(u.id(), u);
                });
        Map<UUID, SipTenant> tenantsById = new HashMap<>();
        tenants.values().forEach(t -> tenantsById.put(t.id(), t));
        snapshot = new Snapshot(Map.copyOf(tenants), Map.copyOf(tenantsById), Map.copyOf(users), Map.copyOf(byId));
        log.debug("SIP directory reloaded: {} tenants, {} SIP users", tenants.size(), users.size());
    }

    private static String userKey(UUID tenant, String extension) {
        return tenant + "\u0000" + extension;
    }
}
