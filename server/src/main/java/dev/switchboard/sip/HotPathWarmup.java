package dev.switchboard.sip;

import dev.switchboard.registrar.TenantChallenges;
import dev.switchboard.sip.digest.DigestClient;
import dev.switchboard.sip.digest.DigestCredentials;
import dev.switchboard.sip.digest.DigestOutcome;
import dev.switchboard.sip.digest.DigestVerifier;
import dev.switchboard.sip.digest.Ha1Set;
import dev.switchboard.sip.digest.NonceService;
import dev.switchboard.sip.message.AuthHeader;
import dev.switchboard.sip.message.ParseResult;
import dev.switchboard.sip.message.SipDate;
import dev.switchboard.sip.message.SipParser;
import dev.switchboard.sip.message.SipRequest;
import dev.switchboard.sip.message.SipResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a registration's parse, challenge, digest check and answers on made-up messages before
 * the SIP ports open, so that the JIT has compiled them when the first phones arrive. A node
 * restarted under load otherwise answered late for seconds while the same code ran interpreted:
 * phones re-registering at 2,000/s right after a start waited up to 3.6 s, and retransmitted.
 * Touches no state of the server: its own nonce key, no store, no socket.
 */
final class HotPathWarmup {

    private static final Logger log = LoggerFactory.getLogger(HotPathWarmup.class);
    private static final String REALM = "warmup.invalid";
    private static final String MD5_ONLY_AGENT = "warm-up MD5-only";

    private HotPathWarmup() {
    }

    /** Repeats the work until {@code rounds} are done or {@code budget} is spent; answers the rounds done. */
    static int run(SipParser parser, int rounds, Duration budget) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        NonceService nonces = new NonceService(key, Duration.ofMinutes(5));
        DigestVerifier verifier = new DigestVerifier(nonces);
        TenantChallenges challenges = new TenantChallenges(nonces, List.of(MD5_ONLY_AGENT));
        DigestClient client = new DigestClient();
        Ha1Set ha1 = Ha1Set.fromPassword("100", REALM, "warm-up password");
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        int done = 0;
        while (done < rounds && System.nanoTime() < deadline) {
            String branch = "z9hG4bKwarm" + done;
            // Every other phone is listed as MD5-only, so both algorithms get compiled.
            String agent = done % 2 == 0 ? "warm-up" : MD5_ONLY_AGENT;
            SipRequest first = parse(parser, register(branch, 1, "", agent));
            List<String> challenge = challenges.headerValues(first, REALM, false);
            SipResponse.Builder unauthorized = SipResponse.to(first, 401, "Unauthorized").toTag("warm" + done);
            challenge.forEach(v -> unauthorized.header("WWW-Authenticate", v));
            unauthorized.toBytes();
            String authorization = client.authorize(challenge, "REGISTER", "sip:" + REALM, "100", ha1).orElseThrow();
            SipRequest second = parse(parser, register(branch + "a", 2, "Authorization: " + authorization + "\r\n",
                    agent));
            AuthHeader credentials = second.authorizations().get(0);
            DigestOutcome outcome = verifier.verify(DigestCredentials.of(credentials.params()).orElseThrow(),
                    "REGISTER", "sip:" + REALM, REALM, ha1);
            if (!(outcome instanceof DigestOutcome.Accepted)) {
                throw new IllegalStateException("warm-up registration not accepted: " + outcome);
            }
            second.contacts();
            SipResponse.to(second, 200, "OK").toTag("warm" + done).header("Date", SipDate.format(Instant.now()))
                    .header("Contact", "<sip:100@192.0.2.1:5060>;expires=3600").toBytes();
            done++;
        }
        log.info("SIP hot path warmed up: {} registrations in {} ms", done, (System.nanoTime() - start) / 1_000_000);
        return done;
    }

    private static SipRequest parse(SipParser parser, String text) {
        ParseResult result = parser.parse(text.getBytes(StandardCharsets.US_ASCII));
        if (!(result instanceof ParseResult.Parsed parsed) || !(parsed.message() instanceof SipRequest request)) {
            throw new IllegalStateException("warm-up message does not parse: " + result);
        }
        return request;
    }

    private static String register(String branch, int cseq, String authorization, String userAgent) {
        return "REGISTER sip:" + REALM + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=" + branch + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:100@" + REALM + ">;tag=" + branch + "\r\n"
                + "To: <sip:100@" + REALM + ">\r\n"
                + "Call-ID: " + branch + "@192.0.2.1\r\n"
                + "CSeq: " + cseq + " REGISTER\r\n"
                + "Contact: <sip:100@192.0.2.1:5060;transport=udp>\r\n"
                + "Expires: 3600\r\n"
                + authorization
                + "User-Agent: " + userAgent + "\r\n"
                + "Content-Length: 0\r\n\r\n";
    }
}
