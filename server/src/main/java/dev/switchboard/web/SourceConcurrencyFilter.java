package dev.switchboard.web;

import dev.switchboard.config.SwitchboardProperties;
import dev.switchboard.sip.net.PerSourceLimit;
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
 * Refuses a request with 429 while its source address already has
 * {@code switchboard.http.max-requests-per-source} in progress. A request holds a worker thread
 * while its body comes in, however slowly: a probe's 210 bodies sent a byte at a time from one
 * address held all 200 and stopped every surface, health included. Refused before any body is read.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class SourceConcurrencyFilter extends OncePerRequestFilter {

    private final int limit;
    private final PerSourceLimit<String> inProgress;

    public SourceConcurrencyFilter(SwitchboardProperties properties) {
        this.limit = properties.http().maxRequestsPerSource();
        this.inProgress = new PerSourceLimit<>(limit);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (limit <= 0) {
            chain.doFilter(request, response);
            return;
        }
        String source = request.getRemoteAddr();
        if (!inProgress.tryEnter(source)) {
            response.setHeader("Retry-After", "1");
            Surface.of(request).write(request, response, HttpStatus.TOO_MANY_REQUESTS,
                    "Too many requests in progress from this address");
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            inProgress.leave(source);
        }
    }
}
