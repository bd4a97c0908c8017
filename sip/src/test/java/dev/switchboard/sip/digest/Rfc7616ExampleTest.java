package dev.switchboard.sip.digest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The worked examples of RFC 7616 §3.9.1, on the server and on the client side. */
class Rfc7616ExampleTest {

    private static final String REALM = "http-auth@example.org";
    private static final String URI = "/dir/index.html";
    private static final String NONCE = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private static final String CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
    private static final String OPAQUE = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";
    private static final String MD5_RESPONSE = "8ca523f5e9506fed4657c9700eebdbec";
    private static final String SHA256_RESPONSE = "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1";

    // As the RFC prints them, line folds included.
    private static final String SHA256_CHALLENGE = """
            Digest
                realm="http-auth@example.org",
                qop="auth, auth-int",
                algorithm=SHA-256,
                nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
                opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"""";
    private static final String MD5_CHALLENGE = """
            Digest
                realm="http-auth@example.org",
                qop="auth, auth-int",
                algorithm=MD5,
                nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
                opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"""";
    private static final String MD5_AUTHORIZATION = """
            Digest username="Mufasa",
                realm="http-auth@example.org",
                uri="/dir/index.html",
                algorithm=MD5,
                nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
                nc=00000001,
                cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
                qop=auth,
                response="8ca523f5e9506fed4657c9700eebdbec",
                opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"""";
    private static final String SHA256_AUTHORIZATION = """
            Digest username="Mufasa",
                realm="http-auth@example.org",
                uri="/dir/index.html",
                algorithm=SHA-256,
                nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
                nc=00000001,
                cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
                qop=auth,
                response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
                opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"""";

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    /** The RFC's nonce is not one of ours, so this validator vouches for it. */
    private final NonceValidator rfcNonce = (nonce, realm) -> nonce.equals(NONCE) && realm.equals(REALM)
            ? new NonceStatus.Valid(clock.instant(), clock.instant().plusSeconds(300))
            : new NonceStatus.Invalid();
    private final DigestVerifier verifier = new DigestVerifier(rfcNonce,
            DigestVerifier.Settings.defaults().withClock(clock));
    private final Ha1Set mufasa = Ha1Set.fromPassword("Mufasa", REALM, "Circle of Life");

    @Test
    void parsesTheRfcChallenge() {
        DigestChallenge c = DigestChallenge.parse(SHA256_CHALLENGE).orElseThrow();
        assertThat(c.realm()).isEqualTo(REALM);
        assertThat(c.nonce()).isEqualTo(NONCE);
        assertThat(c.opaque()).contains(OPAQUE);
        assertThat(c.algorithm()).isEqualTo(DigestAlgorithm.SHA_256);
        assertThat(c.qop()).containsExactly("auth", "auth-int");
        assertThat(c.stale()).isFalse();
    }

    @Test
    void parsesTheRfcCredentials() {
        DigestCredentials c = DigestCredentials.parse(SHA256_AUTHORIZATION).orElseThrow();
        assertThat(c.username()).isEqualTo("Mufasa");
        assertThat(c.realm()).isEqualTo(REALM);
        assertThat(c.uri()).isEqualTo(URI);
        assertThat(c.algorithm()).isEqualTo(DigestAlgorithm.SHA_256);
        assertThat(c.nonce()).isEqualTo(NONCE);
        assertThat(c.nc()).contains("00000001");
        assertThat(c.nonceCount()).isEqualTo(1);
        assertThat(c.cnonce()).contains(CNONCE);
        assertThat(c.qop()).contains("auth");
        assertThat(c.response()).isEqualTo(SHA256_RESPONSE);
        assertThat(c.opaque()).contains(OPAQUE);
    }

    @Test
    void computesTheRfcResponses() {
        assertThat(DigestResponse.compute(DigestAlgorithm.MD5, mufasa.md5().orElseThrow(), NONCE,
                Optional.of("00000001"), Optional.of(CNONCE), Optional.of("auth"), "GET", URI))
                .isEqualTo(MD5_RESPONSE);
        assertThat(DigestResponse.compute(DigestAlgorithm.SHA_256, mufasa.sha256().orElseThrow(), NONCE,
                Optional.of("00000001"), Optional.of(CNONCE), Optional.of("auth"), "GET", URI))
                .isEqualTo(SHA256_RESPONSE);
    }

