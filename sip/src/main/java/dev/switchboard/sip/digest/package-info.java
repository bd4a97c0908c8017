/**
 * SIP digest authentication (RFC 3261 §22, RFC 7616, RFC 8760): parsing and formatting of
 * challenges and credentials, stateless nonces, server-side verification with nonce-count
 * replay protection, and the client side for our own outbound requests.
 *
 * <p>Works on header <em>values</em> as strings so it depends on no SIP message model.
 */
package dev.switchboard.sip.digest;
