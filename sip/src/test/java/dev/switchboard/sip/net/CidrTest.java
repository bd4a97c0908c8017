package dev.switchboard.sip.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @ParameterizedTest
    @CsvSource({
            "192.0.2.1, 192.0.2.1",
            "192.0.2.1/32, 192.0.2.1",
            "192.0.2.77/24, 192.0.2.0/24",
            "10.1.2.3/8, 10.0.0.0/8",
            "0.0.0.0/0, 0.0.0.0/0",
            "255.255.255.255, 255.255.255.255",
            "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
            "2001:db8::1/128, 2001:db8::1",
            "2001:db8:abcd:12::ff/48, 2001:db8:abcd::/48",
            "::1, ::1",
            "::, ::",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
            "::ffff:192.0.2.5, 192.0.2.5",
            "::ffff:192.0.2.0/120, 192.0.2.0/24",
    })
    void parsesAndNormalises(String text, String canonical) {
        assertThat(Cidr.parse(text)).map(Cidr::toString).hasValue(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "999.1.1.1", "256.0.0.0", "1.2.3", "1.2.3.4.5", "1.2.3.4/33", "1.2.3.4/", "/24",
            "1.2.3.4/-1", "1.2.3.4/08", "01.2.3.4", "1.2.3.4 ", " 1.2.3.4", "example.com", "localhost", "1.2.3.a",
            "2001:db8::1/129", "2001:db8::g", "2001:db8:::1", "1:2:3:4:5:6:7:8:9", "fe80::1%eth0", "[::1]",
            "::ffff:1.2.3.4/95", "1.2.3.4/1a", "1..2.3", "::1.2.3.999"})
    void refusesJunk(String text) {
        assertThat(Cidr.parse(text)).isEmpty();
    }

    @Test
    void overlapMeansContainment() {
        Cidr net = Cidr.parse("10.0.0.0/8").orElseThrow();
        Cidr host = Cidr.parse("10.9.9.9").orElseThrow();
        Cidr other = Cidr.parse("11.0.0.0/8").orElseThrow();
        assertThat(net.overlaps(host)).isTrue();
        assertThat(host.overlaps(net)).isTrue();
        assertThat(net.overlaps(other)).isFalse();
        assertThat(Cidr.parse("::/0").orElseThrow().overlaps(net)).isFalse();
    }

    @Test
    void singleAddressOfInetAddress() throws Exception {
        assertThat(Cidr.of(InetAddress.getByName("198.51.100.7")).toString()).isEqualTo("198.51.100.7");
        assertThat(Cidr.of(InetAddress.getByName("2001:db8::7")).toString()).isEqualTo("2001:db8::7");
    }
}
