package dev.switchboard.web;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns refusals into RFC 9457 problem answers for the native and PortSIP-compatible surfaces.
 * Surfaces with their own error shape register a more specific advice.
 */
@RestControllerAdvice
public class ProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiException.class)
    public ResponseEntity<ProblemDetail> refused(ApiException e) {
        return e.decorate(Problems.answer(e.status(), e.getMessage(), e.field()));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        var tooLarge = RequestSizeLimitFilter.BodyTooLargeException.in(e);
        if (tooLarge.isPresent()) {
            return Problems.answer(HttpStatus.CONTENT_TOO_LARGE, tooLarge.get().getMessage());
        }
        return Problems.answer(HttpStatus.BAD_REQUEST, describe(e), fieldOf(e.getCause()));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    public ResponseEntity<ProblemDetail> badParameter(MethodArgumentTypeMismatchException e) {
        return Problems.answer(HttpStatus.BAD_REQUEST,
                "Parameter '" + e.getName() + "' is not a valid " + simpleType(e.getRequiredType()), e.getName());
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    public ResponseEntity<ProblemDetail> missingParameter(MissingServletRequestParameterException e) {
        return Problems.answer(HttpStatus.BAD_REQUEST,
                "Parameter '" + e.getParameterName() + "' is required", e.getParameterName());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    public ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        // The header as sent: one that does not parse (charset=bogus) leaves e.getContentType() null.
        String sent = request.getContentType() == null ? "(none)" : dev.switchboard.audit.LogText.of(request.getContentType());
        return Problems.answer(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "Content-Type " + sent + " is not supported; send application/json");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    public ResponseEntity<Object> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        // RFC 9110 §15.5.6: a 405 lists the methods the resource does allow.
        var allowed = e.getSupportedHttpMethods();
        return Surface.of(request).refusal(HttpStatus.METHOD_NOT_ALLOWED,
                "Method " + e.getMethod() + " is not allowed here",
                allowed == null ? new HttpMethod[0] : allowed.toArray(HttpMethod[]::new));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    public ResponseEntity<Object> noResource(NoResourceFoundException e, HttpServletRequest request) {
        return Surface.of(request).refusal(HttpStatus.NOT_FOUND, "No such resource");
    }

    @ExceptionHandler(AccessDeniedException.class)
    public ResponseEntity<ProblemDetail> denied(AccessDeniedException e) {
        return Problems.answer(HttpStatus.FORBIDDEN, "Your role does not allow this");
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        log.error("unexpected failure on {} {}", request.getMethod(), request.getRequestURI(), e);
        return Problems.answer(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error; the request changed nothing");
    }

    static String describe(HttpMessageNotReadableException e) {
        Throwable cause = e.getCause();
        if (cause instanceof UnrecognizedPropertyException u) {
            return "Unknown field '" + u.getPropertyName() + "'";
        }
        if (cause instanceof InvalidFormatException f) {
            return "Field '" + path(f) + "' has a value of the wrong type or format";
        }
        if (cause instanceof DatabindException d && !d.getPath().isEmpty()
                && d.getCause() instanceof IllegalArgumentException bad && bad.getMessage() != null) {
            return "Field '" + path(d) + "': " + bad.getMessage();
        }
        if (cause instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            return "Field '" + path(m) + "' has a value of the wrong type";
        }
        if (cause instanceof MismatchedInputException) {
            return "Request body must be a JSON object";
        }
        if (cause instanceof JacksonException) {
            return "Request body is not valid JSON";
        }
        return "Request body is missing or not readable";
    }

    private static String fieldOf(Throwable cause) {
        if (cause instanceof UnrecognizedPropertyException u) {
            return u.getPropertyName();
        }
        if (cause instanceof DatabindException d && !d.getPath().isEmpty()) {
            return path(d);
        }
        return null;
    }

    private static String path(DatabindException e) {
        StringBuilder out = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String simpleType(Class<?> type) {
        return type == null ? "value" : type.getSimpleName().equals("UUID") ? "UUID" : type.getSimpleName().toLowerCase();
    }
}
