package dev.switchboard.sip.transport;

import dev.switchboard.sip.net.IpText;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * The UDP path to one remote address through one listening socket. The remote host text is made
 * once per packet: a REGISTER needs it for its Via, its throttle key and its binding.
 */
record DatagramFlow(Channel channel, InetSocketAddress remote, InetSocketAddress local, String remoteHost)
        implements Flow {

    DatagramFlow(Channel channel, InetSocketAddress remote, InetSocketAddress local) {
        this(channel, remote, local, IpText.of(remote.getAddress()));
    }

    @Override
    public Transport transport() {
        return Transport.UDP;
    }

    @Override
    public void send(byte[] message) {
        channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(message), remote), channel.voidPromise());
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void inOrder(Runnable task) {
        channel.eventLoop().execute(task);
    }
}
