package dev.switchboard.audit;

import dev.switchboard.web.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Security-relevant events (failed and locked sign-ins, digest failures), kept in the database. */
@Service
public class AuditLog {

    private static final Logger log = LoggerFactory.getLogger("audit");

    private final JdbcClient jdbc;
    private final Clock clock;

    public AuditLog(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** One recorded event; subject names who or what (never a secret). */
    public record Event(long id, Instant occurredAt,
                        @io.swagger.v3.oas.annotations.media.Schema(nullable = true) UUID tenantUuid, String kind,
                        String subject, String source, String detail) {
    }

    /** Records an event in its own transaction, so it survives the refusal that caused it. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void record(String kind, UUID tenant, String subject, String source, String detail) {
        jdbc.sql("""
                        INSERT INTO audit_event (occurred_at, tenant_id, kind, subject, source, detail)
                        VALUES (?, ?, ?, ?, ?, ?)""")
                .params(Timestamps.sql(clock.instant()), tenant, kind, LogText.clean(subject, 400),
                        LogText.clean(source, 64), LogText.clean(detail, 512))
                .update();
        // The same fields as key-value pairs, for structured logs (logging.structured.format.console).
        log.atInfo().addKeyValue("audit.kind", kind).addKeyValue("tenant", tenant)
                .addKeyValue("subject", LogText.of(subject)).addKeyValue("source", LogText.of(source))
                .log("{} tenant={} subject={} source={} {}", kind, tenant, LogText.of(subject), LogText.of(source),
                        detail == null ? "" : LogText.of(detail));
    }

    /** Newest first; {@code before} is the id of the last event of the previous page. */
    public List<Event> page(UUID tenant, Long before, int limit) {
        String where = tenant == null ? "WHERE id < ?" : "WHERE id < ? AND tenant_id = ?";
        var spec = jdbc.sql("SELECT id, occurred_at, tenant_id, kind, subject, source, detail FROM audit_event "
                        + where + " ORDER BY id DESC FETCH FIRST " + limit + " ROWS ONLY")
                .param(before == null ? Long.MAX_VALUE : before);
        if (tenant != null) {
            spec = spec.param(tenant);
        }
        return spec.query(AuditLog::map).list();
    }

    private static Event map(ResultSet rs, int row) throws SQLException {
        return new Event(rs.getLong("id"), Timestamps.read(rs, "occurred_at"), rs.getObject("tenant_id", UUID.class),
                rs.getString("kind"), rs.getString("subject"), rs.getString("source"), rs.getString("detail"));
    }

}
