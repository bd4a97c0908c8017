package dev.switchboard.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.support.SwitchboardTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Storage of account slots on H2 and PostgreSQL: round trip, sealed password, enable before settings. */
@SwitchboardTest
class SipAccountRepositoryTest {

    @Autowired
    SipAccountRepository repository;

    @Autowired
    JdbcClient jdbc;

    /** The system-level agent's slot 2: no tenant row needed, and no test of the device API uses it. */
    final AccountId id = new AccountId(Optional.empty(), 2);

    static SipAccountSettings settings(String password) {
        return new SipAccountSettings("sip:[2001:db8::1]:5061", "example.org", "user one", password, "tls", "",
                900, "", new SipAccountSettings.Stun("stun.example.org", 3478));
    }

    @AfterEach
    void cleanUp() {
        repository.delete(id);
    }

    @Test
    void keepsEverySettingAndSealsThePassword() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        repository.saveSettings(id, settings("p@ss \"word\" ~!"), now);
        StoredAccount stored = repository.find(id).orElseThrow();
        assertThat(stored.settings()).contains(settings("p@ss \"word\" ~!"));
        assertThat(stored.enabled()).isTrue();
        assertThat(stored.active()).isTrue();
        assertThat(stored.id()).isEqualTo(id);
        String sealed = jdbc.sql("SELECT password_enc FROM sip_account WHERE scope = 'system' AND slot = 2")
                .query(String.class).single();
        assertThat(sealed).doesNotContain("p@ss");
        assertThat(repository.all()).extracting(StoredAccount::id).contains(id);
    }

    @Test
    void enableBeforeSettingsStoresTheFlagAndSettingsKeepIt() {
        Instant now = Instant.now();
        repository.setEnabled(id, false, now);
        StoredAccount flagOnly = repository.find(id).orElseThrow();
        assertThat(flagOnly.settings()).isEmpty();
        assertThat(flagOnly.enabled()).isFalse();
        repository.saveSettings(id, settings("secret1"), now);
        StoredAccount stored = repository.find(id).orElseThrow();
        assertThat(stored.enabled()).isFalse();
        assertThat(stored.active()).isFalse();
        repository.setEnabled(id, true, now);
        assertThat(repository.find(id).orElseThrow().active()).isTrue();
    }

    @Test
    void deleteForgets() {
        repository.saveSettings(id, settings("secret1"), Instant.now());
        assertThat(repository.delete(id)).isTrue();
        assertThat(repository.find(id)).isEmpty();
        assertThat(repository.delete(id)).isFalse();
        assertThat(repository.find(new AccountId(Optional.of(UUID.randomUUID()), 1))).isEmpty();
    }
}
