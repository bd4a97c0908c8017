package dev.switchboard.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The data directory is its owner's alone (mode 0700), made so before the embedded database
 * creates its file there: that file holds the users' SIP HA1s, as good as their passwords for
 * digest, and H2 writes it readable by every local user (a probe read it).
 */
public class DataDirectory implements EnvironmentPostProcessor, Ordered {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String configured = environment.getProperty("switchboard.data-dir");
        if (configured == null || configured.isBlank()
                || !FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Path dir = Path.of(configured).toAbsolutePath();
        try {
            if (Files.notExists(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else if (Files.isDirectory(dir) && !Files.getPosixFilePermissions(dir).equals(OWNER_ONLY)
                    && isOwnedByUs(dir)) {
                Files.setPosixFilePermissions(dir, OWNER_ONLY);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the data directory " + dir, e);
        }
    }

    private static boolean isOwnedByUs(Path dir) throws IOException {
        return Files.getOwner(dir).getName().equals(System.getProperty("user.name"));
    }

    /** After {@link BlankSettings}, which may give the directory its default. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
