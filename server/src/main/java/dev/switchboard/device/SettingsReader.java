package dev.switchboard.device;

import dev.switchboard.device.SettingsCheck.Invalid;
import dev.switchboard.device.SettingsCheck.Problem;
import java.util.List;
import java.util.function.Predicate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads posted SIP account settings from the raw JSON tree, so the checks run in exactly the
 * order the BAS-IP contract fixes: the body, then every required field's presence, then every
 * field's JSON type, then every value's rule; within a step, fields in the documents' order.
 * Optional fields given as {@code null} count as absent and take their defaults; unknown
 * fields are ignored.
 */
public final class SettingsReader {

    /** A key given twice is no JSON object of ours (see {@code JsonConfig}): "Wrong JSON body". */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(tools.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** The fields in the documents' order; {@code stun} is an object holding {@code ip} and {@code port}. */
    private static final List<String> STRINGS = List.of("proxy", "realm", "user", "password", "transport", "user_id");
    private static final List<String> REQUIRED = List.of("proxy", "realm", "user", "password", "stun");

    private SettingsReader() {
    }

    /** Parses a request body (possibly null or empty) and checks it. */
    public static SettingsCheck read(String body) {
        return read(parse(body));
    }

    /** The body as a JSON tree; null when it is missing or not JSON. */
    public static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            return null;
        }
    }

    public static SettingsCheck read(JsonNode body) {
        if (body == null || !body.isObject()) {
            return new Invalid(Problem.NO_BODY, null);
        }
        // 2. presence of required fields (stun's own fields only when stun is an object).
        for (String name : REQUIRED) {
            if (absent(body.get(name))) {
                return new Invalid(Problem.MISSING, name);
            }
        }
        JsonNode stun = body.get("stun");
        if (stun.isObject()) {
            for (String name : List.of("ip", "port")) {
                if (absent(stun.get(name))) {
                    return new Invalid(Problem.MISSING, "stun." + name);
                }
            }
        }
        // 3. types.
        for (String name : STRINGS) {
            JsonNode v = body.get(name);
            if (!absent(v) && !v.isString()) {
                return new Invalid(Problem.WRONG_TYPE, name);
            }
        }
        JsonNode interval = body.get("registration_interval");
        if (!absent(interval) && !interval.isIntegralNumber()) {
            return new Invalid(Problem.WRONG_TYPE, "registration_interval");
        }
        JsonNode outbound = body.get("outbound");
        if (!absent(outbound) && !outbound.isString()) {
            return new Invalid(Problem.WRONG_TYPE, "outbound");
        }
        if (!stun.isObject()) {
            return new Invalid(Problem.WRONG_TYPE, "stun");
        }
        if (!stun.get("ip").isString()) {
            return new Invalid(Problem.WRONG_TYPE, "stun.ip");
        }
        if (!stun.get("port").isIntegralNumber()) {
            return new Invalid(Problem.WRONG_TYPE, "stun.port");
        }
        // 4. rules.
        String proxy = body.get("proxy").asString();
        String realm = body.get("realm").asString();
        String user = body.get("user").asString();
        String password = body.get("password").asString();
        String transport = text(body, "transport", SipAccountSettings.DEFAULT_TRANSPORT);
        String userId = text(body, "user_id", "");
        String outboundValue = text(body, "outbound", "");
        String stunIp = stun.get("ip").asString();
        JsonNode stunPort = stun.get("port");
        Invalid broken = firstBroken(
                rule("proxy", proxy, SipAccountRules::proxy),
                rule("realm", realm, SipAccountRules::realm),
                rule("user", user, SipAccountRules::user),
                rule("password", password, SipAccountRules::password),
                rule("transport", transport, SipAccountRules::transport),
                rule("user_id", userId, SipAccountRules::userId),
                absent(interval) || (interval.canConvertToLong() && SipAccountRules.interval(interval.asLong()))
                        ? null : new Invalid(Problem.NOT_VALID, "registration_interval"),
                rule("outbound", outboundValue, SipAccountRules::outbound),
                rule("stun.ip", stunIp, SipAccountRules::host),
                stunPort.canConvertToLong() && SipAccountRules.port(stunPort.asLong())
                        ? null : new Invalid(Problem.NOT_VALID, "stun.port"));
        if (broken != null) {
            return broken;
        }
        int seconds = absent(interval) ? SipAccountSettings.DEFAULT_INTERVAL : interval.asInt();
        return new SettingsCheck.Valid(new SipAccountSettings(proxy, realm, user, password, transport, userId,
                seconds, outboundValue, new SipAccountSettings.Stun(stunIp, stunPort.asInt())));
    }

    private static boolean absent(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode();
    }

    private static String text(JsonNode body, String name, String fallback) {
        JsonNode v = body.get(name);
        return absent(v) ? fallback : v.asString();
    }

    private static Invalid rule(String field, String value, Predicate<String> ok) {
        return ok.test(value) ? null : new Invalid(Problem.NOT_VALID, field);
    }

    private static Invalid firstBroken(Invalid... checks) {
        for (Invalid check : checks) {
            if (check != null) {
                return check;
            }
        }
        return null;
    }
}
