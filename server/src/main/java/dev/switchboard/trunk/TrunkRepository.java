package dev.switchboard.trunk;

import dev.switchboard.sip.net.Cidr;
import dev.switchboard.user.SipNameHolders;
import dev.switchboard.web.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Trunks and their authentication methods in the database. */
@Repository
public class TrunkRepository implements SipNameHolders {

    private static final String TRUNK_COLUMNS =
            "id, tenant_id, name, domain, port, transport, user_format, created_at, updated_at";
    private static final String AUTH_COLUMNS =
            "id, trunk_id, tenant_id, auth_type, ip, username, ha1_md5, ha1_sha256, created_at, updated_at";

    private final JdbcClient jdbc;

    public TrunkRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<Trunk> trunksOf(UUID tenant) {
        return jdbc.sql("SELECT " + TRUNK_COLUMNS + " FROM trunk WHERE tenant_id = ? ORDER BY created_at, id")
                .param(tenant).query(TrunkRepository::trunk).list();
    }

    /** Every trunk of every tenant, each tenant's oldest first: what the proxy routes by. */
    public List<Trunk> allTrunksOldestFirst() {
        return jdbc.sql("SELECT " + TRUNK_COLUMNS + " FROM trunk ORDER BY tenant_id, created_at, id")
                .query(TrunkRepository::trunk).list();
    }

    public Optional<Trunk> find(UUID tenant, UUID id) {
        return jdbc.sql("SELECT " + TRUNK_COLUMNS + " FROM trunk WHERE id = ? AND tenant_id = ?")
                .params(id, tenant).query(TrunkRepository::trunk).optional();
    }

    public void insert(Trunk t) {
        jdbc.sql("INSERT INTO trunk (" + TRUNK_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(t.id(), t.tenantId(), t.name(), t.domain(), t.port(), t.transport(), t.userFormat(),
                        Timestamps.sql(t.createdAt()), Timestamps.sql(t.updatedAt()))
                .update();
    }

    public void update(Trunk t) {
        jdbc.sql("""
                        UPDATE trunk SET name = ?, domain = ?, port = ?, transport = ?, user_format = ?, updated_at = ?
                        WHERE id = ?""")
                .params(t.name(), t.domain(), t.port(), t.transport(), t.userFormat(), Timestamps.sql(t.updatedAt()),
                        t.id())
                .update();
    }

    public boolean delete(UUID id) {
        return jdbc.sql("DELETE FROM trunk WHERE id = ?").param(id).update() > 0;
    }

    public List<TrunkAuth> methodsOf(UUID trunk) {
        return jdbc.sql("SELECT " + AUTH_COLUMNS + " FROM trunk_auth WHERE trunk_id = ? ORDER BY created_at, id")
                .param(trunk).query(TrunkRepository::auth).list();
    }

    public List<TrunkAuth> methodsOfTenant(UUID tenant) {
        return jdbc.sql("SELECT " + AUTH_COLUMNS + " FROM trunk_auth WHERE tenant_id = ? ORDER BY created_at, id")
                .param(tenant).query(TrunkRepository::auth).list();
    }

    public Optional<TrunkAuth> findMethod(UUID trunk, UUID id) {
        return jdbc.sql("SELECT " + AUTH_COLUMNS + " FROM trunk_auth WHERE id = ? AND trunk_id = ?")
                .params(id, trunk).query(TrunkRepository::auth).optional();
    }

    /**
     * Every method with an address (ip methods and source-bound sipuser ones) of trunks other than
     * {@code except}, of any tenant: the overlap candidates.
     */
    public List<TrunkAuth> addressedMethodsNotOf(UUID except) {
        return jdbc.sql("SELECT " + AUTH_COLUMNS + " FROM trunk_auth WHERE ip IS NOT NULL AND ip <> '' AND trunk_id <> ?")
                .param(except).query(TrunkRepository::auth).list();
    }

    @Override
    public boolean holds(UUID tenant, String name) {
        return sipUserTaken(tenant, name);
    }

    @Override
    public void lockNames() {
        lockChanges();
    }

    public boolean sipUserTaken(UUID tenant, String username) {
        return jdbc.sql("SELECT COUNT(*) FROM trunk_auth WHERE sip_user_key = ?").param(sipUserKey(tenant, username))
                .query(Long.class).single() > 0;
    }

    public void insertMethod(TrunkAuth a) {
        jdbc.sql("INSERT INTO trunk_auth (" + AUTH_COLUMNS + ", sip_user_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(a.id(), a.trunkId(), a.tenantId(), a.type().wire(), a.ipText(), a.username(), a.ha1Md5(),
                        a.ha1Sha256(), Timestamps.sql(a.createdAt()), Timestamps.sql(a.updatedAt()),
                        a.type() == TrunkAuth.Type.SIPUSER ? sipUserKey(a.tenantId(), a.username()) : null)
                .update();
    }

    public boolean deleteMethod(UUID id) {
        return jdbc.sql("DELETE FROM trunk_auth WHERE id = ?").param(id).update() > 0;
    }

    /** Locks the change row until the transaction ends: method writes of all nodes run one at a time. */
    public long lockChanges() {
        return jdbc.sql("SELECT version FROM trunk_change WHERE id = 1 FOR UPDATE").query(Long.class).single();
    }

    public void bumpVersion() {
        jdbc.sql("UPDATE trunk_change SET version = version + 1 WHERE id = 1").update();
    }

    public long version() {
        return jdbc.sql("SELECT version FROM trunk_change WHERE id = 1").query(Long.class).single();
    }

    /** What the gate serves: the methods of trunks of enabled tenants, with the tenant domain (the realm). */
    public List<GateEntry> gateEntries() {
        return jdbc.sql("SELECT a.id, a.trunk_id, a.tenant_id, a.auth_type, a.ip, a.username, a.ha1_md5, "
                        + "a.ha1_sha256, a.created_at, a.updated_at, t.domain AS tenant_domain "
                        + "FROM trunk_auth a JOIN tenant t ON t.id = a.tenant_id WHERE t.enabled = TRUE")
                .query((rs, i) -> new GateEntry(auth(rs, i), rs.getString("tenant_domain"))).list();
    }

    /** A method with the realm its digests were made under. */
    public record GateEntry(TrunkAuth method, String tenantDomain) {
    }

    static String sipUserKey(UUID tenant, String username) {
        return tenant + ":" + username;
    }

    private static Trunk trunk(ResultSet rs, int row) throws SQLException {
        return new Trunk(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class), rs.getString("name"),
                rs.getString("domain"), rs.getInt("port"), rs.getString("transport"), rs.getString("user_format"),
                Timestamps.read(rs, "created_at"), Timestamps.read(rs, "updated_at"));
    }

    private static TrunkAuth auth(ResultSet rs, int row) throws SQLException {
        String ip = rs.getString("ip");
        return new TrunkAuth(rs.getObject("id", UUID.class), rs.getObject("trunk_id", UUID.class),
                rs.getObject("tenant_id", UUID.class), TrunkAuth.Type.ofWire(rs.getString("auth_type")).orElseThrow(),
                ip == null || ip.isEmpty() ? Optional.empty() : Cidr.parse(ip), rs.getString("username"),
                rs.getString("ha1_md5"), rs.getString("ha1_sha256"), Timestamps.read(rs, "created_at"),
                Timestamps.read(rs, "updated_at"));
    }
}
