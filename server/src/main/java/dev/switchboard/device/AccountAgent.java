package dev.switchboard.device;

/** What the account service needs from the user agent: to hear of changes and report status. */
public interface AccountAgent {

    /** The stored account changed (settings or enabled flag): register, re-register or un-register. */
    void apply(StoredAccount account);

    /** The slot was deleted: un-register and forget it. */
    void remove(AccountId id);

    AccountStatus status(AccountId id);
}
