package dev.switchboard.trunk;

import dev.switchboard.tenant.Tenant;
import dev.switchboard.user.SipCredentials;
import dev.switchboard.user.UserRepository;
import dev.switchboard.web.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Trunks of a tenant and their authentication methods. Method changes run one at a time across
 * the cluster (a row lock on {@code trunk_change}), so the overlap and uniqueness checks hold, and
 * reach the {@link TrunkGate} of this node right after commit.
 */
@Service
public class TrunkService {

    private static final Logger log = LoggerFactory.getLogger(TrunkService.class);

    private final TrunkRepository trunks;
    private final UserRepository users;
    private final TrunkGate gate;
    private final TrunkRoutes routes;
    private final TransactionTemplate tx;
    private final Clock clock;

    public TrunkService(TrunkRepository trunks, UserRepository users, TrunkGate gate, TrunkRoutes routes,
                        PlatformTransactionManager transactions, Clock clock) {
        this.routes = routes;
        this.trunks = trunks;
        this.users = users;
        this.gate = gate;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /** A trunk with its methods, as the API shows it. */
    public record TrunkWithMethods(Trunk trunk, List<TrunkAuth> methods) {
    }

    public List<TrunkWithMethods> list(UUID tenant) {
        List<TrunkAuth> all = trunks.methodsOfTenant(tenant);
        return trunks.trunksOf(tenant).stream()
                .map(t -> new TrunkWithMethods(t, all.stream().filter(m -> m.trunkId().equals(t.id())).toList()))
                .toList();
    }

    public TrunkWithMethods get(UUID tenant, UUID id) {
        Trunk trunk = trunk(tenant, id);
        return new TrunkWithMethods(trunk, trunks.methodsOf(id));
    }

    public TrunkWithMethods create(UUID tenant, TrunkRules.TrunkInput input) {
        TrunkRules.TrunkFields f = TrunkRules.trunk(input);
        Instant now = clock.instant();
        Trunk trunk = new Trunk(UUID.randomUUID(), tenant, f.name(), f.domain(), f.port(), f.transport(),
                f.userFormat(), now, now);
        trunks.insert(trunk);
        routes.reload();
        log.info("trunk created: tenant={} trunk={}", tenant, trunk.id());
        return new TrunkWithMethods(trunk, List.of());
    }

    /** PUT: every field is replaced; omitted ones take their defaults. Methods are kept. */
    public TrunkWithMethods replace(UUID tenant, UUID id, TrunkRules.TrunkInput input) {
        TrunkRules.TrunkFields f = TrunkRules.trunk(input);
        Trunk updated = tx.execute(status -> {
            Trunk current = trunk(tenant, id);
            Trunk next = new Trunk(id, tenant, f.name(), f.domain(), f.port(), f.transport(), f.userFormat(),
                    current.createdAt(), clock.instant());
            trunks.update(next);
            return next;
        });
        routes.reload();
        log.info("trunk replaced: tenant={} trunk={}", tenant, id);
        return new TrunkWithMethods(updated, trunks.methodsOf(id));
    }

    public void delete(Tenant tenant, UUID id) {
        List<TrunkAuth> gone = tx.execute(status -> {
            trunk(tenant.id(), id);
            trunks.lockChanges();
            List<TrunkAuth> methods = trunks.methodsOf(id);
            trunks.delete(id);
            trunks.bumpVersion();
            return methods;
        });
        gone.forEach(m -> gate.removed(m, tenant.domain()));
        routes.reload();
        log.info("trunk deleted: tenant={} trunk={} methods={}", tenant.id(), id, gone.size());
    }

    public List<TrunkAuth> methods(UUID tenant, UUID trunkId) {
        trunk(tenant, trunkId);
        return trunks.methodsOf(trunkId);
    }

    public TrunkAuth method(UUID tenant, UUID trunkId, UUID methodId) {
        trunk(tenant, trunkId);
        return trunks.findMethod(trunkId, methodId).orElseThrow(() -> ApiException.notFound("Trunk authentication"));
    }

    public TrunkAuth addMethod(Tenant tenant, UUID trunkId, TrunkRules.MethodInput input) {
        trunk(tenant.id(), trunkId);
        TrunkRules.MethodFields f = TrunkRules.method(input);
        SipCredentials ha1 = f.type() == TrunkAuth.Type.SIPUSER
                ? SipCredentials.derive(f.username(), tenant.domain(), f.password()) : null;
        TrunkAuth created = tx.execute(status -> {
            trunk(tenant.id(), trunkId);
            trunks.lockChanges();
            checkConflicts(tenant.id(), trunkId, f);
            Instant now = clock.instant();
            TrunkAuth method = new TrunkAuth(UUID.randomUUID(), trunkId, tenant.id(), f.type(), f.ip(), f.username(),
                    ha1 == null ? null : ha1.ha1Md5(), ha1 == null ? null : ha1.ha1Sha256(), now, now);
            try {
                trunks.insertMethod(method);
            } catch (DuplicateKeyException e) {
                throw ApiException.conflict("username", "this SIP username is already used in the tenant");
            }
            trunks.bumpVersion();
            return method;
        });
        gate.added(created, tenant.domain());
        log.info("trunk method created: tenant={} trunk={} method={} type={}", tenant.id(), trunkId, created.id(),
                created.type().wire());
        return created;
    }

    public void deleteMethod(Tenant tenant, UUID trunkId, UUID methodId) {
        TrunkAuth gone = tx.execute(status -> {
            trunk(tenant.id(), trunkId);
            trunks.lockChanges();
            TrunkAuth method = trunks.findMethod(trunkId, methodId)
                    .orElseThrow(() -> ApiException.notFound("Trunk authentication"));
            trunks.deleteMethod(methodId);
            trunks.bumpVersion();
            return method;
        });
        gate.removed(gone, tenant.domain());
        log.info("trunk method deleted: tenant={} trunk={} method={}", tenant.id(), trunkId, methodId);
    }

    /** SPEC 3.3's 409s; runs under the change lock so two nodes cannot both pass. */
    private void checkConflicts(UUID tenant, UUID trunkId, TrunkRules.MethodFields f) {
        if (f.type() == TrunkAuth.Type.SIPUSER) {
            if (trunks.sipUserTaken(tenant, f.username())) {
                throw ApiException.conflict("username", "this SIP username is already used by a trunk method");
            }
            if (users.extensionTaken(tenant, f.username(), null)) {
                throw ApiException.conflict("username", "this SIP username is a user extension of the tenant");
            }
        }
        if (f.ip().isEmpty()) {
            return;
        }
        var range = f.ip().get();
        boolean ipMethod = f.type() == TrunkAuth.Type.IP;
        boolean sameOnTrunk = ipMethod && trunks.methodsOf(trunkId).stream()
                .anyMatch(m -> m.type() == TrunkAuth.Type.IP && m.ip().equals(f.ip()));
        if (sameOnTrunk) {
            throw ApiException.conflict("ip", "this trunk already has this ip method");
        }
        // A source address must identify one trunk: an ip method's range may overlap no address of
        // another trunk's method, of any tenant, and no other trunk's ip method may overlap a
        // source-bound sipuser's. Two source-bound sipusers may share an address: the username
        // then tells the trunks apart.
        boolean overlaps = trunks.addressedMethodsNotOf(trunkId).stream()
                .filter(m -> ipMethod || m.type() == TrunkAuth.Type.IP)
                .anyMatch(m -> m.ip().map(range::overlaps).orElse(false));
        if (overlaps) {
            throw ApiException.conflict("ip", "this address range overlaps an address of another trunk's method");
        }
    }

    /** 404 unless the tenant has this trunk: for callers that must say so before judging a body. */
    public void requireTrunk(UUID tenant, UUID id) {
        trunk(tenant, id);
    }

    private Trunk trunk(UUID tenant, UUID id) {
        return trunks.find(tenant, id).orElseThrow(() -> ApiException.notFound("Trunk"));
    }
}
