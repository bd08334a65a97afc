package io.idstream.crypto;

import io.idstream.crypto.Statements.ConsentRequestStatement;
import io.idstream.crypto.Statements.WriteGrantRevocationStatement;
import io.idstream.crypto.Statements.WriteGrantStatement;

/**
 * Write grants, their revocations and consent requests (docs/protocol.md section 6a): a holder's signed consent that an
 * issuer may write credentials of some types to its vault for a while, and the issuer's signed request for it. Each is
 * checked for its shape before it is signed and before its signature is verified, so a record of the wrong shape
 * fails with a message naming what is wrong, whoever signed it.
 */
public final class WriteGrants {
    private WriteGrants() {
    }

    /** Refuses a write grant of the wrong shape: ids, types (section 6a) and an end after its start. */
    public static void checkShape(WriteGrantStatement grant) {
        Identifiers.requireUuid("write grant id", grant.writeGrantId());
        Identifiers.requirePrincipalId("holder id", grant.holderId());
        Identifiers.requirePrincipalId("issuer id", grant.issuerId());
        Identifiers.requireUuidOrEmpty("consent request id", grant.consentRequestId());
        Identifiers.requireCredentialTypes(grant.credentialTypes());
        if (grant.expiresAt() <= grant.issuedAt()) {
            throw new CryptoException("write grant " + grant.writeGrantId() + " expires at " + grant.expiresAt()
                    + ", not after it was issued at " + grant.issuedAt() + ": a write grant always ends");
        }
    }

    public static byte[] signWriteGrant(SigningKeyPair holder, WriteGrantStatement grant) {
        checkShape(grant);
        return holder.sign(grant.toBeSigned());
    }

    public static void verifyWriteGrant(byte[] holderSigningKey, WriteGrantStatement grant, byte[] signature) {
        checkShape(grant);
        Signatures.verify(holderSigningKey, grant, signature);
    }

    /** Refuses a write grant's revocation whose ids are of the wrong shape. */
    public static void checkShape(WriteGrantRevocationStatement revocation) {
        Identifiers.requireUuid("write grant id", revocation.writeGrantId());
        Identifiers.requirePrincipalId("holder id", revocation.holderId());
    }

    public static byte[] signRevocation(SigningKeyPair holder, WriteGrantRevocationStatement revocation) {
        checkShape(revocation);
        return holder.sign(revocation.toBeSigned());
    }

    public static void verifyRevocation(byte[] holderSigningKey, WriteGrantRevocationStatement revocation,
                                        byte[] signature) {
        checkShape(revocation);
        Signatures.verify(holderSigningKey, revocation, signature);
    }

    /** Refuses a consent request of the wrong shape: ids and types (section 6a). */
    public static void checkShape(ConsentRequestStatement request) {
        Identifiers.requireUuid("consent request id", request.consentRequestId());
        Identifiers.requirePrincipalId("issuer id", request.issuerId());
        Identifiers.requirePrincipalId("holder id", request.holderId());
        Identifiers.requireCredentialTypes(request.credentialTypes());
    }

    public static byte[] signConsentRequest(SigningKeyPair issuer, ConsentRequestStatement request) {
        checkShape(request);
        return issuer.sign(request.toBeSigned());
    }

    public static void verifyConsentRequest(byte[] issuerSigningKey, ConsentRequestStatement request,
                                            byte[] signature) {
        checkShape(request);
        Signatures.verify(issuerSigningKey, request, signature);
    }
}
