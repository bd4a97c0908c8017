package dev.switchboard.bench;

import dev.switchboard.registrar.Binding;
import dev.switchboard.registrar.LocationStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * Bindings as phones leave them in the location store, for the location benchmarks: AORs of
 * 100 tenants, a Contact with the phone's NAT address and parameters, a 36-character Call-ID,
 * one of a few User-Agents, every fifth phone with RFC 5626 {@code +sip.instance} and
 * {@code reg-id}, every tenth AOR with a second phone. Each string is its own object, as the
 * parser makes it.
 */
final class RealisticBindings {

    private static final String[] AGENTS = {"Yealink SIP-T54W 96.86.0.70", "Grandstream GXP2170 1.0.11.23",
        "BAS-IP AV-08FB v3.9.2", "Linphone/5.2.5 (belle-sip/5.2.4)", "PolycomVVX-VVX_450-UA/6.4.3.5018"};
    private static final UUID[] TENANTS = new UUID[100];

    static {
        Random r = new Random(7);
        for (int i = 0; i < TENANTS.length; i++) {
            TENANTS[i] = new UUID(r.nextLong(), r.nextLong());
        }
    }

    private RealisticBindings() {
    }

    /** The AOR key of phone {@code n}, as {@code AddressOfRecord.key()} makes it. */
    static String aor(int n) {
        return (1_000_000 + n) + "@tenant-" + (n % TENANTS.length) + ".example.com";
    }

    /** How many bindings AOR {@code n} has. */
    static int bindingsOf(int n) {
        return n % 10 == 9 ? 2 : 1;
    }

    /** Binding {@code k} of AOR {@code n}, registered at {@code now}. */
    static Binding binding(String aor, int n, int k, Random random, Instant now) {
        String host = "203.0." + (n >>> 16 & 0xff) + "." + (n >>> 8 & 0xff);
        int port = 1024 + random.nextInt(60_000);
        String contact = "sip:" + (1_000_000 + n) + "@" + host + ":" + port + ";transport=udp"
                + (n % 5 == 0 ? ";ob" : ";line=" + Long.toHexString(random.nextLong()).substring(0, 8));
        boolean outbound = n % 5 == 0;
        return new Binding(new UUID(random.nextLong(), random.nextLong()), TENANTS[n % TENANTS.length],
                new UUID(random.nextLong(), random.nextLong()), aor, contact, contact.toLowerCase(),
                k == 0 ? -1 : 500, now.plusSeconds(3600), callId(random), 1 + random.nextInt(1000),
                host + ":" + port, "UDP", Optional.of(new String(AGENTS[n % AGENTS.length])),
                outbound ? Optional.of("\"<urn:uuid:" + new UUID(random.nextLong(), random.nextLong()) + ">\"")
                        : Optional.empty(),
                outbound ? Optional.of(1) : Optional.empty(), List.of(), now);
    }

    /** Fills {@code store} with {@code aors} AORs the way the registrar does (one update each), then as written. */
    static void fill(LocationStore store, int aors, Random random, Instant now) {
        for (int n = 0; n < aors; n++) {
            String aor = aor(n);
            int count = bindingsOf(n);
            Binding[] bindings = new Binding[count];
            for (int k = 0; k < count; k++) {
                bindings[k] = binding(aor, n, k, random, now);
            }
            store.update(aor, current -> LocationStore.Change.replace(List.of(bindings), null));
        }
        // The write-behind has written them: nothing dirty is left (the steady state).
        store.drainDirty();
        store.drainDue(Instant.MAX);
    }

    private static String callId(Random random) {
        char[] id = new char[36];
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        for (int i = 0; i < id.length; i++) {
            id[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return new String(id);
    }
}
