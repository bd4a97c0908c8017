package dev.switchboard.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;

/**
 * Where the secret key comes from: the configured {@code switchboard.secret-key} (base64 of 32
 * bytes), else {@code <data-dir>/secret.key}. The file is created only when the caller says a
 * new key is acceptable (an empty database); otherwise a missing file is reported, so a lost
 * key is never silently replaced by a new one.
 */
public final class SecretKeyFile {

    public static final String FILE_NAME = "secret.key";

    private SecretKeyFile() {
    }

    /** Decodes a configured key, refusing anything that is not base64 of exactly 32 bytes. */
    public static byte[] decode(String base64, String origin) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(origin + " is not valid base64; it must be base64 of 32 random bytes"
                    + " (e.g. the output of: openssl rand -base64 32)");
        }
        if (key.length != SecretBox.KEY_BYTES) {
            throw new IllegalStateException(origin + " decodes to " + key.length + " bytes; it must be base64 of "
                    + SecretBox.KEY_BYTES + " random bytes (e.g. the output of: openssl rand -base64 32)");
        }
        return key;
    }

    /** The key in the file, if the file exists. */
    public static Optional<byte[]> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(decode(Files.readString(file, StandardCharsets.US_ASCII), "the key file " + file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the secret key file " + file, e);
        }
    }

    /**
     * Writes a new random key to the file, readable by the owner only where the file system has
     * POSIX permissions. Fails if the file appeared meanwhile, so two starts cannot each keep a
     * different key.
     */
    public static byte[] create(Path file) {
        byte[] key = SecretBox.newKey();
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            boolean posix = file.toAbsolutePath().getFileSystem().supportedFileAttributeViews().contains("posix");
            if (posix) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            return key;
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("the secret key file " + file + " appeared while it was being created;"
                    + " start again", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the secret key file " + file, e);
        }
    }
}
