package dev.switchboard.web;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Tomcat's own refusals answer JSON like the rest of the API ({@link JsonErrorReportValve}). */
@Configuration(proxyBeanMethods = false)
public class TomcatErrorsConfig {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonErrorReports() {
        return factory -> factory.addContextCustomizers(JsonErrorReportValve.installer());
    }
}
