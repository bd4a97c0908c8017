package dev.switchboard.tenant;

import dev.switchboard.web.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Tenants in the database. */
@Repository
public class TenantRepository {

    private static final String COLUMNS = "id, name, domain, website, enabled, outbound_route, created_at, updated_at";

    private final JdbcClient jdbc;

    public TenantRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Tenant> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM tenant WHERE id = ?").param(id).query(TenantRepository::map)
                .optional();
    }

    public Optional<Tenant> findByDomain(String domain) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM tenant WHERE domain_key = ?").param(DomainNames.key(domain))
                .query(TenantRepository::map).optional();
    }

    public boolean domainTaken(String domain, UUID except) {
        return jdbc.sql("SELECT COUNT(*) FROM tenant WHERE domain_key = ? AND id <> ?")
                .params(DomainNames.key(domain), except == null ? new UUID(0, 0) : except)
                .query(Long.class).single() > 0;
    }

    public List<Tenant> page(UUID after, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM tenant WHERE id > ? ORDER BY id FETCH FIRST " + limit + " ROWS ONLY")
                .param(after == null ? new UUID(0, 0) : after)
                .query(TenantRepository::map).list();
    }

    public void insert(Tenant t) {
        jdbc.sql("""
                        INSERT INTO tenant (id, name, domain, domain_key, website, enabled, outbound_route, created_at,
                                            updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(t.id(), t.name(), t.domain(), DomainNames.key(t.domain()), t.website(), t.enabled(),
                        t.outboundRoute().wire(), Timestamps.sql(t.createdAt()), Timestamps.sql(t.updatedAt()))
                .update();
    }

    public void update(Tenant t) {
        jdbc.sql("""
                        UPDATE tenant SET name = ?, domain = ?, domain_key = ?, website = ?, enabled = ?,
                                          outbound_route = ?, updated_at = ?
                        WHERE id = ?""")
                .params(t.name(), t.domain(), DomainNames.key(t.domain()), t.website(), t.enabled(),
                        t.outboundRoute().wire(), Timestamps.sql(t.updatedAt()), t.id())
                .update();
    }

    public boolean delete(UUID id) {
        return jdbc.sql("DELETE FROM tenant WHERE id = ?").param(id).update() > 0;
    }

    private static Tenant map(ResultSet rs, int row) throws SQLException {
        return new Tenant(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("domain"),
                rs.getString("website"), rs.getBoolean("enabled"),
                OutboundRoute.ofWire(rs.getString("outbound_route")).orElse(OutboundRoute.TRUNK),
                Timestamps.read(rs, "created_at"),
                Timestamps.read(rs, "updated_at"));
    }
}
