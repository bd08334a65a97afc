package io.idstream.crypto;

import io.idstream.crypto.Statements.RekeyStatement;

import java.security.SecureRandom;

/**
 * A holder's re-key of a stored credential after it rotated its keys (docs/protocol.md section 6b): the credential key
 * is sealed to the holder's new encryption key exactly as an issuer seals it (section 4, step 3), so the holder opens
 * a re-keyed credential as it opens an issued one, and the holder signs the new key and a hash of the sealed value with
 * its new signing key. The fields' ciphertexts and the issuer's signature are untouched.
 */
public final class Rekeys {
    /** The sealed 32-byte credential key: AES-128-GCM adds a 16-byte tag. */
    static final int SEALED_KEY_LENGTH = FieldCrypto.KEY_LENGTH + 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Rekeys() {
    }

    /** A signed re-key: the statement (with the sealed key) and the holder's signature. */
    public record SignedRekey(RekeyStatement statement, byte[] signature) {
    }

    /** Seals {@code credentialKey} to {@code newEncryptionKey} and signs the re-key with the holder's new key. */
    public static SignedRekey rekey(SigningKeyPair newHolderSigning, String credentialId, String holderId,
                                    byte[] newEncryptionKey, byte[] credentialKey, long rekeyedAt) {
        requireIds(credentialId, holderId);
        requireKey("encryption key", newEncryptionKey);
        requireKey("credential key", credentialKey);
        byte[] ikmE = new byte[32];
        RANDOM.nextBytes(ikmE);
        return rekeyWithEphemeralSeed(newHolderSigning, credentialId, holderId, newEncryptionKey, credentialKey,
                rekeyedAt, ikmE);
    }

    /** The re-key with the HPKE ephemeral key derived from {@code ikmE}: random in use, fixed in the vectors. */
    static SignedRekey rekeyWithEphemeralSeed(SigningKeyPair newHolderSigning, String credentialId, String holderId,
                                              byte[] newEncryptionKey, byte[] credentialKey, long rekeyedAt,
                                              byte[] ikmE) {
        Sealed sealed = Hpke.sealWithEphemeralSeed(newEncryptionKey, Hpke.ascii(Credentials.HOLDER_KEY_INFO),
                Credentials.holderKeyAad(credentialId, holderId), credentialKey, ikmE);
        return sign(newHolderSigning, credentialId, holderId, newEncryptionKey, sealed, rekeyedAt);
    }

    private static SignedRekey sign(SigningKeyPair holder, String credentialId, String holderId,
                                    byte[] encryptionKey, Sealed sealed, long rekeyedAt) {
        // The statement holds copies: the caller's key array may be reused.
        RekeyStatement statement = new RekeyStatement(credentialId, holderId, encryptionKey.clone(), sealed.enc(),
                sealed.ct(), rekeyedAt);
        return new SignedRekey(statement, holder.sign(statement.toBeSigned()));
    }

    /**
     * Refuses a re-key of the wrong shape: the ids, a 32-byte encryption key, a 32-byte HPKE enc and a sealed value
     * that can hold a 32-byte credential key.
     */
    public static void checkShape(RekeyStatement rekey) {
        requireIds(rekey.credentialId(), rekey.holderId());
        requireKey("encryption key", rekey.encryptionKey());
        if (rekey.holderKeyEnc() == null || rekey.holderKeyEnc().length != Hpke.ENC_LENGTH) {
            throw new CryptoException("re-key of credential " + rekey.credentialId() + ": holderKeyEnc is not "
                    + Hpke.ENC_LENGTH + " bytes");
        }
        if (rekey.holderKeyCiphertext() == null || rekey.holderKeyCiphertext().length != SEALED_KEY_LENGTH) {
            throw new CryptoException("re-key of credential " + rekey.credentialId() + ": holderKeyCiphertext is not "
                    + SEALED_KEY_LENGTH + " bytes (a sealed 32-byte credential key)");
        }
    }

    /** Checks the shape and the holder's signature, by {@code holderSigningKey}, the key now bound to the holder. */
    public static void verify(byte[] holderSigningKey, RekeyStatement rekey, byte[] signature) {
        checkShape(rekey);
        Signatures.verify(holderSigningKey, rekey, signature);
    }

    private static void requireIds(String credentialId, String holderId) {
        Identifiers.requireUuid("credential id", credentialId);
        Identifiers.requirePrincipalId("holder id", holderId);
    }

    private static void requireKey(String what, byte[] key) {
        if (key == null || key.length != 32) {
            throw new CryptoException("the " + what + " of a re-key is 32 bytes, not "
                    + (key == null ? "missing" : key.length));
        }
    }
}
