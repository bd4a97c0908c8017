package dev.switchboard.sip.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Encodes Binding requests and success responses and decodes responses (RFC 5389 §6, §15).
 * Decoding checks everything a hostile datagram could get wrong and never throws.
 */
public final class StunCodec {

    static final int HEADER_LENGTH = 20;
    static final int MAGIC_COOKIE = 0x2112A442;
    static final int BINDING_REQUEST = 0x0001;
    static final int BINDING_SUCCESS = 0x0101;
    static final int BINDING_ERROR = 0x0111;

    static final int MAPPED_ADDRESS = 0x0001;
    static final int ERROR_CODE = 0x0009;
    static final int XOR_MAPPED_ADDRESS = 0x0020;
    static final int FINGERPRINT = 0x8028;
    private static final int FINGERPRINT_XOR = 0x5354554e;
    private static final int FAMILY_IPV4 = 0x01;
    private static final int FAMILY_IPV6 = 0x02;

    private StunCodec() {
    }

    /** A Binding request with FINGERPRINT, so servers multiplexing STUN with other traffic can spot it. */
    public static byte[] encodeBindingRequest(TransactionId id) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_LENGTH + 8);
        header(b, BINDING_REQUEST, id);
        return withFingerprint(b);
    }

    /** A Binding success response carrying {@code mapped} as XOR-MAPPED-ADDRESS; used by servers and tests. */
    public static byte[] encodeBindingSuccess(TransactionId id, InetSocketAddress mapped) {
        byte[] addr = mapped.getAddress().getAddress();
        ByteBuffer b = ByteBuffer.allocate(HEADER_LENGTH + 4 + 4 + addr.length + 8);
        header(b, BINDING_SUCCESS, id);
        b.putShort((short) XOR_MAPPED_ADDRESS).putShort((short) (4 + addr.length));
        b.put((byte) 0).put((byte) (addr.length == 4 ? FAMILY_IPV4 : FAMILY_IPV6));
        b.putShort((short) (mapped.getPort() ^ (MAGIC_COOKIE >>> 16)));
        b.put(xor(addr, id.bytes()));
        return withFingerprint(b);
    }

    /**
     * The transaction id of a well-formed Binding request, e.g. for a keep-alive responder; empty
     * otherwise, attributes included (RFC 5389 §7.3: such a request gets no success answer).
     */
    public static Optional<TransactionId> decodeBindingRequest(byte[] packet, int length) {
        if (checkHeader(packet, length) != null || type(packet) != BINDING_REQUEST
                || walkAttributes(packet, length, (attrType, valueStart, attrLength) -> null) != null) {
            return Optional.empty();
        }
        byte[] id = new byte[TransactionId.LENGTH];
        System.arraycopy(packet, 8, id, 0, id.length);
        return Optional.of(new TransactionId(id));
    }

    /** Decodes the first {@code length} bytes of {@code packet} as a response to {@code expected}. */
    public static BindingResponse decodeBindingResponse(byte[] packet, int length, TransactionId expected) {
        String headerProblem = checkHeader(packet, length);
        if (headerProblem != null) {
            return new BindingResponse.Invalid(headerProblem);
        }
        if (!expected.matches(packet, 8)) {
            return new BindingResponse.Invalid("transaction id is not ours");
        }
        int type = type(packet);
        if (type != BINDING_SUCCESS && type != BINDING_ERROR) {
            return new BindingResponse.Invalid("not a Binding response: type 0x" + Integer.toHexString(type));
        }
        InetSocketAddress[] xorMapped = new InetSocketAddress[1];
        InetSocketAddress[] mapped = new InetSocketAddress[1];
        BindingResponse.Error[] error = new BindingResponse.Error[1];
        String problem = walkAttributes(packet, length, (attrType, valueStart, attrLength) -> {
            switch (attrType) {
                case XOR_MAPPED_ADDRESS, MAPPED_ADDRESS -> {
                    boolean xored = attrType == XOR_MAPPED_ADDRESS;
                    Optional<InetSocketAddress> a = address(packet, valueStart, attrLength, xored);
                    if (a.isEmpty()) {
                        return "malformed " + (xored ? "XOR-MAPPED-ADDRESS" : "MAPPED-ADDRESS");
                    }
                    // RFC 5389 §15: only the first occurrence of an attribute counts.
                    InetSocketAddress[] slot = xored ? xorMapped : mapped;
                    if (slot[0] == null) {
                        slot[0] = a.get();
                    }
                }
                case ERROR_CODE -> {
                    if (attrLength < 4) {
                        return "malformed ERROR-CODE";
                    }
                    int errorClass = packet[valueStart + 2] & 0x07;
                    int number = packet[valueStart + 3] & 0xFF;
                    if (errorClass < 3 || errorClass > 6 || number > 99) {
                        return "malformed ERROR-CODE";
                    }
                    if (error[0] == null) {
                        error[0] = new BindingResponse.Error(errorClass * 100 + number,
                                new String(packet, valueStart + 4, attrLength - 4, StandardCharsets.UTF_8));
                    }
                }
                default -> {
                }
            }
            return null;
        });
        if (problem != null) {
            return new BindingResponse.Invalid(problem);
        }
        if (type == BINDING_ERROR) {
            return error[0] != null ? error[0] : new BindingResponse.Invalid("error response without ERROR-CODE");
        }
        if (xorMapped[0] != null) {
            return new BindingResponse.Success(xorMapped[0]);
        }
        // MAPPED-ADDRESS is what RFC 3489 servers send; NATs that rewrite addresses in payloads can spoil it.
        return mapped[0] != null ? new BindingResponse.Success(mapped[0])
                : new BindingResponse.Invalid("success response without a mapped address");
    }

    /** What {@link #walkAttributes} hands each attribute it has no rule for itself: a problem text, or null. */
    private interface AttributeReader {
        String read(int type, int valueStart, int length);
    }

    /**
     * Walks the attributes after the header with the checks every message gets (RFC 5389 §7.3): none
     * may run past the end, FINGERPRINT must be last and match, and no unknown comprehension-required
     * attribute may appear (§7.3.1 would answer a request with 420, §7.3.3 fails a response). Every
     * other attribute goes to {@code reader}. Returns the first problem found, or null.
     */
    private static String walkAttributes(byte[] packet, int length, AttributeReader reader) {
        ByteBuffer b = ByteBuffer.wrap(packet, HEADER_LENGTH, length - HEADER_LENGTH);
        while (b.hasRemaining()) {
            int start = b.position();
            if (b.remaining() < 4) {
                return "truncated attribute header";
            }
            int attrType = b.getShort() & 0xFFFF;
            int attrLength = b.getShort() & 0xFFFF;
            int padded = (attrLength + 3) & ~3;
            if (padded > b.remaining()) {
                return "attribute 0x" + Integer.toHexString(attrType) + " overruns message";
            }
            int valueStart = b.position();
            b.position(valueStart + padded);
            String problem;
            if (attrType == FINGERPRINT) {
                problem = attrLength != 4 || b.hasRemaining() ? "FINGERPRINT malformed or not last"
                        : ByteBuffer.wrap(packet, valueStart, 4).getInt() != fingerprint(packet, start)
                        ? "FINGERPRINT mismatch" : null;
            } else if (attrType < 0x8000 && !isKnownComprehensionRequired(attrType)) {
                problem = "unknown comprehension-required attribute 0x" + Integer.toHexString(attrType);
            } else {
                problem = reader.read(attrType, valueStart, attrLength);
            }
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /** Whether a datagram looks like STUN at all (RFC 5389 §7.3, for demultiplexing with SIP on one port). */
    public static boolean looksLikeStun(byte[] packet, int length) {
        return checkHeader(packet, length) == null;
    }

    private static String checkHeader(byte[] packet, int length) {
        if (packet == null || length < HEADER_LENGTH || length > packet.length) {
            return "shorter than a STUN header";
        }
        if ((packet[0] & 0xC0) != 0) {
            return "first two bits not zero";
        }
        ByteBuffer b = ByteBuffer.wrap(packet, 0, length);
        int messageLength = b.getShort(2) & 0xFFFF;
        if (messageLength != length - HEADER_LENGTH || (messageLength & 3) != 0) {
            return "length field disagrees with datagram";
        }
        if (b.getInt(4) != MAGIC_COOKIE) {
            return "magic cookie missing";
        }
        return null;
    }

    private static int type(byte[] packet) {
        return ((packet[0] & 0xFF) << 8) | (packet[1] & 0xFF);
    }

    private static Optional<InetSocketAddress> address(byte[] packet, int offset, int length, boolean xored) {
        int family = packet[offset + 1] & 0xFF;
        int addrLength = family == FAMILY_IPV4 ? 4 : family == FAMILY_IPV6 ? 16 : -1;
        if (length < 4 || addrLength < 0 || length != 4 + addrLength) {
            return Optional.empty();
        }
        int port = ((packet[offset + 2] & 0xFF) << 8) | (packet[offset + 3] & 0xFF);
        byte[] addr = new byte[addrLength];
        System.arraycopy(packet, offset + 4, addr, 0, addrLength);
        if (xored) {
            port ^= MAGIC_COOKIE >>> 16;
            byte[] id = new byte[TransactionId.LENGTH];
            System.arraycopy(packet, 8, id, 0, id.length);
            addr = xor(addr, id);
        }
        try {
            // Never a DNS lookup: getByAddress only wraps the bytes.
            return Optional.of(new InetSocketAddress(InetAddress.getByAddress(addr), port));
        } catch (UnknownHostException e) {
            return Optional.empty(); // only for a wrong length, excluded above
        }
    }

    /** XOR with the magic cookie, then (IPv6) the transaction id, as RFC 5389 §15.2 defines. */
    private static byte[] xor(byte[] addr, byte[] transactionId) {
        byte[] key = ByteBuffer.allocate(16).putInt(MAGIC_COOKIE).put(transactionId).array();
        byte[] out = new byte[addr.length];
        for (int i = 0; i < addr.length; i++) {
            out[i] = (byte) (addr[i] ^ key[i]);
        }
        return out;
    }

    private static boolean isKnownComprehensionRequired(int type) {
        return switch (type) {
            // MAPPED-ADDRESS, USERNAME, MESSAGE-INTEGRITY, ERROR-CODE, UNKNOWN-ATTRIBUTES, REALM, NONCE,
            // MESSAGE-INTEGRITY-SHA256, PASSWORD-ALGORITHM, USERHASH, XOR-MAPPED-ADDRESS, PRIORITY, USE-CANDIDATE.
            // We do not check integrity (no credentials for a public Binding), so they are simply skipped.
            case 0x0001, 0x0006, 0x0008, 0x0009, 0x000A, 0x0014, 0x0015, 0x001C, 0x001D, 0x001E, 0x0020, 0x0024,
                    0x0025 -> true;
            default -> false;
        };
    }

    private static void header(ByteBuffer b, int type, TransactionId id) {
        b.putShort((short) type).putShort((short) (b.capacity() - HEADER_LENGTH)).putInt(MAGIC_COOKIE)
                .put(id.bytes());
    }

    /** Appends FINGERPRINT (CRC-32 of everything before it, XOR 0x5354554e) as the last 8 bytes. */
    private static byte[] withFingerprint(ByteBuffer b) {
        int at = b.position();
        b.putShort((short) FINGERPRINT).putShort((short) 4).putInt(fingerprint(b.array(), at));
        return b.array();
    }

    private static int fingerprint(byte[] message, int fingerprintAttributeOffset) {
        CRC32 crc = new CRC32();
        crc.update(message, 0, fingerprintAttributeOffset);
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }
}
