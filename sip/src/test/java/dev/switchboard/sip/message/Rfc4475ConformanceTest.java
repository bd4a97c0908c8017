package dev.switchboard.sip.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sip.message.ParseResult.Dropped;
import dev.switchboard.sip.message.ParseResult.Parsed;
import dev.switchboard.sip.message.ParseResult.Rejected;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every RFC 4475 torture message is parsed, rejected with the listed status, or dropped, as INDEX.md says. */
class Rfc4475ConformanceTest {

    /** Expected parser outcome: PARSE, DROP, or the status code of the rejection. */
    private static final int PARSE = 0;
    private static final int DROP = -1;

    private static final Map<String, Integer> EXPECTED = Map.ofEntries(
            Map.entry("wsinv.dat", PARSE), Map.entry("intmeth.dat", PARSE), Map.entry("esc01.dat", PARSE),
            Map.entry("escnull.dat", PARSE), Map.entry("esc02.dat", PARSE), Map.entry("lwsdisp.dat", PARSE),
            Map.entry("longreq.dat", PARSE), Map.entry("dblreq.dat", PARSE), Map.entry("semiuri.dat", PARSE),
            Map.entry("transports.dat", PARSE), Map.entry("mpart01.dat", PARSE), Map.entry("unreason.dat", PARSE),
            Map.entry("noreason.dat", PARSE),
            Map.entry("badinv01.dat", 400), Map.entry("clerr.dat", 400), Map.entry("ncl.dat", 400),
            Map.entry("scalar02.dat", 400), Map.entry("scalarlg.dat", DROP), Map.entry("quotbal.dat", 400),
            Map.entry("ltgtruri.dat", 400), Map.entry("lwsruri.dat", 400), Map.entry("lwsstart.dat", 400),
            Map.entry("trws.dat", 400), Map.entry("escruri.dat", 400),
            // INDEX allows "reject 400 (or parse and ignore Date)": Date is not a header a proxy reads
            Map.entry("baddate.dat", PARSE),
            Map.entry("regbadct.dat", 400), Map.entry("badaspec.dat", 400), Map.entry("baddn.dat", 400),
            Map.entry("badvers.dat", 505), Map.entry("mismatch01.dat", 400), Map.entry("mismatch02.dat", 400),
            Map.entry("bigcode.dat", DROP),
            Map.entry("badbranch.dat", PARSE), Map.entry("insuf.dat", 400), Map.entry("unkscm.dat", 416),
            // policy outcomes (416 unless routable, 420, 415, 401, 483, 406) are checked in RequestPolicyTest
            Map.entry("novelsc.dat", PARSE), Map.entry("unksm2.dat", PARSE), Map.entry("bext01.dat", PARSE),
            Map.entry("invut.dat", PARSE), Map.entry("regaut01.dat", PARSE), Map.entry("multi01.dat", 400),
            Map.entry("mcl01.dat", 400), Map.entry("bcast.dat", DROP), Map.entry("zeromf.dat", PARSE),
            Map.entry("cparam01.dat", PARSE), Map.entry("cparam02.dat", PARSE), Map.entry("regescrt.dat", PARSE),
            Map.entry("sdp01.dat", PARSE), Map.entry("inv2543.dat", PARSE));

    static List<String> indexEntries() throws IOException {
        Pattern row = Pattern.compile("^\\| (\\S+\\.dat) \\|", Pattern.MULTILINE);
        Matcher m = row.matcher(Files.readString(Vectors.dir().resolve("INDEX.md")));
        List<String> files = new java.util.ArrayList<>();
        while (m.find()) files.add(m.group(1));
        return files;
    }

    static Stream<String> vectors() throws IOException {
        return indexEntries().stream();
    }

    @Test
    void everyIndexEntryAndEveryVectorFileHasAnExpectation() throws IOException {
        List<String> index = indexEntries();
        assertThat(index).hasSize(49).doesNotHaveDuplicates();
        assertThat(EXPECTED.keySet()).containsExactlyInAnyOrderElementsOf(index);
        try (Stream<java.nio.file.Path> files = Files.list(Vectors.dir())) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".dat")))
                    .containsExactlyInAnyOrderElementsOf(index);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void handlesVectorAsIndexSays(String file) {
        byte[] bytes = Vectors.read(file);
        ParseResult result = SipParser.DEFAULT.parse(bytes);
        int expected = EXPECTED.get(file);
        if (expected == PARSE) {
            assertThat(result).as(file).isInstanceOf(Parsed.class);
            SipMessage m = ((Parsed) result).message();
            // the accepted message is written back byte for byte
            assertThat(m.toBytes()).isEqualTo(Arrays.copyOf(bytes, m.length()));
        } else if (expected == DROP) {
            assertThat(result).as(file).isInstanceOf(Dropped.class);
        } else {
            assertThat(result).as(file).isInstanceOf(Rejected.class);
            assertThat(((Rejected) result).status()).as(file + ": " + result).isEqualTo(expected);
        }
    }

    @Test
    void rejectedRequestsCarryWhatTheAnswerNeeds() {
        Rejected r = (Rejected) SipParser.DEFAULT.parse(Vectors.read("badvers.dat"));
        SipResponse answer = r.response().orElseThrow();
        assertThat(answer.status()).isEqualTo(505);
        assertThat(answer.callId()).isEqualTo("badvers.31417@c.example.com");
        assertThat(answer.cseq()).isEqualTo(new CSeq(1, "OPTIONS"));
        assertThat(answer.topVia().host()).isEqualTo("c.example.com");

        Rejected mismatch = (Rejected) SipParser.DEFAULT.parse(Vectors.read("mismatch01.dat"));
        assertThat(mismatch.partial().cseq()).contains("8 INVITE");
        assertThat(mismatch.response().orElseThrow().status()).isEqualTo(400);
    }
}
