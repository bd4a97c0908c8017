package dev.switchboard.registrar;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import org.springframework.stereotype.Component;

/**
 * The location service (RFC 3261 §10.2): bindings by address-of-record, in memory, so SIP threads
 * never wait for the database. Every change to an AOR marks it dirty; {@link BindingPersistence}
 * writes dirty AORs behind. One AOR's bindings are replaced atomically, so concurrent REGISTERs
 * for one AOR are serialised and readers always see a whole set.
 *
 * <p>A change that only refreshes bindings (a later expiry, a new Call-ID and CSeq, nothing else)
 * is not marked dirty but due: it must be written before half of the time the stored copy had
 * left has passed, so a restarted node or another node never sees the binding expire, while
 * phones refreshing every few seconds cost one write per half-life instead of one per REGISTER.
 *
 * <p>Held compactly, since a node may hold millions: an AOR with one binding maps to the
 * {@link Binding} itself, one with more to an array of them; there is no index by binding id
 * (finding one by id is a scan, for the API only).
 */
@Component
public class LocationStore {

    /** What an update decided: the new bindings of the AOR (empty: leave as is) and a result for the caller. */
    public record Change<R>(Optional<List<Binding>> next, R result) {

        public static <R> Change<R> keep(R result) {
            return new Change<>(Optional.empty(), result);
        }

        public static <R> Change<R> replace(List<Binding> next, R result) {
            return new Change<>(Optional.of(List.copyOf(next)), result);
        }
    }

    /**
     * A change another node made to one binding: its new state, or its removal (empty) at
     * {@code removedAt}. A removal whose id is {@link #everyContactOf} the AOR removes every
     * binding of it registered before then (an un-REGISTER with {@code *}, or a forced one, made
     * on a node that did not hold them yet).
     */
    public record Remote(UUID id, String aor, Optional<Binding> binding, Instant removedAt) {

        public Remote(UUID id, String aor, Optional<Binding> binding) {
            this(id, aor, binding, null);
        }
    }

    /** A refresh may shorten the expiry by up to 1/this of the new lifetime and still be written late. */
    private static final long SHORTER_TOLERANCE = 10;

    /** AOR key → a {@link Binding} or a {@code Binding[]} of two or more. */
    private final Map<String, Object> byAor = new ConcurrentHashMap<>();
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    /** AORs only refreshed since their last write → when that write is due (epoch nanoseconds). */
    private final Map<String, Long> due = new ConcurrentHashMap<>();
    /** Bindings removed since the last write (id → AOR), so only those rows are deleted (not other nodes'). */
    private final Map<UUID, String> removed = new ConcurrentHashMap<>();
    /** AORs whose every contact was removed since the last write → when; see {@link #unregisteredAll}. */
    private final Map<String, Instant> allRemoved = new ConcurrentHashMap<>();
    private final AtomicLong count = new AtomicLong();

    public LocationStore(MeterRegistry meters) {
        Gauge.builder("sip.registrar.bindings", count, AtomicLong::get)
                .description("Bindings currently held by the registrar").register(meters);
    }

    /** The bindings of an AOR key ({@link AddressOfRecord#key()}), live and possibly expired. */
    public List<Binding> lookup(String aor) {
        return list(byAor.get(aor));
    }

    /** Applies {@code change} to the AOR's bindings atomically; it must be quick and must not block. */
    public <R> R update(String aor, Function<List<Binding>, Change<R>> change) {
        List<R> out = new ArrayList<>(1);
        byAor.compute(aor, (key, current) -> {
            List<Binding> before = list(current);
            Change<R> c = change.apply(before);
            out.add(c.result());
            if (c.next().isEmpty()) {
                return current;
            }
            List<Binding> after = c.next().get();
            markRemoved(key, before, after);
            count.addAndGet(after.size() - before.size());
            long refreshDue = refreshDue(before, after);
            if (refreshDue == Long.MIN_VALUE) {
                dirty.add(key);
            } else {
                due.merge(key, refreshDue, Math::min);
            }
            return value(after);
        });
        return out.get(0);
    }

