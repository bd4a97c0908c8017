package dev.switchboard.web;

import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document ({@code /v3/api-docs}, Swagger UI): every call needs a bearer token unless
 * its operation says otherwise ({@code @SecurityRequirements} with none), and schemas carry the
 * snake_case names the JSON on the wire uses.
 */
@Configuration
public class OpenApiConfig {

    static final String BEARER = "bearer";
    /** The Yay surface's header login: all three headers together (SPEC 3.3). */
    static final String[] YAY_HEADERS = {"X-Auth-Reseller", "X-Auth-User", "X-Auth-Password"};

    @Bean
    OpenAPI switchboardOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Switchboard").version("v2")
                        .description("Multi-tenant SIP platform: PortSIP-compatible authentication, BAS-IP-compatible "
                                + "device API, Yay-compatible trunk API and the native management API. Errors are "
                                + "RFC 9457 problem documents except where a compatible surface has its own shape."))
                .components(withYayHeaders(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("An access token from POST /api/auth/sign_in, POST /api/login or "
                                + "GET /api/v1/login"))))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    private static Components withYayHeaders(Components components) {
        String[] what = {"the tenant's domain", "a username of the tenant", "that user's password"};
        for (int i = 0; i < YAY_HEADERS.length; i++) {
            components.addSecuritySchemes(YAY_HEADERS[i], new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                    .in(SecurityScheme.In.HEADER).name(YAY_HEADERS[i])
                    .description("Yay trunk API only, with the other two X-Auth headers: " + what[i]));
        }
        return components;
    }

    /** The Yay trunk calls take a bearer token or, instead, the three X-Auth headers together. */
    @Bean
    OpenApiCustomizer yayHeaderLogin() {
        return api -> api.getPaths().forEach((path, item) -> {
            if (path.startsWith("/voip")) {
                SecurityRequirement headers = new SecurityRequirement();
                for (String name : YAY_HEADERS) {
                    headers.addList(name);
                }
                item.readOperations().forEach(operation -> operation.setSecurity(
                        List.of(new SecurityRequirement().addList(BEARER), headers)));
            }
        });
    }

    /**
     * The refusals every call can meet, in its surface's error shape, where the operation does not
     * list them itself: 400 for input, 401 and 403 for calls that need a token, 404 for a path that
     * names a resource (another tenant's answers the same way).
     */
    @Bean
    OpenApiCustomizer documentedRefusals() {
        return api -> {
            Components components = api.getComponents();
            components.addSchemas("Problem", new ObjectSchema().description("RFC 9457 problem document")
                    .addProperty("type", new StringSchema()).addProperty("title", new StringSchema())
                    .addProperty("status", new IntegerSchema()).addProperty("detail", new StringSchema())
                    .addProperty("instance", new StringSchema())
                    .addProperty("field", new StringSchema().description("the request field at fault, if one")));
            components.addSchemas("DeviceError", new ObjectSchema().description("BAS-IP error")
                    .addProperty("error", new StringSchema().example("Wrong JSON body")));
            components.addSchemas("YayError", new ObjectSchema().description("Yay envelope of a refusal")
                    .addProperty("result", new ObjectSchema()).addProperty("status_code", new IntegerSchema())
                    .addProperty("status_message", new StringSchema())
                    .addProperty("errors", new ArraySchema().items(new ObjectSchema()
                            .addProperty("field", new StringSchema()).addProperty("message", new StringSchema()))));
            api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                if (path.equals("/api/auth/forget_password")) {
                    // SPEC 3.1: "200 always", whatever the body; nothing else to document.
                    return;
                }
                String schema = path.startsWith("/api/v1") ? "DeviceError" : path.startsWith("/voip") ? "YayError"
                        : "Problem";
                String type = schema.equals("Problem") ? "application/problem+json" : "application/json";
                boolean needsToken = operation.getSecurity() == null || !operation.getSecurity().isEmpty();
                boolean writes = method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PUT;
                if (operation.getResponses() == null) {
                    operation.setResponses(new ApiResponses());
                }
                ApiResponses answers = operation.getResponses();
                refusal(answers, "400", "The input is malformed or breaks a rule", schema, type);
                if (needsToken) {
                    refusal(answers, "401", path.startsWith("/voip") ? "No valid token or X-Auth-* headers"
                            : "No valid token", schema, type);
                    refusal(answers, "403", "The caller's role does not allow this", schema, type);
                }
                // An unknown {provider} is a 400 (SPEC 3.1), not a missing resource.
                if (path.contains("{") && !path.endsWith("{provider}") || path.equals("/api/info")
                        || path.equals("/api/v2/audit")) {
                    refusal(answers, "404", "No such resource, or one of another tenant", schema, type);
                }
                if (operation.getRequestBody() != null) {
                    refusal(answers, "413", "The body is over the size limit", schema, type);
                    if (!schema.equals("DeviceError")) {
                        refusal(answers, "415", "The body is not sent as application/json", schema, type);
                    }
                }
                if (writes && (path.startsWith("/api/v2/tenants") && !path.contains("/sip-accounts"))) {
                    refusal(answers, "409", "Taken: a domain, username, extension or e-mail already in use", schema,
                            type);
                }
                boolean checksPassword = (path.equals("/api/auth/sign_in") || path.equals("/api/login"))
                        && method != PathItem.HttpMethod.GET || path.equals("/api/v1/login") || path.startsWith("/voip")
                        || path.equals("/api/v2/me/password");
                if (checksPassword) {
                    refusal(answers, "429", "Locked after repeated failures; Retry-After says for how long", schema,
                            type);
                }
                if (PASSWORD_CALLS.contains(path) && method != PathItem.HttpMethod.GET) {
                    refusal(answers, "401", "Wrong credentials", schema, type);
                }
                if (path.equals("/api/auth/sign_in/{provider}") || path.equals("/api/login/by_microsoft")) {
                    refusal(answers, "502", "The tenant's identity provider could not be reached", schema, type);
                }
                if (operation.getParameters() != null) {
                    operation.getParameters().forEach(OpenApiConfig::describePaging);
                }
                ApiResponse noContent = answers.get("204");
                if (noContent != null) {
                    noContent.setContent(null);
                }
                if (path.startsWith("/voip") && (operation.getParameters() == null || operation.getParameters()
                        .stream().noneMatch(p -> "tenant".equals(p.getName())))) {
                    operation.addParametersItem(new io.swagger.v3.oas.models.parameters.QueryParameter().name("tenant")
                            .required(false).schema(new StringSchema())
                            .description("SystemAdmin only: the tenant, by uuid or domain (or X-Auth-Reseller)"));
                }
            }));
        };
    }

    /**
     * A nullable field of an object type: springdoc writes {@code {"type":"null","$ref":...}}, and in
     * OpenAPI 3.1 both keywords apply, so only null would validate. Written as a choice instead.
     */
    @Bean
    OpenApiCustomizer nullableReferences() {
        return api -> {
            if (api.getComponents() == null || api.getComponents().getSchemas() == null) {
                return;
            }
            api.getComponents().getSchemas().values().forEach(schema -> {
                Map<String, Schema> properties = schema.getProperties();
                if (properties == null) {
                    return;
                }
                properties.replaceAll((name, property) -> {
                    boolean nullable = property.getTypes() != null && property.getTypes().contains("null")
                            || Boolean.TRUE.equals(property.getNullable());
                    if (property.get$ref() == null || !nullable) {
                        return property;
                    }
                    Schema<?> choice = new Schema<>().oneOf(List.of(new Schema<>().$ref(property.get$ref()),
                            new Schema<>().types(java.util.Set.of("null"))));
                    choice.setDescription(property.getDescription());
                    return choice;
                });
            });
        };
    }

    /** The cursor pagination parameters every native list takes (bounds checked by {@link Page#limit}). */
    private static void describePaging(io.swagger.v3.oas.models.parameters.Parameter parameter) {
        if ("limit".equals(parameter.getName()) && "query".equals(parameter.getIn())) {
            parameter.description("Items per page, 1 to " + Page.MAX_LIMIT + " (400 outside)")
                    .schema(new IntegerSchema().minimum(java.math.BigDecimal.ONE)
                            .maximum(java.math.BigDecimal.valueOf(Page.MAX_LIMIT))._default(Page.DEFAULT_LIMIT));
        } else if ("after".equals(parameter.getName()) && "query".equals(parameter.getIn())
                && parameter.getDescription() == null) {
            parameter.description("The `next` of the previous page");
        }
    }

    /** Calls that take a password (or a refresh token) and so can say 401 without needing a token. */
    private static final java.util.Set<String> PASSWORD_CALLS = java.util.Set.of("/api/auth/sign_in", "/api/login",
            "/api/auth/refresh_token");

    private static void refusal(ApiResponses answers, String status, String description, String schema, String type) {
        Content body = new Content()
                .addMediaType(type, new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + schema)));
        ApiResponse documented = answers.get(status);
        if (documented == null) {
            answers.addApiResponse(status, new ApiResponse().description(description).content(body));
        } else if (documented.getContent() == null || documented.getContent().isEmpty()) {
            // Described by its operation, without the body's shape.
            documented.setContent(body);
        } else {
            // Described with the handler's return type, a bare object for ResponseEntity<Object>.
            documented.getContent().values().forEach(media -> {
                Schema<?> given = media.getSchema();
                if (given == null || given.get$ref() == null
                        && (given.getProperties() == null || given.getProperties().isEmpty())) {
                    media.setSchema(new Schema<>().$ref("#/components/schemas/" + schema));
                }
            });
        }
    }

    /**
     * Schemas as the application's JSON mapper writes them. springdoc describes models with its own
     * (Jackson 2) mapper, which does not know the snake_case naming of the (Jackson 3) HTTP mapper.
     */
    @Bean
    ModelResolver snakeCaseModels() {
        return new ModelResolver(Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE))
                .openapi31(true);
    }
}
