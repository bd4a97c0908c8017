package dev.switchboard.sip.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpTextTest {

    @ParameterizedTest
    @CsvSource({
            "0:0:0:0:0:0:0:1, ::1",
            "0:0:0:0:0:0:0:0, ::",
            "1:0:0:0:0:0:0:0, 1::",
            "2001:0DB8:0:0:0:0:2:1, 2001:db8::2:1",
            // a single zero group is not compressed (RFC 5952 §4.2.2)
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            // the longest run is compressed (§4.2.3) ...
            "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
            // ... and the first of two as long (§4.2.3)
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "fe80:0:0:0:0:0:0:abcd, fe80::abcd",
            "192.0.2.7, 192.0.2.7"})
    void writesTheRfc5952Form(String address, String expected) throws Exception {
        assertThat(IpText.of(InetAddress.getByName(address))).isEqualTo(expected);
    }

    @Test
    void leavesOutTheZoneThatJavaAppends() throws Exception {
        InetAddress scoped = Inet6Address.getByAddress(null, InetAddress.getByName("::1").getAddress(), 0);
        assertThat(scoped.getHostAddress()).contains("%");
        assertThat(IpText.of(scoped)).isEqualTo("::1");
    }

    @Test
    void bracketsIpv6AsAUriHostAndLeavesIpv4Alone() throws Exception {
        assertThat(IpText.uriHost(InetAddress.getByName("2001:db8::1"))).isEqualTo("[2001:db8::1]");
        assertThat(IpText.uriHost(InetAddress.getByName("10.0.0.1"))).isEqualTo("10.0.0.1");
    }
}
