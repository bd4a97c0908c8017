package dev.switchboard.crypto;

import dev.switchboard.config.SwitchboardProperties;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Provides the {@link SecretBox} and proves at startup that its key is the one the database was
 * created with: the {@code secret_key_check} row holds a known constant sealed under that key.
 * Starting with another key would make every stored secret unreadable, so that start fails
 * with a message saying how to recover instead of failing later, one secret at a time.
 */
@Configuration
public class SecretKeyConfig {

    static final String CHECK_PLAINTEXT = "switchboard secret key check v1";
    private static final Logger log = LoggerFactory.getLogger(SecretKeyConfig.class);

    @Bean
    SecretBox secretBox(SwitchboardProperties properties, JdbcClient jdbc) {
        return verify(properties.secretKey(), properties.dataDir().resolve(SecretKeyFile.FILE_NAME), jdbc);
    }

    /** Loads (or, for a new database, creates) the key and checks it against the database. */
    public static SecretBox verify(String configuredKey, Path keyFile, JdbcClient jdbc) {
        Optional<String> check = jdbc.sql("SELECT sealed FROM secret_key_check WHERE id = 1").query(String.class)
                .optional();
        String recovery = "restore " + keyFile.toAbsolutePath() + " or set SWITCHBOARD_SECRET_KEY";
        byte[] key;
        if (configuredKey != null && !configuredKey.isBlank()) {
            key = SecretKeyFile.decode(configuredKey, "switchboard.secret-key (SWITCHBOARD_SECRET_KEY)");
        } else {
            Optional<byte[]> stored = SecretKeyFile.read(keyFile);
            if (stored.isEmpty() && check.isPresent()) {
                throw new IllegalStateException("the secret key is missing: this database was created with a key"
                        + " that is neither configured nor in " + keyFile.toAbsolutePath() + "; " + recovery);
            }
            key = stored.orElseGet(() -> {
                log.info("created a new secret key in {}; back it up with the database", keyFile.toAbsolutePath());
                return SecretKeyFile.create(keyFile);
            });
        }
        SecretBox box = new SecretBox(key);
        if (check.isEmpty()) {
            try {
                jdbc.sql("INSERT INTO secret_key_check (id, sealed) VALUES (1, ?)").param(box.seal(CHECK_PLAINTEXT))
                        .update();
                return box;
            } catch (DuplicateKeyException e) {
                // Another node created the check at the same moment; verify against its row.
                check = jdbc.sql("SELECT sealed FROM secret_key_check WHERE id = 1").query(String.class).optional();
            }
        }
        if (!opens(box, check.orElseThrow())) {
            throw new IllegalStateException(
                    "the secret key does not match the one this database was created with; " + recovery);
        }
        return box;
    }

    private static boolean opens(SecretBox box, String sealed) {
        try {
            return CHECK_PLAINTEXT.equals(box.open(sealed));
        } catch (SecretBox.SecretBoxException e) {
            return false;
        }
    }
}
