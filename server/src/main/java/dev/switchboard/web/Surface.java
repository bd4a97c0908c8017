package dev.switchboard.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * The HTTP surface a request belongs to, which decides the shape of its error answers:
 * BAS-IP device calls answer {@code {"error":…}}, Yay trunk calls their envelope, the rest RFC 9457.
 */
public enum Surface {
    DEVICE,
    TRUNK,
    NATIVE;

    public static Surface of(HttpServletRequest request) {
        return ofPath(path(request));
    }

    /** The surface of a path within the application. */
    public static Surface ofPath(String path) {
        if (path.startsWith("/api/v1/") || path.equals("/api/v1")) {
            return DEVICE;
        }
        if (path.startsWith("/voip/") || path.equals("/voip")) {
            return TRUNK;
        }
        return NATIVE;
    }

    /** The surface of a request URI as the container reports it, context path included. */
    static Surface ofUri(String uri, String contextPath) {
        String context = contextPath == null ? "" : contextPath;
        return ofPath(uri.startsWith(context) ? uri.substring(context.length()) : uri);
    }

    /**
     * The detail of a refusal the container made before any handler: a 500 is ours; anything else,
     * 501 (an unknown method) and 505 (an unknown HTTP version) too, is the request's doing.
     */
    static String containerRefusal(HttpStatus status) {
        return status == HttpStatus.INTERNAL_SERVER_ERROR ? "Internal error; the request changed nothing"
                : "The request was refused: " + status.getReasonPhrase();
    }

    /** The request's path within the application. */
    public static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    /**
     * A refusal in this surface's shape from the handlers that answer before any controller is
     * chosen (no such path, method not allowed), so that the controllers' own advice cannot.
     */
    public ResponseEntity<Object> refusal(HttpStatus status, String nativeDetail, HttpMethod... allow) {
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(status);
        if (allow.length > 0) {
            // An empty Allow says "no method at all", which only a 405 of a locked resource means.
            answer.allow(allow);
        }
        if (status == HttpStatus.UNAUTHORIZED) {
            answer.header(HttpHeaders.WWW_AUTHENTICATE, Problems.BEARER_CHALLENGE);
        }
        return switch (this) {
            case DEVICE -> answer.contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("error", deviceError(status)));
            case TRUNK -> {
                Map<String, Object> envelope = new LinkedHashMap<>();
                envelope.put("result", Map.of());
                envelope.put("status_code", status.value());
                envelope.put("status_message", status.getReasonPhrase());
                if (status == HttpStatus.BAD_REQUEST) {
                    // SPEC 3.3: every 400 carries the errors list, also one no field is to blame for.
                    Map<String, Object> error = new LinkedHashMap<>();
                    error.put("field", "request");
                    error.put("message", nativeDetail);
                    envelope.put("errors", List.of(error));
                }
                yield answer.contentType(MediaType.APPLICATION_JSON).body(envelope);
            }
            case NATIVE -> answer.contentType(Problems.PROBLEM_JSON).body(Problems.detail(status, nativeDetail, null));
        };
    }

    /**
     * Writes a refusal from a servlet filter, before any controller runs; a problem (native
     * surface) names the request's path as its {@code instance}, as the problems Spring MVC writes do.
     */
    public void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
                      String nativeDetail) throws IOException {
        response.setStatus(status.value());
        if (status == HttpStatus.UNAUTHORIZED && !response.containsHeader(HttpHeaders.WWW_AUTHENTICATE)) {
            // RFC 9110 §15.5.2: every 401 names the scheme that would be accepted.
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, Problems.BEARER_CHALLENGE);
        }
        if (!response.containsHeader(HttpHeaders.CACHE_CONTROL)) {
            // As every answer through the security filters has it: refusals too are not to be cached.
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        }
        String type;
        String body;
        switch (this) {
            case DEVICE -> {
                type = MediaType.APPLICATION_JSON_VALUE;
                body = "{\"error\":\"" + deviceError(status) + "\"}";
            }
            case TRUNK -> {
                type = MediaType.APPLICATION_JSON_VALUE;
                // The seed's envelope carries the reason phrase ("Unauthorized"), not a sentence.
                body = "{\"result\":{},\"status_code\":" + status.value()
                        + ",\"status_message\":\"" + status.getReasonPhrase() + "\""
                        + (status == HttpStatus.BAD_REQUEST ? ",\"errors\":[{\"field\":\"request\",\"message\":\""
                                + Problems.escape(nativeDetail) + "\"}]" : "") + "}";
            }
            default -> {
                type = Problems.PROBLEM_JSON.toString();
                body = Problems.json(status, nativeDetail, request.getRequestURI() == null ? "" : request.getRequestURI());
            }
        }
        // The same Content-Type as the answers the controllers write (JSON is UTF-8 by definition,
        // RFC 8259 §8.1), with no charset parameter that only these would carry.
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        response.setContentType(type);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** The BAS-IP error text of a refusal: the seed's "Log In" for 401, else the reason phrase. */
    private static String deviceError(HttpStatus status) {
        return status == HttpStatus.UNAUTHORIZED ? "Log In" : status.getReasonPhrase();
    }
}
