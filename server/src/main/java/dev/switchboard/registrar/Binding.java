package dev.switchboard.registrar;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One registered contact of an address-of-record (RFC 3261 §10, RFC 5626, RFC 3327). Immutable.
 *
 * <p>A registrar holds millions of these, so the fields are kept compact behind the accessors:
 * ids and instants as longs, absent values as null or -1 rather than {@code Optional} objects,
 * tenant ids, transports and User-Agent strings shared between bindings, and the contact's
 * comparison key recomputed from the contact when asked (only its hash is kept, to rule out
 * most comparisons without it).
 */
public final class Binding {

    /** Distinct User-Agent values shared between bindings; past this many, values are kept as they come. */
    private static final int MAX_SHARED_AGENTS = 10_000;
    private static final Map<UUID, UUID> TENANTS = new ConcurrentHashMap<>();
    private static final Map<String, String> AGENTS = new ConcurrentHashMap<>();
    private static final int NO_REG_ID = -1;

    private final long idHigh;
    private final long idLow;
    private final long userHigh;
    private final long userLow;
    private final UUID tenantId;
    private final String aor;
    private final String contact;
    private final int contactKeyHash;
    private final int qMillis;
    private final int regId;
    private final long expiresAtNanos;
    private final long registeredAtNanos;
    private final long cseq;
    private final String callId;
    private final String source;
    private final String transport;
    private final String userAgent;
    private final String instance;
    private final List<String> path;

    /**
     * @param contact      the Contact URI as registered (without header parameters such as expires)
     * @param contactKey   {@link ContactKeys#of(String)} of {@code contact}: the parts of the URI that
     *                     RFC 3261 §19.1.4 compares exactly
     * @param qMillis      q-value times 1000 (0..1000); -1 when the contact gave none
     * @param source       address and port the REGISTER came from: requests go there (NAT)
     * @param transport    transport it came over (UDP, TCP, TLS)
     * @param path         Path header values (RFC 3327), in order, to be used as a route set towards the contact
     */
    public Binding(UUID id, UUID tenantId, UUID userId, String aor, String contact, String contactKey, int qMillis,
                   Instant expiresAt, String callId, long cseq, String source, String transport,
                   Optional<String> userAgent, Optional<String> instance, Optional<Integer> regId, List<String> path,
                   Instant registeredAt) {
        this.idHigh = id.getMostSignificantBits();
        this.idLow = id.getLeastSignificantBits();
        this.userHigh = userId.getMostSignificantBits();
        this.userLow = userId.getLeastSignificantBits();
        this.tenantId = TENANTS.computeIfAbsent(tenantId, t -> t);
        this.aor = Objects.requireNonNull(aor);
        this.contact = Objects.requireNonNull(contact);
        this.contactKeyHash = contactKey.hashCode();
        this.qMillis = qMillis;
        this.expiresAtNanos = nanos(expiresAt);
        this.callId = Objects.requireNonNull(callId);
        this.cseq = cseq;
        this.source = Objects.requireNonNull(source);
        this.transport = shared(transport);
        this.userAgent = userAgent.map(Binding::sharedAgent).orElse(null);
        this.instance = instance.orElse(null);
        this.regId = regId.map(r -> {
            if (r < 0) {
                throw new IllegalArgumentException("reg-id must not be negative");
            }
            return r;
        }).orElse(NO_REG_ID);
        this.path = path.isEmpty() ? List.of() : List.copyOf(path);
        this.registeredAtNanos = nanos(registeredAt);
    }

    public UUID id() {
        return new UUID(idHigh, idLow);
    }

    /** Whether this is the binding with that id, without building a UUID. */
    public boolean hasId(UUID id) {
        return id.getMostSignificantBits() == idHigh && id.getLeastSignificantBits() == idLow;
    }

    public UUID tenantId() {
        return tenantId;
    }

    public UUID userId() {
        return new UUID(userHigh, userLow);
    }

    /** Whether the binding belongs to that user, without building a UUID. */
    public boolean ofUser(UUID user) {
        return user.getMostSignificantBits() == userHigh && user.getLeastSignificantBits() == userLow;
    }

    /** The AOR key ({@link AddressOfRecord#key()}). */
    public String aor() {
        return aor;
    }

    public String contact() {
        return contact;
    }

    /** The contact in the form bindings are compared by. */
    public String contactKey() {
        return ContactKeys.of(contact);
    }

