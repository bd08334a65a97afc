package io.idstream.crypto;

import java.util.List;

/**
 * The content of each signed statement of PROTOCOL.md, as plain values; {@link ToBeSigned} turns each into the exact
 * bytes that are signed. Byte arrays are raw public keys or ciphertexts, never secrets.
 */
public final class Statements {
    private Statements() {
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
                                   String credentialId, String purpose, long createdAt, List<String> fields) {
    }

    /** Section 6: a holder's grant, including the sealed field-key package it commits to. */
    public record GrantStatement(String grantId, String holderId, String consumerId, String credentialId,
                                 String requestId, String purpose, long notBefore, long expiresAt, long maxUses,
                                 List<String> fields, byte[] keysEnc, byte[] keysCiphertext) {
    }

    /** Section 7: a principal's self-signed registration. */
    public record PrincipalStatement(String id, String role, byte[] signingKey, byte[] encryptionKey,
                                     String displayName, long registeredAt) {
    }

    /** Section 7: an operator's accreditation of a principal. */
    public record AccreditationStatement(String id, String role, byte[] signingKey, long accreditedAt) {
    }
}
