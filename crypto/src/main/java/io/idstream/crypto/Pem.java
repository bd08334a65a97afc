package io.idstream.crypto;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

import java.io.IOException;
import java.util.Base64;

/**
 * PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}) of raw 32-byte Ed25519 and X25519 private keys, in the form
 * {@code openssl genpkey} writes (PrivateKeyInfo version 0, the key as an inner OCTET STRING), so that OpenSSL and
 * every mainstream library read ours and we read theirs (docs/protocol.md section 2).
 */
final class Pem {
    static final ASN1ObjectIdentifier ED25519 = new ASN1ObjectIdentifier("1.3.101.112");
    static final ASN1ObjectIdentifier X25519 = new ASN1ObjectIdentifier("1.3.101.110");

    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";

    private Pem() {
    }

    static String write(ASN1ObjectIdentifier algorithm, byte[] rawPrivateKey) {
        try {
            byte[] der = new PrivateKeyInfo(new AlgorithmIdentifier(algorithm), new DEROctetString(rawPrivateKey))
                    .getEncoded(ASN1Encoding.DER);
            String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
            return BEGIN + "\n" + body + "\n" + END + "\n";
        } catch (IOException e) {
            // DER-encoding a well-formed structure into memory does not fail: this is a bug, not refused input.
            throw new IllegalStateException("cannot encode a private key as PKCS#8", e);
        }
    }

    /** The raw 32-byte private key of the given algorithm; any other PEM, algorithm or size is refused. */
    static byte[] read(String pem, ASN1ObjectIdentifier expected, String what) {
        int begin = pem.indexOf(BEGIN);
        int end = pem.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new CryptoException(what + " is not a PKCS#8 PEM (no '" + BEGIN + "' block)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN.length(), end));
        } catch (IllegalArgumentException e) {
            throw new CryptoException(what + " has a PEM body that is not base64");
        }
        PrivateKeyInfo info;
        try {
            info = PrivateKeyInfo.getInstance(der);
        } catch (RuntimeException e) {
            throw new CryptoException(what + " is not a PKCS#8 PrivateKeyInfo");
        }
        ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
        if (!expected.equals(algorithm)) {
            throw new CryptoException(what + " is a key of algorithm " + algorithm + ", expected " + expected
                    + (expected.equals(ED25519) ? " (Ed25519)" : " (X25519)"));
        }
        byte[] key;
        try {
            key = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
        } catch (IOException | RuntimeException e) {
            throw new CryptoException(what + " has a malformed private key field");
        }
        if (key.length != 32) {
            throw new CryptoException(what + " holds a " + key.length + "-byte private key, expected 32");
        }
        return key;
    }
}
