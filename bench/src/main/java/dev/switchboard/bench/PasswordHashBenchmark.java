package dev.switchboard.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/** CPU cost of one sign-in's password check at the BCrypt costs around the default, to choose the cost. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class PasswordHashBenchmark {

    @Param({"9", "10", "11"})
    int cost;

    private BCryptPasswordEncoder encoder;
    private String hash;

    @Setup
    public void setUp() {
        encoder = new BCryptPasswordEncoder(cost);
        hash = encoder.encode("5f4dcc3b5aa765d61d8327deb882cf99");
    }

    @Benchmark
    public boolean verify() {
        return encoder.matches("5f4dcc3b5aa765d61d8327deb882cf99", hash);
    }
}
