package dev.switchboard.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/** Every rule of the BAS-IP settings body at its edges, and the order in which refusals are chosen. */
public class SettingsReaderTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    public static Map<String, Object> valid() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("proxy", "sip:sip.bas-ip.com");
        body.put("realm", "sip.bas-ip.com");
        body.put("user", "101");
        body.put("password", "123ab6");
        body.put("transport", "udp");
        body.put("user_id", "user126");
        body.put("registration_interval", 30);
        body.put("outbound", "sip.bas-ip.com");
        body.put("stun", new LinkedHashMap<>(Map.of("ip", "stun.l.google.com", "port", 19302)));
        return body;
    }

    /** A copy of the valid body with pairs of (dotted field, value) set; the value {@code ABSENT} removes it. */
    public static Map<String, Object> with(Object... pairs) {
        Map<String, Object> body = valid();
        for (int i = 0; i < pairs.length; i += 2) {
            String field = (String) pairs[i];
            Map<String, Object> target = body;
            if (field.startsWith("stun.")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> stun = (Map<String, Object>) body.get("stun");
                target = stun;
                field = field.substring(5);
            }
            if (pairs[i + 1] == ABSENT) {
                target.remove(field);
            } else {
                target.put(field, pairs[i + 1]);
            }
        }
        return body;
    }

    public static final Object ABSENT = new Object();

    static String message(Map<String, Object> body) {
        return message(JSON.writeValueAsString(body));
    }

    static String message(String raw) {
        SettingsCheck check = SettingsReader.read(raw);
        return check instanceof SettingsCheck.Invalid i ? i.basIpMessage() : "valid";
    }

    static String notValid(String field) {
        return "Wrong JSON body: value `" + field + "` is not valid";
    }

    static String wrongType(String field) {
        return "Wrong JSON body: value `" + field + "` was of the wrong type";
    }

    static String missing(String field) {
        return "Wrong JSON body: no value for `" + field + "`";
    }

    @Test
    void acceptsTheSeedExampleAndKeepsEveryValue() {
        var check = (SettingsCheck.Valid) SettingsReader.read(JSON.writeValueAsString(valid()));
        var s = check.settings();
        assertThat(s.proxy()).isEqualTo("sip:sip.bas-ip.com");
        assertThat(s.realm()).isEqualTo("sip.bas-ip.com");
        assertThat(s.user()).isEqualTo("101");
        assertThat(s.password()).isEqualTo("123ab6");
        assertThat(s.transport()).isEqualTo("udp");
        assertThat(s.userId()).isEqualTo("user126");
        assertThat(s.registrationInterval()).isEqualTo(30);
        assertThat(s.outbound()).isEqualTo("sip.bas-ip.com");
        assertThat(s.stun()).isEqualTo(new SipAccountSettings.Stun("stun.l.google.com", 19302));
        assertThat(s.toString()).doesNotContain("123ab6");
    }

    @Test
    void optionalFieldsTakeTheirDefaultsWhenAbsentOrNull() {
        for (Object missingValue : new Object[] {ABSENT, null}) {
            var s = ((SettingsCheck.Valid) SettingsReader.read(JSON.writeValueAsString(with("transport", missingValue,
                    "user_id", missingValue, "registration_interval", missingValue, "outbound", missingValue))))
                    .settings();
            assertThat(s.transport()).isEqualTo("udp");
            assertThat(s.userId()).isEmpty();
            assertThat(s.registrationInterval()).isEqualTo(300);
            assertThat(s.outbound()).isEmpty();
            assertThat(s.authUser()).isEqualTo("101");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "not json", "[]", "\"text\"", "42", "null", "{\"proxy\":", "true"})
    void refusesBodiesThatAreNotAJsonObject(String raw) {
        assertThat(message(raw)).isEqualTo("Wrong JSON body");
        assertThat(message((String) null)).isEqualTo("Wrong JSON body");
    }

    @ParameterizedTest
    @ValueSource(strings = {"proxy", "realm", "user", "password", "stun", "stun.ip", "stun.port"})
    void namesARequiredFieldThatIsAbsentOrNull(String field) {
        assertThat(message(with(field, ABSENT))).isEqualTo(missing(field));
        assertThat(message(with(field, null))).isEqualTo(missing(field));
    }

    @Test
    void emptyObjectMissesProxyFirst() {
        assertThat(message("{}")).isEqualTo(missing("proxy"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"proxy", "realm", "user", "password", "transport", "user_id", "outbound", "stun.ip"})
    void refusesNonStringsForStringFields(String field) {
        for (Object wrong : new Object[] {42, 4.5, true, Map.of("a", 1), java.util.List.of("x")}) {
            assertThat(message(with(field, wrong))).as(field + "=" + wrong).isEqualTo(wrongType(field));
        }
    }

    @Test
    void refusesNonIntegersForNumbers() {
        for (Object wrong : new Object[] {"300", 300.5, 300.0, true, Map.of(), java.util.List.of(300)}) {
            assertThat(message(with("registration_interval", wrong))).isEqualTo(wrongType("registration_interval"));
            assertThat(message(with("stun.port", wrong))).isEqualTo(wrongType("stun.port"));
        }
        for (Object wrong : new Object[] {"stun", 5, true, java.util.List.of()}) {
            assertThat(message(with("stun", wrong))).isEqualTo(wrongType("stun"));
        }
    }

    @Test
    void checksPresenceBeforeTypeBeforeRuleAcrossFields() {
        // a later field missing beats an earlier field of the wrong type
        assertThat(message(with("proxy", 5, "stun.port", ABSENT))).isEqualTo(missing("stun.port"));
        // a later wrong type beats an earlier broken value
        assertThat(message(with("proxy", "nope", "stun.port", "x"))).isEqualTo(wrongType("stun.port"));
        // within a step, the documents' field order
        assertThat(message(with("realm", ABSENT, "user", ABSENT))).isEqualTo(missing("realm"));
        assertThat(message(with("user", 1, "password", 2))).isEqualTo(wrongType("user"));
        assertThat(message(with("outbound", "x", "stun.ip", "y"))).isEqualTo(notValid("outbound"));
        assertThat(message(with("registration_interval", 10, "outbound", "bad"))).isEqualTo(
                notValid("registration_interval"));
        assertThat(message(with("proxy", "bad", "realm", "bad"))).isEqualTo(notValid("proxy"));
        // stun not an object: its own fields are not asked for, it is a type error
        assertThat(message(with("stun", "x", "proxy", 1))).isEqualTo(wrongType("proxy"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sip:sip.bas-ip.com", "sip:sip.bas-ip.com:5060", "sip:192.168.1.10", "sip:10.0.0.1:1",
        "sip:10.0.0.1:65535", "sip:a.b", "sip:[2001:db8::1]", "sip:[2001:db8::1]:5061", "sip:pbx-1.example.co.uk"})
    void acceptsProxies(String proxy) {
        assertThat(message(with("proxy", proxy))).isEqualTo("valid");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sip.bas-ip.com", "sips:sip.bas-ip.com", "sip:", "sip:localhost", "sip:host:0",
        "sip:host.com:65536", "sip:10.0.0.1:0", "sip:256.1.1.1", "sip:1.2.3", "sip:10.0.0.1:", "sip:a..b",
        "sip:-a.com", "sip:a.com:50x", "sip:user@a.com", "sip:a.com;transport=tcp", "sip:2001:db8::1",
        "sip:[zz::1]", "sip:a.com:123456", " sip:a.com"})
    void refusesProxies(String proxy) {
        assertThat(message(with("proxy", proxy))).isEqualTo(notValid("proxy"));
    }

    @Test
    void realmIsAHostWithAnOptionalPort() {
        assertThat(message(with("realm", "10.1.2.3"))).isEqualTo("valid");
        assertThat(message(with("realm", "10.1.2.3:5060"))).isEqualTo("valid");
        assertThat(message(with("realm", "example.com:65535"))).isEqualTo("valid");
        for (String bad : new String[] {"", "sip:example.com", "example", "example.com:65536", "example.com:0"}) {
            assertThat(message(with("realm", bad))).as(bad).isEqualTo(notValid("realm"));
        }
    }

    @Test
    void outboundIsEmptyOrAHostWithAnOptionalPort() {
        for (String ok : new String[] {"", "proxy.example.com", "10.0.0.1:5080", "[::1]:5060"}) {
            assertThat(message(with("outbound", ok))).as(ok).isEqualTo("valid");
        }
        for (String bad : new String[] {" ", "sip:proxy.example.com", "proxy", "10.0.0.1:0", "10.0.0.1:65536"}) {
            assertThat(message(with("outbound", bad))).as(bad).isEqualTo(notValid("outbound"));
        }
    }

    @Test
    void stunIpIsAHostWithoutPortAndStunPortIsOneTo65535() {
        assertThat(message(with("stun.ip", "74.125.250.129"))).isEqualTo("valid");
        assertThat(message(with("stun.ip", "stun.example.com:3478"))).isEqualTo(notValid("stun.ip"));
        assertThat(message(with("stun.ip", ""))).isEqualTo(notValid("stun.ip"));
        assertThat(message(with("stun.port", 1))).isEqualTo("valid");
        assertThat(message(with("stun.port", 65535))).isEqualTo("valid");
        assertThat(message(with("stun.port", 0))).isEqualTo(notValid("stun.port"));
        assertThat(message(with("stun.port", 65536))).isEqualTo(notValid("stun.port"));
        assertThat(message(with("stun.port", -1))).isEqualTo(notValid("stun.port"));
        assertThat(message("{\"proxy\":\"sip:a.com\",\"realm\":\"a.com\",\"user\":\"1\",\"password\":\"123456\","
                + "\"stun\":{\"ip\":\"a.com\",\"port\":99999999999999999999999}}")).isEqualTo(notValid("stun.port"));
    }

    @Test
    void userIsOneTo31Characters() {
        assertThat(message(with("user", ""))).isEqualTo(notValid("user"));
        assertThat(message(with("user", "a"))).isEqualTo("valid");
        assertThat(message(with("user", "a".repeat(31)))).isEqualTo("valid");
        assertThat(message(with("user", "a".repeat(32)))).isEqualTo(notValid("user"));
    }

    @Test
    void passwordIsSixTo31Characters() {
        assertThat(message(with("password", "a".repeat(5)))).isEqualTo(notValid("password"));
        assertThat(message(with("password", "a".repeat(6)))).isEqualTo("valid");
        assertThat(message(with("password", "a".repeat(31)))).isEqualTo("valid");
        assertThat(message(with("password", "a".repeat(32)))).isEqualTo(notValid("password"));
        assertThat(message(with("password", ""))).isEqualTo(notValid("password"));
    }

    @Test
    void userIdIsZeroTo31Characters() {
        assertThat(message(with("user_id", ""))).isEqualTo("valid");
        assertThat(message(with("user_id", "a"))).isEqualTo("valid");
        assertThat(message(with("user_id", "a".repeat(31)))).isEqualTo("valid");
        assertThat(message(with("user_id", "a".repeat(32)))).isEqualTo(notValid("user_id"));
    }

    @Test
    void textFieldsAllowExactlyTheDocumentedCharacters() {
        String all = "aZ09 \t~!@#$%^&;*()_-+={[}]|\"<,>.?/";
        assertThat(message(with("password", all.substring(0, 31)))).isEqualTo("valid");
        assertThat(message(with("user", "~!@#$%^&;*()_-+={[}]|\"<,>.?/ aZ"))).isEqualTo("valid");
        assertThat(message(with("user_id", "with space"))).isEqualTo("valid");
        // White space is space and tab: a line break in a user name could never go into a digest header.
        for (String bad : new String[] {"quote'", "colon:", "back`tick", "back\\slash", "umlautä", "tilde~ok:no",
                "101\nx", "101\r\nx", "vtab\u000b", "feed\f"}) {
            assertThat(message(with("user", bad))).as(bad).isEqualTo(notValid("user"));
            assertThat(message(with("password", bad + "xxxxxx"))).as(bad).isEqualTo(notValid("password"));
            assertThat(message(with("user_id", bad))).as(bad).isEqualTo(notValid("user_id"));
        }
    }

    @Test
    void transportIsUdpTcpOrTls() {
        for (String t : new String[] {"udp", "tcp", "tls"}) {
            assertThat(message(with("transport", t))).isEqualTo("valid");
        }
        for (String t : new String[] {"", "UDP", "sctp", "ws", "tls "}) {
            assertThat(message(with("transport", t))).as(t).isEqualTo(notValid("transport"));
        }
    }

    @Test
    void registrationIntervalIs30To900() {
        assertThat(message(with("registration_interval", 29))).isEqualTo(notValid("registration_interval"));
        assertThat(message(with("registration_interval", 30))).isEqualTo("valid");
        assertThat(message(with("registration_interval", 900))).isEqualTo("valid");
        assertThat(message(with("registration_interval", 901))).isEqualTo(notValid("registration_interval"));
        assertThat(message(with("registration_interval", -300))).isEqualTo(notValid("registration_interval"));
        assertThat(message(with("registration_interval", 4_294_967_596L))).isEqualTo(
                notValid("registration_interval"));
    }

    @Test
    void ignoresUnknownFields() {
        assertThat(message(with("color", "blue", "stun.extra", 1, "enabled", true))).isEqualTo("valid");
    }
}
