package dev.switchboard.trunk;

import java.util.UUID;

/** What the trunk gate makes of a request from outside that is not a REGISTER (SPEC 4.3). */
public sealed interface GateDecision {

    /** The source address belongs to an {@code ip} method: the request is that trunk's call. */
    record TrunkCall(TrunkRef trunk) implements GateDecision {
    }

    /** Unknown source: challenge with 407 in this realm (the Request-URI's tenant domain). */
    record NeedsChallenge(String realm) implements GateDecision {
    }

    /** Nothing to challenge against (no domain in the Request-URI): 403. */
    record Refused(String reason) implements GateDecision {
    }

    /** The trunk a call belongs to. */
    record TrunkRef(UUID trunkId, UUID tenantId, UUID methodId) {
    }
}
