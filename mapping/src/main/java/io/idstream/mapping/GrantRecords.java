package io.idstream.mapping;

import io.idstream.avro.CredentialIssued;
import io.idstream.avro.Grant;
import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.crypto.Grants;
import io.idstream.crypto.Grants.SignedGrant;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.GrantStatement;

import java.nio.ByteBuffer;

/**
 * A holder's grant (docs/protocol.md section 6) between its Avro record and the signed {@link GrantStatement}: the
 * holder makes a grant with {@link #grant} (or {@link Grants#grant} and {@link #toAvro}), the access processor checks
 * the record with {@link #verify}.
 */
public final class GrantRecords {
    private GrantRecords() {
    }

    /** The statement the holder signed, with the sealed key package, as the record carries it. */
    public static GrantStatement statement(Grant grant) {
        return new GrantStatement(grant.getGrantId(), grant.getHolderId(), grant.getConsumerId(),
                grant.getCredentialId(), grant.getRequestId(), grant.getPurpose(), grant.getIssuedAt(),
                grant.getNotBefore(), grant.getExpiresAt(), grant.getMaxUses(), grant.getFields(),
                AvroBytes.of(grant.getKeysEnc()), AvroBytes.of(grant.getKeysCiphertext()));
    }

    /** The record of a signed grant. {@link Grants#grant} keeps maxUses within an int. */
    public static Grant toAvro(SignedGrant signed) {
        GrantStatement s = signed.statement();
        return new Grant(s.grantId(), s.holderId(), s.consumerId(), s.credentialId(), s.requestId(), s.purpose(),
                s.issuedAt(), s.notBefore(), s.expiresAt(), (int) s.maxUses(), s.fields(),
                ByteBuffer.wrap(s.keysEnc()), ByteBuffer.wrap(s.keysCiphertext()), ByteBuffer.wrap(signed.signature()));
    }

    /**
     * The holder's signed grant of {@code terms.fields()} of a credential record to the consumer's key; the
     * credential key is unwrapped here, with the holder's key, and never leaves this call.
     */
    public static Grant grant(SigningKeyPair holderSigning, EncryptionKeyPair holderEncryption,
                              CredentialIssued credential, Grants.Terms terms, byte[] consumerEncryptionKey) {
        return toAvro(Grants.grant(holderSigning, holderEncryption, CredentialRecords.header(credential),
                CredentialRecords.holderKey(credential), terms, consumerEncryptionKey));
    }

    /** Checks the holder's signature over the record; throws {@link io.idstream.crypto.CryptoException}. */
    public static void verify(byte[] holderSigningKey, Grant grant) {
        Grants.verify(holderSigningKey, statement(grant), AvroBytes.of(grant.getSignature()));
    }
}
