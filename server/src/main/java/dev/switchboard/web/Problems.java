package dev.switchboard.web;

import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** Builds RFC 9457 problem answers, the error shape of the native and PortSIP-compatible surfaces. */
public final class Problems {

    public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;
    /** RFC 9110 §15.5.2: every 401 names the scheme that would be accepted (RFC 6750 §3). */
    public static final String BEARER_CHALLENGE = "Bearer realm=\"switchboard\"";

    private Problems() {
    }

    public static ProblemDetail detail(HttpStatus status, String detail, String field) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("about:blank"));
        problem.setTitle(status.getReasonPhrase());
        if (field != null) {
            problem.setProperty("field", field);
        }
        return problem;
    }

    public static ResponseEntity<ProblemDetail> answer(HttpStatus status, String detail) {
        return answer(status, detail, null);
    }

    public static ResponseEntity<ProblemDetail> answer(HttpStatus status, String detail, String field) {
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(status).contentType(PROBLEM_JSON);
        if (status == HttpStatus.UNAUTHORIZED) {
            answer.header(HttpHeaders.WWW_AUTHENTICATE, BEARER_CHALLENGE);
        }
        return answer.body(detail(status, detail, field));
    }

    /**
     * The JSON text of a problem, for filters that answer before Spring MVC runs; {@code instance}
     * is the request's path, as in the problems Spring writes.
     */
    public static String json(HttpStatus status, String detail, String instance) {
        return "{\"type\":\"about:blank\",\"title\":\"" + escape(status.getReasonPhrase())
                + "\",\"status\":" + status.value() + ",\"detail\":\"" + escape(detail) + "\""
                + ",\"instance\":\"" + escape(instance) + "\"}";
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
