package io.idstream.crypto;

import io.idstream.crypto.Statements.AccreditationStatement;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.crypto.Statements.RequestStatement;

/**
 * Signing and verifying the short statements: requests (section 5), denials, revocations, erasures and issuer
 * revocations (section 6), registrations and accreditations (section 7). Each verifier fails with a message naming
 * the statement and its id.
 */
public final class Decisions {
    private Decisions() {
    }

    public static byte[] signRequest(SigningKeyPair consumer, RequestStatement request) {
        Identifiers.requireUuid("request id", request.requestId());
        if (request.credentialType().isEmpty() && request.credentialId().isEmpty()) {
            throw new CryptoException("request " + request.requestId() + " names neither a credential type nor id");
        }
        request.fields().forEach(Identifiers::requireFieldName);
        return consumer.sign(ToBeSigned.request(request));
    }

    public static void verifyRequest(byte[] consumerSigningKey, RequestStatement request, byte[] signature) {
        Signatures.verify("consumer signature of request " + request.requestId(), consumerSigningKey,
                ToBeSigned.request(request), signature);
    }

    public static byte[] signDenial(SigningKeyPair holder, String requestId, String holderId, long decidedAt) {
        return holder.sign(ToBeSigned.deny(requestId, holderId, decidedAt));
    }

    public static void verifyDenial(byte[] holderSigningKey, String requestId, String holderId, long decidedAt,
                                    byte[] signature) {
        Signatures.verify("holder signature of the denial of request " + requestId, holderSigningKey,
                ToBeSigned.deny(requestId, holderId, decidedAt), signature);
    }

    public static byte[] signRevocation(SigningKeyPair holder, String grantId, String holderId, long revokedAt) {
        return holder.sign(ToBeSigned.revoke(grantId, holderId, revokedAt));
    }

    public static void verifyRevocation(byte[] holderSigningKey, String grantId, String holderId, long revokedAt,
                                        byte[] signature) {
        Signatures.verify("holder signature of the revocation of grant " + grantId, holderSigningKey,
                ToBeSigned.revoke(grantId, holderId, revokedAt), signature);
    }

    public static byte[] signErasure(SigningKeyPair holder, String credentialId, String holderId, long erasedAt) {
        return holder.sign(ToBeSigned.erase(credentialId, holderId, erasedAt));
    }

    public static void verifyErasure(byte[] holderSigningKey, String credentialId, String holderId, long erasedAt,
                                     byte[] signature) {
        Signatures.verify("holder signature of the erasure of credential " + credentialId, holderSigningKey,
                ToBeSigned.erase(credentialId, holderId, erasedAt), signature);
    }

    public static byte[] signCredentialRevocation(SigningKeyPair issuer, String credentialId, String issuerId,
                                                  String reason, long revokedAt) {
        return issuer.sign(ToBeSigned.credentialRevoke(credentialId, issuerId, reason, revokedAt));
    }

    public static void verifyCredentialRevocation(byte[] issuerSigningKey, String credentialId, String issuerId,
                                                  String reason, long revokedAt, byte[] signature) {
        Signatures.verify("issuer signature of the revocation of credential " + credentialId, issuerSigningKey,
                ToBeSigned.credentialRevoke(credentialId, issuerId, reason, revokedAt), signature);
    }

    /** A self-signed registration: signed with the key it registers. */
    public static byte[] signPrincipal(SigningKeyPair principal, PrincipalStatement statement) {
        Identifiers.requirePrincipalId("principal id", statement.id());
        return principal.sign(ToBeSigned.principal(statement));
    }

    /** Verifies a registration against the key bound to the id, or, for a new id, against the key it registers. */
    public static void verifyPrincipal(byte[] boundSigningKey, PrincipalStatement statement, byte[] signature) {
        Signatures.verify("signature of the registration of " + statement.id(),
                boundSigningKey == null ? statement.signingKey() : boundSigningKey,
                ToBeSigned.principal(statement), signature);
    }

    public static byte[] signAccreditation(SigningKeyPair operator, AccreditationStatement statement) {
        return operator.sign(ToBeSigned.accreditation(statement));
    }

    public static void verifyAccreditation(byte[] operatorSigningKey, AccreditationStatement statement,
                                           byte[] signature) {
        Signatures.verify("operator signature of the accreditation of " + statement.id(), operatorSigningKey,
                ToBeSigned.accreditation(statement), signature);
    }
}
