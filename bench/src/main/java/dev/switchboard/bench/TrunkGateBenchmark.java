package dev.switchboard.bench;

import dev.switchboard.sip.net.Cidr;
import dev.switchboard.sip.net.CidrIndex;
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
 * Cost of one trunk gate address decision (longest-prefix match of a source address) with
 * 100,000 {@code ip} methods loaded: a mix of /32 hosts, /24 and /28 ranges and IPv6 /64s and
 * /128s, probed with addresses that hit and that miss.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class TrunkGateBenchmark {

    static final int METHODS = 100_000;
    static final int PROBES = 4096;

    private final CidrIndex<Integer> index = new CidrIndex<>();
    private final Cidr[] v4Probes = new Cidr[PROBES];
    private final Cidr[] v6Probes = new Cidr[PROBES];
    private int next;

    @Setup
    public void load() {
        Random random = new Random(42);
        for (int i = 0; i < METHODS; i++) {
            int kind = i % 10;
            Cidr range;
            if (kind < 5) {
                range = new Cidr(false, 0, Integer.toUnsignedLong(random.nextInt()), 32);
            } else if (kind < 7) {
                range = new Cidr(false, 0, Integer.toUnsignedLong(random.nextInt()), 24);
            } else if (kind < 8) {
                range = new Cidr(false, 0, Integer.toUnsignedLong(random.nextInt()), 28);
            } else if (kind < 9) {
                range = new Cidr(true, 0x2001_0db8_0000_0000L | (random.nextInt() & 0xFFFF_FFFFL), 0, 64);
            } else {
                range = new Cidr(true, 0x2001_0db8_0000_0000L | (random.nextInt() & 0xFFFF_FFFFL),
                        random.nextLong(), 128);
            }
            index.put(range, i);
        }
        for (int i = 0; i < PROBES; i++) {
            v4Probes[i] = new Cidr(false, 0, Integer.toUnsignedLong(random.nextInt()), 32);
            v6Probes[i] = new Cidr(true, 0x2001_0db8_0000_0000L | (random.nextInt() & 0xFFFF_FFFFL),
                    random.nextLong(), 128);
        }
        if (index.size() < METHODS * 99 / 100) {
            throw new IllegalStateException("expected ~" + METHODS + " ranges, got " + index.size());
        }
    }

    @Benchmark
    public Integer decideIpv4() {
        return index.lookup(v4Probes[next++ & (PROBES - 1)]);
    }

    @Benchmark
    public Integer decideIpv6() {
        return index.lookup(v6Probes[next++ & (PROBES - 1)]);
    }
}
