package dev.switchboard.sip.digest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Our client answering our server's challenges, as a registrar and a SIP account would. */
class DigestServerClientTest {

    private static final String REALM = "tenant.example.com";
    private static final String URI = "sip:tenant.example.com";
    private static final byte[] KEY = "cluster-wide key of 32 bytes!!!!".getBytes(StandardCharsets.US_ASCII);

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final NonceService nonces = new NonceService(KEY, Duration.ofMinutes(5), clock, new SecureRandom());
    private final DigestVerifier verifier = new DigestVerifier(nonces,
            DigestVerifier.Settings.defaults().withClock(clock));
    private final Ha1Set alice = Ha1Set.fromPassword("alice", REALM, "s3cret-Passw0rd");
    private final DigestClient client = new DigestClient();

    private List<String> challenge() {
        return Challenge.forRealm(REALM, nonces.issue(REALM)).opaque("opaque-1").headerValues();
    }

    private DigestOutcome verify(String authorization) {
        return verifier.verify(authorization, "REGISTER", URI, REALM, alice);
    }

    @Test
    void challengeOffersSha256FirstThenMd5WithQopAuth() {
        List<String> values = Challenge.forRealm(REALM, "abc").headerValues();
        assertThat(values).containsExactly(
                "Digest realm=\"tenant.example.com\", nonce=\"abc\", qop=\"auth\", algorithm=SHA-256",
                "Digest realm=\"tenant.example.com\", nonce=\"abc\", qop=\"auth\", algorithm=MD5");
        assertThat(Challenge.forRealm(REALM, "abc").stale(true).opaque("o").headerValues().get(0))
                .isEqualTo("Digest realm=\"tenant.example.com\", nonce=\"abc\", opaque=\"o\", stale=true, "
                        + "qop=\"auth\", algorithm=SHA-256");
    }

    @Test
    void clientPrefersSha256AndTheVerifierAcceptsIt() {
        String authorization = client.authorize(challenge(), "REGISTER", URI, "alice", "s3cret-Passw0rd")
                .orElseThrow();
        assertThat(authorization).contains("algorithm=SHA-256", "qop=auth", "nc=00000001", "opaque=\"opaque-1\"");
        assertThat(verify(authorization)).isEqualTo(new DigestOutcome.Accepted("alice", DigestAlgorithm.SHA_256));
    }

    @ParameterizedTest
    @EnumSource(value = DigestAlgorithm.class)
    void everyAlgorithmRoundTripsWhenOffered(DigestAlgorithm algorithm) {
        DigestVerifier all = new DigestVerifier(nonces, DigestVerifier.Settings.defaults().withClock(clock)
                .withAlgorithms(java.util.EnumSet.allOf(DigestAlgorithm.class)));
        List<String> offered = Challenge.forRealm(REALM, nonces.issue(REALM)).algorithms(List.of(algorithm))
                .headerValues();
        String authorization = client.authorize(offered, "INVITE", URI, "alice", "s3cret-Passw0rd").orElseThrow();
        assertThat(all.verify(authorization, "INVITE", URI, REALM, alice))
                .isEqualTo(new DigestOutcome.Accepted("alice", algorithm));
    }

    @Test
    void aRequestCapturedBeforeARestartIsStaleAfterItThoughItsNonceIsStillYoung() {
        List<String> challenge = challenge();
        String captured = client.authorize(challenge, "REGISTER", URI, "alice", "s3cret-Passw0rd").orElseThrow();
        assertThat(verify(captured)).isInstanceOf(DigestOutcome.Accepted.class);
        clock.advance(Duration.ofSeconds(30));
        // The restarted node: same cluster key, so the nonce is authentic and within its 5 minutes,
        // but the counts used under the old process are gone.
        DigestVerifier restarted = new DigestVerifier(nonces, DigestVerifier.Settings.defaults().withClock(clock));
        assertThat(restarted.verify(captured, "REGISTER", URI, REALM, alice)).isEqualTo(new DigestOutcome.Stale());
        String fresh = client.authorize(challenge(), "REGISTER", URI, "alice", "s3cret-Passw0rd").orElseThrow();
        assertThat(restarted.verify(fresh, "REGISTER", URI, REALM, alice)).isInstanceOf(DigestOutcome.Accepted.class);
    }

