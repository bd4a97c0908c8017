package dev.switchboard.config;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * An environment variable set to the empty string, as templated deployments often leave them,
 * means "use the default" for the data directory and the database URL: an empty
 * {@code SWITCHBOARD_DB_URL} gave an in-memory database that lost everything at restart, and an
 * empty {@code SWITCHBOARD_DATA_DIR} put the database at the file system's root.
 */
public class BlankSettings implements EnvironmentPostProcessor, Ordered {

    static final String DEFAULT_DATA_DIR = "./data";
    static final String DEFAULT_DB_URL = "jdbc:h2:file:${switchboard.data-dir}/switchboard;DB_CLOSE_ON_EXIT=FALSE";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        if (blank(environment, "switchboard.data-dir")) {
            defaults.put("switchboard.data-dir", DEFAULT_DATA_DIR);
        }
        if (blank(environment, "spring.datasource.url")) {
            defaults.put("spring.datasource.url", DEFAULT_DB_URL);
        }
        if (!defaults.isEmpty()) {
            environment.getPropertySources().addFirst(new MapPropertySource("switchboard-blank-settings", defaults));
        }
    }

    private static boolean blank(ConfigurableEnvironment environment, String name) {
        String value = environment.getProperty(name);
        return value == null || value.isBlank();
    }

    /** After the configuration files are read, so their placeholders are what is checked. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 1;
    }
}
