package io.idstream.mapping;

import io.idstream.avro.CredentialRevoked;
import io.idstream.avro.Denial;
import io.idstream.avro.Erasure;
import io.idstream.avro.Revocation;
import io.idstream.crypto.Decisions;
import io.idstream.crypto.SigningKeyPair;

import java.nio.ByteBuffer;

/**
 * The short signed decisions of docs/protocol.md section 6 between their Avro records and their to-be-signed strings: a
 * holder's denial of a request, revocation of a grant and erasure of a credential, and an issuer's revocation of a
 * credential. Each is signed into its record here and verified from its record here; a failed check throws
 * {@link io.idstream.crypto.CryptoException} naming the decision.
 */
public final class DecisionRecords {
    private DecisionRecords() {
    }

    public static Denial denial(SigningKeyPair holder, String requestId, String holderId, long decidedAt) {
        return new Denial(requestId, holderId, decidedAt,
                ByteBuffer.wrap(Decisions.signDenial(holder, requestId, holderId, decidedAt)));
    }

    public static void verify(byte[] holderSigningKey, Denial denial) {
        Decisions.verifyDenial(holderSigningKey, denial.getRequestId(), denial.getHolderId(), denial.getDecidedAt(),
                AvroBytes.of(denial.getSignature()));
    }

    public static Revocation revocation(SigningKeyPair holder, String grantId, String holderId, long revokedAt) {
        return new Revocation(grantId, holderId, revokedAt,
                ByteBuffer.wrap(Decisions.signRevocation(holder, grantId, holderId, revokedAt)));
    }

    public static void verify(byte[] holderSigningKey, Revocation revocation) {
        Decisions.verifyRevocation(holderSigningKey, revocation.getGrantId(), revocation.getHolderId(),
                revocation.getRevokedAt(), AvroBytes.of(revocation.getSignature()));
    }

    public static Erasure erasure(SigningKeyPair holder, String credentialId, String holderId, long erasedAt) {
        return new Erasure(credentialId, holderId, erasedAt,
                ByteBuffer.wrap(Decisions.signErasure(holder, credentialId, holderId, erasedAt)));
    }

    public static void verify(byte[] holderSigningKey, Erasure erasure) {
        Decisions.verifyErasure(holderSigningKey, erasure.getCredentialId(), erasure.getHolderId(),
                erasure.getErasedAt(), AvroBytes.of(erasure.getSignature()));
    }

    /** The issuer's revocation; the holder id routes the record to the holder's partition and is not signed. */
    public static CredentialRevoked credentialRevocation(SigningKeyPair issuer, String credentialId, String holderId,
                                                         String issuerId, String reason, long revokedAt) {
        return new CredentialRevoked(credentialId, holderId, issuerId, reason, revokedAt, ByteBuffer.wrap(
                Decisions.signCredentialRevocation(issuer, credentialId, issuerId, reason, revokedAt)));
    }

    public static void verify(byte[] issuerSigningKey, CredentialRevoked revocation) {
        Decisions.verifyCredentialRevocation(issuerSigningKey, revocation.getCredentialId(),
                revocation.getIssuerId(), revocation.getReason(), revocation.getRevokedAt(),
                AvroBytes.of(revocation.getSignature()));
    }
}
