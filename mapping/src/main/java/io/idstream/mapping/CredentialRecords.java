package io.idstream.mapping;

import io.idstream.avro.CredentialIssued;
import io.idstream.avro.EncryptedField;
import io.idstream.avro.StoredCredential;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.Credentials.IssuedCredential;
import io.idstream.crypto.Sealed;
import io.idstream.crypto.Statements.Commitment;
import io.idstream.crypto.Statements.CredentialHeader;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * An issued credential (docs/protocol.md section 4) between its Avro record ({@link CredentialIssued}, or the vault's
 * {@link StoredCredential}) and the crypto module's {@link IssuedCredential}: the header and commitments the issuer
 * signed, the key wrapped to the holder, and the sealed fields.
 */
public final class CredentialRecords {
    private CredentialRecords() {
    }

    /** What the issuer signed about the credential besides its commitments. */
    public static CredentialHeader header(CredentialIssued credential) {
        return new CredentialHeader(credential.getCredentialId(), credential.getHolderId(), credential.getIssuerId(),
                credential.getType(), credential.getIssuedAt(), credential.getExpiresAt());
    }

    /** The header of a credential in the vault. */
    public static CredentialHeader header(StoredCredential stored) {
        return header(stored.getCredential());
    }

    /** The fields' commitments, in the record's order (which the issuer's signature requires to be by name). */
    public static List<Commitment> commitments(CredentialIssued credential) {
        return credential.getFields().stream()
                .map(f -> new Commitment(f.getName(), AvroBytes.of(f.getCommitment()))).toList();
    }

    /** The credential key, sealed to the holder. */
    public static Sealed holderKey(CredentialIssued credential) {
        return new Sealed(AvroBytes.of(credential.getHolderKeyEnc()),
                AvroBytes.of(credential.getHolderKeyCiphertext()));
    }

    /** The whole credential as the crypto module opens it. */
    public static IssuedCredential fromAvro(CredentialIssued credential) {
        return new IssuedCredential(header(credential),
                credential.getFields().stream().map(f -> new Credentials.SealedField(f.getName(),
                        AvroBytes.of(f.getCommitment()), AvroBytes.of(f.getCiphertext()))).toList(),
                holderKey(credential), AvroBytes.of(credential.getIssuerSignature()));
    }

    /** The record an issuer sends for a credential the crypto module made. */
    public static CredentialIssued toAvro(IssuedCredential credential) {
        CredentialHeader header = credential.header();
        List<EncryptedField> fields = credential.fields().stream().map(f -> new EncryptedField(f.name(),
                ByteBuffer.wrap(f.commitment()), ByteBuffer.wrap(f.ciphertext()))).toList();
        return new CredentialIssued(header.credentialId(), header.holderId(), header.issuerId(), header.type(),
                header.issuedAt(), header.expiresAt(), fields, ByteBuffer.wrap(credential.holderKey().enc()),
                ByteBuffer.wrap(credential.holderKey().ct()), ByteBuffer.wrap(credential.issuerSignature()));
    }

    /** Checks the issuer's signature over the header and every commitment; throws a CryptoException. */
    public static void verifyIssuerSignature(byte[] issuerSigningKey, CredentialIssued credential) {
        Credentials.verifyIssuerSignature(issuerSigningKey, header(credential), commitments(credential),
                AvroBytes.of(credential.getIssuerSignature()));
    }
}
