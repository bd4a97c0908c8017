package dev.switchboard.bench;

import dev.switchboard.sip.digest.Challenge;
import dev.switchboard.sip.digest.DigestAlgorithm;
import dev.switchboard.sip.digest.DigestClient;
import dev.switchboard.sip.digest.DigestOutcome;
import dev.switchboard.sip.digest.DigestVerifier;
import dev.switchboard.sip.digest.Ha1Set;
import dev.switchboard.sip.digest.NonceService;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
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

/**
 * CPU cost of one digest verification as the registrar does it (parse the Authorization
 * value, check the nonce's HMAC, hash, compare, record nc), per algorithm.
 *
 * <p>Replay protection forbids verifying the same credentials twice, so each operation first
 * has the client answer with the next nc. {@code clientAnswer} measures that part alone;
 * verification costs {@code answerAndVerify - clientAnswer}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class DigestBenchmark {

    private static final String REALM = "tenant.example.com";
    private static final String URI = "sip:tenant.example.com";

    @Param({"SHA_256", "MD5"})
    DigestAlgorithm algorithm;

    private DigestVerifier verifier;
    private DigestClient client;
    private List<String> challenge;
    private Ha1Set ha1;

    @Setup
    public void setUp() {
        // A lifetime far beyond the run, so the nonce never turns stale mid-measurement.
        NonceService nonces = new NonceService("benchmark key, benchmark key, be".getBytes(StandardCharsets.US_ASCII),
                Duration.ofDays(1));
        verifier = new DigestVerifier(nonces);
        client = new DigestClient();
        challenge = Challenge.forRealm(REALM, nonces.issue(REALM)).algorithms(List.of(algorithm)).headerValues();
        ha1 = Ha1Set.fromPassword("alice", REALM, "correct horse battery");
    }

    @Benchmark
    public String clientAnswer() {
        return client.authorize(challenge, "REGISTER", URI, "alice", ha1).orElseThrow();
    }

    @Benchmark
    public DigestOutcome answerAndVerify() {
        String authorization = client.authorize(challenge, "REGISTER", URI, "alice", ha1).orElseThrow();
        DigestOutcome outcome = verifier.verify(authorization, "REGISTER", URI, REALM, ha1);
        if (!(outcome instanceof DigestOutcome.Accepted)) {
            throw new IllegalStateException("benchmark measured a failing path: " + outcome);
        }
        return outcome;
    }
}
