package dev.switchboard.sip.transport;

import dev.switchboard.sip.stun.BindingResponse;
import dev.switchboard.sip.stun.StunCodec;
import dev.switchboard.sip.stun.StunException;
import dev.switchboard.sip.stun.TransactionId;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * STUN Binding transactions (RFC 5389 §7.2.1) sent from a SIP UDP socket itself, so the address
 * and port learned are the NAT mapping the SIP traffic of that socket uses; a fresh socket would
 * learn another port. Answers arrive on the SIP port, told from SIP by their first byte and
 * magic cookie, and are matched to their transaction by its random id and the server's address.
 */
final class StunTransactions {

    private record Pending(InetSocketAddress server, TransactionId id, CompletableFuture<InetSocketAddress> answer) {
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    /** Sends a Binding request to {@code server} from {@code channel}, retransmitting with a doubling RTO. */
    CompletableFuture<InetSocketAddress> bind(Channel channel, InetSocketAddress server, Duration rto, int attempts) {
        TransactionId id = TransactionId.random();
        String key = HexFormat.of().formatHex(id.bytes());
        CompletableFuture<InetSocketAddress> answer = new CompletableFuture<>();
        pending.put(key, new Pending(server, id, answer));
        answer.whenComplete((mapped, error) -> pending.remove(key));
        byte[] request = StunCodec.encodeBindingRequest(id);
        send(channel, server, request, answer, rto.toMillis(), attempts);
        return answer;
    }

    private static void send(Channel channel, InetSocketAddress server, byte[] request,
                             CompletableFuture<InetSocketAddress> answer, long rtoMillis, int attemptsLeft) {
        if (answer.isDone()) {
            return;
        }
        if (attemptsLeft == 0) {
            answer.completeExceptionally(new StunException.Timeout("no STUN answer from " + server));
            return;
        }
        channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(request), server));
        channel.eventLoop().schedule(() -> send(channel, server, request, answer, rtoMillis * 2, attemptsLeft - 1),
                rtoMillis, TimeUnit.MILLISECONDS);
    }

    /** Takes a STUN response that came to a SIP socket; one for no transaction of ours is ignored. */
    void answered(byte[] packet, InetSocketAddress sender) {
        if (packet.length < 20) {
            return;
        }
        Pending p = pending.get(HexFormat.of().formatHex(packet, 8, 20));
        if (p == null || !p.server().equals(sender)) {
            return;
        }
        BindingResponse response = StunCodec.decodeBindingResponse(packet, packet.length, p.id());
        if (response instanceof BindingResponse.Success success) {
            p.answer().complete(success.mappedAddress());
        } else if (response instanceof BindingResponse.Error error) {
            p.answer().completeExceptionally(new StunException("STUN error " + error.code() + " " + error.reason()));
        }
    }
}