    @Test
    void verifierAcceptsTheRfcMd5Example() {
        assertThat(verifier.verify(MD5_AUTHORIZATION, "GET", URI, REALM, mufasa))
                .isEqualTo(new DigestOutcome.Accepted("Mufasa", DigestAlgorithm.MD5));
    }

    @Test
    void verifierAcceptsTheRfcSha256Example() {
        assertThat(verifier.verify(SHA256_AUTHORIZATION, "GET", URI, REALM, mufasa))
                .isEqualTo(new DigestOutcome.Accepted("Mufasa", DigestAlgorithm.SHA_256));
    }

    @Test
    void verifierRefusesTheRfcExampleReplayed() {
        assertThat(verifier.verify(SHA256_AUTHORIZATION, "GET", URI, REALM, mufasa))
                .isInstanceOf(DigestOutcome.Accepted.class);
        assertThat(verifier.verify(SHA256_AUTHORIZATION, "GET", URI, REALM, mufasa))
                .isEqualTo(new DigestOutcome.Stale());
    }

    @Test
    void clientProducesTheRfcSha256Answer() {
        DigestClient client = new DigestClient(() -> CNONCE);
        String value = client.authorize(List.of(MD5_CHALLENGE, SHA256_CHALLENGE), "GET", URI, "Mufasa",
                "Circle of Life").orElseThrow();
        DigestCredentials c = DigestCredentials.parse(value).orElseThrow();
        assertThat(c.algorithm()).isEqualTo(DigestAlgorithm.SHA_256);
        assertThat(c.response()).isEqualTo(SHA256_RESPONSE);
        assertThat(c.nc()).contains("00000001");
        assertThat(c.opaque()).contains(OPAQUE);
        assertThat(verifier.verify(value, "GET", URI, REALM, mufasa)).isInstanceOf(DigestOutcome.Accepted.class);
    }

    @Test
    void clientProducesTheRfcMd5AnswerWhenOnlyMd5IsOffered() {
        DigestClient client = new DigestClient(() -> CNONCE);
        String value = client.authorize(List.of(MD5_CHALLENGE), "GET", URI, "Mufasa", "Circle of Life")
                .orElseThrow();
        DigestCredentials c = DigestCredentials.parse(value).orElseThrow();
        assertThat(c.algorithm()).isEqualTo(DigestAlgorithm.MD5);
        assertThat(c.response()).isEqualTo(MD5_RESPONSE);
    }

    @Test
    void clientFromStoredHa1ProducesTheSameAnswer() {
        DigestClient client = new DigestClient(() -> CNONCE);
        String value = client.authorize(List.of(SHA256_CHALLENGE, MD5_CHALLENGE), "GET", URI, "Mufasa", mufasa)
                .orElseThrow();
        assertThat(DigestCredentials.parse(value).orElseThrow().response()).isEqualTo(SHA256_RESPONSE);
    }

    @Test
    void clientWithOnlyMd5Ha1FallsBackToMd5() {
        DigestClient client = new DigestClient(() -> CNONCE);
        Ha1Set md5Only = new Ha1Set(mufasa.md5(), Optional.empty());
        String value = client.authorize(List.of(SHA256_CHALLENGE, MD5_CHALLENGE), "GET", URI, "Mufasa", md5Only)
                .orElseThrow();
        assertThat(DigestCredentials.parse(value).orElseThrow().response()).isEqualTo(MD5_RESPONSE);
    }

    @Test
    void ha1HelpersGiveLowercaseHex() {
        assertThat(Ha1.md5("Mufasa", REALM, "Circle of Life")).matches("[0-9a-f]{32}");
        assertThat(Ha1.sha256("Mufasa", REALM, "Circle of Life")).matches("[0-9a-f]{64}");
        // RFC 2617 §3.5's realm gives the widely published HA1 of Mufasa.
        assertThat(Ha1.md5("Mufasa", "testrealm@host.com", "Circle Of Life"))
                .isEqualTo("939e7578ed9e3c518a452acee763bce9");
    }

    @Test
    void verifierWithOnlySha256RefusesMd5() {
        DigestVerifier sha256Only = new DigestVerifier(rfcNonce, DigestVerifier.Settings.defaults()
                .withClock(clock).withAlgorithms(EnumSet.of(DigestAlgorithm.SHA_256)));
        assertThat(sha256Only.verify(MD5_AUTHORIZATION, "GET", URI, REALM, mufasa))
                .isEqualTo(new DigestOutcome.Rejected(DigestOutcome.Reason.UNSUPPORTED_ALGORITHM));
    }
}
