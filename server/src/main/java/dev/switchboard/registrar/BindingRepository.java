package dev.switchboard.registrar;

import dev.switchboard.web.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code binding} table: the location store's copy in the database. */
@Repository
public class BindingRepository {

    /** Path values are joined with a character that cannot occur in a SIP header value. */
    private static final String PATH_SEPARATOR = "\n";

    private final JdbcClient jdbc;

    public BindingRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Bindings not yet expired at {@code now}. */
    public List<Binding> loadLive(Instant now) {
        return jdbc.sql("SELECT * FROM binding WHERE expires_at > ?").param(Timestamps.sql(now))
                .query(BindingRepository::map).list();
    }

    /**
     * Writes the bindings, replacing rows with the same id. Rows of the AOR written by other nodes
     * are left alone: each node deletes only what it removed ({@link #delete}). Run inside a transaction.
     */
    public void save(List<Binding> bindings) {
        for (Binding b : bindings) {
            jdbc.sql("DELETE FROM binding WHERE id = ?").param(b.id()).update();
            jdbc.sql("""
                            INSERT INTO binding (id, tenant_id, user_id, aor, contact, q, expires_at, call_id, cseq,
                                source, transport, user_agent, instance, reg_id, path, registered_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(b.id(), b.tenantId(), b.userId(), b.aor(), b.contact(), b.qMillis(),
                            Timestamps.sql(b.expiresAt()), b.callId(), b.cseq(), b.source(), b.transport(),
                            b.userAgent().orElse(null), b.instance().orElse(null), b.regId().orElse(null),
                            b.path().isEmpty() ? null : String.join(PATH_SEPARATOR, b.path()),
                            Timestamps.sql(b.registeredAt()))
                    .update();
        }
    }

    /** Deletes the rows of removed bindings. */
    public void delete(Collection<UUID> ids) {
        for (UUID id : ids) {
            jdbc.sql("DELETE FROM binding WHERE id = ?").param(id).update();
        }
    }

    private static Binding map(ResultSet rs, int row) throws SQLException {
        String contact = rs.getString("contact");
        String path = rs.getString("path");
        Object regId = rs.getObject("reg_id");
        return new Binding(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class),
                rs.getObject("user_id", UUID.class), rs.getString("aor"), contact, ContactKeys.of(contact),
                rs.getInt("q"), Timestamps.read(rs, "expires_at"), rs.getString("call_id"), rs.getLong("cseq"),
                rs.getString("source"), rs.getString("transport"), Optional.ofNullable(rs.getString("user_agent")),
                Optional.ofNullable(rs.getString("instance")),
                Optional.ofNullable(regId == null ? null : ((Number) regId).intValue()),
                path == null ? List.of() : Arrays.asList(path.split(PATH_SEPARATOR)),
                Timestamps.read(rs, "registered_at"));
    }
}
