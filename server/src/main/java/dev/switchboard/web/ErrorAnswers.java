package dev.switchboard.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers the servlet container's error dispatches (a request the firewall rejected, an error
 * raised outside any controller) in the shape of the surface the request was for, in place of
 * Spring Boot's own JSON; called directly, {@code /error} is a path like any unknown one.
 */
@RestController
@io.swagger.v3.oas.annotations.Hidden
public class ErrorAnswers implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    public ResponseEntity<Object> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        HttpStatus status = code instanceof Integer c ? HttpStatus.resolve(c) : null;
        if (status == null || !status.isError() || !(uri instanceof String path)) {
            return Surface.NATIVE.refusal(HttpStatus.NOT_FOUND, "No such resource");
        }
        ResponseEntity<Object> answer = Surface.ofUri(path, request.getContextPath())
                .refusal(status, Surface.containerRefusal(status));
        if (answer.getBody() instanceof org.springframework.http.ProblemDetail problem) {
            // The request's own path, not the error dispatch's (/error).
            try {
                problem.setInstance(java.net.URI.create(path));
            } catch (IllegalArgumentException unparseable) {
                problem.setInstance(null);
            }
        }
        return answer;
    }
}
