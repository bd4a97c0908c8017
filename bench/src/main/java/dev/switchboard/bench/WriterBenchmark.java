package dev.switchboard.bench;

import dev.switchboard.sip.message.ParseResult;
import dev.switchboard.sip.message.SipParser;
import dev.switchboard.sip.message.SipRequest;
import dev.switchboard.sip.message.SipResponse;
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

/** Build the 200 OK to a parsed REGISTER (RFC 3261 §8.2.6 copy, To tag, Contact) and serialise it. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class WriterBenchmark {

    private SipRequest register;

    @Setup
    public void setUp() {
        register = (SipRequest) ((ParseResult.Parsed) SipParser.DEFAULT.parse(ParserBenchmark.REGISTER)).message();
    }

    @Benchmark
    public byte[] okForRegister() {
        return SipResponse.to(register, 200, "OK")
                .toTag("a6c85cf")
                .header("Contact", "<sip:alice@192.0.2.10:5060;transport=udp>;expires=3600")
                .build()
                .toBytes();
    }
}
