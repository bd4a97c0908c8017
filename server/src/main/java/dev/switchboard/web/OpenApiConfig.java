package dev.switchboard.web;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
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

    @Bean
    OpenAPI switchboardOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Switchboard").version("v2")
                        .description("Multi-tenant SIP platform: PortSIP-compatible authentication, BAS-IP-compatible "
                                + "device API, Yay-compatible trunk API and the native management API. Errors are "
                                + "RFC 9457 problem documents except where a compatible surface has its own shape."))
                .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("An access token from POST /api/auth/sign_in or POST /api/login")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
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
