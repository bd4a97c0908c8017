package dev.switchboard.auth;

import dev.switchboard.user.Role;
import dev.switchboard.web.Problems;
import dev.switchboard.web.Surface;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/** Which HTTP calls need a token, and how a missing or bad one is answered on each surface. */
@Configuration
public class SecurityConfig {

    /** UTC, ticking in microseconds: the precision H2 and PostgreSQL keep, so an answer equals a later read. */
    @Bean
    Clock clock() {
        return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
    }

    /** Present so Spring Boot does not create (and log a password for) a default in-memory user. */
    @Bean
    AuthenticationManager noFormLogins() {
        return authentication -> {
            throw new BadCredentialsException("Switchboard authenticates by bearer token only");
        };
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, TokenService tokens, HeaderCredentials headerCredentials,
                            @Value("${switchboard.metrics.public:false}") boolean publicMetrics)
            throws Exception {
        http.csrf(c -> c.disable())
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .requestCache(r -> r.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new BearerTokenFilter(tokens), AnonymousAuthenticationFilter.class)
                // Yay surface (/voip) only: X-Auth-Reseller/-User/-Password when no bearer token was given.
                .addFilterAfter(new HeaderCredentialsFilter(headerCredentials), BearerTokenFilter.class)
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((request, response, ex) -> {
                            // RFC 9110 §15.5.2 and RFC 6750 §3: a 401 names the scheme to use, and
                            // says why a token that was presented is refused.
                            String presented = request.getHeader(HttpHeaders.AUTHORIZATION);
                            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, presented != null
                                    && presented.regionMatches(true, 0, "Bearer ", 0, 7)
                                    ? Problems.BEARER_CHALLENGE + ", error=\"invalid_token\""
                                    : Problems.BEARER_CHALLENGE);
                            Surface.of(request).write(request, response, HttpStatus.UNAUTHORIZED,
                                    "A valid bearer token is required");
                        })
                        .accessDeniedHandler((request, response, ex) -> Surface.of(request).write(request,
                                response, HttpStatus.FORBIDDEN, "Your role does not allow this")))
                .authorizeHttpRequests(a -> a
                        // Any method, so that a wrong one is told 405 with Allow rather than 401.
                        .requestMatchers("/api/auth/sign_in", "/api/auth/sign_in/*",
                                "/api/auth/token", "/api/auth/refresh_token", "/api/auth/forget_password",
                                "/api/auth/reset_password", "/api/login/by_microsoft", "/api/auth/callback/*",
                                "/api/info", "/api/v1/login").permitAll()
                        // GET (and HEAD) /api/login reads the caller's own token; any other method is
                        // the public sign-in or a 405.
                        .requestMatchers(request -> "/api/login".equals(Surface.path(request))
                                && !HttpMethod.GET.matches(request.getMethod())
                                && !HttpMethod.HEAD.matches(request.getMethod())).permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**",
                                "/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/**", "/swagger-ui.html",
                                "/swagger-ui/**", "/error")
                        .permitAll()
                        // SPEC 2: only the login calls, /api/info and health go without a token. The
                        // metrics cover every tenant, so they are the SystemAdmin's, unless opened for
                        // a scraper on a private network (switchboard.metrics.public=true).
                        .requestMatchers("/actuator/prometheus").access(publicMetrics
                                ? (authentication, context) -> new AuthorizationDecision(true)
                                : AuthorityAuthorizationManager.hasRole(Role.SYSTEM_ADMIN.name()))
                        .anyRequest().authenticated());
        return http.build();
    }
}
