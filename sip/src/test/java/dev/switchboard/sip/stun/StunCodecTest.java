package dev.switchboard.sip.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The codec against the RFC 5769 test vectors and against hostile datagrams. */
class StunCodecTest {

    private static final TransactionId VECTOR_ID = new TransactionId(hex("b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"));

    /** RFC 5769 §2.1: Binding request with SOFTWARE, PRIORITY, ICE-CONTROLLED, USERNAME, MESSAGE-INTEGRITY, FINGERPRINT. */
    private static final byte[] SAMPLE_REQUEST = hex("""
            00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
            00 24 00 04 6e 00 01 ff
            80 29 00 08 93 2f f9 b1 51 26 3b 36
            00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
            00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
            80 28 00 04 e5 7a 3b cf
            """);
    /** RFC 5769 §2.2: success response, XOR-MAPPED-ADDRESS 192.0.2.1:32853. */
    private static final byte[] SAMPLE_IPV4_RESPONSE = hex("""
            01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
            00 20 00 08 00 01 a1 47 e1 12 a6 43
            00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
            80 28 00 04 c0 7d 4c 96
            """);
    /** RFC 5769 §2.3: success response, XOR-MAPPED-ADDRESS [2001:db8:1234:5678:11:2233:4455:6677]:32853. */
    private static final byte[] SAMPLE_IPV6_RESPONSE = hex("""
            01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
            00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
            00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
            80 28 00 04 c8 fb 0b 4c
            """);

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s+", ""));
    }

    private static BindingResponse decode(byte[] packet, TransactionId id) {
        return StunCodec.decodeBindingResponse(packet, packet.length, id);
    }

    @Test
    void decodesTheRfc5769Ipv4Response() throws Exception {
        assertThat(decode(SAMPLE_IPV4_RESPONSE, VECTOR_ID)).isEqualTo(new BindingResponse.Success(
                new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853)));
    }

    @Test
    void decodesTheRfc5769Ipv6Response() throws Exception {
        assertThat(decode(SAMPLE_IPV6_RESPONSE, VECTOR_ID)).isEqualTo(new BindingResponse.Success(
                new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853)));
    }

    @Test
    void decodesTheRfc5769RequestAndEncodesTheSameHeader() {
        assertThat(StunCodec.decodeBindingRequest(SAMPLE_REQUEST, SAMPLE_REQUEST.length)).contains(VECTOR_ID);
        byte[] ours = StunCodec.encodeBindingRequest(VECTOR_ID);
        // Same type, cookie and transaction id; only the length differs (we send FINGERPRINT alone).
        assertThat(ours).hasSize(28);
        assertThat(ours[0]).isEqualTo(SAMPLE_REQUEST[0]);
        assertThat(ours[1]).isEqualTo(SAMPLE_REQUEST[1]);
        assertThat(new byte[] {ours[2], ours[3]}).containsExactly(0x00, 0x08);
        assertThat(java.util.Arrays.copyOfRange(ours, 4, 20))
                .containsExactly(java.util.Arrays.copyOfRange(SAMPLE_REQUEST, 4, 20));
        assertThat(StunCodec.decodeBindingRequest(ours, ours.length)).contains(VECTOR_ID);
    }

    @Test
    void ourFingerprintMatchesTheRfcComputation() {
        // Re-encoding the RFC's IPv4 answer gives the RFC's XOR-MAPPED-ADDRESS bytes; its FINGERPRINT
        // passes our own check, and so do the RFC's (checked by the two decode tests above).
        byte[] ours = StunCodec.encodeBindingSuccess(VECTOR_ID, new InetSocketAddress("192.0.2.1", 32853));
        assertThat(java.util.Arrays.copyOfRange(ours, 20, 32))
                .containsExactly(hex("00 20 00 08 00 01 a1 47 e1 12 a6 43"));
        assertThat(decode(ours, VECTOR_ID)).isInstanceOf(BindingResponse.Success.class);
    }

    @Test
    void roundTripsIpv4AndIpv6() throws Exception {
        TransactionId id = TransactionId.random(new Random(1));
        for (InetSocketAddress a : new InetSocketAddress[] {
            new InetSocketAddress(InetAddress.getByName("203.0.113.7"), 5060),
            new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 65535),
            new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0)}) {
            assertThat(decode(StunCodec.encodeBindingSuccess(id, a), id)).isEqualTo(new BindingResponse.Success(a));
        }
    }

    @Test
    void fallsBackToMappedAddress() {
        byte[] rfc3489Style = hex("""
                01 01 00 0c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
                00 01 00 08 00 01 13 c4 c6 33 64 05
                """);
        assertThat(decode(rfc3489Style, VECTOR_ID))
                .isEqualTo(new BindingResponse.Success(new InetSocketAddress("198.51.100.5", 5060)));
    }

    @Test
    void decodesErrorResponses() {
        byte[] error = hex("""
                01 11 00 10 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
                00 09 00 0b 00 00 04 14 55 6e 6b 6e 6f 77 6e 00
                """);
        assertThat(decode(error, VECTOR_ID)).isEqualTo(new BindingResponse.Error(420, "Unknown"));
    }

    @Test
    void refusesAnswersToOtherTransactions() {
        assertThat(decode(SAMPLE_IPV4_RESPONSE, TransactionId.random()))
                .isEqualTo(new BindingResponse.Invalid("transaction id is not ours"));
    }

    @Test
    void refusesACorruptedFingerprint() {
        byte[] p = SAMPLE_IPV4_RESPONSE.clone();
        p[p.length - 1] ^= 1;
        assertThat(decode(p, VECTOR_ID)).isEqualTo(new BindingResponse.Invalid("FINGERPRINT mismatch"));
        byte[] q = SAMPLE_IPV4_RESPONSE.clone();
        q[40] ^= 1; // a bit of the mapped address: the CRC no longer matches
        assertThat(decode(q, VECTOR_ID)).isEqualTo(new BindingResponse.Invalid("FINGERPRINT mismatch"));
    }

    @Test
    void aRequestWithABadFingerprintAnOverrunOrAnUnknownRequiredAttributeGetsNoAnswer() {
        byte[] corrupted = SAMPLE_REQUEST.clone();
        corrupted[corrupted.length - 1] ^= 1;
        assertThat(StunCodec.decodeBindingRequest(corrupted, corrupted.length)).isEmpty();
        // Header, then one attribute 0x7777 (comprehension-required, unknown) of 4 bytes.
        java.nio.ByteBuffer unknown = java.nio.ByteBuffer.allocate(28);
        unknown.putShort((short) 0x0001).putShort((short) 8).putInt(0x2112A442).put(VECTOR_ID.bytes())
                .putShort((short) 0x7777).putShort((short) 4).putInt(0);
        assertThat(StunCodec.decodeBindingRequest(unknown.array(), 28)).isEmpty();
        // The same as comprehension-optional (0xC777) is skipped, and the request answered.
        unknown.putShort(20, (short) 0xC777);
        assertThat(StunCodec.decodeBindingRequest(unknown.array(), 28)).contains(VECTOR_ID);
        // An attribute claiming 200 bytes where 4 are left.
        unknown.putShort(20, (short) 0x0020).putShort(22, (short) 200);
        assertThat(StunCodec.decodeBindingRequest(unknown.array(), 28)).isEmpty();
    }

    @Test
    void refusesMalformedHeadersAndAttributes() {
        assertThat(decode(new byte[0], VECTOR_ID)).isInstanceOf(BindingResponse.Invalid.class);
        assertThat(StunCodec.decodeBindingResponse(null, 0, VECTOR_ID)).isInstanceOf(BindingResponse.Invalid.class);
        assertThat(StunCodec.decodeBindingResponse(SAMPLE_IPV4_RESPONSE, 10_000, VECTOR_ID))
                .isInstanceOf(BindingResponse.Invalid.class);
        byte[] badCookie = SAMPLE_IPV4_RESPONSE.clone();
        badCookie[4] = 0;
        assertThat(decode(badCookie, VECTOR_ID)).isEqualTo(new BindingResponse.Invalid("magic cookie missing"));
        byte[] topBits = SAMPLE_IPV4_RESPONSE.clone();
        topBits[0] |= (byte) 0x80;
        assertThat(decode(topBits, VECTOR_ID)).isEqualTo(new BindingResponse.Invalid("first two bits not zero"));
        byte[] request = SAMPLE_REQUEST.clone();
        assertThat(decode(request, VECTOR_ID)).isInstanceOf(BindingResponse.Invalid.class);
        // Truncated datagram: the length field says more than arrived.
        assertThat(StunCodec.decodeBindingResponse(SAMPLE_IPV4_RESPONSE, SAMPLE_IPV4_RESPONSE.length - 4, VECTOR_ID))
                .isEqualTo(new BindingResponse.Invalid("length field disagrees with datagram"));
        // XOR-MAPPED-ADDRESS claiming to be longer than the message.
        assertThat(decode(hex("""
                01 01 00 0c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
                00 20 ff f8 00 01 a1 47 e1 12 a6 43
                """), VECTOR_ID)).isInstanceOf(BindingResponse.Invalid.class);
        // IPv6 family with IPv4 length.
        assertThat(decode(hex("""
                01 01 00 0c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
                00 20 00 08 00 02 a1 47 e1 12 a6 43
                """), VECTOR_ID)).isInstanceOf(BindingResponse.Invalid.class);
        // Unknown comprehension-required attribute.
        assertThat(decode(hex("""
                01 01 00 14 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
                00 20 00 08 00 01 a1 47 e1 12 a6 43
                7f ff 00 04 00 00 00 00
                """), VECTOR_ID)).isInstanceOf(BindingResponse.Invalid.class);
        // Success response without any address.
        assertThat(decode(hex("01 01 00 00 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"), VECTOR_ID))
                .isEqualTo(new BindingResponse.Invalid("success response without a mapped address"));
    }

    @Test
    void randomGarbageNeverThrows() {
        Random random = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            byte[] p = new byte[random.nextInt(64)];
            random.nextBytes(p);
            if (p.length >= 20 && random.nextBoolean()) {
                // Make it pass the header checks so the attribute walk gets exercised.
                p[0] = 0x01;
                p[1] = 0x01;
                p[2] = 0;
                p[3] = (byte) ((p.length - 20) & ~3);
                p = java.util.Arrays.copyOf(p, 20 + ((p.length - 20) & ~3));
                System.arraycopy(hex("21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"), 0, p, 4, 16);
            }
            assertThat(decode(p, VECTOR_ID)).isNotNull();
            StunCodec.decodeBindingRequest(p, p.length);
        }
    }
}
