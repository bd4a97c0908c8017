package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.proxy.ProxyProperties;
import dev.switchboard.registrar.RegistrarProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** Settings that make no sense stop the start by name; empty ones fall back to their defaults. */
class SettingsAtStartTest {

    @Test
    void anEmptyDatabaseUrlOrDataDirectoryMeansTheDefaultNotAnInMemoryDatabaseOrTheRoot() {
        StandardEnvironment environment = new StandardEnvironment();
        // What application.yml's ${SWITCHBOARD_DB_URL:...} and ${SWITCHBOARD_DATA_DIR:...} give for empty variables.
        environment.getPropertySources().addLast(new MapPropertySource("yml", Map.of(
                "spring.datasource.url", "", "switchboard.data-dir", "")));
        new BlankSettings().postProcessEnvironment(environment, null);
        assertThat(environment.getProperty("switchboard.data-dir")).isEqualTo("./data");
        assertThat(environment.getProperty("spring.datasource.url"))
                .isEqualTo("jdbc:h2:file:./data/switchboard;DB_CLOSE_ON_EXIT=FALSE");

        StandardEnvironment given = new StandardEnvironment();
        given.getPropertySources().addLast(new MapPropertySource("yml", Map.of(
                "spring.datasource.url", "jdbc:postgresql://db/switchboard", "switchboard.data-dir", "/var/lib/sb")));
        new BlankSettings().postProcessEnvironment(given, null);
        assertThat(given.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://db/switchboard");
        assertThat(given.getProperty("switchboard.data-dir")).isEqualTo("/var/lib/sb");
    }

    @Test
    void theDataDirectoryIsItsOwnersAloneBeforeTheDatabaseFileIsCreatedInIt(@org.junit.jupiter.api.io.TempDir
                                                                            java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path fresh = tmp.resolve("fresh/data");
        java.nio.file.Path open = java.nio.file.Files.createDirectory(tmp.resolve("open"));
        java.nio.file.Files.setPosixFilePermissions(open,
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        for (java.nio.file.Path dir : List.of(fresh, open)) {
            StandardEnvironment environment = new StandardEnvironment();
            environment.getPropertySources().addLast(new MapPropertySource("yml",
                    Map.of("switchboard.data-dir", dir.toString())));
            new DataDirectory().postProcessEnvironment(environment, null);
            // The H2 file holds the SIP HA1s; H2 writes it readable by all, the directory keeps others out.
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(dir))).as(dir.toString()).isEqualTo("rwx------");
        }
    }

    @Test
    void valuesThatWouldLeaveAHalfWorkingServerAreRefusedByName() {
        Duration m = Duration.ofMinutes(15);
        assertThatThrownBy(() -> new SwitchboardProperties.Auth(Duration.ofSeconds(-10), Duration.ofDays(30), 10,
                new SwitchboardProperties.Throttle(5, 20, m, m)))
                .hasMessageContaining("switchboard.auth.access-token-ttl");
        assertThatThrownBy(() -> new SwitchboardProperties.Throttle(-3, 20, m, m))
                .hasMessageContaining("switchboard.auth.throttle.user-failures");
        assertThatThrownBy(() -> new SwitchboardProperties.Http(-1, 32))
                .hasMessageContaining("switchboard.http.max-body-bytes");
        assertThatThrownBy(() -> new ProxyProperties(Duration.ofSeconds(-1), "", Duration.ofHours(12)))
                .hasMessageContaining("switchboard.proxy.ring-timeout");
        RegistrarProperties.Throttle throttle = new RegistrarProperties.Throttle(10, 30, m, m, 100_000);
        Duration s = Duration.ofSeconds(1);
        assertThatThrownBy(() -> new RegistrarProperties(Duration.ofSeconds(7200), Duration.ofSeconds(3600),
                Duration.ofSeconds(3600), 0.05, 10, RegistrarProperties.OverflowPolicy.REJECT, Duration.ofMinutes(5),
                s, s, s, throttle, s, List.of(), s))
                .hasMessageContaining("switchboard.registrar.max-expires");
        assertThatThrownBy(() -> new RegistrarProperties(Duration.ofSeconds(60), Duration.ofSeconds(3600),
                Duration.ofSeconds(3600), 0.05, 0, RegistrarProperties.OverflowPolicy.REJECT, Duration.ofMinutes(5),
                s, s, s, throttle, s, List.of(), s))
                .hasMessageContaining("switchboard.registrar.max-contacts");
        assertThatThrownBy(() -> new RegistrarProperties(Duration.ofSeconds(60), Duration.ofSeconds(3600),
                Duration.ofSeconds(3600), 0.05, 10, RegistrarProperties.OverflowPolicy.REJECT, Duration.ofMinutes(5),
                Duration.ZERO, s, s, throttle, s, List.of(), s))
                .hasMessageContaining("switchboard.registrar.flush-interval");
    }
}
