package dev.switchboard.user;

import dev.switchboard.tenant.TenantEvents;
import dev.switchboard.web.Timestamps;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * When a tenant's domain changes, its users' SIP HA1 digests become useless: an HA1 is
 * H(user:realm:password), the realm is the domain, and the password is not kept. They are
 * cleared in the same transaction as the domain change, so no user is left with digests that
 * can never match; each user must be given a SIP password again, and its {@code updated_at} tells
 * a client syncing by it that its SIP credentials went.
 */
@Component
class RealmChangeListener {

    private static final Logger log = LoggerFactory.getLogger(RealmChangeListener.class);

    private final JdbcClient jdbc;
    private final Clock clock;

    RealmChangeListener(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @EventListener
    void on(TenantEvents.DomainChanged e) {
        int cleared = jdbc.sql("""
                        UPDATE app_user SET sip_ha1_md5 = NULL, sip_ha1_sha256 = NULL, updated_at = ?
                        WHERE tenant_id = ? AND sip_ha1_md5 IS NOT NULL""")
                .param(Timestamps.sql(clock.instant())).param(e.tenantId()).update();
        if (cleared > 0) {
            log.info("tenant {} changed its SIP domain: SIP passwords of {} users cleared, they must be set again",
                    e.tenantId(), cleared);
        }
    }
}
