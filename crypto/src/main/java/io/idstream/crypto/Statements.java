package io.idstream.crypto;

import java.util.List;

/**
 * The content of each signed statement of docs/protocol.md, as plain values. Each statement that is signed on its own
 * is a {@link SignedStatement}, so that signing and verifying it are the same two steps for every kind. Byte arrays
 * are raw public keys or ciphertexts, never secrets.
 */
public final class Statements {
    private Statements() {
    }

    /**
     * A statement that one principal signs on its own. Its bytes and the name a failed verification gives its
     * signature come from {@link ToBeSigned}, in one place for every kind, so each kind here is plain data.
     */
    public sealed interface SignedStatement permits RequestStatement, GrantStatement, DenialStatement,
            RevocationStatement, ErasureStatement, CredentialRevocationStatement, PrincipalStatement,
            AccreditationStatement, WithdrawalStatement, WriteGrantStatement, WriteGrantRevocationStatement,
            ConsentRequestStatement, RekeyStatement {
        /** The exact bytes of the signature, as {@link ToBeSigned} writes them. */
        default byte[] toBeSigned() {
            return ToBeSigned.of(this).bytes();
        }
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
    }

    /**
     * Section 6: a holder's grant, including the sealed field-key package it commits to; {@code issuedAt} is when the
     * holder signed it, which bounds how long a copy of it can be sent again.
     */
    public record GrantStatement(String grantId, String holderId, String consumerId, String credentialId,
                                 String requestId, String purpose, long issuedAt, long notBefore, long expiresAt,
                                 long maxUses, List<String> fields, byte[] keysEnc, byte[] keysCiphertext)
            implements SignedStatement {
    }

    /** Section 6: a holder's denial of a request. */
    public record DenialStatement(String requestId, String holderId, long decidedAt) implements SignedStatement {
    }

    /** Section 6: a holder's revocation of a grant. */
    public record RevocationStatement(String grantId, String holderId, long revokedAt) implements SignedStatement {
    }

    /** Section 6: a holder's erasure of a credential. */
    public record ErasureStatement(String credentialId, String holderId, long erasedAt) implements SignedStatement {
    }

    /** Section 6: an issuer's revocation of a credential it issued. */
    public record CredentialRevocationStatement(String credentialId, String issuerId, String reason, long revokedAt)
            implements SignedStatement {
    }

    /** Section 7: a principal's self-signed registration. */
    public record PrincipalStatement(String id, String role, byte[] signingKey, byte[] encryptionKey,
                                     String displayName, long registeredAt) implements SignedStatement {
    }

    /** Section 7: an operator's accreditation of a principal. */
    public record AccreditationStatement(String id, String role, byte[] signingKey, long accreditedAt)
            implements SignedStatement {
    }

    /** Section 7: an operator's withdrawal of a principal's accreditation. */
    public record WithdrawalStatement(String id, String role, byte[] signingKey, long withdrawnAt)
            implements SignedStatement {
    }

    /**
     * Section 6a: a holder's consent that an issuer may write credentials of {@code credentialTypes} to its vault from
     * {@code issuedAt} until {@code expiresAt}; {@code consentRequestId} is the consent request it answers, or empty.
     */
    public record WriteGrantStatement(String writeGrantId, String holderId, String issuerId, String consentRequestId,
                                      long issuedAt, long expiresAt, List<String> credentialTypes)
            implements SignedStatement {
    }

    /** Section 6a: a holder's end of a write grant. */
    public record WriteGrantRevocationStatement(String writeGrantId, String holderId, long revokedAt)
            implements SignedStatement {
    }

    /** Section 6a: an issuer's request that a holder allow it to write credentials of {@code credentialTypes}. */
    public record ConsentRequestStatement(String consentRequestId, String issuerId, String holderId, String purpose,
                                          long createdAt, List<String> credentialTypes) implements SignedStatement {
    }

    /**
     * Section 6b: a holder's re-seal of a credential key to its new encryption key {@code encryptionKey}; the
     * signature covers the key and a hash of the sealed value, as a grant's covers its key package.
     */
    public record RekeyStatement(String credentialId, String holderId, byte[] encryptionKey, byte[] holderKeyEnc,
                                 byte[] holderKeyCiphertext, long rekeyedAt) implements SignedStatement {
    }
}
