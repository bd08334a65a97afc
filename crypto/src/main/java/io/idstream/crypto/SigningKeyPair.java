package io.idstream.crypto;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * An Ed25519 signing key pair (RFC 8032, pure Ed25519: no pre-hash, no context). The public key travels as 32 raw
 * bytes; the private key leaves this object only as PKCS#8 PEM through {@link #toPem()}.
 */
public final class SigningKeyPair {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] privateKey;
    private final byte[] publicKey;

    private SigningKeyPair(byte[] privateKey) {
        if (privateKey.length != Ed25519.SECRET_KEY_SIZE) {
            throw new CryptoException("an Ed25519 private key is 32 bytes, not " + privateKey.length);
        }
        this.privateKey = privateKey.clone();
        this.publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(this.privateKey, 0, publicKey, 0);
    }

    public static SigningKeyPair generate() {
        byte[] seed = new byte[Ed25519.SECRET_KEY_SIZE];
        RANDOM.nextBytes(seed);
        return new SigningKeyPair(seed);
    }

    /** The key pair of a 32-byte RFC 8032 private key (the seed). */
    public static SigningKeyPair fromPrivateKey(byte[] privateKey) {
        return new SigningKeyPair(privateKey);
    }

    public static SigningKeyPair fromPem(String pem) {
        return new SigningKeyPair(Pem.read(pem, Pem.ED25519, "signing key"));
    }

    public String toPem() {
        return Pem.write(Pem.ED25519, privateKey);
    }

    /** The 32-byte raw public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The 64-byte signature of {@code message}. */
    public byte[] sign(byte[] message) {
        byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(privateKey, 0, message, 0, message.length, signature, 0);
        return signature;
    }

    @Override
    public String toString() {
        return "SigningKeyPair[public=" + HexFormat.of().formatHex(publicKey) + "]";
    }
}
