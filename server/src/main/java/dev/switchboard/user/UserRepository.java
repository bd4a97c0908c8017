package dev.switchboard.user;

import dev.switchboard.web.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Users in the database. */
@Repository
public class UserRepository {

    static final String SYSTEM_SCOPE = "system";
    private static final String COLUMNS = """
            id, tenant_id, username, role, email, password_hash, password_force_reset, extension,
            sip_ha1_md5, sip_ha1_sha256, created_at, updated_at""";

    private final JdbcClient jdbc;

    public UserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<User> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM app_user WHERE id = ?").param(id).query(UserRepository::map)
                .optional();
    }

    /** A user by name within a tenant, or the system administrator when tenant is null. */
    public Optional<User> findByName(UUID tenant, String username) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM app_user WHERE scope = ? AND username_key = ?")
                .params(scope(tenant), UsernameRules.key(username))
                .query(UserRepository::map).optional();
    }

    public List<User> findByEmail(UUID tenant, String email) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM app_user WHERE tenant_id = ? AND email_key = ?")
                .params(tenant, email.toLowerCase(Locale.ROOT))
                .query(UserRepository::map).list();
    }

    public boolean anySystemAdmin() {
        return jdbc.sql("SELECT COUNT(*) FROM app_user WHERE role = 'SYSTEM_ADMIN'").query(Long.class).single() > 0;
    }

    public boolean extensionTaken(UUID tenant, String extension, UUID except) {
        return jdbc.sql("SELECT COUNT(*) FROM app_user WHERE scope = ? AND extension = ? AND id <> ?")
                .params(scope(tenant), extension, except == null ? new UUID(0, 0) : except)
                .query(Long.class).single() > 0;
    }

    public boolean emailTaken(UUID tenant, String email, UUID except) {
        return jdbc.sql("SELECT COUNT(*) FROM app_user WHERE scope = ? AND email_key = ? AND id <> ?")
                .params(scope(tenant), email.toLowerCase(Locale.ROOT), except == null ? new UUID(0, 0) : except)
                .query(Long.class).single() > 0;
    }

    public List<User> page(UUID tenant, UUID after, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM app_user WHERE tenant_id = ? AND id > ? ORDER BY id FETCH FIRST "
                        + limit + " ROWS ONLY")
                .params(tenant, after == null ? new UUID(0, 0) : after)
                .query(UserRepository::map).list();
    }

    public List<User> allOfTenant(UUID tenant) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM app_user WHERE tenant_id = ?").param(tenant)
                .query(UserRepository::map).list();
    }

    public void insert(User u) {
        jdbc.sql("""
                        INSERT INTO app_user (id, tenant_id, scope, username, username_key, role, email, email_key,
                            password_hash, password_force_reset, extension, sip_ha1_md5, sip_ha1_sha256,
                            created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(u.id(), u.tenantId().orElse(null), u.scope(), u.username(), UsernameRules.key(u.username()),
                        u.role().name(), u.email(), emailKey(u.email()), u.passwordHash(), u.passwordForceReset(),
                        u.extension(), u.sipHa1Md5(), u.sipHa1Sha256(), Timestamps.sql(u.createdAt()),
                        Timestamps.sql(u.updatedAt()))
                .update();
    }

    public void update(User u) {
        jdbc.sql("""
                        UPDATE app_user SET username = ?, username_key = ?, role = ?, email = ?, email_key = ?,
                            password_hash = ?, password_force_reset = ?, extension = ?, sip_ha1_md5 = ?,
                            sip_ha1_sha256 = ?, updated_at = ?
                        WHERE id = ?""")
                .params(u.username(), UsernameRules.key(u.username()), u.role().name(), u.email(),
                        emailKey(u.email()), u.passwordHash(), u.passwordForceReset(), u.extension(), u.sipHa1Md5(),
                        u.sipHa1Sha256(), Timestamps.sql(u.updatedAt()), u.id())
                .update();
    }

    public boolean delete(UUID id) {
        return jdbc.sql("DELETE FROM app_user WHERE id = ?").param(id).update() > 0;
    }

    private static String scope(UUID tenant) {
        return tenant == null ? SYSTEM_SCOPE : tenant.toString();
    }

    private static String emailKey(String email) {
        return email == null ? null : email.toLowerCase(Locale.ROOT);
    }

    private static User map(ResultSet rs, int row) throws SQLException {
        return new User(
                rs.getObject("id", UUID.class),
                Optional.ofNullable(rs.getObject("tenant_id", UUID.class)),
                rs.getString("username"),
                Role.valueOf(rs.getString("role")),
                rs.getString("email"),
                rs.getString("password_hash"),
                rs.getBoolean("password_force_reset"),
                rs.getString("extension"),
                rs.getString("sip_ha1_md5"),
                rs.getString("sip_ha1_sha256"),
                Timestamps.read(rs, "created_at"),
                Timestamps.read(rs, "updated_at"));
    }
}
