package dev.switchboard.bench;

import dev.switchboard.sip.message.ParseResult;
import dev.switchboard.sip.message.SipParser;
import dev.switchboard.sip.message.SipRequest;
import dev.switchboard.sip.message.SipResponse;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * {@link WriterBenchmark}'s operation per CPU-second of the measuring thread, for shared machines where
 * wall-clock JMH numbers mostly measure the neighbours:
 * {@code java -cp bench/target/benchmarks.jar dev.switchboard.bench.WriterCpuTime}.
 */
public final class WriterCpuTime {
    private WriterCpuTime() {}

    public static void main(String[] args) {
        SipRequest register = (SipRequest) ((ParseResult.Parsed) SipParser.DEFAULT.parse(ParserBenchmark.REGISTER)).message();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int round = 0; round < 8; round++) {
            int n = 2_000_000;
            long cpu0 = mx.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                byte[] out = SipResponse.to(register, 200, "OK")
                        .toTag("a6c85cf")
                        .header("Contact", "<sip:alice@192.0.2.10:5060;transport=udp>;expires=3600")
                        .build()
                        .toBytes();
                sink += out.length + out[i & 63];
            }
            long cpu = mx.getCurrentThreadCpuTime() - cpu0;
            long wall = System.nanoTime() - wall0;
            System.out.printf("round %d: %,.0f responses/CPU-second, %,.0f responses/wall-second%n", round,
                    n * 1e9 / cpu, n * 1e9 / wall);
        }
        System.out.println(sink == 42 ? "" : "done");
    }
}
