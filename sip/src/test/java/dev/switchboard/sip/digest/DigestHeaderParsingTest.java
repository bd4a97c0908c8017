package dev.switchboard.sip.digest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How the challenge and credentials parsers treat what real and hostile peers send. */
class DigestHeaderParsingTest {

    private static final String RESPONSE = "0123456789abcdef0123456789abcdef";

    @Test
    void toleratesCaseSpacingAndQuotingVariantsOfRealClients() {
        String value = "digest   USERNAME = \"bob\" ,REALM=\"example.org\",nonce=\"n1\" ,  uri=\"sip:example.org\","
                + "response=\"" + RESPONSE.toUpperCase() + "\", ALGORITHM=\"md5\", cnonce=\"c\", qop=\"AUTH\","
                + " nc=\"00000001\", , ";
        DigestCredentials c = DigestCredentials.parse(value).orElseThrow();
        assertThat(c.username()).isEqualTo("bob");
        assertThat(c.realm()).isEqualTo("example.org");
        assertThat(c.algorithm()).isEqualTo(DigestAlgorithm.MD5);
        assertThat(c.qop()).contains("auth");
        assertThat(c.nc()).contains("00000001");
        assertThat(c.response()).isEqualTo(RESPONSE);
    }

    @Test
    void toleratesFoldedLinesAndTabs() {
        String value = "Digest username=\"bob\",\r\n\trealm=\"example.org\",\r\n  nonce=\"n1\", uri=\"sip:x\","
                + "\tresponse=\"" + RESPONSE + "\"";
        assertThat(DigestCredentials.parse(value)).isPresent();
    }

    @Test
    void missingAlgorithmMeansMd5() {
        String value = "Digest username=\"bob\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"" + RESPONSE + "\"";
        assertThat(DigestCredentials.parse(value).orElseThrow().algorithm()).isEqualTo(DigestAlgorithm.MD5);
    }

    @Test
    void unescapesQuotedPairsAndKeepsUtf8() {
        String value = "Digest username=\"b\\\"o\\\\b\u00e9\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\""
                + RESPONSE + "\"";
        DigestCredentials c = DigestCredentials.parse(value).orElseThrow();
        assertThat(c.username()).isEqualTo("b\"o\\b\u00e9");
        assertThat(DigestCredentials.parse(c.format())).contains(c);
    }

    @Test
    void ignoresUnknownParameters() {
        String value = "Digest username=\"bob\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"" + RESPONSE
                + "\", x-vendor=\"whatever\", userhash=false";
        assertThat(DigestCredentials.parse(value)).isPresent();
    }

    @Test
    void credentialsFormatParsesBackToTheSameRecord() {
        DigestCredentials c = new DigestCredentials("alice", "example.org", "n", "sip:example.org",
                "0".repeat(64), DigestAlgorithm.SHA_256, Optional.of("c n"), Optional.of("op"), Optional.of("auth"),
                Optional.of("0000000a"));
        assertThat(DigestCredentials.parse(c.format())).contains(c);
    }

    @Test
    void challengeFormatParsesBackToTheSameRecord() {
        DigestChallenge c = new DigestChallenge("example.org", "n\"1", Optional.of("o"), DigestAlgorithm.SHA_256,
                java.util.List.of("auth"), true);
        assertThat(DigestChallenge.parse(c.format())).contains(c);
    }

    @Test
    void parsesStaleAndQopListsInChallenges() {
        DigestChallenge c = DigestChallenge.parse(
                "Digest realm=\"r\", nonce=\"n\", stale=TRUE, qop=\"auth-int , AUTH\", algorithm=SHA-256-sess")
                .orElseThrow();
        assertThat(c.stale()).isTrue();
        assertThat(c.qop()).containsExactly("auth-int", "auth");
        assertThat(c.algorithm()).isEqualTo(DigestAlgorithm.SHA_256_SESS);
    }

