package dev.switchboard.proxy;

import dev.switchboard.registrar.SipDirectory.SipUser;
import dev.switchboard.trunk.GateDecision.TrunkRef;
import java.util.UUID;

/** Who a request the trunk gate let in comes from (SPEC 4.3): a trunk, or a user of a tenant. */
public sealed interface Caller {

    UUID tenantId();

    /** By its source address ({@code ip} method) or its {@code sipuser} credentials. */
    record Trunk(TrunkRef trunk) implements Caller {
        @Override
        public UUID tenantId() {
            return trunk.tenantId();
        }
    }

    /** By a tenant user's SIP credentials. */
    record User(SipUser user) implements Caller {
        @Override
        public UUID tenantId() {
            return user.tenantId();
        }
    }
}
