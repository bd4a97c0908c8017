/**
 * A STUN (RFC 5389) Binding client: learns the public (server-reflexive) transport address
 * of a UDP socket, for the Contact and Via of the outbound SIP account behind a NAT.
 */
package dev.switchboard.sip.stun;
