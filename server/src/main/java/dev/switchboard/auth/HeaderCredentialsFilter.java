package dev.switchboard.auth;

import dev.switchboard.web.ApiException;
import dev.switchboard.web.Surface;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The Yay surface's header credentials (SPEC 3.3), on {@code /voip} only and only when no bearer
 * token already authenticated the request. Wrong credentials are answered at once (401, or 429
 * while locked) in the surface's envelope.
 */
public class HeaderCredentialsFilter extends OncePerRequestFilter {

    static final String USER = "X-Auth-User";
    static final String PASSWORD = "X-Auth-Password";
    static final String RESELLER = "X-Auth-Reseller";

    private final HeaderCredentials credentials;

    public HeaderCredentialsFilter(HeaderCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return Surface.of(request) != Surface.TRUNK;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String user = request.getHeader(USER);
        String password = request.getHeader(PASSWORD);
        boolean authenticated = SecurityContextHolder.getContext().getAuthentication() != null;
        if (!authenticated && (user != null || password != null)) {
            if (user == null || user.isEmpty() || password == null) {
                Surface.TRUNK.write(request, response, org.springframework.http.HttpStatus.UNAUTHORIZED,
                        "X-Auth-User and X-Auth-Password are both required");
                return;
            }
            try {
                Caller caller = credentials.authenticate(request.getHeader(RESELLER), user, password,
                        request.getRemoteAddr());
                var authentication = new UsernamePasswordAuthenticationToken(caller, null,
                        List.of(new SimpleGrantedAuthority("ROLE_" + caller.role().name())));
                SecurityContextHolder.getContext().setAuthentication(authentication);
            } catch (ApiException refused) {
                if (refused.retryAfterSeconds() != null) {
                    response.setHeader(org.springframework.http.HttpHeaders.RETRY_AFTER,
                            Long.toString(refused.retryAfterSeconds()));
                }
                Surface.TRUNK.write(request, response, refused.status(), refused.getMessage());
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
