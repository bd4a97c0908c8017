package dev.switchboard.proxy;

import dev.switchboard.sip.message.NameAddress;
import dev.switchboard.sip.message.SipRequest;
import dev.switchboard.sip.message.SipUri;
import dev.switchboard.sip.transport.Transport;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Our Record-Route entries and the Route entries that come back in a dialog (RFC 3261 §16.4,
 * §16.6 step 4). Each entry carries a dialog token: an HMAC, under the cluster-wide key, of the
 * Call-ID, the caller's From tag and every other parameter we wrote into the entry (so none can
 * be changed), among them when the dialog was let in and a keyed hash of each party's address.
 *
 * <p>A request with a valid token passes without another gate check only when it comes from one of
 * the dialog's two parties and the dialog was let in less than the pass lifetime ago. Anyone else
 * holding the entry (it travels in clear in both parties' messages), or a party after the lifetime,
 * passes the trunk gate like a new call first and then follows the dialog; so an entry copied from
 * a finished call cannot turn the proxy into a relay for a stranger, and a trunk or user deleted
 * since keeps no way in. A forged or replayed Route for another Call-ID is no dialog of ours.
 */
public final class RecordRoutes {

    static final String TOKEN_PARAM = "sbd";
    /** Where a caller that is a phone called from (its NAT address); see {@link Popped#callerSource}. */
    static final String CALLER_PARAM = "sba";
    /** Where a callee reached at its binding's source was reached. */
    static final String CALLEE_PARAM = "sbc";
    /** Tells the entries of one pass through the proxy from another's (a call may spiral through twice). */
    static final String PASS_PARAM = "sbi";
    /** When the dialog was let in: minutes since the epoch, in hex. */
    static final String ISSUED_PARAM = "sbt";
    /** Keyed hashes of the caller's and the callee's address (not the addresses: the entry is seen by both). */
    static final String CALLER_PARTY_PARAM = "sbp";
    static final String CALLEE_PARTY_PARAM = "sbq";
    /** A keyed hash of the tenant whose call it is: only that tenant's callers may follow it through the gate. */
    static final String TENANT_PARAM = "sbn";
    private static final int TOKEN_BYTES = 8;
    private static final byte PARTY_PURPOSE = 1;
    private static final byte TENANT_PURPOSE = 2;

    /** What our entries on top of a request let it do. */
    public enum Pass {
        /** No valid token: not a dialog of ours. */
        NONE,
        /** A dialog of ours, but the sender is not one of its parties or the dialog is old: the gate first. */
        DIALOG,
        /** A dialog of ours, from one of its parties, within the pass lifetime: it follows the dialog. */
        PARTY
    }

    /**
     * Our Route entries removed from the top of a request, and what is left. With a valid token,
     * {@code callerSource}/{@code calleeSource} are where the dialog's phones are really reached
     * (behind NAT, not at their Contact), when the proxy reached them at their source.
     */
    public record Popped(int removed, Pass pass, List<NameAddress> remaining,
                         Optional<Hop> callerSource, Optional<Hop> calleeSource, String tag, String tenantMark) {

        /** Whether the entries are a dialog of ours, whoever sent the request. */
        public boolean dialogToken() {
            return pass != Pass.NONE;
        }

        /** Whether the request follows its dialog without the gate. */
        public boolean fromParty() {
            return pass == Pass.PARTY;
        }
    }

    /** What the proxy knows of a dialog-creating request when it writes its Record-Route entries. */
    public record Dialog(SipRequest request, String pass, Optional<Hop> callerSource, Optional<Hop> calleeSource,
                         InetAddress caller, InetAddress callee, java.util.UUID tenant) {
    }

    private final byte[] key;
    private final Predicate<String> localHost;
    private final Set<Integer> ports;
    private final Duration passLifetime;
    private final Clock clock;
    private final ThreadLocal<Mac> macs;

    /**
     * @param clusterKey   key shared by every node (so any node accepts a Route another wrote)
     * @param localHost    whether a host names this server
     * @param ports        the ports we listen on
     * @param passLifetime how long after a dialog was let in its parties pass without the gate
     */
    public RecordRoutes(byte[] clusterKey, Predicate<String> localHost, Set<Integer> ports, Duration passLifetime,
                        Clock clock) {
        this.key = derive(clusterKey);
        this.localHost = localHost;
        this.ports = Set.copyOf(ports);
        this.passLifetime = passLifetime;
        this.clock = clock;
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /**
     * The parameters of our entries for one dialog, token last: the same on the entry facing the
     * caller and the one facing the callee.
     */
    public String params(Dialog d) {
        String tag = d.request().from().tag().orElse("");
        String callId = d.request().callId();
        String pass = d.pass();
        String callerHop = d.callerSource().map(Hop::token).orElse("");
        String calleeHop = d.calleeSource().map(Hop::token).orElse("");
        String issued = Long.toHexString(clock.millis() / 60_000);
        String callerParty = party(callId, tag, d.caller());
        String calleeParty = party(callId, tag, d.callee());
        String tenant = tenantMark(callId, tag, d.tenant());
        StringBuilder b = new StringBuilder(180);
        b.append(';').append(PASS_PARAM).append('=').append(pass);
        if (!callerHop.isEmpty()) {
            b.append(';').append(CALLER_PARAM).append('=').append(callerHop);
        }
        if (!calleeHop.isEmpty()) {
            b.append(';').append(CALLEE_PARAM).append('=').append(calleeHop);
        }
        b.append(';').append(ISSUED_PARAM).append('=').append(issued)
                .append(';').append(CALLER_PARTY_PARAM).append('=').append(callerParty)
                .append(';').append(CALLEE_PARTY_PARAM).append('=').append(calleeParty)
                .append(';').append(TENANT_PARAM).append('=').append(tenant)
                .append(';').append(TOKEN_PARAM).append('=')
                .append(token(callId, tag, pass, callerHop, calleeHop, issued, callerParty, calleeParty, tenant));
        return b.toString();
    }

    /**
     * A Record-Route value naming us at host:port over transport, with the dialog's {@link #params};
     * a {@code sips:} URI for a request whose Request-URI is one (RFC 3261 §16.6 step 4), TLS then.
     */
    public String value(String host, int port, Transport transport, String params, boolean secure) {
        StringBuilder b = new StringBuilder(160).append(secure ? "<sips:" : "<sip:").append(host).append(':')
                .append(port);
        if (transport != Transport.UDP && !secure) {
            b.append(";transport=").append(transport.name().toLowerCase(Locale.ROOT));
        }
        return b.append(";lr").append(params).append('>').toString();
    }

    /**
     * Whether a URI is one of our Record-Route entries, as a strict router (RFC 2543) sends it
     * back as the Request-URI of an in-dialog request (§16.4).
     */
    public boolean isOurEntry(SipUri uri) {
        return uri.param(TOKEN_PARAM).isPresent() && isUs(uri);
    }

    /**
     * Removes the Route entries at the top that name us (§16.4) and says what they let the request
     * do: the token is checked against the From and the To tag, since either party may send, and
     * the sender's address against the parties'.
     */
    public Popped pop(SipRequest request, InetAddress sender) {
        List<NameAddress> routes = request.routes();
        int removed = 0;
        Pass best = Pass.NONE;
        String matchedTag = "";
        String tenantMark = "";
        Optional<Hop> caller = Optional.empty();
        Optional<Hop> callee = Optional.empty();
        String pass = null;
        // Only this pass's entries: when the dialog spiralled through us twice, the next pass's
        // entries route the request back here, where they are taken in turn.
        while (removed < routes.size()) {
            NameAddress route = routes.get(removed);
            if (!(route.uri() instanceof SipUri uri) || !isUs(uri)) {
                break;
            }
            String thisPass = uri.param(PASS_PARAM).orElse("");
            if (pass != null && !pass.equals(thisPass)) {
                break;
            }
            pass = thisPass;
            Checked checked = check(request, uri, sender);
            Pass granted = checked.pass();
            if (granted != Pass.NONE) {
                best = granted.compareTo(best) > 0 ? granted : best;
                matchedTag = checked.tag();
                tenantMark = uri.param(TENANT_PARAM).orElse("");
                caller = caller.or(() -> uri.param(CALLER_PARAM).flatMap(Hop::ofToken));
                callee = callee.or(() -> uri.param(CALLEE_PARAM).flatMap(Hop::ofToken));
            }
            removed++;
        }
        List<NameAddress> rest = removed == 0 ? routes : new ArrayList<>(routes.subList(removed, routes.size()));
        return best != Pass.NONE ? new Popped(removed, best, rest, caller, callee, matchedTag, tenantMark)
                : new Popped(removed, Pass.NONE, rest, Optional.empty(), Optional.empty(), "", "");
    }

    /**
     * Whether the dialog of these entries is a call of this tenant: a caller the gate let in may
     * follow only its own tenant's dialogs, never another's (a probe's trunk of tenant B did).
     */
    public boolean ofTenant(SipRequest request, Popped popped, java.util.UUID tenant) {
        return popped.dialogToken() && same(popped.tenantMark().getBytes(StandardCharsets.US_ASCII),
                tenantMark(request.callId(), popped.tag(), tenant));
    }

    private record Checked(Pass pass, String tag) {
    }

    /** Whether a URI names this server: one of its hosts, and one of its ports. */
    public boolean isUs(SipUri uri) {
        int port = uri.port().orElse(uri.isSecure() ? Transport.TLS.defaultPort() : Transport.UDP.defaultPort());
        return localHost.test(uri.host()) && ports.contains(port);
    }

    private Checked check(SipRequest request, SipUri uri, InetAddress sender) {
        Optional<String> given = uri.param(TOKEN_PARAM);
        if (given.isEmpty() || request.to().tag().isEmpty()) {
            return new Checked(Pass.NONE, "");
        }
        String callId = request.callId();
        String pass = uri.param(PASS_PARAM).orElse("");
        String callerHop = uri.param(CALLER_PARAM).orElse("");
        String calleeHop = uri.param(CALLEE_PARAM).orElse("");
        String issued = uri.param(ISSUED_PARAM).orElse("");
        String callerParty = uri.param(CALLER_PARTY_PARAM).orElse("");
        String calleeParty = uri.param(CALLEE_PARTY_PARAM).orElse("");
        String tenant = uri.param(TENANT_PARAM).orElse("");
        byte[] token = given.get().getBytes(StandardCharsets.US_ASCII);
        for (String tag : List.of(request.from().tag().orElse(""), request.to().tag().get())) {
            String expected = token(callId, tag, pass, callerHop, calleeHop, issued, callerParty, calleeParty, tenant);
            if (!same(token, expected)) {
                continue;
            }
            byte[] senderParty = party(callId, tag, sender).getBytes(StandardCharsets.US_ASCII);
            boolean party = same(senderParty, callerParty) || same(senderParty, calleeParty);
            return new Checked(party && young(issued) ? Pass.PARTY : Pass.DIALOG, tag);
        }
        return new Checked(Pass.NONE, "");
    }

    private boolean young(String issuedMinutes) {
        try {
            long issuedAt = Long.parseLong(issuedMinutes, 16) * 60_000;
            long age = clock.millis() - issuedAt;
            // A minute of slack for the rounding and for nodes whose clocks differ a little.
            return age >= -60_000 && age < passLifetime.toMillis() + 60_000;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean same(byte[] given, String expected) {
        return MessageDigest.isEqual(given, expected.getBytes(StandardCharsets.US_ASCII));
    }

    private String token(String callId, String tag, String... params) {
        Mac mac = macs.get();
        mac.update(callId.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        mac.update(tag.getBytes(StandardCharsets.UTF_8));
        for (String p : params) {
            mac.update((byte) 0);
            mac.update(p.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(mac.doFinal(), 0, TOKEN_BYTES);
    }

    /** The tenant as the entry names it: keyed, so the entry does not show the tenant's id. */
    private String tenantMark(String callId, String tag, java.util.UUID tenant) {
        return keyed(TENANT_PURPOSE, callId, tag, String.valueOf(tenant).getBytes(StandardCharsets.US_ASCII));
    }

    /** A party's address as the entry names it: keyed, so the entry does not show one party the other's. */
    private String party(String callId, String tag, InetAddress address) {
        return keyed(PARTY_PURPOSE, callId, tag, address.getAddress());
    }

    /** A keyed hash of one value of a dialog; the purpose byte keeps a party's from ever equalling a tenant's. */
    private String keyed(byte purpose, String callId, String tag, byte[] value) {
        Mac mac = macs.get();
        mac.update(purpose);
        mac.update(callId.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        mac.update(tag.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        return HexFormat.of().formatHex(mac.doFinal(value), 0, TOKEN_BYTES);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** A key of its own, so a dialog token can never be mistaken for (or help forge) a nonce. */
    private static byte[] derive(byte[] clusterKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clusterKey, "HmacSHA256"));
            return mac.doFinal("switchboard record-route".getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
