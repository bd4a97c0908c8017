package dev.switchboard.proxy;

import dev.switchboard.registrar.LocationStore;
import dev.switchboard.registrar.RegisterThrottle;
import dev.switchboard.registrar.RegistrarAudit;
import dev.switchboard.registrar.RegistrarProperties;
import dev.switchboard.registrar.SipDirectory;
import dev.switchboard.sip.LocalAddresses;
import dev.switchboard.sip.SipProperties;
import dev.switchboard.sip.digest.DigestVerifier;
import dev.switchboard.sip.digest.NonceService;
import dev.switchboard.trunk.TrunkGate;
import dev.switchboard.trunk.TrunkHealth;
import dev.switchboard.trunk.TrunkRoutes;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the trunk gate's SIP side and the call router; the SIP engine builds the proxy itself. */
@Configuration
public class ProxyConfig {

    @Bean
    CallServices callServices(SipDirectory directory, TrunkGate gate, TrunkRoutes routes, OutboundAccounts accounts,
                              TrunkHealth health,
                              LocationStore locations,
                              NonceService registrarNonces, DigestVerifier registrarDigestVerifier,
                              RegisterThrottle throttle, RegistrarAudit audit, RegistrarProperties registrar,
                              SipProperties sip, ProxyProperties properties, MeterRegistry meters, Clock clock) {
        LocalAddresses local = new LocalAddresses(sip.host());
        CallAuthenticator authenticator = new CallAuthenticator(directory, gate, registrarNonces,
                registrarDigestVerifier, throttle, audit, registrar.md5OnlyUserAgents(), local::isLocalHost, meters);
        return new CallServices(authenticator, new CallRouter(directory, locations, routes, accounts, health, clock), properties);
    }
}