    @Test
    void reusingTheNonceIncrementsNcAndEachAnswerIsAcceptedOnce() {
        List<String> challenge = challenge();
        String first = client.authorize(challenge, "REGISTER", URI, "alice", "s3cret-Passw0rd").orElseThrow();
        String second = client.authorize(challenge, "REGISTER", URI, "alice", "s3cret-Passw0rd").orElseThrow();
        assertThat(second).contains("nc=00000002");
        assertThat(verify(first)).isInstanceOf(DigestOutcome.Accepted.class);
        assertThat(verify(second)).isInstanceOf(DigestOutcome.Accepted.class);
        // Used again: the response is right but its count is spent, so a fresh nonce is due (stale).
        assertThat(verify(first)).isEqualTo(new DigestOutcome.Stale());
        assertThat(verify(second)).isEqualTo(new DigestOutcome.Stale());
    }

    @Test
    void outOfOrderLowerNcIsRefused() {
        List<String> challenge = challenge();
        String first = client.authorize(challenge, "REGISTER", URI, "alice", "s3cret-Passw0rd").orElseThrow();
        String second = client.authorize(challenge, "REGISTER", URI, "alice", "s3cret-Passw0rd").orElseThrow();
        assertThat(verify(second)).isInstanceOf(DigestOutcome.Accepted.class);
        assertThat(verify(first)).isEqualTo(new DigestOutcome.Stale());
    }

    @Test
    void refusesWrongPassword() {
        String authorization = client.authorize(challenge(), "REGISTER", URI, "alice", "wrong").orElseThrow();
        assertThat(verify(authorization)).isEqualTo(new DigestOutcome.Rejected(DigestOutcome.Reason.BAD_RESPONSE));
    }

    @Test
    void refusesUnknownUserTheSameWayAsAWrongPassword() {
        String authorization = client.authorize(challenge(), "REGISTER", URI, "mallory", "x").orElseThrow();
        assertThat(verifier.verify(authorization, "REGISTER", URI, REALM, Ha1Set.none()))
                .isEqualTo(new DigestOutcome.Rejected(DigestOutcome.Reason.BAD_RESPONSE));
    }

    @Test
    void refusesForgedNonce() {
        NonceService forger = new NonceService(new byte[32], Duration.ofMinutes(5), clock, new SecureRandom());
        List<String> forged = Challenge.forRealm(REALM, forger.issue(REALM)).headerValues();
        String authorization = client.authorize(forged, "REGISTER", URI, "alice", "s3cret-Passw0rd").orElseThrow();
        assertThat(verify(authorization)).isEqualTo(new DigestOutcome.Rejected(DigestOutcome.Reason.INVALID_NONCE));
    }

    @Test
    void expiredNonceWithRightPasswordIsStale() {
        String authorization = client.authorize(challenge(), "REGISTER", URI, "alice", "s3cret-Passw0rd")
                .orElseThrow();
        clock.advance(Duration.ofMinutes(6));
        assertThat(verify(authorization)).isEqualTo(new DigestOutcome.Stale());
    }

    @Test
    void expiredNonceWithWrongPasswordIsRejectedNotStale() {
        String authorization = client.authorize(challenge(), "REGISTER", URI, "alice", "guess").orElseThrow();
        clock.advance(Duration.ofMinutes(6));
        assertThat(verify(authorization)).isEqualTo(new DigestOutcome.Rejected(DigestOutcome.Reason.BAD_RESPONSE));
    }

    @Test
    void refusesRealmMismatch() {
        List<String> otherRealm = Challenge.forRealm("other.example.com", nonces.issue("other.example.com"))
                .headerValues();
        String authorization = client.authorize(otherRealm, "REGISTER", URI, "alice", "s3cret-Passw0rd")
                .orElseThrow();
        assertThat(verify(authorization)).isEqualTo(new DigestOutcome.Rejected(DigestOutcome.Reason.REALM_MISMATCH));
    }

