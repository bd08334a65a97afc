package io.idstream.crypto.tls;

import io.idstream.crypto.CryptoException;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Certificates as PEM ({@code -----BEGIN CERTIFICATE-----}), the form {@code openssl x509}, curl's {@code --cacert},
 * Kafka's {@code ssl.truststore.type=PEM} and Python's {@code ssl.ca.location} read.
 */
public final class CertificatePem {
    private CertificatePem() {
    }

    public static String write(X509Certificate certificate) {
        try {
            String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            // Re-encoding a certificate that was parsed or built in memory does not fail: a bug, not refused input.
            throw new IllegalStateException("cannot encode the certificate of "
                    + certificate.getSubjectX500Principal(), e);
        }
    }

    /** Every certificate in {@code pem}, in order; text around the blocks is ignored. */
    public static List<X509Certificate> read(String pem, String what) {
        try {
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new CryptoException(what + " holds no PEM certificate");
            }
            return certificates;
        } catch (CertificateException e) {
            throw new CryptoException(what + " is not a PEM certificate: " + e.getMessage());
        }
    }
}
