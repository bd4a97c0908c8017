package dev.switchboard.sip.net;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Longest-prefix match of a source address against CIDR ranges, for IPv4 and IPv6.
 *
 * <p>One hash map per prefix length in use, probed from the longest length down: a lookup is at
 * most one hash probe per distinct length (33 for IPv4, 129 for IPv6, in practice a handful),
 * with no locks and no allocation beyond the key. Writers are serialised; readers see each
 * put or remove as soon as it returns, which is what lets a created or deleted trunk method act
 * on the next SIP request. Safe for concurrent use.
 *
 * @param <V> what a range maps to
 */
public final class CidrIndex<V> {

    /** A masked address of one length: for IPv4 {@code hi} is 0. */
    private record Key(long hi, long lo) {
    }

    private final Family v4 = new Family(false);
    private final Family v6 = new Family(true);

    /** Maps the range to the value, replacing what it mapped to. */
    public synchronized void put(Cidr range, V value) {
        family(range).put(range, value);
    }

    /** Removes the range; answers whether it was there. */
    public synchronized boolean remove(Cidr range) {
        return family(range).remove(range);
    }

    public synchronized void clear() {
        v4.clear();
        v6.clear();
    }

    public int size() {
        return v4.size() + v6.size();
    }

    /** The value of the longest range holding the address. */
    public Optional<V> longestMatch(InetAddress address) {
        return Optional.ofNullable(lookup(Cidr.of(address)));
    }

    /** The value of the longest range holding the single address {@code host}, or null. */
    public V lookup(Cidr host) {
        return (host.v6() ? v6 : v4).lookup(host.hi(), host.lo());
    }

    /** The value stored for exactly this range, or null. */
    public V exact(Cidr range) {
        return family(range).maps[range.prefix()] == null ? null
                : family(range).maps[range.prefix()].get(new Key(range.hi(), range.lo()));
    }

    private Family family(Cidr range) {
        return range.v6() ? v6 : v4;
    }

    private final class Family {
        private final boolean isV6;
        @SuppressWarnings("unchecked")
        private final Map<Key, V>[] maps;
        /** Lengths with at least one range, longest first; replaced whole so readers never see it change. */
        private volatile int[] lengths = new int[0];

        @SuppressWarnings("unchecked")
        Family(boolean isV6) {
            this.isV6 = isV6;
            this.maps = new Map[(isV6 ? 128 : 32) + 1];
            for (int i = 0; i < maps.length; i++) {
                maps[i] = new ConcurrentHashMap<>();
            }
        }

        void put(Cidr range, V value) {
            maps[range.prefix()].put(new Key(range.hi(), range.lo()), value);
            refreshLengths();
        }

        boolean remove(Cidr range) {
            boolean removed = maps[range.prefix()].remove(new Key(range.hi(), range.lo())) != null;
            refreshLengths();
            return removed;
        }

        void clear() {
            for (Map<Key, V> m : maps) {
                m.clear();
            }
            lengths = new int[0];
        }

        int size() {
            int n = 0;
            for (Map<Key, V> m : maps) {
                n += m.size();
            }
            return n;
        }

        private void refreshLengths() {
            int[] in = new int[maps.length];
            int n = 0;
            for (int p = maps.length - 1; p >= 0; p--) {
                if (!maps[p].isEmpty()) {
                    in[n++] = p;
                }
            }
            lengths = Arrays.copyOf(in, n);
        }

        V lookup(long hi, long lo) {
            for (int p : lengths) {
                // Masks inline (no array) so the hot path allocates only the key.
                long mh;
                long ml;
                if (isV6) {
                    mh = p >= 64 ? hi : p == 0 ? 0 : hi & (-1L << (64 - p));
                    ml = p <= 64 ? 0 : p == 128 ? lo : lo & (-1L << (128 - p));
                } else {
                    mh = 0;
                    ml = p == 0 ? 0 : lo & ((0xFFFF_FFFFL << (32 - p)) & 0xFFFF_FFFFL);
                }
                V v = maps[p].get(new Key(mh, ml));
                if (v != null) {
                    return v;
                }
            }
            return null;
        }
    }
}
