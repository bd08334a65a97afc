package io.idstream.crypto;

import org.bouncycastle.math.ec.rfc7748.X25519;

import java.util.Arrays;

/**
 * An X25519 encryption key pair (RFC 7748), the recipient side of HPKE. The public key travels as 32 raw bytes; the
 * private key leaves this object only as PKCS#8 PEM through {@link #toPem()}.
 */
public final class EncryptionKeyPair extends RawKeyPair {
    private EncryptionKeyPair(byte[] privateKey) {
        super(Pem.X25519, "X25519", privateKey, EncryptionKeyPair::publicKeyOf);
    }

    public static EncryptionKeyPair generate() {
        return new EncryptionKeyPair(randomPrivateKey());
    }

    public static EncryptionKeyPair fromPrivateKey(byte[] privateKey) {
        return new EncryptionKeyPair(privateKey);
    }

    public static EncryptionKeyPair fromPem(String pem) {
        return fromPem(pem, null);
    }

    /** The key pair of a PEM that may be passphrase-encrypted; {@code passphrase} is read only if it is. */
    public static EncryptionKeyPair fromPem(String pem, char[] passphrase) {
        byte[] privateKey = Pem.read(pem, Pem.X25519, "encryption key", passphrase);
        try {
            return new EncryptionKeyPair(privateKey);
        } finally {
            Arrays.fill(privateKey, (byte) 0);
        }
    }

    /** X25519(privateKey, peer); fails on a peer key that yields the all-zero secret (RFC 7748 section 6.1). */
    byte[] agree(byte[] peerPublicKey) {
        return dh(privateKey(), peerPublicKey);
    }

    static byte[] dh(byte[] scalar, byte[] peerPublicKey) {
        if (peerPublicKey == null || peerPublicKey.length != X25519.POINT_SIZE) {
            throw new CryptoException("an X25519 public key is 32 bytes, not "
                    + (peerPublicKey == null ? "missing" : peerPublicKey.length));
        }
        byte[] shared = new byte[X25519.POINT_SIZE];
        if (!X25519.calculateAgreement(scalar, 0, peerPublicKey, 0, shared, 0)) {
            throw new CryptoException("X25519 with this public key gives the all-zero secret: the key is invalid");
        }
        return shared;
    }

    private static byte[] publicKeyOf(byte[] privateKey) {
        byte[] publicKey = new byte[X25519.POINT_SIZE];
        X25519.scalarMultBase(privateKey, 0, publicKey, 0);
        return publicKey;
    }
}
