package dev.switchboard.device;

import java.time.Clock;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Stores account slots and tells the agent at once, so a stored change is registered without
 * waiting. Holds the one rule both surfaces share: a posted password of {@code WebPass} (the
 * placeholder GET answers) keeps the stored password, so a GET → POST round trip changes nothing.
 */
@Service
public class SipAccountService {

    /** The placeholder answered instead of a stored password. */
    public static final String PLACEHOLDER = "WebPass";

    private final SipAccountRepository accounts;
    private final AccountAgent agent;
    private final Clock clock;

    public SipAccountService(SipAccountRepository accounts, AccountAgent agent, Clock clock) {
        this.accounts = accounts;
        this.agent = agent;
        this.clock = clock;
    }

    public Optional<StoredAccount> find(AccountId id) {
        return accounts.find(id);
    }

    /** Stores valid settings and re-registers; answers what is stored now. */
    public StoredAccount save(AccountId id, SipAccountSettings posted) {
        Optional<StoredAccount> before = accounts.find(id);
        SipAccountSettings settings = posted;
        if (PLACEHOLDER.equals(posted.password())) {
            // With nothing stored yet, "WebPass" is taken literally: it is a valid password.
            settings = posted.withPassword(before.flatMap(StoredAccount::settings)
                    .map(SipAccountSettings::password).orElse(posted.password()));
        }
        accounts.saveSettings(id, settings, clock.instant());
        StoredAccount stored = accounts.find(id).orElseThrow();
        agent.apply(stored);
        return stored;
    }

    public StoredAccount enable(AccountId id, boolean enabled) {
        accounts.setEnabled(id, enabled, clock.instant());
        StoredAccount stored = accounts.find(id).orElseThrow();
        agent.apply(stored);
        return stored;
    }

    public boolean delete(AccountId id) {
        boolean existed = accounts.delete(id);
        agent.remove(id);
        return existed;
    }

    public AccountStatus status(AccountId id) {
        return agent.status(id);
    }
}
