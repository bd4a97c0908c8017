package dev.switchboard.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sip.digest.DigestCredentials;
import dev.switchboard.sip.message.ParseResult;
import dev.switchboard.sip.message.SipParser;
import dev.switchboard.sip.message.SipRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Which digest uri a REGISTER's credentials may name (RFC 3261 §22.4, RFC 2617 §3.2.2.5, SIPp's default). */
class DigestUrisTest {

    static final SipRequest REGISTER = (SipRequest) ((ParseResult.Parsed) SipParser.DEFAULT.parse((
            "REGISTER sip:acme.example.com SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKdu1\r\n"
            + "From: <sip:103@acme.example.com>;tag=1\r\nTo: <sip:103@acme.example.com>\r\n"
            + "Call-ID: du1\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8)))
            .message();

    static String verifiedAgainst(String uri) {
        DigestCredentials c = DigestCredentials.parse("Digest username=\"103\", realm=\"acme.example.com\", "
                + "nonce=\"n\", uri=\"" + uri + "\", response=\"0123456789abcdef0123456789abcdef\"").orElseThrow();
        return DigestUris.forVerification(REGISTER, c);
    }

    @Test
    void takesTheRequestUriItsDomainOrAServerAddressButNoOtherHostOrUser() {
        assertThat(verifiedAgainst("sip:acme.example.com")).isEqualTo("sip:acme.example.com");
        assertThat(verifiedAgainst("sip:ACME.example.com:5060")).isEqualTo("sip:ACME.example.com:5060");
        // SIPp's default: the address it sent to, which behind NAT is none we know as ours.
        assertThat(verifiedAgainst("sip:203.0.113.5:5060")).isEqualTo("sip:203.0.113.5:5060");
        assertThat(verifiedAgainst("sip:[2001:db8::5]:5060")).isEqualTo("sip:[2001:db8::5]:5060");
        // Another tenant's domain, any host name, another user: verified against the Request-URI, so refused.
        assertThat(verifiedAgainst("sip:other.example.com")).isEqualTo("sip:acme.example.com");
        assertThat(verifiedAgainst("sip:evil.example.net")).isEqualTo("sip:acme.example.com");
        assertThat(verifiedAgainst("sip:103@acme.example.com")).isEqualTo("sip:acme.example.com");
    }
}
