package io.idstream.crypto;

import java.util.List;

/**
 * The content of each signed statement of docs/protocol.md, as plain values. Each statement that is signed on its own
 * knows its exact to-be-signed bytes (written by {@link ToBeSigned}) and how an error names its signature, so that
 * signing and verifying it are the same two steps for every kind. Byte arrays are raw public keys or ciphertexts,
 * never secrets.
 */
public final class Statements {
    private Statements() {
    }

    /** A statement that one principal signs: the bytes it signs and the name a failed verification gives it. */
    public interface SignedStatement {
        /** The exact bytes of the signature, as {@link ToBeSigned} writes them. */
        byte[] toBeSigned();

        /** How an error names this statement's signature, such as "holder signature of grant &lt;id&gt;". */
        String signatureName();
    }

    /** Section 4: what the issuer signs about a credential besides its commitments. */
    public record CredentialHeader(String credentialId, String holderId, String issuerId, String type,
                                   long issuedAt, long expiresAt) {
    }

    /** One field's name and the SHA-256 commitment to its salted value. */
    public record Commitment(String name, byte[] commitment) {
        @Override
        public String toString() {
            return "Commitment[" + name + "]";
        }
    }

    /** Section 5: a consumer's request. Exactly one of credentialType and credentialId may be empty. */
    public record RequestStatement(String requestId, String consumerId, String holderId, String credentialType,
                                   String credentialId, String purpose, long createdAt, List<String> fields)
            implements SignedStatement {
        @Override
        public byte[] toBeSigned() {
            return ToBeSigned.request(this);
        }

        @Override
        public String signatureName() {
            return "consumer signature of request " + requestId;
        }
    }

    /** Section 6: a holder's grant, including the sealed field-key package it commits to. */
    public record GrantStatement(String grantId, String holderId, String consumerId, String credentialId,
                                 String requestId, String purpose, long notBefore, long expiresAt, long maxUses,
                                 List<String> fields, byte[] keysEnc, byte[] keysCiphertext)
            implements SignedStatement {
        @Override
        public byte[] toBeSigned() {
            return ToBeSigned.grant(this);
        }

        @Override
        public String signatureName() {
            return "holder signature of grant " + grantId;
        }
    }

    /** Section 6: a holder's denial of a request. */
    public record DenialStatement(String requestId, String holderId, long decidedAt) implements SignedStatement {
        @Override
        public byte[] toBeSigned() {
            return ToBeSigned.deny(requestId, holderId, decidedAt);
        }

        @Override
        public String signatureName() {
            return "holder signature of the denial of request " + requestId;
        }
    }

    /** Section 6: a holder's revocation of a grant. */
    public record RevocationStatement(String grantId, String holderId, long revokedAt) implements SignedStatement {
        @Override
        public byte[] toBeSigned() {
            return ToBeSigned.revoke(grantId, holderId, revokedAt);
        }

        @Override
        public String signatureName() {
            return "holder signature of the revocation of grant " + grantId;
        }
    }

    /** Section 6: a holder's erasure of a credential. */
    public record ErasureStatement(String credentialId, String holderId, long erasedAt) implements SignedStatement {
        @Override
        public byte[] toBeSigned() {
            return ToBeSigned.erase(credentialId, holderId, erasedAt);
        }

        @Override
        public String signatureName() {
            return "holder signature of the erasure of credential " + credentialId;
        }
    }

    /** Section 6: an issuer's revocation of a credential it issued. */
    public record CredentialRevocationStatement(String credentialId, String issuerId, String reason, long revokedAt)
            implements SignedStatement {
        @Override
        public byte[] toBeSigned() {
            return ToBeSigned.credentialRevoke(credentialId, issuerId, reason, revokedAt);
        }

        @Override
        public String signatureName() {
            return "issuer signature of the revocation of credential " + credentialId;
        }
    }

    /** Section 7: a principal's self-signed registration. */
    public record PrincipalStatement(String id, String role, byte[] signingKey, byte[] encryptionKey,
                                     String displayName, long registeredAt) implements SignedStatement {
        @Override
        public byte[] toBeSigned() {
            return ToBeSigned.principal(this);
        }

        @Override
        public String signatureName() {
            return "signature of the registration of " + id;
        }
    }

    /** Section 7: an operator's accreditation of a principal. */
    public record AccreditationStatement(String id, String role, byte[] signingKey, long accreditedAt)
            implements SignedStatement {
        @Override
        public byte[] toBeSigned() {
            return ToBeSigned.accreditation(this);
        }

        @Override
        public String signatureName() {
            return "operator signature of the accreditation of " + id;
        }
    }
}