    /** The binding with this id (a scan: for the API, not per packet). */
    public Optional<Binding> byId(UUID id) {
        List<Binding> found = find(b -> b.hasId(id));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Every binding matching the filter (a scan: for the API and maintenance, not per packet). */
    public List<Binding> find(Predicate<Binding> filter) {
        List<Binding> out = new ArrayList<>();
        for (Object value : byAor.values()) {
            if (value instanceof Binding b) {
                if (filter.test(b)) {
                    out.add(b);
                }
            } else {
                for (Binding b : (Binding[]) value) {
                    if (filter.test(b)) {
                        out.add(b);
                    }
                }
            }
        }
        return out;
    }

    /** Removes every binding matching the filter; answers the removed ones. */
    public List<Binding> removeIf(Predicate<Binding> filter) {
        Set<String> aors = new HashSet<>();
        for (Binding b : find(filter)) {
            aors.add(b.aor());
        }
        List<Binding> removed = new ArrayList<>();
        for (String aor : aors) {
            update(aor, current -> {
                List<Binding> keep = new ArrayList<>(current.size());
                for (Binding b : current) {
                    (filter.test(b) ? removed : keep).add(b);
                }
                return keep.size() == current.size() ? Change.keep(null) : Change.replace(keep, null);
            });
        }
        return removed;
    }

    public boolean removeById(UUID id) {
        return !removeIf(b -> b.hasId(id)).isEmpty();
    }

    /** Drops bindings whose expiry has passed. */
    public List<Binding> sweep(Instant now) {
        return removeIf(b -> b.expiredAt(now));
    }

    /** Puts bindings read from the database at start; they are not marked dirty. */
    public void load(Collection<Binding> bindings) {
        Map<String, List<Binding>> grouped = new LinkedHashMap<>();
        for (Binding b : bindings) {
            grouped.computeIfAbsent(b.aor(), k -> new ArrayList<>(1)).add(b);
        }
        grouped.forEach((aor, list) -> byAor.compute(aor, (k, current) -> {
            List<Binding> after = new ArrayList<>(list(current));
            after.addAll(list);
            count.addAndGet(list.size());
            return value(after);
        }));
    }

    /**
     * Takes over what other nodes wrote, for every AOR held here or in {@code persisted} (rows
     * grouped by AOR): each one not changed here since the last write gets the bindings the
     * database holds. AORs with local changes still to be written (refreshes too) keep theirs;
     * they reach the database, and so the other nodes, on a later write. Answers those AORs.
     */
    public Set<String> syncFrom(Map<String, List<Binding>> persisted) {
        Set<String> aors = new HashSet<>(byAor.keySet());
        aors.addAll(persisted.keySet());
        return syncFrom(persisted, aors);
    }

    /** {@link #syncFrom(Map)} for the given AORs only; answers those skipped for local changes. */
    public Set<String> syncFrom(Map<String, List<Binding>> persisted, Collection<String> aors) {
        Set<String> skipped = new HashSet<>();
        for (String aor : aors) {
            byAor.compute(aor, (key, current) -> {
                if (dirty.contains(key) || due.containsKey(key)) {
                    skipped.add(key);
                    return current;
                }
                List<Binding> before = list(current);
                List<Binding> after = persisted.getOrDefault(key, List.of());
                if (before.equals(after)) {
                    return current;
                }
                count.addAndGet(after.size() - before.size());
                return value(after);
            });
        }
        return skipped;
    }

    /**
     * Applies changes other nodes made, in the order they made them: a binding's new state
     * replaces the one with its id (or is added), a removal or an expired state drops it. AORs
     * with local changes not yet written are left alone; they are answered, so the caller can
     * read them again once written.
     */
    public Set<String> applyRemote(List<Remote> changes, Instant now) {
        Set<String> skipped = new HashSet<>();
        for (Remote change : changes) {
            byAor.compute(change.aor(), (key, current) -> {
                if (dirty.contains(key)) {
                    skipped.add(key);
                    return current;
                }
                due.remove(key);
                List<Binding> before = list(current);
                List<Binding> after = new ArrayList<>(before.size() + 1);
                boolean everyContact = change.binding().isEmpty() && change.id().equals(everyContactOf(key));
                for (Binding b : before) {
                    // A removal ends what was registered before it, not a registration made since
                    // (the phone came back, here or on a third node).
                    boolean hit = everyContact || b.hasId(change.id());
                    boolean ended = change.removedAt() == null || change.binding().isPresent()
                            || !b.registeredAt().isAfter(change.removedAt());
                    if (!(hit && ended)) {
                        after.add(b);
                    }
                }
                change.binding().filter(b -> !b.expiredAt(now)).ifPresent(after::add);
                count.addAndGet(after.size() - before.size());
                return value(after);
            });
        }
        return skipped;
    }

    /**
     * AOR keys changed since the last call; the caller writes their current bindings, so
     * refreshes of them pending until now are no longer due.
     */
    public Set<String> drainDirty() {
        Set<String> out = new HashSet<>();
        for (String aor : dirty) {
            if (dirty.remove(aor)) {
                due.remove(aor);
                out.add(aor);
            }
        }
        return out;
    }

    /**
     * AORs only refreshed whose write is due before {@code deadline} (all of them for
     * {@code Instant.MAX}); they are no longer due, and the caller writes their current bindings.
     */
    public Set<String> drainDue(Instant deadline) {
        Set<String> out = new HashSet<>();
        if (deadline.equals(Instant.MIN) || due.isEmpty()) {
            return out;
        }
        long limit = deadline.equals(Instant.MAX) ? Long.MAX_VALUE : nanos(deadline);
        for (Map.Entry<String, Long> e : due.entrySet()) {
            if (e.getValue() <= limit && due.remove(e.getKey(), e.getValue())) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /** AORs refreshed and not yet written. */
    public int dueCount() {
        return due.size();
    }

    /** Bindings removed since the last call (id → AOR key); the caller deletes their rows. */
    public Map<UUID, String> drainRemoved() {
        return drain(removed);
    }

    /**
     * Every contact of the AOR registered until {@code at} is gone, also those another node took
     * and this one has not read yet: written as a removal the other nodes apply to what they hold,
     * so an un-REGISTER with {@code *} (or a forced de-registration) made here a moment after a
     * REGISTER made there is not undone when that node's copy arrives.
     */
    public void unregisteredAll(String aor, Instant at) {
        allRemoved.merge(aor, at, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** AORs emptied since the last call, with when; the caller records them for the other nodes. */
    public Map<String, Instant> drainUnregisteredAll() {
        return drain(allRemoved);
    }

    /** Takes every entry out of a map SIP threads keep adding to, none lost to a concurrent put. */
    private static <K, V> Map<K, V> drain(Map<K, V> shared) {
        Map<K, V> out = new HashMap<>();
        for (K key : shared.keySet()) {
            V value = shared.remove(key);
            if (value != null) {
                out.put(key, value);
            }
        }
        return out;
    }

    /** Marks AORs emptied again, e.g. when recording that failed. */
    public void markUnregisteredAll(Map<String, Instant> aors) {
        aors.forEach(this::unregisteredAll);
    }

    /** The removal id meaning "every contact of this AOR" (no contact's id: {@code *} is no URI). */
    public static UUID everyContactOf(String aor) {
        return Registrar.newId(aor, "*");
    }

    /** Marks bindings removed again, e.g. when deleting their rows failed. */
    public void markRemoved(Map<UUID, String> ids) {
        removed.putAll(ids);
    }

    /** Marks AORs dirty again, e.g. when writing them failed. */
    public void markDirty(Collection<String> aors) {
        dirty.addAll(aors);
    }

    /** Whether the AOR has local changes not yet taken by {@link #drainDirty()}. */
    public boolean isDirty(String aor) {
        return dirty.contains(aor);
    }

    public long size() {
        return count.get();
    }

    private void markRemoved(String aor, List<Binding> before, List<Binding> after) {
        for (Binding b : before) {
            UUID id = b.id();
            boolean kept = false;
            for (Binding a : after) {
                if (a.hasId(id)) {
                    kept = true;
                    break;
                }
            }
            if (!kept) {
                removed.put(id, aor);
            }
        }
        for (Binding a : after) {
            // Removed earlier and now back (another node's copy taken over): its row must stay.
            if (!removed.isEmpty()) {
                removed.remove(a.id());
            }
        }
    }

    /**
     * When a change that only refreshes bindings must be written (epoch nanoseconds): halfway
     * from the refresh to the earlier of the binding's old and new expiry. {@code Long.MIN_VALUE}
     * when the change is more than a refresh and must be written at once.
     *
     * <p>A refresh may shorten the expiry a little (the registrar grants expiries with random
     * jitter, and a phone re-registering within seconds then often gets an earlier one): the
     * stored copy then outlives the binding until the write, which is harmless when the
     * difference is small. Past a tenth of the new lifetime (a phone asking for
     * 60 s after 3600 s) it is a change, so that a node reading the table never keeps such a
     * binding much longer than it was granted.
     */
    private static long refreshDue(List<Binding> before, List<Binding> after) {
        if (before.isEmpty() || before.size() != after.size()) {
            return Long.MIN_VALUE;
        }
        long due = Long.MAX_VALUE;
        for (Binding a : after) {
            Binding old = null;
            for (Binding b : before) {
                if (a.isRefreshOf(b)) {
                    old = b;
                    break;
                }
            }
            if (old == null) {
                return Long.MIN_VALUE;
            }
            long now = nanos(a.registeredAt());
            long oldExpiry = nanos(old.expiresAt());
            long newExpiry = nanos(a.expiresAt());
            long lifetime = newExpiry - now;
            if (lifetime <= 0 || oldExpiry <= now || oldExpiry - newExpiry > lifetime / SHORTER_TOLERANCE) {
                return Long.MIN_VALUE;
            }
            due = Math.min(due, now + (Math.min(oldExpiry, newExpiry) - now) / 2);
        }
        return due;
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private static List<Binding> list(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof Binding b) {
            return List.of(b);
        }
        return List.of((Binding[]) value);
    }

    private static Object value(List<Binding> bindings) {
        return switch (bindings.size()) {
            case 0 -> null;
            case 1 -> bindings.get(0);
            default -> bindings.toArray(new Binding[0]);
        };
    }
}
