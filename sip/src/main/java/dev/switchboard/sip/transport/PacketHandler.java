package dev.switchboard.sip.transport;

/**
 * Receives every complete inbound message on the event loop thread that read it. It must not
 * block; slow work goes to another executor.
 */
@FunctionalInterface
public interface PacketHandler {

    void onPacket(InboundPacket packet);
}
