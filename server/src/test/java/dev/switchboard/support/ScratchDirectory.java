package dev.switchboard.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Temporary directories for test peers (SIPp, baresip, Kamailio, coturn) and test servers,
 * removed with their contents when the test JVM exits, so a test run leaves nothing in /tmp;
 * baresip's account files there hold SIP passwords.
 */
public final class ScratchDirectory {

    private static final Set<Path> CREATED = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> CREATED.forEach(ScratchDirectory::deleteTree),
                "scratch-directory-cleanup"));
    }

    private ScratchDirectory() {
    }

    /** A new empty directory under the system's temporary directory, named with this prefix. */
    public static Path create(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            CREATED.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            // Deepest first, so each directory is empty when its turn comes.
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Already gone, or a file a peer still writes: nothing a test can do about it at exit.
        }
    }
}
