package dev.switchboard.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

class SecretBoxTest {

    @TempDir
    Path dir;

    @Test
    void opensWhatItSealedAndUsesAFreshNonceEachTime() {
        SecretBox box = new SecretBox(SecretBox.newKey());
        String a = box.seal("client secret ✓");
        String b = box.seal("client secret ✓");
        assertThat(a).isNotEqualTo(b).doesNotContain("client secret");
        assertThat(box.open(a)).isEqualTo("client secret ✓");
        assertThat(box.open(b)).isEqualTo("client secret ✓");
        // nonce (12) + ciphertext (same length as the UTF-8 plaintext) + tag (16)
        assertThat(Base64.getDecoder().decode(a)).hasSize(12 + "client secret ✓".getBytes().length + 16);
        assertThat(box.open(box.seal(""))).isEmpty();
    }

    @Test
    void detectsAnyChangeToTheSealedValue() {
        SecretBox box = new SecretBox(SecretBox.newKey());
        byte[] sealed = Base64.getDecoder().decode(box.seal("s3cret"));
        for (int i = 0; i < sealed.length; i++) {
            byte[] changed = sealed.clone();
            changed[i] ^= 0x01;
            String tampered = Base64.getEncoder().encodeToString(changed);
            assertThatThrownBy(() -> box.open(tampered)).as("byte " + i)
                    .isInstanceOf(SecretBox.SecretBoxException.class);
        }
        assertThatThrownBy(() -> box.open("not base64!")).isInstanceOf(SecretBox.SecretBoxException.class);
        assertThatThrownBy(() -> box.open("AAAA")).isInstanceOf(SecretBox.SecretBoxException.class);
    }

    @Test
    void refusesToOpenUnderAnotherKeyWithAClearMessage() {
        String sealed = new SecretBox(SecretBox.newKey()).seal("s3cret");
        assertThatThrownBy(() -> new SecretBox(SecretBox.newKey()).open(sealed))
                .isInstanceOf(SecretBox.SecretBoxException.class)
                .hasMessageContaining("another secret key");
        assertThatThrownBy(() -> new SecretBox(new byte[16])).hasMessageContaining("32 bytes");
    }

    @Test
    void createsTheKeyFileOwnerOnlyForANewDatabaseAndReusesIt() throws Exception {
        JdbcClient db = database();
        Path file = dir.resolve("data").resolve(SecretKeyFile.FILE_NAME);
        SecretBox first = SecretKeyConfig.verify(null, file, db);
        assertThat(file).exists();
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        String sealed = first.seal("kept");
        SecretBox second = SecretKeyConfig.verify("", file, db);
        assertThat(second.open(sealed)).isEqualTo("kept");
        // The same key given by property works too, and wins over the file.
        String key = Files.readString(file).strip();
        assertThat(SecretKeyConfig.verify(key, dir.resolve("elsewhere.key"), db).open(sealed)).isEqualTo("kept");
    }

    @Test
    void refusesToStartWithAnotherOrAMissingKeyOnceTheDatabaseHasOne() throws Exception {
        JdbcClient db = database();
        Path file = dir.resolve(SecretKeyFile.FILE_NAME);
        SecretKeyConfig.verify(null, file, db);
        String other = Base64.getEncoder().encodeToString(SecretBox.newKey());
        assertThatThrownBy(() -> SecretKeyConfig.verify(other, file, db))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the secret key does not match the one this database was created with")
                .hasMessageContaining("restore " + file.toAbsolutePath())
                .hasMessageContaining("SWITCHBOARD_SECRET_KEY");
        Files.delete(file);
        assertThatThrownBy(() -> SecretKeyConfig.verify(null, file, db))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("restore " + file.toAbsolutePath());
        assertThat(file).as("a lost key is not silently replaced").doesNotExist();
    }

    @Test
    void refusesAConfiguredKeyThatIsNot32BytesOfBase64() {
        JdbcClient db = database();
        assertThatThrownBy(() -> SecretKeyConfig.verify("c2hvcnQ=", dir.resolve("k"), db))
                .hasMessageContaining("32");
        assertThatThrownBy(() -> SecretKeyConfig.verify("***", dir.resolve("k"), db))
                .hasMessageContaining("base64");
    }

    private static JdbcClient database() {
        var ds = new DriverManagerDataSource("jdbc:h2:mem:k" + UUID.randomUUID().toString().replace("-", "")
                + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return JdbcClient.create(ds);
    }
}
