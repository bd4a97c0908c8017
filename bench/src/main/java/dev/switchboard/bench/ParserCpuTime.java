package dev.switchboard.bench;

import dev.switchboard.sip.message.ParseResult;
import dev.switchboard.sip.message.SipParser;
import dev.switchboard.sip.message.SipRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Parser throughput per CPU-second of the measuring thread, for shared machines where wall-clock JMH
 * numbers mostly measure the neighbours: {@code java -cp bench/target/benchmarks.jar dev.switchboard.bench.ParserCpuTime}.
 */
public final class ParserCpuTime {
    private ParserCpuTime() {}

    public static void main(String[] args) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int round = 0; round < 8; round++) {
            int n = 2_000_000;
            long cpu0 = mx.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                SipRequest r = (SipRequest) ((ParseResult.Parsed) SipParser.DEFAULT.parse(ParserBenchmark.REGISTER)).message();
                sink += r.topVia().branch().get().length() + r.from().tag().get().length() + r.to().uri().scheme().length()
                        + r.callId().length() + r.cseq().number() + r.contacts().get(0).param("expires").get().length()
                        + r.expires().getAsLong();
            }
            long cpu = mx.getCurrentThreadCpuTime() - cpu0;
            long wall = System.nanoTime() - wall0;
            System.out.printf("round %d: %,.0f parses/CPU-second, %,.0f parses/wall-second%n", round,
                    n * 1e9 / cpu, n * 1e9 / wall);
        }
        System.out.println(sink == 42 ? "" : "done");
    }
}
