package io.idstream.crypto;

import io.idstream.crypto.Statements.SignedStatement;
import io.idstream.crypto.ToBeSigned.Signable;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ed25519 verification against a raw 32-byte public key. Decoding a key (decompressing its point, a square root in
 * the field) is about a third of a verification; the same few keys sign almost everything the processors see, so
 * decoded keys are kept, up to {@value #DECODED_KEYS_KEPT} of them.
 */
public final class Signatures {
    static final int DECODED_KEYS_KEPT = 100_000;
    private static final Map<ByteBuffer, Ed25519.PublicPoint> DECODED = new ConcurrentHashMap<>();

    private Signatures() {
    }

    /** Whether {@code signature} is a valid signature of {@code message} by {@code publicKey}; false for bad shapes. */
    public static boolean isValid(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey == null || signature == null || message == null
                || publicKey.length != Ed25519.PUBLIC_KEY_SIZE || signature.length != Ed25519.SIGNATURE_SIZE) {
            return false;
        }
        try {
            Ed25519.PublicPoint point = decoded(publicKey);
            return point != null && Ed25519.verify(signature, 0, point, message, 0, message.length);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The decoded point of a key, or null when it is no valid encoding; the same checks as a verification's own. */
    private static Ed25519.PublicPoint decoded(byte[] publicKey) {
        // Looked up by the caller's bytes; kept under a copy of them, so that a caller reusing its array cannot change
        // a key already kept.
        Ed25519.PublicPoint point = DECODED.get(ByteBuffer.wrap(publicKey));
        if (point == null) {
            point = Ed25519.validatePublicKeyPartialExport(publicKey, 0);
            if (point != null) {
                if (DECODED.size() >= DECODED_KEYS_KEPT) {
                    // Rare (more distinct signers than kept): start again rather than track recency on every hit.
                    DECODED.clear();
                }
                DECODED.put(ByteBuffer.wrap(publicKey.clone()), point);
            }
        }
        return point;
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

    /** Fails with a message naming the statement's signature when it is not {@code publicKey}'s over the statement. */
    public static void verify(byte[] publicKey, SignedStatement statement, byte[] signature) {
        Signable signable = ToBeSigned.of(statement);
        verify(signable.signatureName(), publicKey, signable.bytes(), signature);
    }
}
