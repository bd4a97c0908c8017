package dev.switchboard.auth;

/** What a stored token is for. */
public enum TokenKind {
    /** Bearer token of the PortSIP-compatible and native surfaces. */
    ACCESS,
    /** Exchanged once for a new pair; a second use revokes the whole session. */
    REFRESH,
    /** Bearer token of the BAS-IP-compatible device surface (40 hex digits). */
    DEVICE
}
