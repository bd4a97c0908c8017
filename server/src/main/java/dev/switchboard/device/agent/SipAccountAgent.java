package dev.switchboard.device.agent;

import dev.switchboard.device.AccountAgent;
import dev.switchboard.device.AccountId;
import dev.switchboard.device.AccountStatus;
import dev.switchboard.device.SipAccountRepository;
import dev.switchboard.device.StoredAccount;
import dev.switchboard.proxy.AccountContact;
import dev.switchboard.proxy.OutboundAccounts;
import dev.switchboard.proxy.UpstreamAccount;
import dev.switchboard.sip.SipEngine;
import dev.switchboard.tenant.Tenant;
import dev.switchboard.tenant.TenantEvents;
import dev.switchboard.tenant.TenantRepository;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The user agent: keeps every enabled, configured account slot registered upstream through the
 * SIP engine's transports and transaction layer. Starts after the engine (registering what is
 * stored) and stops before it, un-registering every account on a graceful shutdown. Every node
 * registers every account; changes made through another node are followed within a second.
 */
@Component
public class SipAccountAgent implements AccountAgent, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SipAccountAgent.class);
    /** How long a shutdown waits for un-REGISTERs to be answered. */
    private static final Duration UNREGISTER_GRACE = Duration.ofSeconds(3);

    private final SipAccountRepository accounts;
    private final TenantRepository tenants;
    private final SipEngine engine;
    private final Clock clock;
    private final Backoff backoff;
    private final StunLookup stun = new StunLookup();
    private final Map<AccountId, OutboundRegistration> active = new ConcurrentHashMap<>();
    /** The active registrations by the user part of their contact, for calls arriving on them. */
    private final Map<String, OutboundRegistration> byContact = new ConcurrentHashMap<>();
    /** The last status of stopped registrations, so a disabled account still tells its last attempt. */
    private final Map<AccountId, AccountStatus> retired = new ConcurrentHashMap<>();
    /** The update time of each account's row as this node last applied it, to tell other nodes' changes. */
    private final Map<AccountId, Instant> applied = new ConcurrentHashMap<>();
    private final ExecutorService pool;
    private final ScheduledExecutorService timers;
    private volatile boolean running;
    private String seenStamp = "";
    private ScheduledFuture<?> following;

    public SipAccountAgent(SipAccountRepository accounts, TenantRepository tenants, SipEngine engine,
                           OutboundAccounts outbound, Clock clock,
                           @Value("${switchboard.device.retry-first:5s}") Duration retryFirst,
                           @Value("${switchboard.device.retry-max:5m}") Duration retryMax) {
        this.accounts = accounts;
        this.tenants = tenants;
        this.engine = engine;
        this.clock = clock;
        this.backoff = new Backoff(retryFirst, retryMax);
        // Each account's work runs in order on its own serial executor over this pool; a STUN
        // server that does not answer holds a thread for its few seconds, so one tenant's account
        // must not take the threads every other tenant's refreshes need.
        java.util.concurrent.ThreadPoolExecutor threads = new java.util.concurrent.ThreadPoolExecutor(16, 16, 60,
                TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), daemon("sip-agent"));
        threads.allowCoreThreadTimeOut(true);
        this.pool = threads;
        this.timers = Executors.newSingleThreadScheduledExecutor(daemon("sip-agent-timer"));
        // Asked for every INVITE and OPTIONS: a lookup by the contact's user part, not a scan.
        engine.agentContacts(uri -> uri.user().map(byContact::get).filter(r -> r.isContact(uri))
                .map(r -> new AccountContact(r.id().tenant(), r.accountUser())));
        outbound.provide(this::upstream);
    }

    /** Takes the account's registration out of the active ones (and the contact index); null if none. */
    private OutboundRegistration deactivated(AccountId id) {
        OutboundRegistration old = active.remove(id);
        if (old != null) {
            byContact.remove(old.contactUser(), old);
        }
        return old;
    }

    /** The tenant's first account, while it is active: a way out for the tenant's calls. */
    private Optional<UpstreamAccount> upstream(UUID tenant) {
        OutboundRegistration registration = active.get(AccountId.first(Optional.of(tenant)));
        return registration == null ? Optional.empty() : Optional.of(registration.upstream());
    }

    @Override
    public synchronized void apply(StoredAccount account) {
        applied.put(account.id(), account.updatedAt());
        OutboundRegistration live = active.get(account.id());
        if (live != null && account.active() && running
                && account.settings().filter(live.settings()::equals).isPresent()
                && live.status().state() == AccountStatus.State.OK) {
            // The same settings again (a GET → POST round trip, enable while enabled): the live
            // binding stays; un-registering and registering again would leave calls a gap.
            return;
        }
        OutboundRegistration old = deactivated(account.id());
        Optional<java.time.Instant> lastAttempt = Optional.empty();
        if (old != null) {
            old.stop();
            lastAttempt = old.status().lastAttempt();
        } else if (retired.containsKey(account.id())) {
            lastAttempt = retired.get(account.id()).lastAttempt();
        }
        if (account.active() && running) {
            retired.remove(account.id());
            OutboundRegistration next = new OutboundRegistration(account.id(), account.settings().orElseThrow(),
                    engine::clientStack, new SerialExecutor(pool), timers, clock, backoff, stun, lastAttempt);
            active.put(account.id(), next);
            byContact.put(next.contactUser(), next);
            next.start();
        } else {
            retired.put(account.id(), new AccountStatus(AccountStatus.State.OFFLINE, lastAttempt,
                    old == null ? Optional.empty() : old.status().lastCode(),
                    account.settings().isPresent() ? "disabled" : "not configured", clock.instant()));
        }
    }

    @Override
    public synchronized void remove(AccountId id) {
        applied.remove(id);
        OutboundRegistration old = deactivated(id);
        if (old != null) {
            old.stop();
        }
        retired.remove(id);
    }

    /** A deleted or disabled tenant's accounts stop registering (its SIP traffic stops). */
    @EventListener
    public synchronized void onTenantDeactivated(TenantEvents.Deactivated event) {
        for (int slot = 1; slot <= AccountId.SLOTS; slot++) {
            deactivate(new AccountId(Optional.of(event.tenantId()), slot));
        }
    }

    private void deactivate(AccountId id) {
        OutboundRegistration old = deactivated(id);
        if (old != null) {
            old.stop();
            retired.put(id, new AccountStatus(AccountStatus.State.OFFLINE, old.status().lastAttempt(),
                    old.status().lastCode(), "tenant deactivated", clock.instant()));
        }
    }

    /** Polled every second: when an account or tenant changed anywhere, brings this node in line. */
    private void followOtherNodes() {
        try {
            String stamp = accounts.stamp();
            if (!stamp.equals(seenStamp)) {
                // Read before the rows: a change made during the read moves it again.
                seenStamp = stamp;
                reconcile();
            }
        } catch (RuntimeException e) {
            log.warn("reading the SIP accounts failed, will retry: {}", e.toString());
        }
    }

    /**
     * Applies what another node stored: new or changed settings, enabling and disabling (by the
     * row's update time, which this node's own changes have already applied), deleted accounts,
     * and accounts of tenants disabled or re-enabled there.
     */
    private synchronized void reconcile() {
        if (!running) {
            return;
        }
        Map<UUID, Boolean> tenantEnabled = new HashMap<>();
        Set<AccountId> stored = new HashSet<>();
        for (StoredAccount account : accounts.all()) {
            AccountId id = account.id();
            stored.add(id);
            boolean enabledTenant = id.tenant().map(t -> tenantEnabled.computeIfAbsent(t,
                    k -> tenants.find(k).map(Tenant::enabled).orElse(false))).orElse(true);
            boolean wanted = account.active() && enabledTenant;
            boolean changed = !account.updatedAt().equals(applied.get(id));
            if (!changed && wanted == active.containsKey(id)) {
                continue;
            }
            if (wanted || !account.active()) {
                apply(account);
            } else {
                applied.put(id, account.updatedAt());
                deactivate(id);
            }
        }
        for (AccountId id : Set.copyOf(applied.keySet())) {
            if (!stored.contains(id)) {
                remove(id);
            }
        }
    }

    @Override
    public AccountStatus status(AccountId id) {
        OutboundRegistration registration = active.get(id);
        if (registration != null) {
            return registration.status();
        }
        return retired.getOrDefault(id, AccountStatus.offline(clock.instant()));
    }

    @Override
    public synchronized void start() {
        running = true;
        seenStamp = accounts.stamp();
        for (StoredAccount account : accounts.all()) {
            boolean tenantEnabled = account.id().tenant().flatMap(tenants::find).map(Tenant::enabled).orElse(true);
            if (account.active() && tenantEnabled) {
                apply(account);
            } else {
                applied.put(account.id(), account.updatedAt());
            }
        }
        following = timers.scheduleWithFixedDelay(this::followOtherNodes, 500, 500, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        synchronized (this) {
            running = false;
            if (following != null) {
                following.cancel(false);
                following = null;
            }
            for (AccountId id : List.copyOf(active.keySet())) {
                OutboundRegistration registration = deactivated(id);
                if (registration != null) {
                    pending.add(registration.stop());
                }
            }
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                    .get(UNREGISTER_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("not every SIP account was un-registered before shutdown");
        }
    }

    /**
     * The threads end only with the bean: a lifecycle stop may be followed by a start again (a
     * paused application context, as the test framework's context cache does).
     */
    @PreDestroy
    void close() {
        timers.shutdownNow();
        pool.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the SIP engine starts, before it stops: un-REGISTERs still have transports to leave by. */
    @Override
    public int getPhase() {
        return engine.getPhase() + 1;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            return t;
        };
    }
}
