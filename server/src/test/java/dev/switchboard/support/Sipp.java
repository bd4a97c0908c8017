package dev.switchboard.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs SIPp (Debian package {@code sip-tester}) against a server on loopback, bounded in calls
 * and time, and reads its final statistics. A missing binary fails the test with the install
 * command instead of skipping it.
 */
public final class Sipp {

    private Sipp() {
    }

    /** What one SIPp run did. */
    public record Result(int exitCode, long created, long successful, long failed, long retransmissions,
                         String output) {
        public boolean allSucceeded(long expected) {
            return successful == expected && failed == 0;
        }
    }

    public static String binary() {
        for (String dir : new String[] {"/usr/bin", "/usr/local/bin", "/usr/sbin"}) {
            if (Files.isExecutable(Path.of(dir, "sipp"))) {
                return dir + "/sipp";
            }
        }
        throw new AssertionError("sipp is not installed: run `apt-get install sip-tester` (CI's .ci/run does)");
    }

    /**
     * Runs a scenario from the test resources ({@code sipp/<name>.xml}) with the given extra
     * arguments (for example {@code -m 100 -r 50}); SIPp binds to 127.0.0.1 on a free port.
     */
    public static Result run(String scenario, InetSocketAddress target, int timeoutSeconds, String... extra)
            throws IOException, InterruptedException {
        return start(scenario, "127.0.0.1", 0, target, timeoutSeconds, extra).await();
    }

    /**
     * Starts a scenario in the background, bound to {@code localIp:localPort} (0: a free port), so a
     * test can run a UAS and a UAC at once; {@link Running#await()} waits for it and reads the result.
     */
    public static Running start(String scenario, String localIp, int localPort, InetSocketAddress target,
                                int timeoutSeconds, String... extra) throws IOException {
        return start(scenario, Map.of(), localIp, localPort, target, timeoutSeconds, extra);
    }

    private static final Pattern UNFILLED_LINE =
            Pattern.compile("(?m)^[ \\t]*@@[A-Z_]+@@[ \\t]*\\r?\\n");

    /** As {@link #start(String, String, int, InetSocketAddress, int, String...)}, with {@code @@NAME@@} placeholders filled. */
    public static Running start(String scenario, Map<String, String> fill, String localIp, int localPort,
                                InetSocketAddress target, int timeoutSeconds, String... extra) throws IOException {
        Path work = ScratchDirectory.create("sipp");
        Path xml = work.resolve(scenario + ".xml");
        try (InputStream in = Sipp.class.getResourceAsStream("/sipp/" + scenario + ".xml")) {
            if (in == null) {
                throw new IllegalArgumentException("no scenario sipp/" + scenario + ".xml");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            for (var e : fill.entrySet()) {
                text = text.replace("@@" + e.getKey() + "@@", e.getValue());
            }
            // A line holding only a placeholder the test left unfilled (an optional header) goes.
            text = UNFILLED_LINE.matcher(text).replaceAll("");
            Files.writeString(xml, text, StandardCharsets.ISO_8859_1);
        }
        Path stats = work.resolve("stats.csv");
        List<String> command = new ArrayList<>(List.of(binary(), "-sf", xml.toString(), "-i", localIp,
                "-p", Integer.toString(localPort), target.getAddress().getHostAddress() + ":" + target.getPort(),
                "-nostdin", "-timeout", timeoutSeconds + "s", "-trace_stat", "-stf", stats.toString(), "-fd", "1",
                "-trace_err", "-error_file", work.resolve("errors.log").toString()));
        command.addAll(Arrays.asList(extra));
        Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("out.log").toFile()).redirectInput(ProcessBuilder.Redirect.from(
                        Path.of("/dev/null").toFile())).start();
        return new Running(process, work, stats, timeoutSeconds);
    }

    /** A SIPp process started by {@link #start}. */
    public record Running(Process process, Path work, Path stats, int timeoutSeconds) {

        /** Waits for SIPp to end (it is killed past its timeout) and reads its final statistics. */
        public Result await() throws IOException, InterruptedException {
            if (!process.waitFor(timeoutSeconds + 15L, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("sipp did not finish within " + (timeoutSeconds + 15) + " s");
            }
            String output = Files.readString(work.resolve("out.log"), StandardCharsets.UTF_8);
            if (Files.exists(work.resolve("errors.log"))) {
                output += "\n--- errors ---\n" + Files.readString(work.resolve("errors.log"), StandardCharsets.UTF_8);
            }
            if (!Files.exists(stats)) {
                return new Result(process.exitValue(), 0, 0, 0, 0, output);
            }
            List<String> lines = Files.readAllLines(stats, StandardCharsets.UTF_8);
            String[] header = lines.get(0).split(";");
            String[] last = lines.get(lines.size() - 1).split(";");
            return new Result(process.exitValue(), column(header, last, "TotalCallCreated"),
                    column(header, last, "SuccessfulCall(C)"), column(header, last, "FailedCall(C)"),
                    column(header, last, "Retransmissions(C)"), output);
        }

        /** Stops SIPp at once (a UAS whose calls never came). */
        public void stop() {
            process.destroyForcibly();
        }
    }

    private static long column(String[] header, String[] row, String name) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].equals(name)) {
                return Long.parseLong(row[i].trim());
            }
        }
        throw new IllegalStateException("SIPp statistics lack " + name);
    }
}
