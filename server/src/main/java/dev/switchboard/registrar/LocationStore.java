package dev.switchboard.registrar;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
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
 * writes dirty AORs behind. One AOR's bindings are an immutable list replaced atomically, so
 * concurrent REGISTERs for one AOR are serialised and readers always see a whole set.
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

    private final Map<String, List<Binding>> byAor = new ConcurrentHashMap<>();
    private final Map<UUID, String> aorById = new ConcurrentHashMap<>();
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    /** Ids of bindings removed since the last write, so only those rows are deleted (not other nodes'). */
    private final Set<UUID> removed = ConcurrentHashMap.newKeySet();
    private final AtomicLong count = new AtomicLong();

    public LocationStore(MeterRegistry meters) {
        Gauge.builder("sip.registrar.bindings", count, AtomicLong::get)
                .description("Bindings currently held by the registrar").register(meters);
    }

    /** The bindings of an AOR key ({@link AddressOfRecord#key()}), live and possibly expired. */
    public List<Binding> lookup(String aor) {
        return byAor.getOrDefault(aor, List.of());
    }

    /** Applies {@code change} to the AOR's bindings atomically; it must be quick and must not block. */
    public <R> R update(String aor, Function<List<Binding>, Change<R>> change) {
        List<R> out = new ArrayList<>(1);
        byAor.compute(aor, (key, current) -> {
            List<Binding> before = current == null ? List.of() : current;
            Change<R> c = change.apply(before);
            out.add(c.result());
            if (c.next().isEmpty()) {
                return current;
            }
            List<Binding> after = c.next().get();
            reindex(key, before, after);
            dirty.add(key);
            return after.isEmpty() ? null : after;
        });
        return out.get(0);
    }

    public Optional<Binding> byId(UUID id) {
        String aor = aorById.get(id);
        return aor == null ? Optional.empty()
                : lookup(aor).stream().filter(b -> b.id().equals(id)).findFirst();
    }

    /** Every binding matching the filter (a scan: for the API and maintenance, not per packet). */
    public List<Binding> find(Predicate<Binding> filter) {
        List<Binding> out = new ArrayList<>();
        for (List<Binding> list : byAor.values()) {
            for (Binding b : list) {
                if (filter.test(b)) {
                    out.add(b);
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
        return byId(id).map(b -> !removeIf(x -> x.id().equals(id)).isEmpty()).orElse(false);
    }

    /** Drops bindings whose expiry has passed. */
    public List<Binding> sweep(Instant now) {
        return removeIf(b -> b.expiredAt(now));
    }

    /** Puts bindings read from the database at start; they are not marked dirty. */
    public void load(Collection<Binding> bindings) {
        Map<String, List<Binding>> grouped = new LinkedHashMap<>();
        for (Binding b : bindings) {
            grouped.computeIfAbsent(b.aor(), k -> new ArrayList<>()).add(b);
        }
        grouped.forEach((aor, list) -> byAor.compute(aor, (k, current) -> {
            List<Binding> before = current == null ? List.of() : current;
            List<Binding> after = new ArrayList<>(before);
            after.addAll(list);
            reindex(k, before, after);
            return List.copyOf(after);
        }));
    }

    /**
     * Takes over what other nodes wrote: every AOR not changed here since the last write gets the
     * bindings the database holds (rows grouped by AOR). AORs with local changes still to be
     * written keep theirs; they reach the database, and so the other nodes, on the next write.
     */
    public void syncFrom(Map<String, List<Binding>> persisted) {
        Set<String> aors = new HashSet<>(byAor.keySet());
        aors.addAll(persisted.keySet());
        for (String aor : aors) {
            byAor.compute(aor, (key, current) -> {
                if (dirty.contains(key)) {
                    return current;
                }
                List<Binding> before = current == null ? List.of() : current;
                List<Binding> after = List.copyOf(persisted.getOrDefault(key, List.of()));
                if (before.equals(after)) {
                    return current;
                }
                for (Binding b : before) {
                    aorById.remove(b.id());
                }
                for (Binding b : after) {
                    aorById.put(b.id(), key);
                }
                count.addAndGet(after.size() - before.size());
                return after.isEmpty() ? null : after;
            });
        }
    }

    /** AOR keys changed since the last call; the caller writes their current bindings. */
    public Set<String> drainDirty() {
        Set<String> out = new HashSet<>();
        for (String aor : dirty) {
            if (dirty.remove(aor)) {
                out.add(aor);
            }
        }
        return out;
    }

    /** Ids of bindings removed since the last call; the caller deletes their rows. */
    public Set<UUID> drainRemoved() {
        Set<UUID> out = new HashSet<>();
        for (UUID id : removed) {
            if (removed.remove(id)) {
                out.add(id);
            }
        }
        return out;
    }

    /** Marks ids removed again, e.g. when deleting their rows failed. */
    public void markRemoved(Collection<UUID> ids) {
        removed.addAll(ids);
    }

    /** Marks AORs dirty again, e.g. when writing them failed. */
    public void markDirty(Collection<String> aors) {
        dirty.addAll(aors);
    }

    public long size() {
        return count.get();
    }

    private void reindex(String aor, List<Binding> before, List<Binding> after) {
        for (Binding b : before) {
            aorById.remove(b.id());
            removed.add(b.id());
        }
        for (Binding b : after) {
            aorById.put(b.id(), aor);
            removed.remove(b.id());
        }
        count.addAndGet(after.size() - before.size());
    }
}
