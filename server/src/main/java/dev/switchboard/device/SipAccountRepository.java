package dev.switchboard.device;

import dev.switchboard.crypto.SecretBox;
import dev.switchboard.web.ChangeStamps;
import dev.switchboard.web.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Stores account slots; the SIP password only sealed by the {@link SecretBox}. */
@Repository
public class SipAccountRepository {

    private final JdbcClient jdbc;
    private final SecretBox box;

    public SipAccountRepository(JdbcClient jdbc, SecretBox box) {
        this.jdbc = jdbc;
        this.box = box;
    }

    /** Moves with any change of an account or a tenant, on any node (see {@link ChangeStamps}). */
    public String stamp() {
        return ChangeStamps.of(jdbc, "sip_account") + ":" + ChangeStamps.of(jdbc, "tenant");
    }

    public Optional<StoredAccount> find(AccountId id) {
        return jdbc.sql("SELECT * FROM sip_account WHERE scope = ? AND slot = ?")
                .params(id.scope(), id.slot())
                .query(this::row)
                .optional();
    }

    public List<StoredAccount> all() {
        return jdbc.sql("SELECT * FROM sip_account ORDER BY scope, slot").query(this::row).list();
    }

    /** Stores the settings, keeping the enabled flag of an existing row (a new row starts enabled). */
    @Transactional
    public void saveSettings(AccountId id, SipAccountSettings s, Instant now) {
        var stun = s.stun();
        int updated = jdbc.sql("""
                        UPDATE sip_account SET proxy = ?, realm = ?, username = ?, password_enc = ?, transport = ?,
                               user_id = ?, registration_interval = ?, outbound = ?, stun_ip = ?, stun_port = ?,
                               updated_at = ?
                        WHERE scope = ? AND slot = ?
                        """)
                .params(s.proxy(), s.realm(), s.user(), box.seal(s.password()), s.transport(), s.userId(),
                        s.registrationInterval(), s.outbound(), stun.ip(), stun.port(), Timestamps.sql(now),
                        id.scope(), id.slot())
                .update();
        if (updated == 0) {
            jdbc.sql("""
                            INSERT INTO sip_account (scope, slot, tenant_id, proxy, realm, username, password_enc,
                                   transport, user_id, registration_interval, outbound, stun_ip, stun_port, enabled,
                                   updated_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, TRUE, ?)
                            """)
                    .params(id.scope(), id.slot(), id.tenant().orElse(null), s.proxy(), s.realm(), s.user(),
                            box.seal(s.password()), s.transport(), s.userId(), s.registrationInterval(), s.outbound(),
                            stun.ip(), stun.port(), Timestamps.sql(now))
                    .update();
        }
    }

    @Transactional
    public void setEnabled(AccountId id, boolean enabled, Instant now) {
        int updated = jdbc.sql("UPDATE sip_account SET enabled = ?, updated_at = ? WHERE scope = ? AND slot = ?")
                .params(enabled, Timestamps.sql(now), id.scope(), id.slot())
                .update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO sip_account (scope, slot, tenant_id, enabled, updated_at) VALUES (?, ?, ?, ?, ?)")
                    .params(id.scope(), id.slot(), id.tenant().orElse(null), enabled, Timestamps.sql(now))
                    .update();
        }
    }

    public boolean delete(AccountId id) {
        return jdbc.sql("DELETE FROM sip_account WHERE scope = ? AND slot = ?").params(id.scope(), id.slot())
                .update() > 0;
    }

    private StoredAccount row(ResultSet rs, int i) throws SQLException {
        String scope = rs.getString("scope");
        AccountId id = new AccountId(scope.equals("system") ? Optional.empty() : Optional.of(UUID.fromString(scope)),
                rs.getInt("slot"));
        Optional<SipAccountSettings> settings = Optional.empty();
        if (rs.getString("proxy") != null) {
            settings = Optional.of(new SipAccountSettings(rs.getString("proxy"), rs.getString("realm"),
                    rs.getString("username"), box.open(rs.getString("password_enc")), rs.getString("transport"),
                    rs.getString("user_id"), rs.getInt("registration_interval"), rs.getString("outbound"),
                    new SipAccountSettings.Stun(rs.getString("stun_ip"), rs.getInt("stun_port"))));
        }
        return new StoredAccount(id, settings, rs.getBoolean("enabled"), Timestamps.read(rs, "updated_at"));
    }
}
