package dev.switchboard.sip.transaction;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The final responses of non-INVITE requests answered over UDP, remembered for at least timer J
 * so that a retransmitted request gets the same response again (RFC 3261 §17.2.2) once its
 * transaction is gone.
 *
 * <p>A registrar answers tens of thousands of REGISTERs a second and must remember each answer
 * for 32 s. Kept as live transactions (several objects and a timer each) they filled the young
 * generation with objects that all survived it, and every collection copied them: pauses of
 * 30 to 90 ms at 26,000 REGISTER/s. Here they are bytes in a ring of time slices, each a few
 * large direct buffers with an open-addressing index, reused when the slice comes round again,
 * so the collector sees a handful of objects instead of a million young ones.
 *
 * <p>Bounded: past {@code maxBytes} answers are not remembered (a retransmission is then handled
 * as a new request), so a flood cannot exhaust the heap.
 */
final class AnsweredRequests {

    /**
     * Arena chunk, off the heap: large enough for any UDP message and its key. Off the heap so
     * the collector never copies them (on-heap arrays of this size are not humongous with G1's
     * larger regions, and were copied through the survivor spaces at every young collection).
     */
    private static final int CHUNK = 1 << 20;
    private static final int MAX_KEY = 4096;
    /** Chunks per slice, so that an entry's offset fits in an int. */
    private static final int MAX_CHUNKS = Integer.MAX_VALUE / CHUNK - 1;

    private final Slice[] slices;
    private final long maxBytes;
    private final TimerService timers;
    private final Duration sliceLength;
    private int current;
    /** Chunks of dropped slices, for the next slice to fill. */
    private final ArrayDeque<ByteBuffer> spare = new ArrayDeque<>();
    /** Chunks allocated, in use or spare. */
    private long bytesHeld;
    private volatile boolean closed;

    /**
     * @param keep        how long an answer must at least be remembered (timer J); it is
     *                    forgotten at most one {@code sliceLength} later
     * @param sliceLength how often the oldest slice is dropped
     */
    AnsweredRequests(TimerService timers, Duration keep, Duration sliceLength, long maxBytes) {
        if (sliceLength.isZero() || sliceLength.isNegative()) {
            throw new IllegalArgumentException("slice length must be positive");
        }
        int count = (int) ((keep.toNanos() + sliceLength.toNanos() - 1) / sliceLength.toNanos()) + 1;
        this.slices = new Slice[count];
        for (int i = 0; i < count; i++) {
            slices[i] = new Slice();
        }
        this.maxBytes = maxBytes;
        this.timers = timers;
        this.sliceLength = sliceLength;
        timers.schedule(sliceLength, this::rotate);
    }

    /** Remembers the response to the request of this transaction; false when full. */
    synchronized boolean remember(TransactionId id, byte[] response) {
        byte[] key = key(id);
        if (key.length > MAX_KEY || response.length + key.length + 6 > CHUNK) {
            return false;
        }
        Slice slice = slices[current];
        int need = 6 + key.length + response.length;
        if (!slice.hasRoom(need) && (spare.isEmpty() && bytesHeld + CHUNK > maxBytes
                || slice.chunks.size() >= MAX_CHUNKS)) {
            return false;
        }
        slice.put(hash(key), key, response);
        return true;
    }

