package dev.switchboard.sip.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

class LeakRecorderTest {

    @Test
    void turnsALeakedBufferIntoAFailure() {
        leak();
        assertThatThrownBy(LeakRecorder::assertNoLeaks).isInstanceOf(AssertionError.class)
                .hasMessageContaining("leaked");
        assertThat(LeakRecorder.drain()).isEmpty();
        LeakRecorder.assertNoLeaks();
    }

    private static void leak() {
        ByteBuf forgotten = UnpooledByteBufAllocator.DEFAULT.directBuffer(64);
        forgotten.writeInt(42);
    }
}
