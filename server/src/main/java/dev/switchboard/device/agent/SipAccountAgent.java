package dev.switchboard.device.agent;

import dev.switchboard.device.AccountAgent;
import dev.switchboard.device.AccountId;
import dev.switchboard.device.AccountStatus;
import dev.switchboard.device.StoredAccount;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** The user agent: keeps every active account slot registered upstream. */
@Component
public class SipAccountAgent implements AccountAgent {

    private final Clock clock;
    private final Map<AccountId, AccountStatus> statuses = new ConcurrentHashMap<>();

    public SipAccountAgent(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void apply(StoredAccount account) {
    }

    @Override
    public void remove(AccountId id) {
        statuses.remove(id);
    }

    @Override
    public AccountStatus status(AccountId id) {
        return statuses.getOrDefault(id, AccountStatus.offline(clock.instant()));
    }
}