    /** The response remembered for this transaction's request, or null. */
    synchronized byte[] find(TransactionId id) {
        byte[] key = key(id);
        int hash = hash(key);
        for (int age = 0; age < slices.length; age++) {
            byte[] found = slices[Math.floorMod(current - age, slices.length)].get(hash, key);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    synchronized int size() {
        int n = 0;
        for (Slice s : slices) {
            n += s.count;
        }
        return n;
    }

    void close() {
        closed = true;
    }

    private void rotate() {
        if (closed) {
            return;
        }
        synchronized (this) {
            current = (current + 1) % slices.length;
            slices[current].clear();
        }
        timers.schedule(sliceLength, this::rotate);
    }

    private static byte[] key(TransactionId id) {
        return (id.branch() + '\n' + id.sentBy() + '\n' + id.method()).getBytes(StandardCharsets.UTF_8);
    }

    private static int hash(byte[] key) {
        int h = 0x9747b28c;
        for (byte b : key) {
            h = (h ^ b) * 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h == 0 ? 1 : h;
    }

    /**
     * The answers of one time slice: entries {@code [key length:2][key][response length:4][response]}
     * appended to chunks, found through a table of {@code hash << 32 | (offset + 1)}.
     *
     * <p>The table is off the heap too: a busy slice's table is a megabyte that lives as long as
     * the slice, and on the heap each one made when the rate rose was copied through the survivor
     * spaces at every young collection, up to 15 times (5 of 8.5 MB of survivors at 12,800
     * REGISTER/s, G1 {@code gc+age} trace).
     */
    private final class Slice {
        private static final int MIN_SLOTS = 1024;

        private final List<ByteBuffer> chunks = new ArrayList<>();
        private int position;
        private ByteBuffer table = newTable(MIN_SLOTS);
        private int slots = MIN_SLOTS;
        private int count;
        /** The most answers this slice held lately, halved each round it holds fewer. */
        private int peak;

        boolean hasRoom(int need) {
            return !chunks.isEmpty() && position + need <= CHUNK;
        }

        void put(int hash, byte[] key, byte[] response) {
            int need = 6 + key.length + response.length;
            if (!hasRoom(need)) {
                ByteBuffer fresh = spare.poll();
                if (fresh == null) {
                    fresh = ByteBuffer.allocateDirect(CHUNK);
                    bytesHeld += CHUNK;
                }
                chunks.add(fresh);
                position = 0;
            }
            int chunk = chunks.size() - 1;
            ByteBuffer c = chunks.get(chunk);
            int offset = chunk * CHUNK + position;
            c.putShort(position, (short) key.length);
            c.put(position + 2, key);
            int at = position + 2 + key.length;
            c.putInt(at, response.length);
            c.put(at + 4, response);
            position += need;
            if ((count + 1) * 2 > slots) {
                grow();
            }
            insert(table, slots, ((long) hash << 32) | (offset + 1L));
            count++;
        }

        byte[] get(int hash, byte[] key) {
            int mask = slots - 1;
            for (int i = hash & mask; ; i = (i + 1) & mask) {
                long slot = table.getLong(i << 3);
                if (slot == 0) {
                    return null;
                }
                if ((int) (slot >>> 32) == hash) {
                    int offset = (int) slot - 1;
                    ByteBuffer c = chunks.get(offset / CHUNK);
                    int p = offset % CHUNK;
                    int keyLength = c.getShort(p) & 0xffff;
                    if (keyLength == key.length && c.slice(p + 2, keyLength).equals(ByteBuffer.wrap(key))) {
                        int at = p + 2 + keyLength;
                        byte[] response = new byte[c.getInt(at)];
                        c.get(at + 4, response);
                        return response;
                    }
                }
            }
        }

        /**
         * Empties the slice. Its chunks become spare for the next slice, which at a steady rate
         * needs as many; spare ones beyond that (left from a burst) are let go.
         */
        void clear() {
            int used = chunks.size();
            spare.addAll(chunks);
            chunks.clear();
            while (spare.size() > used) {
                spare.poll();
                bytesHeld -= CHUNK;
            }
            // Sized by a slowly falling peak, not the last count: after a lull (a quiet minute, a
            // pause between load steps) the table of a busy slice would otherwise be let go and
            // grown again through every size, new arrays that each young collection then copies.
            peak = Math.max(count, peak / 2);
            int wanted = Math.max(MIN_SLOTS, Integer.highestOneBit(Math.max(1, peak)) * 4);
            if (slots > wanted) {
                table = newTable(wanted);
                slots = wanted;
            } else {
                for (int i = 0; i < slots; i++) {
                    table.putLong(i << 3, 0);
                }
            }
            position = 0;
            count = 0;
        }

        private void grow() {
            ByteBuffer bigger = newTable(slots * 2);
            for (int i = 0; i < slots; i++) {
                long slot = table.getLong(i << 3);
                if (slot != 0) {
                    insert(bigger, slots * 2, slot);
                }
            }
            table = bigger;
            slots *= 2;
        }

        private static ByteBuffer newTable(int slots) {
            return ByteBuffer.allocateDirect(slots * Long.BYTES); // zeroed
        }

        private static void insert(ByteBuffer into, int slots, long slot) {
            int mask = slots - 1;
            int i = (int) (slot >>> 32) & mask;
            while (into.getLong(i << 3) != 0) {
                i = (i + 1) & mask;
            }
            into.putLong(i << 3, slot);
        }
    }
}
