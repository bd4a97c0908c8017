package dev.switchboard.sip.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/** The UDP path to one remote address through one listening socket. */
record DatagramFlow(Channel channel, InetSocketAddress remote, InetSocketAddress local) implements Flow {

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
