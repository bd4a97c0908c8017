package dev.switchboard.bench;

import dev.switchboard.sip.message.ParseResult;
import dev.switchboard.sip.message.SipParser;
import dev.switchboard.sip.message.SipRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/** Parse a realistic ~500-byte REGISTER and read the headers a registrar touches; target ≥ 1M ops/s per core. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ParserBenchmark {

    static final byte[] REGISTER = ("""
            REGISTER sip:example.com SIP/2.0
            Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport
            Max-Forwards: 70
            To: "Alice" <sip:alice@example.com>
            From: "Alice" <sip:alice@example.com>;tag=1928301774
            Call-ID: a84b4c76e66710@pc33.example.com
            CSeq: 314159 REGISTER
            Contact: <sip:alice@192.0.2.10:5060;transport=udp>;expires=3600;+sip.instance="<urn:uuid:00000000-0000-1000-8000-000A95A0E128>"
            Expires: 3600
            Allow: INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, MESSAGE, OPTIONS, INFO, SUBSCRIBE
            Supported: path, gruu, outbound
            User-Agent: Switchboard-Bench/1.0
            Content-Length: 0

            """).replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII);

    private final SipParser parser = SipParser.DEFAULT;

    @Benchmark
    public void parseRegister(Blackhole bh) {
        ParseResult r = parser.parse(REGISTER);
        SipRequest req = (SipRequest) ((ParseResult.Parsed) r).message();
        bh.consume(req.topVia().branch());
        bh.consume(req.from().tag());
        bh.consume(req.to().uri());
        bh.consume(req.callId());
        bh.consume(req.cseq().number());
        bh.consume(req.contacts().get(0).param("expires"));
        bh.consume(req.expires());
    }
}
