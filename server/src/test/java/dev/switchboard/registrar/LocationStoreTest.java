package dev.switchboard.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LocationStoreTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00.123456789Z");
    private static final UUID TENANT = UUID.randomUUID();
    private static final UUID USER = UUID.randomUUID();
    private static final String AOR = "101@a.example.com";

    private final LocationStore store = new LocationStore(new SimpleMeterRegistry());

    private static Binding binding(UUID id, String contact, Instant at, long seconds, String callId, long cseq) {
        return new Binding(id, TENANT, USER, AOR, contact, ContactKeys.of(contact), -1, at.plusSeconds(seconds),
                callId, cseq, "192.0.2.1:5060", "UDP", Optional.of("Phone/1.0"), Optional.empty(), Optional.empty(),
                List.of(), at);
    }

    private void put(Binding... bindings) {
        store.update(AOR, current -> LocationStore.Change.replace(List.of(bindings), null));
    }

    @Test
    void keepsEveryFieldBehindTheAccessors() {
        UUID id = UUID.randomUUID();
        Binding b = new Binding(id, TENANT, USER, AOR, "sip:101@192.0.2.1:5060",
                ContactKeys.of("sip:101@192.0.2.1:5060"), 500,
                NOW.plusSeconds(60), "c1", 7, "[2001:db8::1]:5062", "TLS", Optional.empty(),
                Optional.of("\"<urn:uuid:1>\""), Optional.of(2), List.of("<sip:p1;lr>", "<sip:p2;lr>"), NOW);
        assertThat(b.id()).isEqualTo(id);
        assertThat(b.tenantId()).isEqualTo(TENANT);
        assertThat(b.userId()).isEqualTo(USER);
        assertThat(b.expiresAt()).isEqualTo(NOW.plusSeconds(60));
        assertThat(b.registeredAt()).isEqualTo(NOW);
        assertThat(b.expiredAt(NOW.plusSeconds(59))).isFalse();
        assertThat(b.expiredAt(NOW.plusSeconds(60))).isTrue();
        assertThat(b.contactKey()).isEqualTo(ContactKeys.of("sip:101@192.0.2.1:5060"));
        assertThat(b.hasContactKey(ContactKeys.of("sip:101@192.0.2.1"))).isTrue();
        // Another text of the same contact (default port written out, host case) is the same binding;
        // another port is not, whichever text it comes with.
        assertThat(b.hasContactKey(ContactKeys.of("sip:101@192.0.2.1"), "sip:101@192.0.2.1")).isTrue();
        assertThat(b.hasContactKey(ContactKeys.of("sip:101@192.0.2.1:5060"), "sip:101@192.0.2.1:5060")).isTrue();
        assertThat(b.hasContactKey(ContactKeys.of("sip:101@192.0.2.1:5062"), "sip:101@192.0.2.1:5062")).isFalse();
        assertThat(b.source()).isEqualTo("[2001:db8::1]:5062");
        assertThat(b.transport()).isEqualTo("TLS");
        assertThat(b.userAgent()).isEmpty();
        assertThat(b.instance()).contains("\"<urn:uuid:1>\"");
        assertThat(b.regId()).contains(2);
        assertThat(b.q()).contains("0.5");
        assertThat(b.path()).containsExactly("<sip:p1;lr>", "<sip:p2;lr>");
    }

    @Test
    void aRefreshIsWrittenByHalfTheTimeTheStoredCopyHadLeftAndAnyOtherChangeAtOnce() {
        UUID id = UUID.randomUUID();
        put(binding(id, "sip:101@192.0.2.1:5060", NOW, 3600, "c1", 1));
        assertThat(store.drainDirty()).containsExactly(AOR);

        put(binding(id, "sip:101@192.0.2.1:5060", NOW.plusSeconds(10), 3600, "c2", 1));
        assertThat(store.drainDirty()).isEmpty();
        // Stored copy expires at NOW+3600; refreshed at NOW+10: due at NOW+10+1795.
        assertThat(store.drainDue(NOW.plusSeconds(1804))).isEmpty();
        assertThat(store.drainDue(NOW.plusSeconds(1806))).containsExactly(AOR);
        assertThat(store.drainDue(Instant.MAX)).isEmpty();

        // Re-registered at NOW+12 for 3500 s (jitter): expires at NOW+3512, before the stored copy's
        // NOW+3600, by less than a tenth of 3500 s: still a refresh, due halfway to NOW+3512.
        put(binding(id, "sip:101@192.0.2.1:5060", NOW.plusSeconds(12), 3500, "c3", 1));
        assertThat(store.drainDirty()).isEmpty();
        assertThat(store.drainDue(NOW.plusSeconds(1761))).isEmpty();
        assertThat(store.drainDue(NOW.plusSeconds(1763))).containsExactly(AOR);

        put(binding(id, "sip:101@192.0.2.9:5060", NOW.plusSeconds(20), 3600, "c2", 2));
        assertThat(store.drainDirty()).containsExactly(AOR);
        put(binding(id, "sip:101@192.0.2.9:5060", NOW.plusSeconds(30), 60, "c2", 3));
        assertThat(store.drainDirty()).as("a much shorter expiry is not a refresh").containsExactly(AOR);
        assertThat(store.drainRemoved()).isEmpty();
    }

    @Test
    void appliesOtherNodesChangesInOrderExceptToAorsWithLocalChanges() {
        UUID mine = UUID.randomUUID();
        UUID theirs = UUID.randomUUID();
        Binding other = binding(theirs, "sip:101@198.51.100.7:5060", NOW, 600, "x", 1);
        assertThat(store.applyRemote(List.of(new LocationStore.Remote(theirs, AOR, Optional.of(other))), NOW))
                .isEmpty();
        assertThat(store.lookup(AOR)).containsExactly(other);
        assertThat(store.drainDirty()).isEmpty();

        put(other, binding(mine, "sip:101@192.0.2.1:5060", NOW, 600, "c1", 1));
        assertThat(store.applyRemote(List.of(new LocationStore.Remote(theirs, AOR, Optional.empty())), NOW))
                .containsExactly(AOR);
        assertThat(store.lookup(AOR)).hasSize(2);
        store.drainDirty();
        store.applyRemote(List.of(new LocationStore.Remote(theirs, AOR, Optional.empty())), NOW);
        assertThat(store.lookup(AOR)).extracting(Binding::id).containsExactly(mine);
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.drainRemoved()).as("a removal made elsewhere is not written again here").isEmpty();
    }

    @Test
    void removingABindingRecordsItsAorForTheOtherNodes() {
        UUID id = UUID.randomUUID();
        put(binding(id, "sip:101@192.0.2.1:5060", NOW, 600, "c1", 1));
        assertThat(store.removeById(id)).isTrue();
        assertThat(store.drainRemoved()).isEqualTo(Map.of(id, AOR));
        assertThat(store.lookup(AOR)).isEmpty();
        assertThat(store.size()).isZero();
    }
}
