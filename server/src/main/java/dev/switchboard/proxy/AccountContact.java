package dev.switchboard.proxy;

import java.util.Optional;
import java.util.UUID;

/**
 * A contact the SIP user agent registered upstream for a SIP account: calls that arrive on it are
 * calls for the account's user in its tenant (SPEC 3.2, routed as 4.3 routes a call to that user).
 *
 * @param tenantId the account's tenant; empty for the system-level agent, which has no users
 * @param user     the account's user, as it registered upstream ({@code user@realm})
 */
public record AccountContact(Optional<UUID> tenantId, String user) {
}
