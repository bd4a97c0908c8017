package dev.switchboard.registrar;

import dev.switchboard.registrar.SipDirectory.SipUser;
import dev.switchboard.sip.message.HeaderName;
import dev.switchboard.sip.message.NameAddress;
import dev.switchboard.sip.message.SipRequest;
import dev.switchboard.sip.transport.Flow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Applies an authenticated REGISTER to the location store by the rules of RFC 3261 §10.3 (steps
 * 6 to 8): {@code *} with Expires 0 removes all, each Contact is added, refreshed or removed,
 * a repeated Call-ID must bring a higher CSeq, the request is applied entirely or not at all.
 * RFC 5626 contacts with {@code +sip.instance} and {@code reg-id} replace the binding of the same
 * instance and flow whatever their URI. Pure computation on the calling thread: no I/O.
 */
public final class Registrar {

    /** What became of a REGISTER. */
    public sealed interface Outcome {

        /** Applied (or a query): every current binding of the AOR. */
        record Registered(List<Binding> bindings) implements Outcome {
        }

        /** A contact asked for less than the minimum: 423 with Min-Expires. */
        record IntervalTooBrief(long minSeconds) implements Outcome {
        }

        /** The AOR would hold more contacts than allowed (policy REJECT): 403. */
        record TooManyContacts(int max) implements Outcome {
        }

        /** Same Call-ID with a CSeq not above the stored one: an old or reordered request, 500. */
        record OutOfOrder() implements Outcome {
        }

        /** The request breaks §10.3 (a {@code *} with other contacts or a non-zero expiry, a bad q): 400. */
        record Invalid(String reason) implements Outcome {
        }
    }

    /** One Contact of the request, parsed and checked before the store is touched. */
    private record Wanted(String uri, String key, long expires, int qMillis, Optional<String> instance,
                          Optional<Integer> regId) {

        /**
         * The id a new binding for this contact gets: of AOR and contact URI, and of the
         * {@code +sip.instance} and {@code reg-id} when both are given, since then they (not the
         * URI) tell bindings apart, as {@link #sameBinding} does: two phones behind two NATs may both
         * write {@code sip:102@192.168.1.100}, and must not share one id (one row, one DELETE).
         */
        UUID id(String aor) {
            return instance.isPresent() && regId.isPresent()
                    ? newId(aor, uri + '\n' + instance.get() + '\n' + regId.get()) : newId(aor, uri);
        }

        boolean sameBinding(Binding b) {
            if (instance.isPresent() && regId.isPresent()) {
                return instance.equals(b.instance()) && regId.equals(b.regId());
            }
            return b.hasContactKey(key, uri);
        }
    }

    private final LocationStore store;
    private final RegistrarProperties settings;
    private final Counter registrations;

    public Registrar(LocationStore store, RegistrarProperties settings, MeterRegistry meters) {
        this.store = store;
        this.settings = settings;
        this.registrations = Counter.builder("sip.registrar.registrations")
                .description("REGISTER requests accepted (added, refreshed, removed or queried bindings)")
                .register(meters);
    }

    /**
     * The longest contact URI kept (Kamailio's {@code contact_max_size} is 512; push-notification
     * parameters make real ones a few hundred): with the default ten contacts and their Paths the
     * 200 listing them all stays well inside one UDP datagram.
     */
    static final int MAX_CONTACT_URI = 1024;
    static final int MAX_INSTANCE = 256;

    public Outcome register(SipRequest request, AddressOfRecord aor, SipUser user, Flow flow, Instant now) {
        Outcome outcome = apply(request, aor, user, flow, now);
        if (outcome instanceof Outcome.Registered) {
            registrations.increment();
        }
        return outcome;
    }

