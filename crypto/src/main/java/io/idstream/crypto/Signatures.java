package io.idstream.crypto;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** Ed25519 verification against a raw 32-byte public key. */
public final class Signatures {
    private Signatures() {
    }

    /** Whether {@code signature} is a valid signature of {@code message} by {@code publicKey}; false for bad shapes. */
    public static boolean isValid(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey == null || signature == null || message == null
                || publicKey.length != Ed25519.PUBLIC_KEY_SIZE || signature.length != Ed25519.SIGNATURE_SIZE) {
            return false;
        }
        try {
            return Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Fails with a message naming {@code what} when the signature does not verify. */
    public static void verify(String what, byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey == null || publicKey.length != Ed25519.PUBLIC_KEY_SIZE) {
            throw new CryptoException(what + ": the signing key is not a 32-byte Ed25519 public key");
        }
        if (signature == null || signature.length != Ed25519.SIGNATURE_SIZE) {
            throw new CryptoException(what + ": the signature is " + (signature == null ? "missing" :
                    signature.length + " bytes") + ", expected 64");
        }
        if (!isValid(publicKey, message, signature)) {
            throw new CryptoException(what + ": the signature does not verify");
        }
    }
}
