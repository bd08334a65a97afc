package io.idstream.crypto.tls;

import io.idstream.crypto.CryptoException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * A certificate authority of its own for one secure platform: an ECDSA P-256 key and its self-signed certificate,
 * which clients trust, and which signs the certificates the platform's servers present. Its private key leaves this
 * class only as PKCS#8 PEM for the caller to keep private ({@link #privateKeyPem()}); {@link #toString()} shows the
 * subject alone.
 */
public final class CertificateAuthority {
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PrivateKey privateKey;
    private final X509Certificate certificate;

    private CertificateAuthority(PrivateKey privateKey, X509Certificate certificate) {
        this.privateKey = privateKey;
        this.certificate = certificate;
    }

    /** A new CA named {@code commonName}, valid from {@code notBefore} for {@code validity}. */
    public static CertificateAuthority create(String commonName, Instant notBefore, Duration validity) {
        KeyPair keys = newKeyPair();
        X500Name name = name(commonName);
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(name, name, keys.getPublic(), notBefore, validity)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(keys.getPrivate(), sign(builder, keys.getPrivate()));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot build a CA certificate", e);
        }
    }

    /** The CA kept as its certificate and PKCS#8 private key, both PEM; refuses a key that is not the certificate's. */
    public static CertificateAuthority fromPem(String certificatePem, String privateKeyPem) {
        X509Certificate certificate = CertificatePem.read(certificatePem, "the CA certificate").get(0);
        PrivateKey privateKey = readPrivateKey(privateKeyPem);
        if (!matches(privateKey, certificate.getPublicKey())) {
            throw new CryptoException("the CA private key is not the key of the CA certificate "
                    + certificate.getSubjectX500Principal());
        }
        return new CertificateAuthority(privateKey, certificate);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public String certificatePem() {
        return CertificatePem.write(certificate);
    }

    /** The private key as PKCS#8 PEM, for a file only its owner can read. */
    public String privateKeyPem() {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new JcaPKCS8Generator(privateKey, null));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the CA private key as PKCS#8", e);
        }
        return out.toString();
    }

    /**
     * A new key and a certificate for it that this CA signs, for a TLS server reached by the given DNS names and IP
     * addresses (its subject alternative names, which clients check against the host they connect to).
     */
    public ServerCertificate issueServerCertificate(String commonName, List<String> dnsNames,
                                                    List<String> ipAddresses, Instant notBefore, Duration validity) {
        KeyPair keys = newKeyPair();
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
        ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(name(commonName),
                    X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()), keys.getPublic(),
                    notBefore, validity)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(names.toArray(GeneralName[]::new)))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(certificate));
            return new ServerCertificate(keys.getPrivate(), List.of(sign(builder, privateKey), certificate));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot build a server certificate", e);
        }
    }

    /** Whether this CA signed {@code issued}. */
    public boolean signed(X509Certificate issued) {
        if (!issued.getIssuerX500Principal().equals(certificate.getSubjectX500Principal())) {
            return false;
        }
        try {
            issued.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "CertificateAuthority[" + certificate.getSubjectX500Principal() + "]";
    }

    private static X509v3CertificateBuilder builder(X500Name subject, X500Name issuer, PublicKey publicKey,
                                                    Instant notBefore, Duration validity) {
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, RANDOM).add(BigInteger.ONE),
                Date.from(notBefore), Date.from(notBefore.plus(validity)), subject, publicKey);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws CertificateException {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signer)));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("no " + SIGNATURE_ALGORITHM + " signer in this Java runtime", e);
        }
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has EC P-256 keys", e);
        }
    }

    private static PrivateKey readPrivateKey(String pem) {
        Object parsed;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            parsed = parser.readObject();
        } catch (IOException e) {
            throw new CryptoException("the CA private key is not a PEM: " + e.getMessage());
        }
        if (!(parsed instanceof PrivateKeyInfo info)) {
            throw new CryptoException("the CA private key is not a PKCS#8 PEM ('-----BEGIN PRIVATE KEY-----')");
        }
        try {
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (IOException e) {
            throw new CryptoException("the CA private key cannot be read: " + e.getMessage());
        }
    }

    /** Whether {@code privateKey} signs what {@code publicKey} verifies. */
    private static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
        try {
            byte[] probe = new byte[32];
            RANDOM.nextBytes(probe);
            Signature signer = Signature.getInstance(SIGNATURE_ALGORITHM);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(SIGNATURE_ALGORITHM);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
