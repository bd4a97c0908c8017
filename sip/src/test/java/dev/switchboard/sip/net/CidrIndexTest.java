package dev.switchboard.sip.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrIndexTest {

    private final CidrIndex<String> index = new CidrIndex<>();

    private void put(String range, String value) {
        index.put(Cidr.parse(range).orElseThrow(), value);
    }

    private String match(String address) throws Exception {
        return index.longestMatch(InetAddress.getByName(address)).orElse(null);
    }

    @Test
    void longestPrefixWins() throws Exception {
        put("10.0.0.0/8", "wide");
        put("10.1.0.0/16", "narrow");
        put("10.1.2.3", "host");
        assertThat(match("10.1.2.3")).isEqualTo("host");
        assertThat(match("10.1.2.4")).isEqualTo("narrow");
        assertThat(match("10.2.0.1")).isEqualTo("wide");
        assertThat(match("11.0.0.1")).isNull();
    }

    @Test
    void matchesIpv6AndKeepsFamiliesApart() throws Exception {
        put("2001:db8::/32", "v6-wide");
        put("2001:db8:1::/48", "v6-narrow");
        put("0.0.0.0/0", "any-v4");
        assertThat(match("2001:db8:1::5")).isEqualTo("v6-narrow");
        assertThat(match("2001:db8:2::5")).isEqualTo("v6-wide");
        assertThat(match("2001:db9::1")).isNull();
        assertThat(match("192.0.2.1")).isEqualTo("any-v4");
        assertThat(match("::ffff:192.0.2.1")).isEqualTo("any-v4");
    }

    @Test
    void removalTakesEffectAtOnce() throws Exception {
        put("192.0.2.0/24", "net");
        put("192.0.2.10", "host");
        assertThat(match("192.0.2.10")).isEqualTo("host");
        assertThat(index.remove(Cidr.parse("192.0.2.10").orElseThrow())).isTrue();
        assertThat(match("192.0.2.10")).isEqualTo("net");
        index.remove(Cidr.parse("192.0.2.0/24").orElseThrow());
        assertThat(match("192.0.2.10")).isNull();
        assertThat(index.size()).isZero();
    }

    @Test
    void matchesEdgesOfTheRange() throws Exception {
        put("198.51.100.128/25", "upper");
        assertThat(match("198.51.100.128")).isEqualTo("upper");
        assertThat(match("198.51.100.255")).isEqualTo("upper");
        assertThat(match("198.51.100.127")).isNull();
        put("::/0", "all-v6");
        assertThat(match("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).isEqualTo("all-v6");
    }
}
