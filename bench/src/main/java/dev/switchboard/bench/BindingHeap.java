package dev.switchboard.bench;

import dev.switchboard.registrar.LocationStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Random;

/**
 * Heap used per binding with a million AORs in the location store (about 1,100,000 bindings):
 * the heap after a full collection with the store filled, minus the heap before, divided by the
 * bindings. Counts everything the store holds: the map and its nodes, the Binding objects, their
 * strings and arrays. Run: {@code java -cp bench/target/benchmarks.jar dev.switchboard.bench.BindingHeap [aors [histogram]]}.
 */
public final class BindingHeap {

    private BindingHeap() {
    }

    public static void main(String[] args) throws Exception {
        int aors = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        LocationStore store = new LocationStore(new SimpleMeterRegistry());
        long before = usedAfterGc();
        RealisticBindings.fill(store, aors, new Random(1), Instant.now());
        long after = usedAfterGc();
        long bindings = store.size();
        System.out.printf("%,d AORs, %,d bindings: %,d bytes of heap, %d bytes per binding (%d per AOR)%n",
                aors, bindings, after - before, (after - before) / bindings, (after - before) / aors);
        if (args.length > 1 && args[1].equals("histogram")) {
            // What the bytes are: the live objects by class, largest first (the store dominates).
            String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram", new Object[] {null}, new String[] {String[].class.getName()});
            histogram.lines().limit(16).forEach(System.out::println);
        }
        // Keeps the store reachable until measured.
        if (store.lookup(RealisticBindings.aor(0)).isEmpty()) {
            throw new IllegalStateException("store lost its bindings");
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(200);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
