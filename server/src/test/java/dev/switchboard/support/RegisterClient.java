package dev.switchboard.support;

import dev.switchboard.sip.digest.DigestClient;
import dev.switchboard.sip.message.AuthHeader;
import dev.switchboard.sip.message.ParseResult;
import dev.switchboard.sip.message.SipParser;
import dev.switchboard.sip.message.SipResponse;
import dev.switchboard.sip.net.IpText;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A SIP user agent for registrar tests over UDP on loopback: writes REGISTER requests as text
 * (so tests control every header), answers challenges with the sip module's {@link DigestClient}
 * and parses responses with its parser.
 */
public final class RegisterClient implements AutoCloseable {

    private static final SipParser PARSER = new SipParser(SipParser.Config.DEFAULT);

    private final DatagramSocket socket;
    /** This client's address as a URI host. */
    private final String host;
    private final InetSocketAddress server;
    private final DigestClient digest = new DigestClient();
    private final String domain;
    private final String user;
    private final String callId = UUID.randomUUID() + "@127.0.0.1";
    private long cseq;
    private String lastAuthorization;

    public RegisterClient(InetSocketAddress server, String domain, String user) throws IOException {
        this(server, domain, user, InetAddress.getLoopbackAddress());
    }

    /** A client whose socket, Via and contacts are on {@code local} (such as {@code ::1}). */
    public RegisterClient(InetSocketAddress server, String domain, String user, InetAddress local) throws IOException {
        this.socket = new DatagramSocket(0, local);
        this.host = IpText.uriHost(local);
        this.socket.setSoTimeout(5000);
        this.server = server;
        this.domain = domain;
        this.user = user;
    }

    public int port() {
        return socket.getLocalPort();
    }

    public String callId() {
        return callId;
    }

    /** A contact URI on this client's socket, optionally with a distinguishing user part. */
    public String contact(String userPart) {
        return "sip:" + userPart + "@" + host + ":" + port();
    }

    /** A REGISTER with the next CSeq of this client's Call-ID. */
    public String request(List<String> contacts, Optional<Long> expires, Optional<String> authorization,
                          String... extraHeaders) {
        return request(callId, ++cseq, contacts, expires, authorization, extraHeaders);
    }

    public String request(String callId, long cseq, List<String> contacts, Optional<Long> expires,
                          Optional<String> authorization, String... extraHeaders) {
        StringBuilder b = new StringBuilder();
        b.append("REGISTER sip:").append(domain).append(" SIP/2.0\r\n");
        b.append("Via: SIP/2.0/UDP ").append(host).append(':').append(port()).append(";branch=z9hG4bK")
                .append(UUID.randomUUID().toString().replace("-", "")).append(";rport\r\n");
        b.append("Max-Forwards: 70\r\n");
        b.append("From: <sip:").append(user).append('@').append(domain).append(">;tag=t").append(cseq).append("\r\n");
        b.append("To: <sip:").append(user).append('@').append(domain).append(">\r\n");
        b.append("Call-ID: ").append(callId).append("\r\n");
        b.append("CSeq: ").append(cseq).append(" REGISTER\r\n");
        for (String c : contacts) {
            b.append("Contact: ").append(c).append("\r\n");
        }
        expires.ifPresent(e -> b.append("Expires: ").append(e).append("\r\n"));
        authorization.ifPresent(a -> b.append("Authorization: ").append(a).append("\r\n"));
        for (String h : extraHeaders) {
            b.append(h).append("\r\n");
        }
        b.append("User-Agent: RegisterClient\r\nContent-Length: 0\r\n\r\n");
        return b.toString();
    }

    /** Sends raw text and waits for the final response (provisional ones are skipped). */
    public SipResponse exchange(String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, server));
        while (true) {
            DatagramPacket packet = new DatagramPacket(new byte[65535], 65535);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer to:\n" + message);
            }
            byte[] data = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
            if (PARSER.parse(data) instanceof ParseResult.Parsed p && p.message() instanceof SipResponse r
                    && r.status() >= 200) {
                return r;
            }
        }
    }

    /**
     * REGISTER, answer the 401 with {@code password} (the strongest offered algorithm), and return
     * the final answer. The Authorization used is kept for replay tests.
     */
    public SipResponse register(List<String> contacts, Optional<Long> expires, String password,
                                String... extraHeaders) throws IOException {
        SipResponse challenge = exchange(request(contacts, expires, Optional.empty(), extraHeaders));
        if (challenge.status() != 401) {
            return challenge;
        }
        return answer(challenge, contacts, expires, password, extraHeaders);
    }

    /** Answers a 401 with a new request carrying credentials. */
    public SipResponse answer(SipResponse challenge, List<String> contacts, Optional<Long> expires, String password,
                              String... extraHeaders) throws IOException {
        lastAuthorization = authorization(challenge, password);
        return exchange(request(contacts, expires, Optional.of(lastAuthorization), extraHeaders));
    }

    /** Sends bytes as they are to the server (a response to a request the server sent this client). */
    public void sendRaw(byte[] message) throws IOException {
        socket.send(new DatagramPacket(message, message.length, server));
    }

    /** The next message that reaches this client's socket within the time, such as an INVITE for its contact. */
    public Optional<String> receive(int timeoutMillis) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout(timeoutMillis);
        try {
            DatagramPacket packet = new DatagramPacket(new byte[65535], 65535);
            socket.receive(packet);
            return Optional.of(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        } finally {
            socket.setSoTimeout(before);
        }
    }

    /** Credentials answering a 401 (SHA-256 when offered), with the next nonce count of its nonce. */
    public String authorization(SipResponse challenge, String password) {
        List<String> values = new ArrayList<>();
        for (AuthHeader h : challenge.wwwAuthenticates()) {
            values.add(h.toString());
        }
        return digest.authorize(values, "REGISTER", "sip:" + domain, user, password)
                .orElseThrow(() -> new AssertionError("no usable challenge in " + values));
    }

    public String lastAuthorization() {
        return lastAuthorization;
    }

    @Override
    public void close() {
        socket.close();
    }
}
