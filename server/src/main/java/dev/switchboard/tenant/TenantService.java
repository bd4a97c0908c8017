package dev.switchboard.tenant;

import dev.switchboard.web.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates, changes and removes tenants, keeping domains valid and unique. */
@Service
public class TenantService {

    private static final Logger log = LoggerFactory.getLogger(TenantService.class);

    private final TenantRepository tenants;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    public TenantService(TenantRepository tenants, ApplicationEventPublisher events, Clock clock) {
        this.tenants = tenants;
        this.events = events;
        this.clock = clock;
    }

    /** The fields a client may set; null means "not given". */
    public record Changes(String name, String domain, String website, Boolean enabled, String outboundRoute) {
    }

    public Optional<Tenant> find(UUID id) {
        return tenants.find(id);
    }

    public Optional<Tenant> findByDomain(String domain) {
        return domain == null || domain.isBlank() ? Optional.empty() : tenants.findByDomain(domain.trim());
    }

    public List<Tenant> page(UUID after, int limit) {
        return tenants.page(after, limit);
    }

    @Transactional
    public Tenant create(Changes c) {
        String name = requireName(c.name());
        String domain = requireDomain(c.domain());
        String website = website(c.website());
        if (tenants.domainTaken(domain, null)) {
            throw domainConflict(domain);
        }
        Instant now = clock.instant();
        Tenant tenant = new Tenant(UUID.randomUUID(), name, domain, website,
                c.enabled() == null || c.enabled(), outboundRoute(c.outboundRoute(), OutboundRoute.TRUNK), now, now);
        try {
            tenants.insert(tenant);
        } catch (DuplicateKeyException e) {
            throw domainConflict(domain);
        }
        if (tenant.enabled()) {
            events.publishEvent(new TenantEvents.Activated(tenant.id(), true));
        }
        log.info("tenant created: {} ({})", tenant.id(), domain);
        return tenant;
    }

    /** Applies the given fields; fields left out keep their value. */
    @Transactional
    public Tenant update(UUID id, Changes c) {
        Tenant current = tenants.find(id).orElseThrow(() -> ApiException.notFound("Tenant"));
        String name = c.name() == null ? current.name() : requireName(c.name());
        String domain = c.domain() == null ? current.domain() : requireDomain(c.domain());
        boolean sameDomain = DomainNames.same(domain, current.domain());
        if (sameDomain) {
            // The same domain in other letters is no change: domains are case-insensitive, and the
            // realm, which the users' digests are bound to, keeps its spelling.
            domain = current.domain();
        }
        String website = c.website() == null ? current.website() : website(c.website());
        boolean enabled = c.enabled() == null ? current.enabled() : c.enabled();
        if (!sameDomain && tenants.domainTaken(domain, id)) {
            throw domainConflict(domain);
        }
        Tenant updated = new Tenant(id, name, domain, website, enabled,
                outboundRoute(c.outboundRoute(), current.outboundRoute()), current.createdAt(), clock.instant());
        if (updated.equals(new Tenant(id, current.name(), current.domain(), current.website(), current.enabled(),
                current.outboundRoute(), current.createdAt(), updated.updatedAt()))) {
            // Nothing changed: updated_at keeps telling when something last did.
            return current;
        }
        try {
            tenants.update(updated);
        } catch (DuplicateKeyException e) {
            throw domainConflict(domain);
        }
        if (!domain.equals(current.domain())) {
            events.publishEvent(new TenantEvents.DomainChanged(id, current.domain(), domain));
        }
        if (updated.outboundRoute() != current.outboundRoute()) {
            events.publishEvent(new TenantEvents.OutboundRouteChanged(id));
        }
        if (!current.enabled() && enabled) {
            events.publishEvent(new TenantEvents.Activated(id, false));
        }
        if (current.enabled() && !enabled) {
            events.publishEvent(new TenantEvents.Deactivated(id, false));
        }
        log.info("tenant updated: {} ({})", id, domain);
        return updated;
    }

    private static OutboundRoute outboundRoute(String text, OutboundRoute unchanged) {
        if (text == null) {
            return unchanged;
        }
        return OutboundRoute.ofWire(text).orElseThrow(() ->
                ApiException.invalid("outbound_route", "outbound_route must be trunk or sip_account"));
    }

    @Transactional
    public void delete(UUID id) {
        if (!tenants.delete(id)) {
            throw ApiException.notFound("Tenant");
        }
        events.publishEvent(new TenantEvents.Deactivated(id, true));
        log.info("tenant deleted: {}", id);
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw ApiException.invalid("name", "name is required");
        }
        String trimmed = name.strip();
        if (trimmed.length() > 128 || trimmed.chars().anyMatch(TenantService::isControl)) {
            throw ApiException.invalid("name", "name must be at most 128 printable characters");
        }
        return trimmed;
    }

    private static String requireDomain(String domain) {
        if (domain == null || domain.isBlank()) {
            throw ApiException.invalid("domain", "domain is required");
        }
        String trimmed = domain.strip();
        if (!DomainNames.isValid(trimmed)) {
            throw ApiException.invalid("domain",
                    "domain must be a fully qualified domain name or an IP address, e.g. sip.example.com");
        }
        return DomainNames.canonical(trimmed);
    }

    private static String website(String website) {
        if (website == null || website.isBlank()) {
            return null;
        }
        String trimmed = website.strip();
        if (trimmed.length() > 512 || trimmed.chars().anyMatch(TenantService::isControl)) {
            throw ApiException.invalid("website", "website must be at most 512 printable characters");
        }
        // Published without a token (/api/info) and shown as a link by clients: only an http(s) URL
        // or a bare host name, so no javascript:, data:, //host or entity-encoded scheme gets there.
        if (!WEBSITE.matcher(trimmed).matches()) {
            throw ApiException.invalid("website",
                    "website must be an http or https address, or a host name such as www.example.com");
        }
        return trimmed;
    }

    private static final java.util.regex.Pattern WEBSITE = java.util.regex.Pattern.compile(
            "(?i)(https?://[^\\s/?#]+|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:[0-9]{1,5})?)"
                    + "([/?#]\\S*)?");

    /** Control and format characters (RLO, zero-width space, BOM) and lone surrogates: invisible or spoofing. */
    private static boolean isControl(int ch) {
        int type = Character.getType(ch);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                || ch == 0x2028 || ch == 0x2029;
    }

    private static ApiException domainConflict(String domain) {
        return ApiException.conflict("domain", "domain " + domain + " is already used by another tenant");
    }
}
