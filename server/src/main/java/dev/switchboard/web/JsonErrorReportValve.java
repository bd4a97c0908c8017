package dev.switchboard.web;

import java.io.IOException;
import org.apache.catalina.Container;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's error report for requests refused before any servlet runs (a header section over the
 * limit, an encoded slash in the path) in the surface's JSON shape rather than an HTML page.
 */
public class JsonErrorReportValve extends ErrorReportValve {

    /**
     * Puts this valve in place of Tomcat's on the host: the host installs its own when it starts,
     * just before it starts the application's context, so the swap is made then.
     */
    public static TomcatContextCustomizer installer() {
        return context -> context.addLifecycleListener(event -> {
            if (!Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
                return;
            }
            Container host = context.getParent();
            if (host == null) {
                return;
            }
            for (Valve valve : host.getPipeline().getValves()) {
                if (valve.getClass() == ErrorReportValve.class) {
                    host.getPipeline().removeValve(valve);
                }
            }
            boolean present = false;
            for (Valve valve : host.getPipeline().getValves()) {
                present |= valve instanceof JsonErrorReportValve;
            }
            if (!present) {
                host.getPipeline().addValve(new JsonErrorReportValve());
            }
        });
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        HttpStatus status = HttpStatus.resolve(response.getStatus());
        // As Tomcat's own report: only an error nobody has written an answer to yet (the valve
        // sees every response, the application's own refusals included).
        if (status == null || !status.isError() || response.getContentWritten() > 0
                || !response.setErrorReported()) {
            return;
        }
        try {
            String uri = request.getRequestURI() == null ? "/" : request.getRequestURI();
            Surface.ofUri(uri, request.getContextPath())
                    .write(request, response, status, Surface.containerRefusal(status));
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // The connection is gone or the answer already started: nothing more to say.
        }
    }
}
