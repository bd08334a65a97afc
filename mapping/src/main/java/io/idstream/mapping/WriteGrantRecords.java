package io.idstream.mapping;

import io.idstream.avro.ConsentRequest;
import io.idstream.avro.WriteGrant;
import io.idstream.avro.WriteGrantRevocation;
import io.idstream.crypto.Encoding;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.ConsentRequestStatement;
import io.idstream.crypto.Statements.WriteGrantRevocationStatement;
import io.idstream.crypto.Statements.WriteGrantStatement;
import io.idstream.crypto.WriteGrants;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Write grants, their revocations and consent requests (docs/protocol.md section 6a) between their Avro records and
 * their to-be-signed strings. A signer's list of credential types is written to the record in protocol order; a
 * verifier refuses a record whose list is not already in that order, and any id, type list or time span of the wrong
 * shape, before it checks the signature. A failed check throws {@link io.idstream.crypto.CryptoException} naming the
 * record and what was wrong.
 */
public final class WriteGrantRecords {
    private WriteGrantRecords() {
    }

    /** The holder's signed consent that {@code issuerId} may write credentials of {@code types} until expiresAt. */
    public static WriteGrant writeGrant(SigningKeyPair holder, String writeGrantId, String holderId, String issuerId,
                                        String consentRequestId, List<String> types, long issuedAt, long expiresAt) {
        WriteGrantStatement statement = new WriteGrantStatement(writeGrantId, holderId, issuerId,
                consentRequestId == null ? "" : consentRequestId, issuedAt, expiresAt, inProtocolOrder(types));
        byte[] signature = WriteGrants.signWriteGrant(holder, statement);
        return new WriteGrant(writeGrantId, holderId, issuerId, statement.consentRequestId(),
                statement.credentialTypes(), issuedAt, expiresAt, ByteBuffer.wrap(signature));
    }

    /** The statement a write grant record carries. */
    public static WriteGrantStatement statement(WriteGrant grant) {
        return new WriteGrantStatement(grant.getWriteGrantId(), grant.getHolderId(), grant.getIssuerId(),
                grant.getConsentRequestId(), grant.getIssuedAt(), grant.getExpiresAt(),
                List.copyOf(grant.getCredentialTypes()));
    }

    /** Refuses a write grant of the wrong shape, signature aside (the processors' {@code malformed}). */
    public static void checkShape(WriteGrant grant) {
        WriteGrants.checkShape(statement(grant));
    }

    public static void verify(byte[] holderSigningKey, WriteGrant grant) {
        WriteGrants.verifyWriteGrant(holderSigningKey, statement(grant), AvroBytes.of(grant.getSignature()));
    }

    public static WriteGrantRevocation revocation(SigningKeyPair holder, String writeGrantId, String holderId,
                                                  long revokedAt) {
        byte[] signature = WriteGrants.signRevocation(holder,
                new WriteGrantRevocationStatement(writeGrantId, holderId, revokedAt));
        return new WriteGrantRevocation(writeGrantId, holderId, revokedAt, ByteBuffer.wrap(signature));
    }

    public static WriteGrantRevocationStatement statement(WriteGrantRevocation revocation) {
        return new WriteGrantRevocationStatement(revocation.getWriteGrantId(), revocation.getHolderId(),
                revocation.getRevokedAt());
    }

    public static void checkShape(WriteGrantRevocation revocation) {
        WriteGrants.checkShape(statement(revocation));
    }

    public static void verify(byte[] holderSigningKey, WriteGrantRevocation revocation) {
        WriteGrants.verifyRevocation(holderSigningKey, statement(revocation),
                AvroBytes.of(revocation.getSignature()));
    }

    /** The issuer's signed request that {@code holderId} allow it to write credentials of {@code types}. */
    public static ConsentRequest consentRequest(SigningKeyPair issuer, String consentRequestId, String issuerId,
                                                String holderId, List<String> types, String purpose,
                                                long createdAt) {
        ConsentRequestStatement statement = new ConsentRequestStatement(consentRequestId, issuerId, holderId,
                purpose, createdAt, inProtocolOrder(types));
        byte[] signature = WriteGrants.signConsentRequest(issuer, statement);
        return new ConsentRequest(consentRequestId, issuerId, holderId, statement.credentialTypes(), purpose,
                createdAt, ByteBuffer.wrap(signature));
    }

    /** The types sorted; a repeat is left for the shape check to refuse by its name. */
    private static List<String> inProtocolOrder(List<String> types) {
        return types.stream().sorted(Encoding.NAME_ORDER).toList();
    }

    public static ConsentRequestStatement statement(ConsentRequest request) {
        return new ConsentRequestStatement(request.getConsentRequestId(), request.getIssuerId(),
                request.getHolderId(), request.getPurpose(), request.getCreatedAt(),
                List.copyOf(request.getCredentialTypes()));
    }

    public static void checkShape(ConsentRequest request) {
        WriteGrants.checkShape(statement(request));
    }

    public static void verify(byte[] issuerSigningKey, ConsentRequest request) {
        WriteGrants.verifyConsentRequest(issuerSigningKey, statement(request), AvroBytes.of(request.getSignature()));
    }
}
