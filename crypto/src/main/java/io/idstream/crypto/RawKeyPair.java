package io.idstream.crypto;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.UnaryOperator;

/**
 * What the signing and the encryption key pair share: a 32-byte raw private key that never leaves the object except
 * as PKCS#8 PEM (plain or passphrase-encrypted), the 32-byte public key derived from it, and a {@code toString()}
 * that shows the public key alone.
 */
abstract sealed class RawKeyPair permits SigningKeyPair, EncryptionKeyPair {
    static final int KEY_LENGTH = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ASN1ObjectIdentifier algorithm;
    private final byte[] privateKey;
    private final byte[] publicKey;

    /** Keeps a copy of {@code privateKey}, which must be 32 bytes, and its public key as {@code publicKeyOf} gives. */
    RawKeyPair(ASN1ObjectIdentifier algorithm, String algorithmName, byte[] privateKey,
               UnaryOperator<byte[]> publicKeyOf) {
        if (privateKey.length != KEY_LENGTH) {
            throw new CryptoException("an " + algorithmName + " private key is 32 bytes, not " + privateKey.length);
        }
        this.algorithm = algorithm;
        this.privateKey = privateKey.clone();
        this.publicKey = publicKeyOf.apply(this.privateKey);
    }

    /** 32 random bytes: a new Ed25519 seed or X25519 scalar. */
    static byte[] randomPrivateKey() {
        byte[] key = new byte[KEY_LENGTH];
        RANDOM.nextBytes(key);
        return key;
    }

    /** The private key as PKCS#8 PEM, the only form in which it leaves this object. */
    public String toPem() {
        return Pem.write(algorithm, privateKey);
    }

    /**
     * The private key as PKCS#8 PEM encrypted under {@code passphrase} (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC), which
     * {@code openssl pkey -passin} reads.
     */
    public String toEncryptedPem(char[] passphrase) {
        return Pem.writeEncrypted(algorithm, privateKey, passphrase);
    }

    /** The 32-byte raw public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The private key itself, for the subclass's own operation (signing, key agreement); never copied out. */
    final byte[] privateKey() {
        return privateKey;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[public=" + HexFormat.of().formatHex(publicKey) + "]";
    }
}