    /** Whether {@code key} is this binding's {@link #contactKey()}. */
    public boolean hasContactKey(String key) {
        return key.hashCode() == contactKeyHash && key.equals(contactKey());
    }

    /**
     * Whether the URI text {@code contact}, whose key is {@code key}, names this binding's contact
     * (RFC 3261 §19.1.4: equal keys, and the other parameters both name agree). A refresh names
     * its contact with the same text, which then needs no parse of the stored one.
     */
    public boolean hasContactKey(String key, String contact) {
        return key.hashCode() == contactKeyHash && (contact.equals(this.contact)
                || (key.equals(contactKey()) && ContactKeys.otherParamsAgree(contact, this.contact)));
    }

    public int qMillis() {
        return qMillis;
    }

    public Instant expiresAt() {
        return instant(expiresAtNanos);
    }

    public String callId() {
        return callId;
    }

    public long cseq() {
        return cseq;
    }

    /** Address and port ("ip:port", IPv6 in brackets) the REGISTER came from. */
    public String source() {
        return source;
    }

    public String transport() {
        return transport;
    }

    public Optional<String> userAgent() {
        return Optional.ofNullable(userAgent);
    }

    public Optional<String> instance() {
        return Optional.ofNullable(instance);
    }

    public Optional<Integer> regId() {
        return regId == NO_REG_ID ? Optional.empty() : Optional.of(regId);
    }

    public List<String> path() {
        return path;
    }

    public Instant registeredAt() {
        return instant(registeredAtNanos);
    }

    public boolean expiredAt(Instant now) {
        return expiresAtNanos <= nanos(now);
    }

    /** Whole seconds left, never negative. */
    public long secondsLeft(Instant now) {
        return Math.max(0, Duration.between(now, expiresAt()).toSeconds());
    }

    /** The q-value as written in SIP ("0.5"), empty when none was given. */
    public Optional<String> q() {
        if (qMillis < 0) {
            return Optional.empty();
        }
        if (qMillis == 1000) {
            return Optional.of("1");
        }
        String digits = String.format("%03d", qMillis).replaceAll("0+$", "");
        return Optional.of(digits.isEmpty() ? "0" : "0." + digits);
    }

    /**
     * Whether this binding is {@code before} registered again: the same binding with possibly a new
     * expiry, Call-ID, CSeq and registration time, nothing else changed.
     */
    public boolean isRefreshOf(Binding before) {
        return idHigh == before.idHigh && idLow == before.idLow
                && userHigh == before.userHigh && userLow == before.userLow && qMillis == before.qMillis
                && regId == before.regId && tenantId.equals(before.tenantId) && aor.equals(before.aor)
                && contact.equals(before.contact) && source.equals(before.source)
                && transport.equals(before.transport) && Objects.equals(userAgent, before.userAgent)
                && Objects.equals(instance, before.instance) && path.equals(before.path);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Binding b && idHigh == b.idHigh && idLow == b.idLow && userHigh == b.userHigh
                && userLow == b.userLow && qMillis == b.qMillis && regId == b.regId
                && expiresAtNanos == b.expiresAtNanos && registeredAtNanos == b.registeredAtNanos && cseq == b.cseq
                && tenantId.equals(b.tenantId) && aor.equals(b.aor) && contact.equals(b.contact)
                && callId.equals(b.callId) && source.equals(b.source) && transport.equals(b.transport)
                && Objects.equals(userAgent, b.userAgent) && Objects.equals(instance, b.instance)
                && path.equals(b.path);
    }

    @Override
    public int hashCode() {
        return Objects.hash(idHigh, idLow, aor, contact, expiresAtNanos, callId, cseq);
    }

    @Override
    public String toString() {
        return "Binding[id=" + id() + ", aor=" + aor + ", contact=" + contact + ", source=" + transport + " " + source
                + ", expiresAt=" + expiresAt() + ", callId=" + callId + ", cseq=" + cseq + "]";
    }

    /** Nanoseconds since the epoch: exact for any instant between 1678 and 2262. */
    private static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    private static String shared(String transport) {
        return switch (transport) {
            case "UDP" -> "UDP";
            case "TCP" -> "TCP";
            case "TLS" -> "TLS";
            case "WS" -> "WS";
            case "WSS" -> "WSS";
            default -> transport;
        };
    }

    private static String sharedAgent(String agent) {
        String known = AGENTS.get(agent);
        if (known != null) {
            return known;
        }
        return AGENTS.size() < MAX_SHARED_AGENTS ? AGENTS.computeIfAbsent(agent, a -> a) : agent;
    }
}
