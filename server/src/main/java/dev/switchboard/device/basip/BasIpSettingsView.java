package dev.switchboard.device.basip;

import dev.switchboard.device.SipAccountService;
import dev.switchboard.device.SipAccountSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The GET settings answer, in the seed's field names and order; never the stored password. */
final class BasIpSettingsView {

    /** The STUN port shown before anything is configured (RFC 5389's default). */
    static final int DEFAULT_STUN_PORT = 3478;

    private BasIpSettingsView() {
    }

    static Map<String, Object> of(Optional<SipAccountSettings> stored) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> stun = new LinkedHashMap<>();
        if (stored.isPresent()) {
            SipAccountSettings s = stored.get();
            out.put("proxy", s.proxy());
            out.put("realm", s.realm());
            out.put("user", s.user());
            out.put("password", SipAccountService.PLACEHOLDER);
            out.put("transport", s.transport());
            out.put("user_id", s.userId());
            stun.put("ip", s.stun().ip());
            stun.put("port", s.stun().port());
            out.put("stun", stun);
            out.put("registration_interval", s.registrationInterval());
            out.put("outbound", s.outbound());
        } else {
            out.put("proxy", "");
            out.put("realm", "");
            out.put("user", "");
            out.put("password", "");
            out.put("transport", SipAccountSettings.DEFAULT_TRANSPORT);
            out.put("user_id", "");
            stun.put("ip", "");
            stun.put("port", DEFAULT_STUN_PORT);
            out.put("stun", stun);
            out.put("registration_interval", SipAccountSettings.DEFAULT_INTERVAL);
            out.put("outbound", "");
        }
        return out;
    }
}