    private Outcome apply(SipRequest request, AddressOfRecord aor, SipUser user, Flow flow, Instant now) {
        OptionalLong headerExpires = request.expires();
        if (request.isWildcardContact()) {
            if (!request.contacts().isEmpty() || headerExpires.isEmpty() || headerExpires.getAsLong() != 0) {
                return new Outcome.Invalid("Contact: * needs Expires: 0 and no other contact");
            }
            return removeAll(aor, request, now);
        }
        List<Wanted> wanted = new ArrayList<>();
        for (NameAddress contact : request.contacts()) {
            OptionalLong q = parseQ(contact.param("q"));
            if (q.isEmpty()) {
                return new Outcome.Invalid("q must be a number from 0 to 1");
            }
            long expires = requestedExpires(contact, headerExpires);
            if (expires > 0 && expires < settings.minExpires().toSeconds()) {
                return new Outcome.IntervalTooBrief(settings.minExpires().toSeconds());
            }
            String uri = contact.uri().toString();
            if (uri.length() > MAX_CONTACT_URI
                    || contact.param("+sip.instance").map(String::length).orElse(0) > MAX_INSTANCE) {
                // Every contact goes back in the 200: ten of 7 KB made it too large for a datagram,
                // and the phone never heard that it was registered.
                return new Outcome.Invalid("Contact Too Long");
            }
            Optional<Integer> regId = contact.param("reg-id").flatMap(Registrar::parseInt);
            wanted.add(new Wanted(uri, ContactKeys.of(contact.uri()), expires,
                    (int) q.getAsLong(), contact.param("+sip.instance"), regId));
        }
        Optional<List<String>> path = path(request);
        if (path.isEmpty()) {
            return new Outcome.Invalid("Path must list <sip:...> URIs");
        }
        // One key string for the store and every binding of the AOR, so it is held once.
        String key = aor.key();
        if (wanted.isEmpty()) {
            return new Outcome.Registered(List.copyOf(live(store.lookup(key), now)));
        }
        Outcome outcome = store.update(key, current -> apply(current, wanted, key, user, request, path.get(), flow,
                now));
        if (outcome instanceof Outcome.Registered registered) {
            removedElsewhere(key, wanted, registered.bindings());
        }
        return outcome;
    }

    /**
     * A contact removed here (expires 0) may be one another node took a moment ago and this one
     * has not read yet: its removal is recorded by the id that node gave it (ids are derived from
     * AOR and contact), so it ends there too instead of coming back with that node's copy.
     */
    private void removedElsewhere(String key, List<Wanted> wanted, List<Binding> now) {
        for (Wanted w : wanted) {
            if (w.expires() == 0) {
                UUID id = w.id(key);
                if (now.stream().noneMatch(b -> b.hasId(id))) {
                    store.markRemoved(java.util.Map.of(id, key));
                }
            }
        }
    }

