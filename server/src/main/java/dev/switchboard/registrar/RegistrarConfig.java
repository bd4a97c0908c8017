package dev.switchboard.registrar;

import dev.switchboard.sip.digest.DigestVerifier;
import dev.switchboard.sip.digest.NonceService;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the registrar's mechanisms; the SIP router decides when each is used. */
@Configuration
public class RegistrarConfig {

    @Bean
    NonceService registrarNonces(ClusterSecret secret, RegistrarProperties properties) {
        return new NonceService(secret.nonceKey(), properties.nonceLifetime());
    }

    @Bean
    DigestVerifier registrarDigestVerifier(NonceService registrarNonces, Clock clock) {
        return new DigestVerifier(registrarNonces, DigestVerifier.Settings.defaults().withClock(clock));
    }

    @Bean
    RegisterThrottle registerThrottle(RegistrarProperties properties, Clock clock) {
        return new RegisterThrottle(properties.throttle(), clock);
    }

    @Bean
    RegisterAuthenticator registerAuthenticator(SipDirectory directory, NonceService registrarNonces,
                                                DigestVerifier registrarDigestVerifier, RegisterThrottle throttle,
                                                RegistrarAudit audit, MeterRegistry meters,
                                                RegistrarProperties properties) {
        return new RegisterAuthenticator(directory, registrarNonces, registrarDigestVerifier, throttle, audit, meters,
                properties.md5OnlyUserAgents());
    }

    @Bean
    Registrar registrar(LocationStore store, RegistrarProperties properties, MeterRegistry meters) {
        return new Registrar(store, properties, meters);
    }

    @Bean
    RegistrarServices registrarServices(SipDirectory directory, RegisterAuthenticator authenticator,
                                        Registrar registrar, Clock clock) {
        return new RegistrarServices(directory, authenticator, registrar, clock);
    }
}
