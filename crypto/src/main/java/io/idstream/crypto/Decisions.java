package io.idstream.crypto;

import io.idstream.crypto.Statements.AccreditationStatement;
import io.idstream.crypto.Statements.CredentialRevocationStatement;
import io.idstream.crypto.Statements.DenialStatement;
import io.idstream.crypto.Statements.ErasureStatement;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.crypto.Statements.RequestStatement;
import io.idstream.crypto.Statements.RevocationStatement;
import io.idstream.crypto.Statements.SignedStatement;
import io.idstream.crypto.Statements.WithdrawalStatement;

/**
 * Signing and verifying the short statements: requests (section 5), denials, revocations, erasures and issuer
 * revocations (section 6), registrations, accreditations and their withdrawals (section 7). Every statement is
 * signed and verified the same way, over its {@link SignedStatement#toBeSigned()} bytes; the methods here add the
 * signer's checks and keep the protocol's vocabulary. Each verifier fails with a message naming the statement and its id.
 */
public final class Decisions {
    private Decisions() {
    }

    private static byte[] sign(SigningKeyPair signer, SignedStatement statement) {
        return signer.sign(statement.toBeSigned());
    }

    private static void verify(byte[] signingKey, SignedStatement statement, byte[] signature) {
        Signatures.verify(signingKey, statement, signature);
    }

    public static byte[] signRequest(SigningKeyPair consumer, RequestStatement request) {
        Identifiers.requireUuid("request id", request.requestId());
        if (request.credentialType().isEmpty() && request.credentialId().isEmpty()) {
            throw new CryptoException("request " + request.requestId() + " names neither a credential type nor id");
        }
        request.fields().forEach(Identifiers::requireFieldName);
        return sign(consumer, request);
    }

    public static void verifyRequest(byte[] consumerSigningKey, RequestStatement request, byte[] signature) {
        verify(consumerSigningKey, request, signature);
    }

    public static byte[] signDenial(SigningKeyPair holder, String requestId, String holderId, long decidedAt) {
        return sign(holder, new DenialStatement(requestId, holderId, decidedAt));
    }

    public static void verifyDenial(byte[] holderSigningKey, String requestId, String holderId, long decidedAt,
                                    byte[] signature) {
        verify(holderSigningKey, new DenialStatement(requestId, holderId, decidedAt), signature);
    }

    public static byte[] signRevocation(SigningKeyPair holder, String grantId, String holderId, long revokedAt) {
        return sign(holder, new RevocationStatement(grantId, holderId, revokedAt));
    }

    public static void verifyRevocation(byte[] holderSigningKey, String grantId, String holderId, long revokedAt,
                                        byte[] signature) {
        verify(holderSigningKey, new RevocationStatement(grantId, holderId, revokedAt), signature);
    }

    public static byte[] signErasure(SigningKeyPair holder, String credentialId, String holderId, long erasedAt) {
        return sign(holder, new ErasureStatement(credentialId, holderId, erasedAt));
    }

    public static void verifyErasure(byte[] holderSigningKey, String credentialId, String holderId, long erasedAt,
                                     byte[] signature) {
        verify(holderSigningKey, new ErasureStatement(credentialId, holderId, erasedAt), signature);
    }

    public static byte[] signCredentialRevocation(SigningKeyPair issuer, String credentialId, String issuerId,
                                                  String reason, long revokedAt) {
        return sign(issuer, new CredentialRevocationStatement(credentialId, issuerId, reason, revokedAt));
    }

    public static void verifyCredentialRevocation(byte[] issuerSigningKey, String credentialId, String issuerId,
                                                  String reason, long revokedAt, byte[] signature) {
        verify(issuerSigningKey, new CredentialRevocationStatement(credentialId, issuerId, reason, revokedAt),
                signature);
    }

    /** A self-signed registration: signed with the key it registers. */
    public static byte[] signPrincipal(SigningKeyPair principal, PrincipalStatement statement) {
        Identifiers.requirePrincipalId("principal id", statement.id());
        return sign(principal, statement);
    }

    /** Verifies a registration against the key bound to the id, or, for a new id, against the key it registers. */
    public static void verifyPrincipal(byte[] boundSigningKey, PrincipalStatement statement, byte[] signature) {
        verify(boundSigningKey == null ? statement.signingKey() : boundSigningKey, statement, signature);
    }

    public static byte[] signAccreditation(SigningKeyPair operator, AccreditationStatement statement) {
        return sign(operator, statement);
    }

    public static void verifyAccreditation(byte[] operatorSigningKey, AccreditationStatement statement,
                                           byte[] signature) {
        verify(operatorSigningKey, statement, signature);
    }

    public static byte[] signWithdrawal(SigningKeyPair operator, WithdrawalStatement statement) {
        return sign(operator, statement);
    }

    public static void verifyWithdrawal(byte[] operatorSigningKey, WithdrawalStatement statement, byte[] signature) {
        verify(operatorSigningKey, statement, signature);
    }
}
