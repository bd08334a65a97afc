package io.idstream.crypto;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.EncryptionScheme;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}) of raw 32-byte Ed25519 and X25519 private keys, in the form
 * {@code openssl genpkey} writes (PrivateKeyInfo version 0, the key as an inner OCTET STRING), so that OpenSSL and
 * every mainstream library read ours and we read theirs; and the same key passphrase-encrypted
 * ({@code -----BEGIN ENCRYPTED PRIVATE KEY-----}, PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC), as
 * {@code openssl pkey -passin} reads it (docs/protocol.md section 2).
 */
final class Pem {
    static final ASN1ObjectIdentifier ED25519 = new ASN1ObjectIdentifier("1.3.101.112");
    static final ASN1ObjectIdentifier X25519 = new ASN1ObjectIdentifier("1.3.101.110");

    /** PBKDF2-HMAC-SHA256 iterations of the keys we encrypt: OWASP's figure for that PRF. */
    static final int ITERATIONS = 600_000;
    /** More iterations than this in a file would stall the reader for minutes: such a file is refused. */
    static final int MAX_ITERATIONS = 10_000_000;

    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";
    private static final String BEGIN_ENCRYPTED = "-----BEGIN ENCRYPTED PRIVATE KEY-----";
    private static final String END_ENCRYPTED = "-----END ENCRYPTED PRIVATE KEY-----";
    private static final AlgorithmIdentifier HMAC_SHA256 =
            new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE);
    private static final Map<ASN1ObjectIdentifier, Integer> AES_CBC_KEY_BYTES = Map.of(
            NISTObjectIdentifiers.id_aes128_CBC, 16,
            NISTObjectIdentifiers.id_aes192_CBC, 24,
            NISTObjectIdentifiers.id_aes256_CBC, 32);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Pem() {
    }

    static String write(ASN1ObjectIdentifier algorithm, byte[] rawPrivateKey) {
        return armor(BEGIN, privateKeyInfo(algorithm, rawPrivateKey), END);
    }

    /** The key encrypted under {@code passphrase}, with a fresh salt and IV. */
    static String writeEncrypted(ASN1ObjectIdentifier algorithm, byte[] rawPrivateKey, char[] passphrase) {
        if (passphrase == null || passphrase.length == 0) {
            throw new CryptoException("a private key is encrypted under a passphrase that is not empty");
        }
        byte[] salt = new byte[16];
        byte[] iv = new byte[16];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(iv);
        PBKDF2Params kdf = new PBKDF2Params(salt, ITERATIONS, HMAC_SHA256);
        PBES2Parameters pbes2 = new PBES2Parameters(new KeyDerivationFunc(PKCSObjectIdentifiers.id_PBKDF2, kdf),
                new EncryptionScheme(NISTObjectIdentifiers.id_aes256_CBC, new DEROctetString(iv)));
        byte[] plain = privateKeyInfo(algorithm, rawPrivateKey);
        try {
            byte[] encrypted = aesCbc(Cipher.ENCRYPT_MODE, pbkdf2(passphrase, salt, ITERATIONS, 32), iv, plain);
            byte[] der = new EncryptedPrivateKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBES2, pbes2),
                    encrypted).getEncoded(ASN1Encoding.DER);
            return armor(BEGIN_ENCRYPTED, der, END_ENCRYPTED);
        } catch (GeneralSecurityException | IOException e) {
            // AES-CBC and PBKDF2-HMAC-SHA256 are in every JDK, and encoding into memory does not fail: a bug.
            throw new IllegalStateException("cannot encrypt a private key", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** Whether {@code pem} holds a passphrase-encrypted key. */
    static boolean isEncrypted(String pem) {
        return pem.contains(BEGIN_ENCRYPTED);
    }

    /**
     * The raw 32-byte private key of the given algorithm, decrypted with {@code passphrase} when the PEM is
     * encrypted (the passphrase is not read otherwise, and may be null); any other PEM, algorithm or size is refused.
     */
    static byte[] read(String pem, ASN1ObjectIdentifier expected, String what, char[] passphrase) {
        byte[] der = isEncrypted(pem) ? decrypt(body(pem, BEGIN_ENCRYPTED, END_ENCRYPTED, what), what, passphrase)
                : body(pem, BEGIN, END, what);
        try {
            return rawKey(der, expected, what);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    private static byte[] rawKey(byte[] der, ASN1ObjectIdentifier expected, String what) {
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

    /** The PrivateKeyInfo inside an EncryptedPrivateKeyInfo of PBES2 with PBKDF2-HMAC-SHA256 and AES-CBC. */
    private static byte[] decrypt(byte[] der, String what, char[] passphrase) {
        if (passphrase == null) {
            throw new CryptoException(what + " is encrypted and no passphrase was given");
        }
        PBES2Parameters pbes2;
        byte[] encrypted;
        try {
            EncryptedPrivateKeyInfo info = EncryptedPrivateKeyInfo.getInstance(der);
            if (!PKCSObjectIdentifiers.id_PBES2.equals(info.getEncryptionAlgorithm().getAlgorithm())) {
                throw new CryptoException(what + " is encrypted with " + info.getEncryptionAlgorithm().getAlgorithm()
                        + ", not PBES2 (" + PKCSObjectIdentifiers.id_PBES2 + ")");
            }
            pbes2 = PBES2Parameters.getInstance(info.getEncryptionAlgorithm().getParameters());
            encrypted = info.getEncryptedData();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CryptoException(what + " is not a PKCS#8 EncryptedPrivateKeyInfo");
        }
        if (!PKCSObjectIdentifiers.id_PBKDF2.equals(pbes2.getKeyDerivationFunc().getAlgorithm())) {
            throw new CryptoException(what + " derives its key with " + pbes2.getKeyDerivationFunc().getAlgorithm()
                    + ", not PBKDF2");
        }
        PBKDF2Params kdf;
        try {
            kdf = PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CryptoException(what + " has malformed PBKDF2 parameters");
        }
        if (!PKCSObjectIdentifiers.id_hmacWithSHA256.equals(kdf.getPrf().getAlgorithm())) {
            throw new CryptoException(what + " uses the PBKDF2 PRF " + kdf.getPrf().getAlgorithm()
                    + ", not HMAC-SHA256 (" + PKCSObjectIdentifiers.id_hmacWithSHA256 + ")");
        }
        BigInteger iterations = kdf.getIterationCount();
        if (iterations.signum() <= 0 || iterations.compareTo(BigInteger.valueOf(MAX_ITERATIONS)) > 0) {
            throw new CryptoException(what + " asks for " + iterations + " PBKDF2 iterations, more than the "
                    + MAX_ITERATIONS + " allowed");
        }
        ASN1ObjectIdentifier cipher = pbes2.getEncryptionScheme().getAlgorithm();
        Integer keyBytes = AES_CBC_KEY_BYTES.get(cipher);
        if (keyBytes == null) {
            throw new CryptoException(what + " is encrypted with " + cipher + ", not AES-CBC");
        }
        byte[] iv;
        try {
            iv = ASN1OctetString.getInstance(pbes2.getEncryptionScheme().getParameters()).getOctets();
        } catch (IllegalArgumentException e) {
            throw new CryptoException(what + " has no AES-CBC IV");
        }
        if (iv.length != 16) {
            throw new CryptoException(what + " has a " + iv.length + "-byte AES-CBC IV, expected 16");
        }
        try {
            byte[] plain = aesCbc(Cipher.DECRYPT_MODE, pbkdf2(passphrase, kdf.getSalt(), iterations.intValue(),
                    keyBytes), iv, encrypted);
            PrivateKeyInfo.getInstance(plain);
            return plain;
        } catch (GeneralSecurityException | IllegalArgumentException | IllegalStateException e) {
            // A wrong passphrase shows as bad padding, or, 1 time in 256, as padding that fits around garbage.
            throw new CryptoException("wrong passphrase for " + what + " (or the file is damaged)");
        }
    }

    private static byte[] pbkdf2(char[] passphrase, byte[] salt, int iterations, int keyBytes)
            throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, keyBytes * 8);
        try {
            // The JDK's PBKDF2 takes the passphrase's UTF-8 bytes, as OpenSSL does with what the terminal gives it.
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } finally {
            spec.clearPassword();
        }
    }

    private static byte[] aesCbc(int mode, byte[] key, byte[] iv, byte[] input) throws GeneralSecurityException {
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return cipher.doFinal(input);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static byte[] privateKeyInfo(ASN1ObjectIdentifier algorithm, byte[] rawPrivateKey) {
        try {
            return new PrivateKeyInfo(new AlgorithmIdentifier(algorithm), new DEROctetString(rawPrivateKey))
                    .getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            // DER-encoding a well-formed structure into memory does not fail: this is a bug, not refused input.
            throw new IllegalStateException("cannot encode a private key as PKCS#8", e);
        }
    }

    private static String armor(String begin, byte[] der, String end) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return begin + "\n" + body + "\n" + end + "\n";
    }

    private static byte[] body(String pem, String begin, String end, String what) {
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new CryptoException(what + " is not a PKCS#8 PEM (no '" + begin + "' block)");
        }
        try {
            return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new CryptoException(what + " has a PEM body that is not base64");
        }
    }
}
