package dev.switchboard.trunk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The Yay.com answer shape: {@code {"result": …, "status_code": N, "status_message": "…"}} with the
 * HTTP status equal to status_code; 204 has no body; 400 adds {@code errors: [{field, message}]}.
 */
final class YayEnvelope {

    private YayEnvelope() {
    }

    static ResponseEntity<Object> ok(HttpStatus status, Object result) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body(status, result, null));
    }

    /** 201 with the envelope and, as RFC 9110 §15.3.2 has it, where the new resource is. */
    static ResponseEntity<Object> created(String location, Object result) {
        return ResponseEntity.status(HttpStatus.CREATED).location(java.net.URI.create(location))
                .contentType(MediaType.APPLICATION_JSON).body(body(HttpStatus.CREATED, result, null));
    }

    static ResponseEntity<Object> noContent() {
        return ResponseEntity.noContent().build();
    }

    static ResponseEntity<Object> error(HttpStatus status) {
        return error(status, null);
    }

    static ResponseEntity<Object> error(HttpStatus status, List<InvalidFields.FieldError> errors) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(body(status, Map.of(), status == HttpStatus.BAD_REQUEST && errors == null ? List.of() : errors));
    }

    private static Map<String, Object> body(HttpStatus status, Object result, List<InvalidFields.FieldError> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("result", result);
        body.put("status_code", status.value());
        body.put("status_message", status.getReasonPhrase());
        if (errors != null) {
            body.put("errors", errors);
        }
        return body;
    }
}