    @Test
    void refusesUriMismatch() {
        String authorization = client.authorize(challenge(), "REGISTER", "sip:elsewhere.example.com", "alice",
                "s3cret-Passw0rd").orElseThrow();
        assertThat(verify(authorization)).isEqualTo(new DigestOutcome.Rejected(DigestOutcome.Reason.URI_MISMATCH));
    }

    @Test
    void refusesAnswerComputedForAnotherMethod() {
        String authorization = client.authorize(challenge(), "INVITE", URI, "alice", "s3cret-Passw0rd").orElseThrow();
        assertThat(verify(authorization)).isEqualTo(new DigestOutcome.Rejected(DigestOutcome.Reason.BAD_RESPONSE));
    }

    @Test
    void noQopAnswersAreRefusedByDefaultAndAcceptedWhenAllowed() {
        // An RFC 2069 style challenge: no qop, so the client answers without cnonce and nc.
        List<String> rfc2069 = List.of("Digest realm=\"" + REALM + "\", nonce=\"" + nonces.issue(REALM) + "\"");
        String authorization = client.authorize(rfc2069, "REGISTER", URI, "alice", "s3cret-Passw0rd").orElseThrow();
        // Looked at parameter by parameter: the random nonce may spell "qop" or "nc" in its text.
        assertThat(AuthParams.parse(authorization).orElseThrow()).doesNotContainKeys("qop", "nc", "cnonce")
                .containsEntry("algorithm", "MD5");
        assertThat(verify(authorization)).isEqualTo(new DigestOutcome.Rejected(DigestOutcome.Reason.QOP_REQUIRED));
        DigestVerifier lenient = new DigestVerifier(nonces,
                DigestVerifier.Settings.defaults().withClock(clock).withAllowNoQop(true));
        assertThat(lenient.verify(authorization, "REGISTER", URI, REALM, alice))
                .isEqualTo(new DigestOutcome.Accepted("alice", DigestAlgorithm.MD5));
    }

    @Test
    void refusesQopAuthInt() {
        String authorization = client.authorize(challenge(), "REGISTER", URI, "alice", "s3cret-Passw0rd")
                .orElseThrow().replace("qop=auth", "qop=auth-int");
        assertThat(verify(authorization)).isEqualTo(new DigestOutcome.Rejected(DigestOutcome.Reason.UNSUPPORTED_QOP));
    }

    @Test
    void refusesMalformedCredentials() {
        assertThat(verify("Basic YWxhZGRpbjpvcGVuc2VzYW1l"))
                .isEqualTo(new DigestOutcome.Rejected(DigestOutcome.Reason.MALFORMED));
    }

    @Test
    void acceptsUpperCaseHexResponseAndUpperCaseStoredHa1() {
        String authorization = client.authorize(challenge(), "REGISTER", URI, "alice", "s3cret-Passw0rd")
                .orElseThrow();
        DigestCredentials c = DigestCredentials.parse(authorization).orElseThrow();
        String upper = authorization.replace(c.response(), c.response().toUpperCase());
        Ha1Set stored = Ha1Set.of(alice.md5().orElseThrow().toUpperCase(), alice.sha256().orElseThrow().toUpperCase());
        assertThat(verifier.verify(upper, "REGISTER", URI, REALM, stored)).isInstanceOf(DigestOutcome.Accepted.class);
    }

    @Test
    void clientIgnoresChallengesItCannotAnswer() {
        assertThat(client.authorize(List.of("Basic realm=\"x\"", "Digest realm=\"x\", nonce=\"n\", qop=\"auth-int\"",
                "Digest realm=\"x\", nonce=\"n\", algorithm=SHA-512-256", "garbage"), "REGISTER", URI, "alice", "p"))
                .isEmpty();
    }
}
