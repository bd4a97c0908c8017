package dev.switchboard.user;

import dev.switchboard.auth.SecureTokens;
import dev.switchboard.config.SwitchboardProperties;
import java.util.Locale;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Hashes login passwords slowly (BCrypt) over the lowercase hex MD5 of the password, so the
 * plain-password logins and the BAS-IP MD5 login verify against the same stored hash.
 */
@Component
public class PasswordHasher {

    private final BCryptPasswordEncoder bcrypt;
    private final String decoy;

    public PasswordHasher(SwitchboardProperties properties) {
        this.bcrypt = new BCryptPasswordEncoder(properties.auth().passwordHashCost());
        this.decoy = bcrypt.encode(SecureTokens.md5Hex(SecureTokens.newToken()));
    }

    public String hash(String password) {
        return bcrypt.encode(SecureTokens.md5Hex(password));
    }

    public boolean matches(String password, String hash) {
        return password != null && matchesMd5(SecureTokens.md5Hex(password), hash);
    }

    /** Verifies the hex MD5 of a password (either case), as the BAS-IP login sends it. */
    public boolean matchesMd5(String md5Hex, String hash) {
        if (md5Hex == null || hash == null || md5Hex.length() != 32) {
            return false;
        }
        return bcrypt.matches(md5Hex.toLowerCase(Locale.ROOT), hash);
    }

    /** Spends the same time as a real check, so unknown users cannot be told apart by timing. */
    public void burnTime(String password) {
        bcrypt.matches(password == null ? "" : SecureTokens.md5Hex(password), decoy);
    }
}
