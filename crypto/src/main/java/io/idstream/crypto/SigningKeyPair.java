package io.idstream.crypto;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.util.Arrays;

/**
 * An Ed25519 signing key pair (RFC 8032, pure Ed25519: no pre-hash, no context). The public key travels as 32 raw
 * bytes; the private key leaves this object only as PKCS#8 PEM through {@link #toPem()}.
 */
public final class SigningKeyPair extends RawKeyPair {
    private SigningKeyPair(byte[] privateKey) {
        super(Pem.ED25519, "Ed25519", privateKey, SigningKeyPair::publicKeyOf);
    }

    public static SigningKeyPair generate() {
        return new SigningKeyPair(randomPrivateKey());
    }

    /** The key pair of a 32-byte RFC 8032 private key (the seed). */
    public static SigningKeyPair fromPrivateKey(byte[] privateKey) {
        return new SigningKeyPair(privateKey);
    }

    public static SigningKeyPair fromPem(String pem) {
        return fromPem(pem, null);
    }

    /** The key pair of a PEM that may be passphrase-encrypted; {@code passphrase} is read only if it is. */
    public static SigningKeyPair fromPem(String pem, char[] passphrase) {
        byte[] privateKey = Pem.read(pem, Pem.ED25519, "signing key", passphrase);
        try {
            return new SigningKeyPair(privateKey);
        } finally {
            Arrays.fill(privateKey, (byte) 0);
        }
    }

    /** The 64-byte signature of {@code message}. */
    public byte[] sign(byte[] message) {
        byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(privateKey(), 0, message, 0, message.length, signature, 0);
        return signature;
    }

    private static byte[] publicKeyOf(byte[] privateKey) {
        byte[] publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(privateKey, 0, publicKey, 0);
        return publicKey;
    }
}
