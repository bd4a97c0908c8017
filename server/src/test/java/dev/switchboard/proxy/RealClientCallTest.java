package dev.switchboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.registrar.LocationStore;
import dev.switchboard.sip.SipEngine;
import dev.switchboard.sip.transport.Transport;
import dev.switchboard.support.Api;
import dev.switchboard.support.Baresip;
import dev.switchboard.support.Eventually;
import dev.switchboard.support.ScratchDirectory;
import dev.switchboard.support.SipServerTest;
import dev.switchboard.support.Sipp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * A real SIP client, baresip, as a tenant user's phone: it places a call through the proxy (407,
 * answered with its SIP credentials) to the tenant's trunk, played by a SIPp UAS, and it receives
 * a call from the trunk's address, answering it by itself. baresip sends a tone from a WAV file
 * (it needs an audio source to answer) and hangs up when told to quit.
 */
@SipServerTest
@TestPropertySource(properties = "switchboard.registrar.md5-only-user-agents=SIPp,baresip")
class RealClientCallTest {

    @LocalServerPort
    int port;
    @Autowired
    SipEngine engine;
    @Autowired
    LocationStore locations;

    /** One tenant for the class: a trunk's address range may belong to one trunk only. */
    static CallFixture fixture;
    InetSocketAddress proxy;
    Path work;
    Process baresip;

    @BeforeEach
    void phone() throws Exception {
        if (fixture == null) {
            fixture = CallFixture.create(new Api(port));
            fixture.sipUser("pat", "601");
        }
        proxy = engine.localAddress(Transport.UDP).orElseThrow();
        work = ScratchDirectory.create("baresip");
        writeTone(work.resolve("tone.wav"));
    }

    @AfterEach
    void stopPhone() throws InterruptedException {
        if (baresip != null && baresip.isAlive()) {
            baresip.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    void startBaresip(String... commands) throws IOException {
        Files.writeString(work.resolve("config"), String.join("\n",
                "poll_method epoll",
                "sip_listen 127.0.0.1:" + Baresip.freeSipPort(),
                "module_path " + Baresip.modulePath(),
                "module g711.so",
                "module aufile.so",
                "module menu.so",
                "module_app account.so",
                "audio_source aufile," + work.resolve("tone.wav"),
                ""));
        Files.writeString(work.resolve("accounts"), "<sip:601@" + fixture.domain() + ">;auth_pass="
                + CallFixture.SIP_PASSWORD + ";outbound=\"sip:127.0.0.1:" + proxy.getPort()
                + ";transport=udp\";regint=600;answermode=auto\n");
        List<String> command = new ArrayList<>(List.of(Baresip.binary(), "-f", work.toString(), "-s", "-t", "40"));
        for (String c : commands) {
            command.addAll(List.of("-e", c));
        }
        baresip = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("out.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
    }

    String clientOutput() {
        try {
            return Files.readString(work.resolve("out.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no baresip output: " + e + ")";
        }
    }

    @Test
    void baresipCallsOutThroughTheTenantsTrunk() throws Exception {
        Sipp.Running trunk = Sipp.start("call_uas", Map.of(), CallFixture.TRUNK_HOST, fixture.trunkPort(), proxy, 30,
                "-m", "1");
        startBaresip("/dial 0123456789");
        Eventually.within(Duration.ofSeconds(15), "baresip's call answered by the trunk", () -> {
            assertThat(baresip.isAlive()).as("baresip ended early:\n%s", clientOutput()).isTrue();
            return clientOutput().contains("Call established");
        });
        // Its INVITE was challenged and answered with the user's credentials.
        assertThat(clientOutput()).contains("SIP/2.0 407 Proxy Authentication Required")
                .contains("Proxy-Authorization: Digest username=\"601\"");
        // On quit baresip hangs up: the BYE follows the recorded route to the trunk's UAS.
        baresip.destroy();
        assertThat(baresip.waitFor(15, TimeUnit.SECONDS)).isTrue();
        Sipp.Result far = trunk.await();
        assertThat(far.allSucceeded(1)).as(far.output() + "\n--- baresip ---\n" + clientOutput()).isTrue();
    }

    @Test
    void baresipReceivesACallFromTheTrunkAndAnswersIt() throws Exception {
        startBaresip();
        Eventually.within(Duration.ofSeconds(15), "baresip registered", () -> {
            assertThat(baresip.isAlive()).as("baresip ended early:\n%s", clientOutput()).isTrue();
            return !locations.lookup(("601@" + fixture.domain()).toLowerCase()).isEmpty();
        });
        Sipp.Result caller = Sipp.start("call_uac", Map.of(), CallFixture.TRUNK_SOURCE,
                CallFixture.freeUdpPort(CallFixture.TRUNK_SOURCE), proxy, 20, "-m", "1", "-s", "601",
                "-key", "domain", fixture.domain()).await();
        assertThat(caller.allSucceeded(1)).as(caller.output() + "\n--- baresip ---\n" + clientOutput()).isTrue();
        assertThat(clientOutput()).contains("answering call");
    }

    /** One second of a 440 Hz tone, 8 kHz mono 16-bit PCM: what baresip sends as its voice. */
    static void writeTone(Path file) throws IOException {
        int samples = 8000;
        byte[] pcm = new byte[samples * 2];
        for (int i = 0; i < samples; i++) {
            short v = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 8000.0));
            pcm[2 * i] = (byte) v;
            pcm[2 * i + 1] = (byte) (v >> 8);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write("RIFF".getBytes(StandardCharsets.US_ASCII));
            out.write(le(36 + pcm.length, 4));
            out.write("WAVEfmt ".getBytes(StandardCharsets.US_ASCII));
            out.write(le(16, 4));
            out.write(le(1, 2));
            out.write(le(1, 2));
            out.write(le(8000, 4));
            out.write(le(16000, 4));
            out.write(le(2, 2));
            out.write(le(16, 2));
            out.write("data".getBytes(StandardCharsets.US_ASCII));
            out.write(le(pcm.length, 4));
            out.write(pcm);
        }
    }

    private static byte[] le(int value, int bytes) {
        byte[] b = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            b[i] = (byte) (value >> (8 * i));
        }
        return b;
    }
}
