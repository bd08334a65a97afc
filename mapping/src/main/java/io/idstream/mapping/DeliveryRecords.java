package io.idstream.mapping;

import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.CredentialIssued;
import io.idstream.avro.DisclosedField;
import io.idstream.avro.EncryptedField;
import io.idstream.avro.FieldCommitment;
import io.idstream.avro.Grant;
import io.idstream.avro.GrantTerms;
import io.idstream.crypto.Delivery;
import io.idstream.crypto.DeliveryVerifier;
import io.idstream.crypto.Statements.Commitment;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A credential delivery (docs/protocol.md section 8) between its Avro record and the crypto module's {@link Delivery}:
 * the access processor assembles the record from the stored credential and the grant with {@link #assemble}; a
 * consumer, the SDK's or a test's, hands {@link #toDelivery} of the record it read to {@link DeliveryVerifier}.
 */
public final class DeliveryRecords {
    private DeliveryRecords() {
    }

    /** The delivery as the verifier takes it, every byte copied out of the record. */
    public static Delivery toDelivery(CredentialDelivery d) {
        List<Commitment> commitments = d.getCommitments().stream()
                .map(c -> new Commitment(c.getName(), AvroBytes.of(c.getCommitment()))).toList();
        List<Delivery.DisclosedField> disclosed = d.getDisclosed().stream()
                .map(f -> new Delivery.DisclosedField(f.getName(), AvroBytes.of(f.getCiphertext()))).toList();
        GrantTerms g = d.getGrant();
        Delivery.GrantTerms grant = new Delivery.GrantTerms(g.getGrantId(), g.getRequestId(), g.getPurpose(),
                g.getIssuedAt(), g.getFields(), g.getNotBefore(), g.getExpiresAt(), g.getMaxUses(),
                AvroBytes.of(g.getKeysEnc()), AvroBytes.of(g.getKeysCiphertext()),
                AvroBytes.of(g.getHolderSignature()));
        return new Delivery(d.getRequestId(), d.getConsumerId(), d.getHolderId(), d.getIssuerId(), d.getCredentialId(),
                d.getType(), d.getIssuedAt(), d.getExpiresAt(), commitments, disclosed,
                AvroBytes.of(d.getIssuerSignature()), grant, d.getDeliveredAt());
    }

    /** The grant's terms as a delivery carries them: the signed grant without the ids the delivery repeats. */
    public static GrantTerms grantTerms(Grant grant) {
        return GrantTerms.newBuilder().setGrantId(grant.getGrantId()).setRequestId(grant.getRequestId())
                .setPurpose(grant.getPurpose()).setIssuedAt(grant.getIssuedAt()).setFields(grant.getFields())
                .setNotBefore(grant.getNotBefore()).setExpiresAt(grant.getExpiresAt())
                .setMaxUses(grant.getMaxUses()).setKeysEnc(grant.getKeysEnc())
                .setKeysCiphertext(grant.getKeysCiphertext()).setHolderSignature(grant.getSignature())
                .build();
    }

    /**
     * The delivery of a credential's {@code disclosedNames} to a request's consumer under a grant: every
     * commitment the issuer signed, the ciphertexts of the disclosed fields only, exactly as the issuer made them.
     */
    public static CredentialDelivery assemble(String requestId, String consumerId, CredentialIssued issued,
                                              Grant grant, Collection<String> disclosedNames, long deliveredAt) {
        List<FieldCommitment> commitments = new ArrayList<>();
        List<DisclosedField> disclosed = new ArrayList<>();
        for (EncryptedField field : issued.getFields()) {
            commitments.add(new FieldCommitment(field.getName(), field.getCommitment()));
            if (disclosedNames.contains(field.getName())) {
                disclosed.add(new DisclosedField(field.getName(), field.getCiphertext()));
            }
        }
        return CredentialDelivery.newBuilder()
                .setRequestId(requestId).setConsumerId(consumerId)
                .setHolderId(issued.getHolderId()).setIssuerId(issued.getIssuerId())
                .setCredentialId(issued.getCredentialId()).setType(issued.getType())
                .setIssuedAt(issued.getIssuedAt()).setExpiresAt(issued.getExpiresAt())
                .setCommitments(commitments).setDisclosed(disclosed)
                .setIssuerSignature(issued.getIssuerSignature())
                .setGrant(grantTerms(grant))
                .setDeliveredAt(deliveredAt)
                .build();
    }
}
