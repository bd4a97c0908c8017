package dev.switchboard.proxy;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/**
 * The tenants' SIP accounts that outside calls can leave through, as the device agent holds them
 * in memory (the agent registers itself here when it starts, so the proxy and the agent do not
 * depend on each other).
 */
@Component
public class OutboundAccounts {

    private volatile Function<UUID, Optional<UpstreamAccount>> source = tenant -> Optional.empty();

    public void provide(Function<UUID, Optional<UpstreamAccount>> accounts) {
        this.source = accounts;
    }

    /** The tenant's first SIP account, when it is configured and enabled. */
    public Optional<UpstreamAccount> of(UUID tenant) {
        return source.apply(tenant);
    }
}
