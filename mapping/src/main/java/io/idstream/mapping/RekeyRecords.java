package io.idstream.mapping;

import io.idstream.avro.CredentialRekeyed;
import io.idstream.crypto.Rekeys;
import io.idstream.crypto.Rekeys.SignedRekey;
import io.idstream.crypto.Sealed;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.RekeyStatement;

import java.nio.ByteBuffer;

/**
 * A holder's re-key of a stored credential (docs/protocol.md section 6b) between its Avro record
 * {@link CredentialRekeyed} and its to-be-signed string. The holder seals the credential key to its new encryption key
 * and signs with its new signing key; a verifier checks the shape and that signature, and {@link #holderKey} gives
 * the sealed key to store in place of the issued one. A failed check throws {@link io.idstream.crypto.CryptoException}.
 */
public final class RekeyRecords {
    private RekeyRecords() {
    }

    /** Seals {@code credentialKey} to {@code newEncryptionPublicKey} and signs the re-key with the new signing key. */
    public static CredentialRekeyed rekey(SigningKeyPair newHolderSigning, String credentialId, String holderId,
                                          byte[] newEncryptionPublicKey, byte[] credentialKey, long rekeyedAt) {
        SignedRekey signed = Rekeys.rekey(newHolderSigning, credentialId, holderId, newEncryptionPublicKey,
                credentialKey, rekeyedAt);
        RekeyStatement statement = signed.statement();
        return new CredentialRekeyed(credentialId, holderId, ByteBuffer.wrap(statement.encryptionKey()),
                ByteBuffer.wrap(statement.holderKeyEnc()), ByteBuffer.wrap(statement.holderKeyCiphertext()),
                rekeyedAt, ByteBuffer.wrap(signed.signature()));
    }

    /** The statement a re-key record carries. */
    public static RekeyStatement statement(CredentialRekeyed rekeyed) {
        return new RekeyStatement(rekeyed.getCredentialId(), rekeyed.getHolderId(),
                AvroBytes.of(rekeyed.getEncryptionKey()), AvroBytes.of(rekeyed.getHolderKeyEnc()),
                AvroBytes.of(rekeyed.getHolderKeyCiphertext()), rekeyed.getRekeyedAt());
    }

    /** The credential key as re-sealed, to replace the stored credential's holderKeyEnc and holderKeyCiphertext. */
    public static Sealed holderKey(CredentialRekeyed rekeyed) {
        return new Sealed(AvroBytes.of(rekeyed.getHolderKeyEnc()), AvroBytes.of(rekeyed.getHolderKeyCiphertext()));
    }

    /** Refuses a re-key of the wrong shape, signature aside (the processors' {@code malformed}). */
    public static void checkShape(CredentialRekeyed rekeyed) {
        Rekeys.checkShape(statement(rekeyed));
    }

    /** Checks the shape and the signature by {@code holderSigningKey}, the signing key now bound to the holder. */
    public static void verify(byte[] holderSigningKey, CredentialRekeyed rekeyed) {
        Rekeys.verify(holderSigningKey, statement(rekeyed), AvroBytes.of(rekeyed.getSignature()));
    }
}
