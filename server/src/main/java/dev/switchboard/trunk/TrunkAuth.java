package dev.switchboard.trunk;

import dev.switchboard.sip.net.Cidr;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A way a trunk's calls are recognised: by source address ({@link Type#IP}) or by SIP digest
 * credentials ({@link Type#SIPUSER}, optionally also bound to a source range). The password is
 * held only as HA1 digests under the tenant domain realm.
 */
public record TrunkAuth(UUID id, UUID trunkId, UUID tenantId, Type type, Optional<Cidr> ip, String username,
                        String ha1Md5, String ha1Sha256, Instant createdAt, Instant updatedAt) {

    public enum Type {
        IP("ip"),
        SIPUSER("sipuser");

        private final String wire;

        Type(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static Optional<Type> ofWire(String text) {
            for (Type t : values()) {
                if (t.wire.equals(text)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    public String ipText() {
        return ip.map(Cidr::toString).orElse("");
    }
}
