package io.idstream.sdk;

import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.CredentialIssued;
import io.idstream.avro.CredentialStatus;
import io.idstream.avro.Grant;
import io.idstream.avro.StoredCredential;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.crypto.Grants;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.CredentialHeader;
import io.idstream.mapping.CredentialRecords;
import io.idstream.mapping.DeliveryRecords;
import io.idstream.mapping.GrantRecords;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An issuer, a holder and a consumer with real keys, and the records they exchange, built with the same mapping the
 * processors use: a credential record of the holder's, and a delivery of some of its fields under a grant.
 */
final class DeliveryFixture {
    final SigningKeyPair issuer = SigningKeyPair.generate();
    final Identity holder;
    final Identity consumer = new Identity("exchange-a", "consumer", SigningKeyPair.generate(),
            EncryptionKeyPair.generate());
    final CredentialIssued credential;

    DeliveryFixture() {
        this("alice");
    }

    /** The same parties, the holder named {@code holderId}. */
    DeliveryFixture(String holderId) {
        this(holderId, 0L);
    }

    /** The same parties, the holder named {@code holderId}, the credential expiring at {@code expiresAt}. */
    DeliveryFixture(String holderId, long expiresAt) {
        holder = new Identity(holderId, "holder", SigningKeyPair.generate(), EncryptionKeyPair.generate());
        credential = CredentialRecords.toAvro(Credentials.issue(issuer,
                new CredentialHeader(UUID.randomUUID().toString(), holder.id(), "kyc-co", "kyc", 1_000L, expiresAt),
                holder.encryption().publicKey(), Map.of("country", "DE", "full_name", "Alice Example",
                        "age_over_18", "true")));
    }

    /** The credential as the vault holds it in {@code status} (revoked by its issuer, with a reason, if so). */
    StoredCredential stored(CredentialStatus status) {
        boolean revoked = status == CredentialStatus.REVOKED;
        return new StoredCredential(credential, status, revoked ? "the issuer withdrew it" : "",
                revoked ? 3_000L : 0L, 2_000L, null, 0L);
    }

    /** The holder's grant of the fields to the consumer, for ever and for any number of uses. */
    Grant grant(List<String> fields) {
        return grant(fields, 0L);
    }

    /** As {@link #grant(List)}, the grant expiring at {@code expiresAt}. */
    Grant grant(List<String> fields, long expiresAt) {
        return GrantRecords.grant(holder.signing(), holder.encryption(), credential,
                new Grants.Terms(UUID.randomUUID().toString(), consumer.id(), "", "onboarding", 0L, 0L, expiresAt, 0,
                        fields),
                consumer.encryption().publicKey());
    }

    /** What the access processor sends the consumer for a request of {@code disclosed} under the grant. */
    CredentialDelivery delivery(Grant grant, List<String> disclosed) {
        return delivery(grant, disclosed, 2_000L);
    }

    CredentialDelivery delivery(Grant grant, List<String> disclosed, long deliveredAt) {
        return DeliveryRecords.assemble(UUID.randomUUID().toString(), consumer.id(), credential, grant, disclosed,
                deliveredAt);
    }
}
