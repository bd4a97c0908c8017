package dev.switchboard.sip.transport;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** JDK TLS contexts for the SIP TLS listener and for outbound TLS connections. */
public final class TlsContexts {

    private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);
    static final String GENERATED_FILE = "sip-tls.p12";
    private static final char[] GENERATED_PASSWORD = "switchboard".toCharArray();

    private TlsContexts() {
    }

    /** The server context: the configured key store, or a self-signed certificate generated once. */
    public static SslContext server(TransportSettings settings) throws IOException, GeneralSecurityException {
        Path store = settings.tlsKeyStore().orElse(null);
        char[] password = settings.tlsKeyStorePassword() == null ? new char[0]
                : settings.tlsKeyStorePassword().toCharArray();
        if (store == null) {
            store = settings.generatedCertificateDir().resolve(GENERATED_FILE);
            password = GENERATED_PASSWORD;
            if (!Files.exists(store)) {
                generateSelfSigned(store);
            }
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, password);
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, password);
        return SslContextBuilder.forServer(factory).sslProvider(SslProvider.JDK)
                .protocols("TLSv1.3", "TLSv1.2").build();
    }

    /**
     * The client context. Peers are verified against the JDK trust store unless verification is
     * switched off (self-signed upstreams in a lab).
     */
    public static SslContext client(boolean verifyPeers) throws IOException {
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .protocols("TLSv1.3", "TLSv1.2");
        if (verifyPeers) {
            // RFC 5922 §7: the peer's certificate must name the host we meant to reach.
            builder.endpointIdentificationAlgorithm("HTTPS");
        } else {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
        }
        return builder.build();
    }

    static void generateSelfSigned(Path file) throws IOException, GeneralSecurityException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=switchboard");
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), name,
                pair.getPublic());
        try {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.iPAddress, "::1")}));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("sip", pair.getPrivate(), GENERATED_PASSWORD, new X509Certificate[] {certificate});
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, GENERATED_PASSWORD);
            }
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign the self-signed certificate", e);
        }
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system; the file keeps the default permissions
        }
        log.info("generated a self-signed SIP TLS certificate in {}", file);
    }
}
