package dev.switchboard.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.support.Api;
import dev.switchboard.support.SwitchboardTest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * The periodic check of the SIP directory: it reloads for a change written to the database by
 * another node (straight SQL here, as that node would leave it), also when that node's clock is
 * behind, and reads nothing more while the tables stay as they are.
 */
@SwitchboardTest
// The test calls the check itself: the node's own periodic check (every 500 ms) must not take the
// change between the UPDATE and the call that should see it (a verify failed on that race).
@TestPropertySource(properties = "switchboard.registrar.directory-refresh=1h")
class SipDirectoryTest {

    @LocalServerPort
    int port;
    @Autowired
    SipDirectory directory;
    @Autowired
    JdbcClient jdbc;

    @Test
    void reloadsForAChangeMadeElsewhereAndOnlyThen() {
        RegistrarFixture fixture = RegistrarFixture.create(new Api(port));
        UUID tenant = UUID.fromString(fixture.tenantUuid());
        UUID user = UUID.fromString(fixture.sipUser("carol", "301").get("uuid").asString());
        fixture.sipUser("dave", "303"); // the newest row, before and after the change below
        directory.reloadIfChanged();
        assertThat(directory.reloadIfChanged()).as("nothing changed since the last check").isFalse();
        SipDirectory.SipUser before = directory.user(tenant, "301").orElseThrow();

        // Another node, its clock an hour behind: carol's update time moves back, the newest (dave's) stays.
        jdbc.sql("UPDATE app_user SET extension = '302', updated_at = ? WHERE id = ?")
                .param(Timestamp.from(Instant.now().minusSeconds(3600))).param(user).update();
        assertThat(directory.user(tenant, "301")).contains(before);

        assertThat(directory.reloadIfChanged()).isTrue();
        assertThat(directory.user(tenant, "301")).isEmpty();
        assertThat(directory.user(tenant, "302")).map(SipDirectory.SipUser::id).contains(user);
        assertThat(directory.reloadIfChanged()).isFalse();

        jdbc.sql("DELETE FROM app_user WHERE id = ?").param(user).update();
        assertThat(directory.reloadIfChanged()).isTrue();
        assertThat(directory.user(tenant, "302")).isEmpty();
    }
}
