package dev.switchboard.device.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The account's AOR from user and realm: a realm is host and optional port, IPv6 in brackets. */
class AddressOfRecordTest {

    @Test
    void aPortAfterAHostOrABracketIsAPortNotPartOfAnIpv6Address() {
        assertThat(OutboundRegistration.aor("101", "kam.test").toString()).isEqualTo("sip:101@kam.test");
        assertThat(OutboundRegistration.aor("101", "kam.test:15120").toString()).isEqualTo("sip:101@kam.test:15120");
        assertThat(OutboundRegistration.aor("101", "127.0.0.1:5080").toString()).isEqualTo("sip:101@127.0.0.1:5080");
        assertThat(OutboundRegistration.aor("101", "[2001:db8::1]").toString()).isEqualTo("sip:101@[2001:db8::1]");
        assertThat(OutboundRegistration.aor("101", "[2001:db8::1]:5080").toString())
                .isEqualTo("sip:101@[2001:db8::1]:5080");
        assertThat(OutboundRegistration.aor("a b", "kam.test").toString()).isEqualTo("sip:a%20b@kam.test");
    }
}
