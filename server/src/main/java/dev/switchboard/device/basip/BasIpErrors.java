package dev.switchboard.device.basip;

import dev.switchboard.web.ApiException;
import dev.switchboard.web.RequestSizeLimitFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The BAS-IP error shape, {@code {"error": "…"}}, for the device API's controllers only; it runs
 * before the RFC 9457 {@code ProblemHandler} that answers every other surface.
 */
@RestControllerAdvice(assignableTypes = BasIpController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
public class BasIpErrors {

    private static final Logger log = LoggerFactory.getLogger(BasIpErrors.class);

    @ExceptionHandler(ApiException.class)
    public ResponseEntity<Map<String, String>> refused(ApiException e) {
        String text = e.status() == HttpStatus.UNAUTHORIZED ? "Log In" : e.getMessage();
        return e.decorate(error(e.status(), text));
    }

    @ExceptionHandler(AccessDeniedException.class)
    public ResponseEntity<Map<String, String>> denied(AccessDeniedException e) {
        return error(HttpStatus.FORBIDDEN, "Access denied");
    }

    /** A body the server could not even read as text: too large, or broken mid-way. */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException e) {
        if (RequestSizeLimitFilter.BodyTooLargeException.in(e).isPresent()) {
            return error(HttpStatus.CONTENT_TOO_LARGE, "Request body too large");
        }
        return error(HttpStatus.BAD_REQUEST, "Wrong JSON body");
    }

    /** A Content-Type that is not JSON, or not even a media type: the body cannot be read as JSON (SPEC 3.2, 1). */
    @ExceptionHandler(org.springframework.web.HttpMediaTypeNotSupportedException.class)
    public ResponseEntity<Map<String, String>> mediaType(org.springframework.web.HttpMediaTypeNotSupportedException e) {
        return error(HttpStatus.BAD_REQUEST, "Wrong JSON body");
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<Map<String, String>> unexpected(Exception e, HttpServletRequest request) {
        log.error("unexpected failure on {} {}", request.getMethod(), request.getRequestURI(), e);
        return error(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");
    }

    static ResponseEntity<Map<String, String>> error(HttpStatus status, String text) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(Map.of("error", text));
    }
}
