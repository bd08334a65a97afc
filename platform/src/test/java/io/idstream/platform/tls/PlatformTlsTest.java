package io.idstream.platform.tls;

import io.idstream.crypto.tls.CertificateAuthority;
import io.idstream.crypto.tls.CertificatePem;
import io.idstream.crypto.tls.ServerCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The secure platform's certificates on disk: made on the first start with private files, kept across starts,
 * and renewed when they expire soon or name other hosts, under the same CA so that clients keep trusting them.
 */
class PlatformTlsTest {
    private static final Instant FIRST_START = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path dataDir;

    @Test
    void theFirstStartMakesACaAndAServerCertificateForLoopback() throws Exception {
        PlatformTls tls = PlatformTls.loadOrCreate(dataDir, at(FIRST_START));

        X509Certificate ca = caCertificate();
        assertThat(tls.caCertificate()).isEqualTo(dataDir.resolve("tls/ca.pem"));
        assertThat(ca.getBasicConstraints()).as("a CA").isGreaterThanOrEqualTo(0);
        assertThat(ca.getNotAfter().toInstant()).isAfter(FIRST_START.plus(Duration.ofDays(3649)));
        ServerCertificate server = tls.serverCertificate();
        assertThat(server.subjectAlternativeNames()).containsExactly("DNS:localhost", "IP:127.0.0.1");
        assertThat(server.certificate().getNotAfter().toInstant())
                .isBetween(FIRST_START.plus(Duration.ofDays(364)), FIRST_START.plus(Duration.ofDays(365)));
        server.certificate().verify(ca.getPublicKey());
        for (String secret : List.of("ca-key.pem", "server.p12", "server.p12.password")) {
            assertThat(Files.getPosixFilePermissions(dataDir.resolve("secrets").resolve(secret))).as(secret)
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
        assertThat(Files.getPosixFilePermissions(dataDir.resolve("secrets"))).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    }

    @Test
    void aLaterStartKeepsTheCertificates() {
        PlatformTls first = PlatformTls.loadOrCreate(dataDir, at(FIRST_START));

        PlatformTls second = PlatformTls.loadOrCreate(dataDir, at(FIRST_START.plus(Duration.ofDays(300))));

        assertThat(second.serverCertificate().certificate()).isEqualTo(first.serverCertificate().certificate());
    }

    @Test
    void aCertificateThatExpiresWithinThirtyDaysIsRenewedUnderTheSameCa() throws Exception {
        PlatformTls first = PlatformTls.loadOrCreate(dataDir, at(FIRST_START));
        X509Certificate ca = caCertificate();

        PlatformTls renewed = PlatformTls.loadOrCreate(dataDir, at(FIRST_START.plus(Duration.ofDays(340))));

        X509Certificate server = renewed.serverCertificate().certificate();
        assertThat(server).isNotEqualTo(first.serverCertificate().certificate());
        assertThat(server.getNotAfter().toInstant()).isAfter(FIRST_START.plus(Duration.ofDays(700)));
        assertThat(caCertificate()).as("clients keep trusting the same CA").isEqualTo(ca);
        server.verify(ca.getPublicKey());
    }

    @Test
    void aCertificateForOtherHostsIsRenewed() throws Exception {
        PlatformTls.loadOrCreate(dataDir, at(FIRST_START));
        CertificateAuthority ca = CertificateAuthority.fromPem(Files.readString(dataDir.resolve("tls/ca.pem")),
                Files.readString(dataDir.resolve("secrets/ca-key.pem")));
        char[] password = Files.readString(dataDir.resolve("secrets/server.p12.password")).trim().toCharArray();
        Files.write(dataDir.resolve("secrets/server.p12"), ca.issueServerCertificate("idstream platform",
                List.of("localhost"), List.of(), FIRST_START, Duration.ofDays(365)).toPkcs12(password));

        PlatformTls renewed = PlatformTls.loadOrCreate(dataDir, at(FIRST_START.plus(Duration.ofDays(1))));

        assertThat(renewed.serverCertificate().subjectAlternativeNames())
                .containsExactly("DNS:localhost", "IP:127.0.0.1");
    }

    @Test
    void clientsTrustTheCaFileAndKeepHostnameVerification() {
        PlatformTls tls = PlatformTls.loadOrCreate(dataDir, at(FIRST_START));

        assertThat(PlatformTls.clientProperties(dataDir))
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("ssl.truststore.type", "PEM")
                .containsEntry("ssl.truststore.location", tls.caCertificate().toString())
                .containsEntry("schema.registry.ssl.truststore.location", tls.caCertificate().toString())
                .doesNotContainKey("ssl.endpoint.identification.algorithm");
    }

    private X509Certificate caCertificate() throws Exception {
        return CertificatePem.read(Files.readString(dataDir.resolve("tls/ca.pem")), "ca.pem").get(0);
    }

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }
}
