package io.idstream.crypto;

import io.idstream.crypto.Statements.Commitment;

import java.util.List;

/**
 * A credential delivery as docs/protocol.md section 8 defines it, as plain values: what a consumer receives on its
 * delivery topic, to hand to {@link DeliveryVerifier}.
 */
public record Delivery(String requestId, String consumerId, String holderId, String issuerId, String credentialId,
                       String type, long issuedAt, long expiresAt, List<Commitment> commitments,
                       List<DisclosedField> disclosed, byte[] issuerSignature, GrantTerms grant, long deliveredAt) {

    /** A disclosed field's ciphertext, exactly as the issuer made it. */
    public record DisclosedField(String name, byte[] ciphertext) {
        @Override
        public String toString() {
            return "DisclosedField[" + name + "]";
        }
    }

    /** Section 8's {@code GrantTerms}: the holder's grant as the delivery carries it. */
    public record GrantTerms(String grantId, String requestId, String purpose, long issuedAt, List<String> fields,
                             long notBefore, long expiresAt, long maxUses, byte[] keysEnc, byte[] keysCiphertext,
                             byte[] holderSignature) {
    }
}
