package dev.switchboard.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The API surfaces answer JSON whatever {@code Accept} says (RFC 9110 §12.5.1 lets a server
 * disregard it). Negotiation fails only after the call has run, so a browser's
 * {@code Accept: text/html} on a sign-in used to turn a done sign-in into a 500; a 406 at that
 * point would equally hide what was done.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class JsonAnswersFilter extends OncePerRequestFilter {

    static final String JSON = "application/json, application/problem+json";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // The PortSIP and native surfaces (/api, /api/v2) and the device and trunk ones.
        return Surface.of(request) == Surface.NATIVE && !Surface.path(request).startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public String getHeader(String name) {
                return HttpHeaders.ACCEPT.equalsIgnoreCase(name) ? JSON : super.getHeader(name);
            }

            @Override
            public Enumeration<String> getHeaders(String name) {
                return HttpHeaders.ACCEPT.equalsIgnoreCase(name) ? Collections.enumeration(java.util.List.of(JSON))
                        : super.getHeaders(name);
            }
        }, response);
    }
}
