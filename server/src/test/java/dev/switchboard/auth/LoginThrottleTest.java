package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.support.Api;
import dev.switchboard.support.TenantFixture;
import dev.switchboard.support.SwitchboardTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Per-user login throttle (SPEC 2): five failed sign-ins lock the user, and a locked user is
 * refused with 429 even with the right password. The per-source lock is in {@link SourceLockTest}.
 */
@SwitchboardTest
class LoginThrottleTest extends TenantFixture {

    static final String WRONG = "Wrong-Pass-9";

    @Test
    void locksAUserAfterFiveFailuresEvenForTheRightPassword() {
        api.createUser(admin, tenantUuid, "uma", PASSWORD, "StandardUser");
        api.createUser(admin, tenantUuid, "victor", PASSWORD, "StandardUser");
        failTimes(domain, "uma", 5);

        var locked = api.trySignIn(domain, "uma", PASSWORD);

        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.contentType()).startsWith("application/problem+json");
        assertThat(locked.json().get("status").asInt()).isEqualTo(429);
        assertThat(locked.json().get("detail").asString()).containsIgnoringCase("try again");
        assertThat(Long.parseLong(locked.header("Retry-After"))).as("seconds to the end of the 15 min lock")
                .isBetween(800L, 901L);
        assertThat(locked.text()).doesNotContain(PASSWORD);
        assertThat(api.trySignIn(domain, "uma", WRONG).status()).isEqualTo(429);
        assertThat(api.post("/api/login", null, Api.credentials(domain, "uma", PASSWORD)).status()).isEqualTo(429);
        assertThat(api.trySignIn(domain, "victor", PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void wrongPasswordsSentAllAtOnceLockTheUserAfterFiveAsOneByOneDo() throws Exception {
        api.createUser(admin, tenantUuid, "zelda", PASSWORD, "StandardUser");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            var answers = pool.invokeAll(java.util.Collections.nCopies(30,
                    (java.util.concurrent.Callable<Integer>) () -> api.trySignIn(domain, "zelda", WRONG).status()));
            java.util.List<Integer> statuses = new java.util.ArrayList<>();
            for (var answer : answers) {
                statuses.add(answer.get());
            }
            // Each check waited for the one before it, so the sixth saw the lock the fifth set (all 30
            // were checked against the password before, and the lock counted nothing).
            assertThat(statuses).filteredOn(s -> s == 401).hasSize(5);
            assertThat(statuses).filteredOn(s -> s == 429).hasSize(25);
        } finally {
            pool.shutdownNow();
        }
        assertThat(api.trySignIn(domain, "zelda", PASSWORD).status()).isEqualTo(429);
    }

    @Test
    void countsFailuresOfTheLegacyLoginToo() {
        api.createUser(admin, tenantUuid, "wendy", PASSWORD, "StandardUser");
        for (int i = 0; i < 5; i++) {
            assertThat(api.post("/api/login", null, Api.credentials(domain, "wendy", WRONG)).status()).isEqualTo(401);
        }
        assertThat(api.trySignIn(domain, "wendy", PASSWORD).status()).isEqualTo(429);
    }

    @Test
    void aSuccessBeforeTheLimitResetsTheUserCounter() {
        api.createUser(admin, tenantUuid, "xena", PASSWORD, "StandardUser");
        failTimes(domain, "xena", 4);
        assertThat(api.trySignIn(domain, "xena", PASSWORD).status()).isEqualTo(200);
        failTimes(domain, "xena", 4);

        assertThat(api.trySignIn(domain, "xena", PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void locksTheUserWhateverCaseItsNameAndDomainAreSpelledIn() {
        api.createUser(admin, tenantUuid, "yuri", PASSWORD, "StandardUser");
        for (String[] spelling : List.of(new String[] {domain, "yuri"}, new String[] {domain.toUpperCase(), "YURI"},
                new String[] {domain, "Yuri"}, new String[] {domain.toUpperCase(), "yuri"},
                new String[] {domain, "yUrI"})) {
            assertThat(api.trySignIn(spelling[0], spelling[1], WRONG).status()).isEqualTo(401);
        }
        assertThat(api.trySignIn(domain, "yuri", PASSWORD).status()).isEqualTo(429);
    }

    @Test
    void locksTheUserOfAnIpv6DomainWhateverWayTheAddressIsWritten() {
        String hex = Integer.toHexString(1 + new java.util.Random().nextInt(0xfffe));
        var created = api.post("/api/v2/tenants", admin, java.util.Map.of("name", "v6 " + hex,
                "domain", "2001:db8:7::" + hex));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        api.createUser(admin, created.json().get("uuid").asString(), "ivy", PASSWORD, "StandardUser");
        for (String spelling : List.of("2001:db8:7::" + hex, "[2001:db8:7::" + hex + "]", "2001:DB8:7:0::" + hex,
                "[2001:0db8:7::" + hex + "]", "2001:db8:7:0:0::" + hex)) {
            assertThat(api.trySignIn(spelling, "ivy", WRONG).status()).as(spelling).isEqualTo(401);
        }
        assertThat(api.trySignIn("2001:db8:0007::" + hex, "ivy", PASSWORD).status()).isEqualTo(429);
    }

    @Test
    void locksTheSameNameOnlyInItsOwnTenant() {
        JsonNode other = api.createTenant(admin);
        api.createUser(admin, tenantUuid, "zoe", PASSWORD, "StandardUser");
        api.createUser(admin, other.get("uuid").asString(), "zoe", PASSWORD, "StandardUser");
        failTimes(domain, "zoe", 5);

        assertThat(api.trySignIn(domain, "zoe", PASSWORD).status()).isEqualTo(429);
        assertThat(api.trySignIn(other.get("domain").asString(), "zoe", PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void locksUnknownUsersTheSameWaySoLocksRevealNothing() {
        failTimes(domain, "ghost", 5);
        var a = api.trySignIn(domain, "ghost", PASSWORD);
        assertThat(a.status()).isEqualTo(429);
    }

    @Test
    void lockingATenantUserLeavesTheSystemAdministratorAlone() {
        api.createUser(admin, tenantUuid, "abel", PASSWORD, "Admin");
        failTimes(domain, "abel", 5);
        assertThat(api.trySignIn(domain, "abel", PASSWORD).status()).isEqualTo(429);
        assertThat(api.signInAdmin()).isNotBlank();
    }

    @Test
    void countsEveryFailureOfParallelAttempts() throws Exception {
        api.createUser(admin, tenantUuid, "cleo", PASSWORD, "StandardUser");
        int attempts = 12;
        var pool = Executors.newFixedThreadPool(attempts);
        try {
            var start = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return api.trySignIn(domain, "cleo", WRONG).status();
                }));
            }
            start.countDown();
            for (Future<Integer> answer : answers) {
                assertThat(answer.get(60, TimeUnit.SECONDS)).isIn(401, 429);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(api.trySignIn(domain, "cleo", PASSWORD).status()).isEqualTo(429);
    }

    private void failTimes(String domain, String username, int times) {
        for (int i = 0; i < times; i++) {
            var a = api.trySignIn(domain, username, WRONG);
            assertThat(a.status()).as("failure %d of %s", i + 1, username).isEqualTo(401);
        }
    }
}
