package dev.switchboard.user;

import java.util.UUID;

/**
 * Holders of SIP user names in a tenant other than its users (trunk {@code sipuser} methods). A
 * digest username must name one credential, so a user's extension may not take a held name.
 */
public interface SipNameHolders {

    boolean holds(UUID tenant, String name);

    /**
     * Holds back, until the calling transaction ends, every change of held names on every node, so
     * that a check by {@link #holds} and the write that relies on it are not overtaken by one.
     */
    void lockNames();
}
