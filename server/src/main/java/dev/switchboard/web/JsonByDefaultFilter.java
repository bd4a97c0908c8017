package dev.switchboard.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads a request body that comes without any Content-Type as JSON, the only body the API
 * takes. A client that forgot the header ({@code requests.post(url, data=json.dumps(…))}, a
 * shell script) got 415 where SPEC 3.1 names 400 for a malformed sign-in; the body is now parsed
 * and judged on what it holds. A Content-Type that names something else is still 415, except on
 * the BAS-IP calls that take a body: devices send their JSON with whatever type (curl's
 * {@code -d} says form-urlencoded), and SPEC 3.2 refuses only a body that is not JSON, so there
 * every body is read as JSON, never parsed as a form (which would consume it) nor refused for a
 * wildcard type.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class JsonByDefaultFilter extends OncePerRequestFilter {

    /** The BAS-IP calls whose body is JSON whatever its declared type. */
    private static final java.util.Set<String> DEVICE_BODIES = java.util.Set.of("/api/v1/device/sip/settings",
            "/api/v1/device/sip/enable");

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String method = request.getMethod();
        if ("POST".equals(method) && DEVICE_BODIES.contains(request.getRequestURI())) {
            return false;
        }
        // by_microsoft takes a form (SPEC 3.1): without a type its body is no JSON either.
        return request.getContentType() != null || request.getRequestURI().equals("/api/login/by_microsoft")
                || !("POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method))
                || !(request.getRequestURI().startsWith("/api/") || request.getRequestURI().startsWith("/voip/")
                        || request.getRequestURI().equals("/voip"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request.getContentType() == null ? new Json(request) : new DeviceJson(request), response);
    }

    /**
     * A BAS-IP body declared as another type: read as JSON, and no parameters (these calls take
     * none), so nothing parses the body as a form before the controller reads it.
     */
    private static final class DeviceJson extends Json {

        DeviceJson(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getParameter(String name) {
            return null;
        }

        @Override
        public java.util.Map<String, String[]> getParameterMap() {
            return java.util.Map.of();
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.emptyEnumeration();
        }

        @Override
        public String[] getParameterValues(String name) {
            return null;
        }
    }

    /** The request with {@code Content-Type: application/json}. */
    private static class Json extends HttpServletRequestWrapper {

        Json(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getContentType() {
            return MediaType.APPLICATION_JSON_VALUE;
        }

        @Override
        public String getHeader(String name) {
            return HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name) ? getContentType() : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)
                    ? Collections.enumeration(List.of(getContentType())) : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = new ArrayList<>(Collections.list(super.getHeaderNames()));
            if (names.stream().noneMatch(HttpHeaders.CONTENT_TYPE::equalsIgnoreCase)) {
                names.add(HttpHeaders.CONTENT_TYPE);
            }
            return Collections.enumeration(names);
        }
    }
}
