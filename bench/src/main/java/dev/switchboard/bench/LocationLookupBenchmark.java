package dev.switchboard.bench;

import dev.switchboard.registrar.Binding;
import dev.switchboard.registrar.LocationStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The location store with a million AORs: finding an AOR's bindings as the proxy does for each
 * call (a random registered AOR, and one never registered), and a refresh as the registrar
 * applies it (the same binding with a new expiry, Call-ID and CSeq). Lookup keys are separate
 * String objects from the stored ones, as a parsed Request-URI's would be.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class LocationLookupBenchmark {

    private static final int AORS = 1_000_000;
    private static final int KEYS = 1 << 16;

    private LocationStore store;
    private String[] present;
    private String[] absent;
    private Binding[] refreshes;
    private int next;

    @Setup
    public void fill() {
        store = new LocationStore(new SimpleMeterRegistry());
        Random random = new Random(3);
        Instant now = Instant.now();
        RealisticBindings.fill(store, AORS, random, now);
        present = new String[KEYS];
        absent = new String[KEYS];
        refreshes = new Binding[KEYS];
        for (int i = 0; i < KEYS; i++) {
            int n = random.nextInt(AORS);
            present[i] = new String(RealisticBindings.aor(n));
            absent[i] = (2_000_000 + n) + "@tenant-" + (n % 100) + ".example.com";
            Binding b = store.lookup(present[i]).get(0);
            refreshes[i] = new Binding(b.id(), b.tenantId(), b.userId(), b.aor(), b.contact(), b.contactKey(),
                    b.qMillis(), now.plusSeconds(3600 + i % 60), "refresh-" + i, b.cseq() + 1, b.source(),
                    b.transport(), b.userAgent(), b.instance(), b.regId(), b.path(), now.plusSeconds(i % 60));
        }
    }

    @Benchmark
    public List<Binding> lookupRegistered() {
        return store.lookup(present[next++ & (KEYS - 1)]);
    }

    @Benchmark
    public List<Binding> lookupUnknown() {
        return store.lookup(absent[next++ & (KEYS - 1)]);
    }

    @Benchmark
    public Object refresh() {
        Binding b = refreshes[next++ & (KEYS - 1)];
        return store.update(b.aor(), current -> LocationStore.Change.replace(
                current.size() == 1 ? List.of(b) : List.of(b, current.get(1)), null));
    }
}
