package dev.switchboard.auth.sso;

import dev.switchboard.crypto.SecretBox;
import dev.switchboard.tenant.TenantRepository;
import dev.switchboard.web.ApiException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Keeps a tenant's Microsoft sign-in settings valid, with the client secret sealed. */
@Service
public class SsoSettingsService {

    /** Entra's v2.0 issuer for a directory (tenant id or verified domain). */
    static final String ENTRA_ISSUER = "https://login.microsoftonline.com/%s/v2.0";
    private static final Pattern ENTRA_TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,127}");
    private static final Pattern ENTRA_ISSUER_PATTERN =
            Pattern.compile("(?i:https://login\\.microsoftonline\\.com)/([A-Za-z0-9.-]+)/v2\\.0");
    private static final int MAX_PREFIXES = 20;
    private static final Logger log = LoggerFactory.getLogger(SsoSettingsService.class);

    private final SsoSettingsRepository settings;
    private final TenantRepository tenants;
    private final SecretBox box;
    private final Clock clock;

    public SsoSettingsService(SsoSettingsRepository settings, TenantRepository tenants, SecretBox box, Clock clock) {
        this.settings = settings;
        this.tenants = tenants;
        this.box = box;
        this.clock = clock;
    }

    /** What a client sends; a null client secret keeps the stored one. */
    public record Changes(String entraTenantId, String issuerUri, String clientId, String clientSecret,
                          List<String> callbackUrlPrefixes) {
    }

    public Optional<SsoSettings> find(UUID tenant, SsoProvider provider) {
        requireTenant(tenant);
        return settings.find(tenant, provider);
    }

    /** Stores the settings, any issuer allowed (the system administrator's call). */
    @Transactional
    public SsoSettings put(UUID tenant, SsoProvider provider, Changes c) {
        return save(tenant, provider, c, true);
    }

    /**
     * As {@link #put(UUID, SsoProvider, Changes)}, for a caller who may name only Microsoft's own
     * issuers (a tenant's Admin): the server fetches whatever issuer is named, so another one,
     * such as {@code http://10.0.0.5/}, would let the tenant make it call inside the operator's network.
     * The issuer already stored may be sent back unchanged.
     */
    @Transactional
    public SsoSettings putWithMicrosoftIssuer(UUID tenant, SsoProvider provider, Changes c) {
        return save(tenant, provider, c, false);
    }

    private SsoSettings save(UUID tenant, SsoProvider provider, Changes c, boolean anyIssuer) {
        requireTenant(tenant);
        Optional<SsoSettings> current = settings.find(tenant, provider);
        String issuer = issuer(c);
        if (!anyIssuer && entraTenantOf(issuer) == null
                && current.map(SsoSettings::issuerUri).filter(issuer::equals).isEmpty()) {
            throw new ApiException(org.springframework.http.HttpStatus.FORBIDDEN, "issuer_uri",
                    "only the system administrator may set an issuer_uri other than Microsoft Entra's");
        }
        String clientId = text("client_id", c.clientId(), 256);
        String sealed;
        if (c.clientSecret() == null) {
            sealed = current.map(SsoSettings::sealedClientSecret).orElseThrow(() ->
                    ApiException.invalid("client_secret", "client_secret is required"));
        } else {
            sealed = box.seal(text("client_secret", c.clientSecret(), 1024));
        }
        List<String> prefixes = prefixes(c.callbackUrlPrefixes());
        SsoSettings saved = new SsoSettings(tenant, provider, issuer, clientId, sealed, prefixes, clock.instant());
        try {
            settings.save(saved);
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict(null, "the settings were changed at the same moment; send them again");
        }
        log.info("sso settings saved: tenant={} provider={} issuer={}", tenant, provider.wire(), issuer);
        return saved;
    }

    @Transactional
    public void delete(UUID tenant, SsoProvider provider) {
        requireTenant(tenant);
        if (!settings.delete(tenant, provider)) {
            throw ApiException.notFound("SSO settings");
        }
        log.info("sso settings deleted: tenant={} provider={}", tenant, provider.wire());
    }

    /** The client secret in clear, only for presenting it to the provider's token endpoint. */
    public String clientSecret(SsoSettings s) {
        return box.open(s.sealedClientSecret());
    }

    /** The Entra directory named by a standard Entra issuer, for display. */
    static String entraTenantOf(String issuer) {
        var m = ENTRA_ISSUER_PATTERN.matcher(issuer);
        return m.matches() ? m.group(1) : null;
    }

    private void requireTenant(UUID tenant) {
        if (tenants.find(tenant).isEmpty()) {
            throw ApiException.notFound("Tenant");
        }
    }

    /** issuer_uri wins; otherwise the Entra v2.0 issuer of entra_tenant_id. */
    private static String issuer(Changes c) {
        if (c.issuerUri() != null && !c.issuerUri().isBlank()) {
            String issuer = c.issuerUri().strip();
            if (issuer.length() > 512 || !CallbackUrls.isHttp(issuer) || issuer.contains("?") || issuer.contains("#")) {
                throw ApiException.invalid("issuer_uri",
                        "issuer_uri must be an http or https URL without query or fragment, at most 512 characters");
            }
            String trimmed = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
            // Entra's issuer in any letters is Entra's: kept as its ID tokens spell it, so they match.
            // Any other is kept as given: some issuers end in a slash (Auth0's), and their tokens say so.
            String entraTenant = entraTenantOf(trimmed);
            return entraTenant != null ? String.format(ENTRA_ISSUER, entraTenant) : issuer;
        }
        if (c.entraTenantId() == null || c.entraTenantId().isBlank()) {
            throw ApiException.invalid("entra_tenant_id", "entra_tenant_id or issuer_uri is required");
        }
        String tenant = c.entraTenantId().strip();
        if (!ENTRA_TENANT.matcher(tenant).matches()) {
            throw ApiException.invalid("entra_tenant_id",
                    "entra_tenant_id must be the directory (tenant) id or a verified domain of the Entra tenant");
        }
        return String.format(ENTRA_ISSUER, tenant);
    }

    private static List<String> prefixes(List<String> prefixes) {
        if (prefixes == null || prefixes.isEmpty()) {
            throw ApiException.invalid("callback_url_prefixes",
                    "callback_url_prefixes must list at least one http or https URL prefix");
        }
        if (prefixes.size() > MAX_PREFIXES) {
            throw ApiException.invalid("callback_url_prefixes",
                    "callback_url_prefixes may list at most " + MAX_PREFIXES + " prefixes");
        }
        for (String prefix : prefixes) {
            if (prefix == null || prefix.length() > 180 || !CallbackUrls.isHttp(prefix)) {
                throw ApiException.invalid("callback_url_prefixes",
                        "every callback URL prefix must be an http or https URL of at most 180 characters");
            }
        }
        return List.copyOf(prefixes);
    }

    private static String text(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid(field, field + " is required");
        }
        if (value.length() > max) {
            throw ApiException.invalid(field, field + " must be at most " + max + " characters");
        }
        return value.strip();
    }
}