    @Test
    void formattingRefusesValuesThatWouldInjectHeaders() {
        DigestChallenge c = new DigestChallenge("r\r\nX-Evil: 1", "n", Optional.empty(), DigestAlgorithm.MD5,
                java.util.List.of("auth"), false);
        org.assertj.core.api.Assertions.assertThatThrownBy(c::format).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "Digest",
        "Digest ",
        "Digestusername=\"bob\"",
        "Basic dXNlcjpwYXNz",
        "Digest username=\"bob\" realm=\"r\"", // no comma between parameters
        "Digest username=\"bob\", username=\"eve\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"%s\"", // duplicate
        "Digest username=\"bob, realm=\"r\"", // quote runs into the next parameter and never ends
        "Digest username=\"bob\\",
        "Digest username=\"b\u0000ob\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"%s\"",
        "Digest username=\"bob\r\nVia: evil\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"%s\"",
        "Digest username=\"bob\"\r\nX: y, realm=\"r\", nonce=\"n\", uri=\"u\", response=\"%s\"",
        "Digest =\"bob\", realm=\"r\"",
        "Digest username=, realm=\"r\"",
        "Digest username",
        "Digest realm=\"r\", nonce=\"n\", uri=\"u\", response=\"%s\"", // no username
        "Digest username=\"bob\", realm=\"r\", nonce=\"\", uri=\"u\", response=\"%s\"", // empty nonce
        "Digest username=\"bob\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"xyz\"", // not hex
        "Digest username=\"bob\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"%s00\"", // wrong length
        "Digest username=\"bob\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"%s\", algorithm=SHA-512",
        "Digest username=\"bob\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"%s\", qop=auth, nc=00000001",
        "Digest username=\"bob\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"%s\", qop=auth, cnonce=\"c\"",
        "Digest username=\"bob\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"%s\", qop=auth, cnonce=\"c\", nc=1234567890",
        "Digest username=\"bob\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"%s\", qop=auth, cnonce=\"c\", nc=0000000g",
        "Digest username=\"bob\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"%s\", qop=auth, cnonce=\"c\", nc=00000000",
        "Digest username=\"bob\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"%s\", nc=00000001",
        "Digest username=\"bob\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"%s\", algorithm=MD5-sess",
        "Digest username=\"b\u00e9\", realm=r\u00e9, nonce=\"n\", uri=\"u\", response=\"%s\"", // non-ASCII bare value
    })
    void refusesGarbageCredentials(String template) {
        assertThat(DigestCredentials.parse(template.replace("%s", RESPONSE))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Digest nonce=\"n\"",
        "Digest realm=\"r\"",
        "Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256",
        "Digest realm=\"r\", nonce=\"n\", qop=\" , \"",
        "Digest realm=\"r\", nonce=\"n\", realm=\"s\"",
        "Negotiate abc",
    })
    void refusesChallengesWeCannotUse(String value) {
        assertThat(DigestChallenge.parse(value)).isEmpty();
    }

    @Test
    void refusesOversizedAndPathologicalInputQuickly() {
        String huge = "Digest username=\"" + "a".repeat(AuthParams.MAX_LENGTH) + "\"";
        assertThat(DigestCredentials.parse(huge)).isEmpty();
        String manyParams = "Digest " + "a=b, ".repeat(1000) + "realm=\"r\", nonce=\"n\"";
        assertThat(DigestChallenge.parse(manyParams)).isEmpty();
        assertThat(DigestChallenge.parse(",".repeat(8000))).isEmpty();
        assertThat(DigestChallenge.parse("Digest " + ",".repeat(8000))).isEmpty();
        assertThat(DigestChallenge.parse("Digest " + "\\".repeat(8000))).isEmpty();
        assertThat(DigestChallenge.parse("Digest realm=\"" + "\\\"".repeat(4000))).isEmpty();
        assertThat(DigestChallenge.parse(null)).isEmpty();
    }
}
