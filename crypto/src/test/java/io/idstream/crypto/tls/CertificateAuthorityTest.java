package io.idstream.crypto.tls;

import io.idstream.crypto.CryptoException;
import org.junit.jupiter.api.Test;

import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The platform's CA and the server certificates it issues, checked as a TLS client checks them (PKIX). */
class CertificateAuthorityTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Duration YEAR = Duration.ofDays(365);

    private final CertificateAuthority ca = CertificateAuthority.create("idstream test CA", NOW,
            Duration.ofDays(3650));

    @Test
    void aServerCertificateValidatesAgainstTheCaForItsNames() throws Exception {
        ServerCertificate server = ca.issueServerCertificate("idstream platform", List.of("localhost"),
                List.of("127.0.0.1"), NOW, YEAR);

        validate(server.certificate(), ca.certificate(), NOW.plus(Duration.ofDays(1)));
        assertThat(server.subjectAlternativeNames()).containsExactly("DNS:localhost", "IP:127.0.0.1");
        assertThat(server.certificate().getNotAfter().toInstant()).isEqualTo(NOW.plus(YEAR));
        assertThat(server.certificate().getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(ca.certificate().getBasicConstraints()).as("a CA that signs servers only").isZero();
        assertThat(ca.signed(server.certificate())).isTrue();
    }

    @Test
    void anImpostorCaOfTheSameNameIsNotTheSigner() {
        CertificateAuthority other = CertificateAuthority.create("idstream test CA", NOW, YEAR);
        ServerCertificate server = other.issueServerCertificate("impostor", List.of("localhost"),
                List.of("127.0.0.1"), NOW, YEAR);

        assertThat(ca.signed(server.certificate())).isFalse();
        assertThatExceptionOfType(CertPathValidatorException.class)
                .isThrownBy(() -> validate(server.certificate(), ca.certificate(), NOW));
    }

    @Test
    void theCaSurvivesItsPemForms() {
        CertificateAuthority read = CertificateAuthority.fromPem(ca.certificatePem(), ca.privateKeyPem());
        ServerCertificate server = read.issueServerCertificate("idstream platform", List.of(), List.of("127.0.0.1"),
                NOW, YEAR);

        assertThat(read.certificate()).isEqualTo(ca.certificate());
        assertThat(ca.signed(server.certificate())).as("signed by the same key").isTrue();
        assertThat(ca.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void aPrivateKeyThatIsNotTheCertificatesIsRefused() {
        CertificateAuthority other = CertificateAuthority.create("another CA", NOW, YEAR);

        assertThatExceptionOfType(CryptoException.class)
                .isThrownBy(() -> CertificateAuthority.fromPem(ca.certificatePem(), other.privateKeyPem()))
                .withMessageStartingWith("the CA private key is not the key of the CA certificate");
    }

    @Test
    void theKeystoreOpensWithItsPasswordOnly() {
        ServerCertificate server = ca.issueServerCertificate("idstream platform", List.of("localhost"),
                List.of("127.0.0.1"), NOW, YEAR);
        byte[] keystore = server.toPkcs12("right".toCharArray());

        ServerCertificate read = ServerCertificate.fromPkcs12(keystore, "right".toCharArray());

        assertThat(read.certificate()).isEqualTo(server.certificate());
        assertThatExceptionOfType(CryptoException.class)
                .isThrownBy(() -> ServerCertificate.fromPkcs12(keystore, "wrong".toCharArray()))
                .withMessageStartingWith("the keystore cannot be read");
    }

    @Test
    void printedFormsShowNamesNotKeys() {
        ServerCertificate server = ca.issueServerCertificate("idstream platform", List.of("localhost"),
                List.of("127.0.0.1"), NOW, YEAR);
        String keyBody = ca.privateKeyPem().lines().skip(1).findFirst().orElseThrow();

        assertThat(ca.toString()).isEqualTo("CertificateAuthority[CN=idstream test CA]").doesNotContain(keyBody);
        assertThat(server.toString()).contains("CN=idstream platform", "IP:127.0.0.1");
    }

    private static void validate(X509Certificate server, X509Certificate trusted, Instant at) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(trusted, null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(at));
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(server)), parameters);
    }
}
