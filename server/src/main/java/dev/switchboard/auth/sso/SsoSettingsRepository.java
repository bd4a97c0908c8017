package dev.switchboard.auth.sso;

import dev.switchboard.web.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Rows of {@code tenant_sso}. Callback prefixes are kept one per line: they are validated URLs,
 * which cannot contain a line break.
 */
@Repository
public class SsoSettingsRepository {

    private final JdbcClient jdbc;

    public SsoSettingsRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<SsoSettings> find(UUID tenant, SsoProvider provider) {
        return jdbc.sql("""
                        SELECT tenant_id, provider, issuer_uri, client_id, client_secret_enc, callback_prefixes,
                               updated_at
                        FROM tenant_sso WHERE tenant_id = ? AND provider = ?""")
                .params(tenant, provider.wire())
                .query(SsoSettingsRepository::map).optional();
    }

    /** Callback prefixes of every provider configured for the tenant (empty when none). */
    public List<String> allCallbackPrefixes(UUID tenant) {
        return jdbc.sql("SELECT callback_prefixes FROM tenant_sso WHERE tenant_id = ?").param(tenant)
                .query(String.class).list().stream()
                .flatMap(text -> split(text).stream())
                .toList();
    }

    /** Inserts or replaces; a concurrent first PUT loses with a duplicate key, reported as a conflict. */
    public void save(SsoSettings s) {
        int updated = jdbc.sql("""
                        UPDATE tenant_sso SET issuer_uri = ?, client_id = ?, client_secret_enc = ?,
                            callback_prefixes = ?, updated_at = ?
                        WHERE tenant_id = ? AND provider = ?""")
                .params(s.issuerUri(), s.clientId(), s.sealedClientSecret(), String.join("\n", s.callbackPrefixes()),
                        Timestamps.sql(s.updatedAt()), s.tenantId(), s.provider().wire())
                .update();
        if (updated == 0) {
            jdbc.sql("""
                            INSERT INTO tenant_sso (tenant_id, provider, issuer_uri, client_id, client_secret_enc,
                                callback_prefixes, updated_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?)""")
                    .params(s.tenantId(), s.provider().wire(), s.issuerUri(), s.clientId(), s.sealedClientSecret(),
                            String.join("\n", s.callbackPrefixes()), Timestamps.sql(s.updatedAt()))
                    .update();
        }
    }

    public boolean delete(UUID tenant, SsoProvider provider) {
        return jdbc.sql("DELETE FROM tenant_sso WHERE tenant_id = ? AND provider = ?")
                .params(tenant, provider.wire()).update() > 0;
    }

    private static SsoSettings map(ResultSet rs, int row) throws SQLException {
        return new SsoSettings(rs.getObject("tenant_id", UUID.class),
                SsoProvider.of(rs.getString("provider")).orElseThrow(),
                rs.getString("issuer_uri"), rs.getString("client_id"), rs.getString("client_secret_enc"),
                split(rs.getString("callback_prefixes")), Timestamps.read(rs, "updated_at"));
    }

    private static List<String> split(String text) {
        return Arrays.stream(text.split("\n")).filter(s -> !s.isBlank()).toList();
    }
}
