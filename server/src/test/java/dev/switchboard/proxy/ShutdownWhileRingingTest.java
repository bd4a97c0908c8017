package dev.switchboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sip.SipEngine;
import dev.switchboard.sip.transport.Transport;
import dev.switchboard.support.Api;
import dev.switchboard.support.RegisterClient;
import dev.switchboard.support.SipServerTest;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/** A node shut down gracefully ends the calls still ringing through it instead of dropping them. */
@SipServerTest
@DirtiesContext
class ShutdownWhileRingingTest {

    @LocalServerPort
    int port;
    @Autowired
    SipEngine engine;

    /** A response to {@code request} with its Via, From, To (tagged), Call-ID and CSeq lines. */
    static String respond(String request, int status, String reason, String toTag) {
        StringBuilder b = new StringBuilder("SIP/2.0 ").append(status).append(' ').append(reason).append("\r\n");
        for (String line : request.split("\r\n")) {
            if (line.startsWith("Via:") || line.startsWith("From:") || line.startsWith("Call-ID:")
                    || line.startsWith("CSeq:") || line.startsWith("Record-Route:")) {
                b.append(line).append("\r\n");
            } else if (line.startsWith("To:")) {
                b.append(line).append(";tag=").append(toTag).append("\r\n");
            }
        }
        return b.append("Content-Length: 0\r\n\r\n").toString();
    }

    @Test
    void theCallerHears503AndTheCalleeACancel() throws Exception {
        CallFixture fixture = CallFixture.create(new Api(port));
        fixture.sipUser("late", "801");
        InetSocketAddress proxy = engine.localAddress(Transport.UDP).orElseThrow();
        try (RegisterClient phone = new RegisterClient(proxy, fixture.domain(), "801",
                     InetAddress.getByName("127.0.0.21"));
             DatagramSocket caller = new DatagramSocket(new InetSocketAddress(
                     InetAddress.getByName(CallFixture.TRUNK_SOURCE), 0))) {
            assertThat(phone.register(List.of("<" + phone.contact("801") + ">"), Optional.of(600L),
                    CallFixture.SIP_PASSWORD).status()).isEqualTo(200);
            caller.setSoTimeout(5000);
            String invite = ProxyRulesTest.request("INVITE", "sip:801@" + fixture.domain(), CallFixture.TRUNK_SOURCE,
                    caller.getLocalPort(), null);
            byte[] bytes = invite.getBytes(StandardCharsets.UTF_8);
            caller.send(new DatagramPacket(bytes, bytes.length, proxy));
            String forwarded = phone.receive(5000).orElseThrow();
            assertThat(forwarded).startsWith("INVITE ");
            byte[] ringing = respond(forwarded, 180, "Ringing", "callee1").getBytes(StandardCharsets.UTF_8);
            phone.sendRaw(ringing);
            assertThat(finalOrProvisional(caller, 180)).startsWith("SIP/2.0 180");

            Thread stopping = new Thread(engine::stop);
            stopping.start();
            String cancel = phone.receive(3000).orElseThrow(() -> new AssertionError("no CANCEL for the callee"));
            assertThat(cancel).startsWith("CANCEL ");
            phone.sendRaw(respond(cancel, 200, "OK", "callee1").getBytes(StandardCharsets.UTF_8));
            phone.sendRaw(respond(forwarded, 487, "Request Terminated", "callee1").getBytes(StandardCharsets.UTF_8));
            assertThat(finalOrProvisional(caller, 200)).startsWith("SIP/2.0 503");
            stopping.join(10_000);
        }
    }

    /** The next response of at least {@code atLeast} the caller gets. */
    static String finalOrProvisional(DatagramSocket caller, int atLeast) throws Exception {
        List<String> seen = new ArrayList<>();
        while (true) {
            DatagramPacket packet = new DatagramPacket(new byte[65535], 65535);
            try {
                caller.receive(packet);
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("no response of " + atLeast + " or more; saw " + seen);
            }
            String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            seen.add(text.lines().findFirst().orElse(""));
            if (Integer.parseInt(text.substring(8, 11)) >= atLeast) {
                return text;
            }
        }
    }
}