    /**
     * A new binding's id, derived from its AOR and contact rather than drawn at random: two nodes
     * that take the same REGISTER (a copy sent to another node, a phone failing over) in the second
     * before they see each other's writes make the same binding, one row, not two, of which an
     * un-REGISTER would end only one.
     */
    static UUID newId(String aor, String contact) {
        return UUID.nameUUIDFromBytes((aor + '\n' + contact).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The Path entries one per element, whether the proxies sent one header line each or one
     * comma-separated line (RFC 3327 §4 allows both); empty when an entry is not a SIP URI in
     * angle brackets.
     */
    private static Optional<List<String>> path(SipRequest request) {
        List<String> lines = request.headers("Path");
        if (lines.isEmpty()) {
            return Optional.of(List.of());
        }
        List<String> entries = new ArrayList<>(lines.size());
        try {
            for (String line : lines) {
                for (NameAddress entry : NameAddress.parseList(line)) {
                    if (entry.sipUri().isEmpty()) {
                        return Optional.empty();
                    }
                    entries.add(entry.toString());
                }
            }
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
        return Optional.of(List.copyOf(entries));
    }

    private LocationStore.Change<Outcome> apply(List<Binding> current, List<Wanted> wanted, String aor,
                                                SipUser user, SipRequest request, List<String> path, Flow flow,
                                                Instant now) {
        List<Binding> before = live(current, now);
        List<Binding> next = new ArrayList<>(before);
        List<Binding> added = new ArrayList<>();
        String callId = request.callId();
        long cseq = request.cseq().number();
        for (Wanted w : wanted) {
            // A contact named twice in one request: the later one wins, no ordering check against itself.
            Binding kept = first(added, w);
            if (kept != null) {
                added.remove(kept);
            } else {
                kept = first(next, w);
                if (kept != null && kept.callId().equals(callId) && cseq <= kept.cseq()) {
                    return LocationStore.Change.keep(new Outcome.OutOfOrder());
                }
            }
            if (kept != null) {
                next.remove(kept);
            }
            if (w.expires() > 0) {
                // A refresh keeps the text it shares with the binding it replaces, so the new binding
                // is one small object: a refresh storm then leaves little for young collections to copy.
                Binding b = new Binding(kept == null ? w.id(aor) : kept.id(), user.tenantId(),
                        user.id(), aor, reuse(w.uri(), kept, Binding::contact), w.key(), w.qMillis(),
                        now.plusSeconds(grant(w.expires())), reuse(callId, kept, Binding::callId), cseq,
                        reuse(address(flow), kept, Binding::source), flow.transport().name(),
                        request.header(HeaderName.USER_AGENT), reuse(w.instance(), kept, Binding::instance),
                        w.regId(), reuse(path, kept, Binding::path), now);
                next.add(b);
                added.add(b);
            }
        }
        if (next.size() > settings.maxContacts() && next.size() > before.size()) {
            if (settings.overflow() == RegistrarProperties.OverflowPolicy.REJECT
                    || added.size() > settings.maxContacts()) {
                return LocationStore.Change.keep(new Outcome.TooManyContacts(settings.maxContacts()));
            }
            // Replace the bindings refreshed longest ago, never one this request just wrote.
            List<Binding> oldest = next.stream().filter(b -> !added.contains(b))
                    .sorted(Comparator.comparing(Binding::registeredAt)).toList();
            int excess = next.size() - settings.maxContacts();
            next.removeAll(oldest.subList(0, excess));
        }
        return LocationStore.Change.replace(next, new Outcome.Registered(List.copyOf(next)));
    }

    private Outcome removeAll(AddressOfRecord aor, SipRequest request, Instant now) {
        Outcome outcome = store.update(aor.key(), current -> {
            for (Binding b : live(current, now)) {
                if (b.callId().equals(request.callId()) && request.cseq().number() <= b.cseq()) {
                    return LocationStore.Change.keep(new Outcome.OutOfOrder());
                }
            }
            return LocationStore.Change.replace(List.of(), new Outcome.Registered(List.of()));
        });
        if (outcome instanceof Outcome.Registered) {
            // Also what another node took and this one has not read yet.
            store.unregisteredAll(aor.key(), now);
        }
        return outcome;
    }

    /** Contact expires parameter, else Expires header, else the default (RFC 3261 §10.3 step 7). */
    private long requestedExpires(NameAddress contact, OptionalLong headerExpires) {
        Optional<String> param = contact.param("expires");
        if (param.isPresent()) {
            // A malformed value counts as 3600 (RFC 3261 §20.19), i.e. the default.
            return parseLong(param.get()).orElse(settings.defaultExpires().toSeconds());
        }
        return headerExpires.isPresent() ? headerExpires.getAsLong() : settings.defaultExpires().toSeconds();
    }

    /**
     * The expiry granted: capped at the maximum, then shortened by up to {@code expiryJitter} so
     * that phones registered at the same moment spread their refreshes; never below the minimum.
     */
    long grant(long requested) {
        long granted = Math.min(requested, settings.maxExpires().toSeconds());
        long spread = (long) (granted * Math.max(0, Math.min(0.5, settings.expiryJitter())));
        if (spread > 0) {
            granted -= ThreadLocalRandom.current().nextLong(spread + 1);
        }
        return Math.max(granted, Math.min(requested, settings.minExpires().toSeconds()));
    }

    /** Bindings still live at {@code now}, in a new list of the caller's. */
    static List<Binding> live(List<Binding> bindings, Instant now) {
        List<Binding> out = new ArrayList<>(bindings.size());
        for (Binding b : bindings) {
            if (!b.expiredAt(now)) {
                out.add(b);
            }
        }
        return out;
    }

    /** The Contact header values of a 200 to REGISTER: each binding with its remaining expiry. */
    public static List<String> contactValues(List<Binding> bindings, Instant now) {
        List<String> out = new ArrayList<>(bindings.size());
        for (Binding b : bindings) {
            StringBuilder v = new StringBuilder("<").append(b.contact()).append(">;expires=")
                    .append(Math.max(1, Duration.between(now, b.expiresAt()).toSeconds()));
            b.q().ifPresent(q -> v.append(";q=").append(q));
            b.instance().ifPresent(i -> v.append(";+sip.instance=").append(i));
            b.regId().ifPresent(r -> v.append(";reg-id=").append(r));
            out.add(v.toString());
        }
        return out;
    }

    /** The first of these bindings that the wanted contact names, or null. */
    private static Binding first(List<Binding> bindings, Wanted wanted) {
        for (Binding b : bindings) {
            if (wanted.sameBinding(b)) {
                return b;
            }
        }
        return null;
    }

    /** The kept binding's value when equal to the fresh one, else the fresh one. */
    private static <T> T reuse(T fresh, Binding kept, Function<Binding, T> value) {
        if (kept == null) {
            return fresh;
        }
        T old = value.apply(kept);
        return old.equals(fresh) ? old : fresh;
    }

    /** host:port the request came from, IPv6 in brackets; the host text the flow already made. */
    static String address(Flow flow) {
        String host = flow.remoteHost();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + flow.remote().getPort();
    }

    /** q in thousandths; -1 when absent; empty when malformed or out of range (RFC 3261 §20.10). */
    private static OptionalLong parseQ(Optional<String> q) {
        if (q.isEmpty()) {
            return OptionalLong.of(-1);
        }
        if (!q.get().matches("(0(\\.\\d{0,3})?|1(\\.0{0,3})?)")) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.round(Double.parseDouble(q.get()) * 1000));
    }

    private static Optional<Long> parseLong(String s) {
        if (!s.matches("\\d{1,10}")) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(s));
    }

    private static Optional<Integer> parseInt(String s) {
        return s.matches("\\d{1,9}") ? Optional.of(Integer.parseInt(s)) : Optional.empty();
    }
}
