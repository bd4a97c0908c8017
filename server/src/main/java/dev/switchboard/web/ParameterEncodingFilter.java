package dev.switchboard.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, with 400 in the surface's own shape, a query or form whose percent-encoding does not
 * decode ({@code ?domain=%zz}). Tomcat decodes parameters on first use and throws there, which
 * was wherever a handler first read one: a 500 with a stack trace in the log.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public class ParameterEncodingFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            request.getParameterMap();
        } catch (IllegalStateException undecodable) {
            Surface.of(request).write(request, response, HttpStatus.BAD_REQUEST,
                    "The query or form is not valid percent-encoded UTF-8");
            return;
        }
        chain.doFilter(request, response);
    }
}
