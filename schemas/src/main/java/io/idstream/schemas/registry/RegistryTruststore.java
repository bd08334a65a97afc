package io.idstream.schemas.registry;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Locale;

/**
 * The certificates a registry client trusts for an {@code https://} registry, from a truststore file as Kafka's
 * clients take theirs: {@code PEM} (one or more {@code -----BEGIN CERTIFICATE-----} blocks, such as a secure
 * platform's {@code tls/ca.pem}), {@code PKCS12} or {@code JKS}. Host names are still checked against the server's
 * certificate.
 */
public final class RegistryTruststore {
    private RegistryTruststore() {
    }

    /**
     * A TLS context that trusts the certificates of the file.
     *
     * @param password the store's password (PKCS12, JKS), or null
     * @throws IllegalArgumentException when the file cannot be read as that type, with the reason
     */
    public static SSLContext sslContext(Path location, String type, char[] password) {
        try {
            KeyStore trusted;
            if (type.toUpperCase(Locale.ROOT).equals("PEM")) {
                trusted = KeyStore.getInstance("PKCS12");
                trusted.load(null, null);
                Collection<? extends Certificate> certificates;
                try (InputStream in = Files.newInputStream(location)) {
                    certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
                }
                if (certificates.isEmpty()) {
                    throw new IllegalArgumentException(location + " holds no PEM certificate");
                }
                int index = 0;
                for (Certificate certificate : certificates) {
                    trusted.setCertificateEntry("trusted-" + index++, certificate);
                }
            } else {
                trusted = KeyStore.getInstance(type);
                try (InputStream in = Files.newInputStream(location)) {
                    trusted.load(in, password);
                }
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the truststore " + location + " as " + type + ": "
                    + e.getMessage(), e);
        }
    }
}
