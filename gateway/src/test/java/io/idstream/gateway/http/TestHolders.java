package io.idstream.gateway.http;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AccessRequest;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.CredentialIssued;
import io.idstream.avro.CredentialStatus;
import io.idstream.avro.Grant;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.Principal;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.crypto.Grants;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.CredentialHeader;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.crypto.Statements.RequestStatement;
import io.idstream.mapping.CredentialRecords;
import io.idstream.mapping.GrantRecords;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.mapping.RequestRecords;
import io.idstream.schemas.serde.GeneratedClassTrust;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Holders with real keys, and the records of their views, signed as the processors would have them. */
final class TestHolders {
    static final long NOW = 1_800_000_000_000L;
    static final SigningKeyPair ISSUER = SigningKeyPair.generate();
    static final SigningKeyPair CONSUMER = SigningKeyPair.generate();
    static final EncryptionKeyPair CONSUMER_ENCRYPTION = EncryptionKeyPair.generate();

    static {
        // Builders copy records through Avro's reflection, which trusts only the generated classes it is told of.
        GeneratedClassTrust.install();
    }

    private TestHolders() {
    }

    /** A holder: its id and its two key pairs. */
    record Holder(String id, SigningKeyPair signing, EncryptionKeyPair encryption) {
        static Holder create(String id) {
            return new Holder(id, SigningKeyPair.generate(), EncryptionKeyPair.generate());
        }

        Principal registration() {
            return PrincipalRecords.registration(signing, new PrincipalStatement(id, "holder", signing.publicKey(),
                    encryption.publicKey(), id + " display", NOW));
        }

        VerifiedPrincipal verified() {
            return new VerifiedPrincipal(registration(), null, NOW, null, 0L, java.util.List.of());
        }

        CredentialIssued credential() {
            return CredentialRecords.toAvro(Credentials.issue(ISSUER, new CredentialHeader(
                    UUID.randomUUID().toString(), id, "kyc-co", "kyc", NOW, 0L), encryption.publicKey(),
                    Map.of("country", "DE")));
        }

        StoredCredential stored(CredentialIssued credential) {
            return new StoredCredential(credential, CredentialStatus.ACTIVE, "", 0L, NOW, null, 0L);
        }

        PendingRequest pending(CredentialIssued credential) {
            AccessRequest request = RequestRecords.signed(CONSUMER, new RequestStatement(
                    UUID.randomUUID().toString(), "exchange-a", id, "kyc", credential.getCredentialId(),
                    "onboarding", NOW, List.of("country")));
            return new PendingRequest(request, "Exchange A", true, credential.getCredentialId(), "kyc", "kyc-co",
                    NOW, NOW + 3_600_000L);
        }

        Grant grant(CredentialIssued credential) {
            return GrantRecords.grant(signing, encryption, credential, new Grants.Terms(UUID.randomUUID().toString(),
                    "exchange-a", UUID.randomUUID().toString(), "onboarding", NOW, NOW, NOW + 3_600_000L, 3,
                    List.of("country")), CONSUMER_ENCRYPTION.publicKey());
        }

        AccessAudit audit(String grantId) {
            return new AccessAudit(id, "exchange-a", "cred-1", "req-1", grantId, List.of("country"), "onboarding",
                    AuditOutcome.DELIVERED, NOW);
        }
    }
}
