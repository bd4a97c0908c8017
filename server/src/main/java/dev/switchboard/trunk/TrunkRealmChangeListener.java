package dev.switchboard.trunk;

import dev.switchboard.tenant.TenantEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * When a tenant's domain changes, its {@code sipuser} trunk methods can never authenticate again:
 * their HA1 digests hash the old domain as realm and the password is not kept. They are deleted
 * in the same transaction as the domain change, as users' SIP passwords are cleared, so the API
 * never lists a method the SIP side refuses; the Admin adds them again under the new domain.
 * {@code ip} methods do not depend on the realm and stay.
 */
@Component
class TrunkRealmChangeListener {

    private static final Logger log = LoggerFactory.getLogger(TrunkRealmChangeListener.class);

    private final JdbcClient jdbc;
    private final TrunkRepository trunks;

    TrunkRealmChangeListener(JdbcClient jdbc, TrunkRepository trunks) {
        this.jdbc = jdbc;
        this.trunks = trunks;
    }

    @EventListener
    void on(TenantEvents.DomainChanged e) {
        // The change row first: method writes of every node wait, and the gate of every node reloads.
        trunks.lockChanges();
        int deleted = jdbc.sql("DELETE FROM trunk_auth WHERE tenant_id = ? AND auth_type = ?")
                .params(e.tenantId(), TrunkAuth.Type.SIPUSER.wire()).update();
        if (deleted > 0) {
            trunks.bumpVersion();
            log.info("tenant {} changed its SIP domain: {} sipuser trunk methods deleted, they must be added again",
                    e.tenantId(), deleted);
        }
    }
}
