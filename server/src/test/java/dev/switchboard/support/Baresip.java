package dev.switchboard.support;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finding and running baresip (Debian package {@code baresip-core}), the real SIP client of the
 * registrar and proxy tests. A missing binary fails the test with the install command.
 */
public final class Baresip {

    private Baresip() {
    }

    public static String binary() {
        for (String dir : new String[] {"/usr/bin", "/usr/local/bin"}) {
            if (Files.isExecutable(Path.of(dir, "baresip"))) {
                return dir + "/baresip";
            }
        }
        throw new AssertionError("baresip is not installed: run `apt-get install baresip-core` (CI's .ci/run does)");
    }

    public static String modulePath() {
        for (String dir : new String[] {"/usr/lib/baresip/modules", "/usr/local/lib/baresip/modules",
                "/usr/lib/x86_64-linux-gnu/baresip/modules", "/usr/lib/aarch64-linux-gnu/baresip/modules"}) {
            if (Files.isReadable(Path.of(dir, "account.so"))) {
                return dir;
            }
        }
        throw new AssertionError("baresip's modules (account.so) are missing: run `apt-get install baresip-core`");
    }

    /**
     * A port for baresip's {@code sip_listen}: baresip 1.0.0 cannot turn transports off, so it binds
     * UDP and TCP on the port and TLS on the next one. Taken below the kernel's ephemeral range
     * (32768 and up), so the outgoing connections of the server and the test cannot take it
     * between this check and baresip's bind.
     */
    public static int freeSipPort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int candidate = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            if (bindable(candidate) && bindable(candidate + 1)) {
                return candidate;
            }
        }
        throw new AssertionError("no free UDP+TCP port pair on 127.0.0.1 between 20000 and 32000");
    }

    private static boolean bindable(int port) {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (DatagramSocket udp = new DatagramSocket(port, loopback);
             ServerSocket tcp = new ServerSocket(port, 1, loopback)) {
            return udp.isBound() && tcp.isBound();
        } catch (IOException e) {
            return false;
        }
    }
}
