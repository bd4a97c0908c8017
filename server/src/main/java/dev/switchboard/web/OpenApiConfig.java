package dev.switchboard.web;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
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
                        .description("An access token from POST /api/auth/sign_in or POST /api/login"))))
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
     * Schemas as the application's JSON mapper writes them. springdoc describes models with its own
     * (Jackson 2) mapper, which does not know the snake_case naming of the (Jackson 3) HTTP mapper.
     */
    @Bean
    ModelResolver snakeCaseModels() {
        return new ModelResolver(Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE))
                .openapi31(true);
    }
}
