package dev.switchboard.trunk;

import dev.switchboard.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Refusals of the Yay trunk API in its envelope, ahead of the RFC 9457 handler of the other surfaces. */
@RestControllerAdvice(assignableTypes = YayTrunkController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
public class YayErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(YayErrorHandler.class);

    @ExceptionHandler(InvalidFields.class)
    public ResponseEntity<Object> invalid(InvalidFields e) {
        return YayEnvelope.error(HttpStatus.BAD_REQUEST, e.errors());
    }

    @ExceptionHandler(ApiException.class)
    public ResponseEntity<Object> refused(ApiException e, HttpServletRequest request) {
        if (e.status() == HttpStatus.BAD_REQUEST) {
            return YayEnvelope.error(HttpStatus.BAD_REQUEST,
                    java.util.List.of(new InvalidFields.FieldError(e.field() == null ? "body" : e.field(),
                            e.getMessage())));
        }
        // The envelope of 404/409 is exactly the seed's; the reason goes to the log (no secrets in it).
        log.info("yay {} {} refused {}: {}", request.getMethod(), request.getRequestURI(), e.status().value(),
                dev.switchboard.audit.LogText.of(e.getMessage()));
        return e.decorate(YayEnvelope.error(e.status()));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ResponseEntity<Object> unreadable(HttpMessageNotReadableException e) {
        if (dev.switchboard.web.RequestSizeLimitFilter.BodyTooLargeException.in(e).isPresent()) {
            // A chunked body that ran over the limit while being read: 413, as when its length was declared.
            return YayEnvelope.error(HttpStatus.CONTENT_TOO_LARGE);
        }
        return YayEnvelope.error(HttpStatus.BAD_REQUEST,
                java.util.List.of(new InvalidFields.FieldError("body", "the request body is not valid JSON")));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    public ResponseEntity<Object> mediaType(HttpMediaTypeNotSupportedException e) {
        return YayEnvelope.error(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    }

    @ExceptionHandler(AccessDeniedException.class)
    public ResponseEntity<Object> denied(AccessDeniedException e) {
        return YayEnvelope.error(HttpStatus.FORBIDDEN);
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<Object> unexpected(Exception e, HttpServletRequest request) {
        log.error("unexpected failure on {} {}", request.getMethod(), request.getRequestURI(), e);
        return YayEnvelope.error(HttpStatus.INTERNAL_SERVER_ERROR);
    }
}
