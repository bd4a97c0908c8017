package dev.switchboard.sip.message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the RFC 4475 vectors through the {@code conformance.dir} system property set by surefire. */
final class Vectors {
    private Vectors() {}

    static Path dir() {
        String d = System.getProperty("conformance.dir");
        if (d == null) {
            throw new IllegalStateException("system property conformance.dir is not set: run through Maven "
                    + "(./mvnw -pl sip test) or pass -Dconformance.dir=/path/to/shared/conformance");
        }
        Path p = Path.of(d, "rfc4475");
        if (!Files.isRegularFile(p.resolve("INDEX.md"))) {
            throw new IllegalStateException("no RFC 4475 vectors at " + p + " (conformance.dir=" + d + ")");
        }
        return p;
    }

    static byte[] read(String file) {
        try {
            return Files.readAllBytes(dir().resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
