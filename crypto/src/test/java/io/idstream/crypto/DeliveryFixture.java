package io.idstream.crypto;

import io.idstream.crypto.Statements.Commitment;
import io.idstream.crypto.Statements.CredentialHeader;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A credential issued, granted and delivered with this module's own code, for the forgery tests to tamper with. */
final class DeliveryFixture {
    static final Map<String, String> VALUES = Map.of(
            "full_name", "Alice Secretname",
            "document_number", "XK-93817262",
            "country", "Wakanda-77",
            "age_over_18", "true-for-alice");

    final SigningKeyPair issuer = SigningKeyPair.generate();
    final SigningKeyPair holder = SigningKeyPair.generate();
    final EncryptionKeyPair holderEncryption = EncryptionKeyPair.generate();
    final EncryptionKeyPair consumerEncryption = EncryptionKeyPair.generate();
    final CredentialHeader header = new CredentialHeader(UUID.randomUUID().toString(), "alice", "kyc-co", "kyc",
            1_700_000_000_000L, 0L);
    final Credentials.IssuedCredential credential =
            Credentials.issue(issuer, header, holderEncryption.publicKey(), VALUES);
    final String requestId = UUID.randomUUID().toString();
    final Grants.SignedGrant grant = grant(List.of("age_over_18", "country"));
    final Delivery delivery = deliver(grant, List.of("age_over_18", "country"));

    Grants.SignedGrant grant(List<String> fields) {
        return Grants.grant(holder, holderEncryption, header, credential.holderKey(),
                new Grants.Terms(UUID.randomUUID().toString(), "exchange-a", requestId, "onboarding",
                        1_700_000_000_000L, 1_700_000_000_000L, 1_800_000_000_000L, 5, fields),
                consumerEncryption.publicKey());
    }

    Delivery deliver(Grants.SignedGrant signed, List<String> disclosedNames) {
        List<Delivery.DisclosedField> disclosed = credential.fields().stream()
                .filter(f -> disclosedNames.contains(f.name()))
                .map(f -> new Delivery.DisclosedField(f.name(), f.ciphertext())).toList();
        Statements.GrantStatement g = signed.statement();
        return new Delivery(requestId, g.consumerId(), header.holderId(), header.issuerId(),
                header.credentialId(), header.type(), header.issuedAt(), header.expiresAt(),
                credential.commitments(), disclosed, credential.issuerSignature(),
                new Delivery.GrantTerms(g.grantId(), g.requestId(), g.purpose(), g.issuedAt(), g.fields(),
                        g.notBefore(), g.expiresAt(), g.maxUses(), g.keysEnc(), g.keysCiphertext(),
                        signed.signature()),
                1_700_000_100_000L);
    }

    DeliveryVerification verify(Delivery d) {
        return new DeliveryVerifier(consumerEncryption).verify(d, issuer.publicKey(), holder.publicKey());
    }

    // Copies of the delivery with one part replaced.

    static Delivery withDisclosed(Delivery d, List<Delivery.DisclosedField> disclosed) {
        return new Delivery(d.requestId(), d.consumerId(), d.holderId(), d.issuerId(), d.credentialId(), d.type(),
                d.issuedAt(), d.expiresAt(), d.commitments(), disclosed, d.issuerSignature(), d.grant(),
                d.deliveredAt());
    }

    static Delivery withCommitments(Delivery d, List<Commitment> commitments) {
        return new Delivery(d.requestId(), d.consumerId(), d.holderId(), d.issuerId(), d.credentialId(), d.type(),
                d.issuedAt(), d.expiresAt(), commitments, d.disclosed(), d.issuerSignature(), d.grant(),
                d.deliveredAt());
    }

    static Delivery withIssuerSignature(Delivery d, byte[] signature) {
        return new Delivery(d.requestId(), d.consumerId(), d.holderId(), d.issuerId(), d.credentialId(), d.type(),
                d.issuedAt(), d.expiresAt(), d.commitments(), d.disclosed(), signature, d.grant(), d.deliveredAt());
    }

    static Delivery withType(Delivery d, String type) {
        return new Delivery(d.requestId(), d.consumerId(), d.holderId(), d.issuerId(), d.credentialId(), type,
                d.issuedAt(), d.expiresAt(), d.commitments(), d.disclosed(), d.issuerSignature(), d.grant(),
                d.deliveredAt());
    }

    static Delivery withGrant(Delivery d, Delivery.GrantTerms grant) {
        return new Delivery(d.requestId(), d.consumerId(), d.holderId(), d.issuerId(), d.credentialId(), d.type(),
                d.issuedAt(), d.expiresAt(), d.commitments(), d.disclosed(), d.issuerSignature(), grant,
                d.deliveredAt());
    }

    static Delivery deliveredAt(Delivery d, long deliveredAt) {
        return new Delivery(d.requestId(), d.consumerId(), d.holderId(), d.issuerId(), d.credentialId(), d.type(),
                d.issuedAt(), d.expiresAt(), d.commitments(), d.disclosed(), d.issuerSignature(), d.grant(),
                deliveredAt);
    }

    static Delivery.GrantTerms grantWith(Delivery.GrantTerms g, List<String> fields, long expiresAt, long maxUses,
                                         byte[] keysEnc, byte[] keysCiphertext, byte[] signature) {
        return new Delivery.GrantTerms(g.grantId(), g.requestId(), g.purpose(), g.issuedAt(), fields, g.notBefore(),
                expiresAt, maxUses, keysEnc, keysCiphertext, signature);
    }

    static byte[] flipped(byte[] bytes, int index) {
        byte[] copy = bytes.clone();
        copy[index] ^= 0x01;
        return copy;
    }
}
