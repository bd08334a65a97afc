package io.idstream.gateway.http;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AccessRequest;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.ConsentRequest;
import io.idstream.avro.CredentialIssued;
import io.idstream.avro.CredentialStatus;
import io.idstream.avro.Grant;
import io.idstream.avro.HolderBackup;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.Principal;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.avro.WriteGrant;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.crypto.Grants;
import io.idstream.crypto.KeyBackup;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.CredentialHeader;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.crypto.Statements.RequestStatement;
import io.idstream.mapping.CredentialRecords;
import io.idstream.mapping.GrantRecords;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.mapping.RequestRecords;
import io.idstream.mapping.WriteGrantRecords;
import io.idstream.schemas.serde.GeneratedClassTrust;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Holders with real keys, and the records of their views, signed as the processors would have them. */
final class TestHolders {
    static final long NOW = 1_800_000_000_000L;
    static final SigningKeyPair ISSUER = SigningKeyPair.generate();
    static final SigningKeyPair CONSUMER = SigningKeyPair.generate();
    static final EncryptionKeyPair CONSUMER_ENCRYPTION = EncryptionKeyPair.generate();
    static final long DAY_MS = Duration.ofDays(1).toMillis();
    /** Sealing runs Argon2id at its full cost, so each holder's backup is sealed once. */
    private static final Map<Holder, byte[]> BACKUPS = new ConcurrentHashMap<>();

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
            return new VerifiedPrincipal(registration(), null, NOW, null, 0L, List.of());
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

        /** A write grant to kyc-co for kyc credentials, 30 days from NOW; {@code consentRequestId} may be empty. */
        WriteGrant writeGrant(String consentRequestId) {
            return WriteGrantRecords.writeGrant(signing, UUID.randomUUID().toString(), id, "kyc-co",
                    consentRequestId, List.of("kyc"), NOW, NOW + 30 * DAY_MS);
        }

        /** kyc-co's consent request to this holder, signed with the issuer's key. */
        ConsentRequest consentRequest() {
            return WriteGrantRecords.consentRequest(ISSUER, UUID.randomUUID().toString(), "kyc-co", id,
                    List.of("kyc"), "onboarding", NOW);
        }

        /** This holder's keys sealed as docs/protocol.md section 17 says. */
        byte[] backup() {
            return BACKUPS.computeIfAbsent(this, holder -> KeyBackup.seal(id, "holder", signing, encryption,
                    "correct horse battery staple".toCharArray(), NOW));
        }

        HolderBackup storedBackup() {
            return new HolderBackup(id, ByteBuffer.wrap(backup()), NOW);
        }

        AccessAudit audit(String grantId) {
            return new AccessAudit(id, "exchange-a", "cred-1", "req-1", grantId, List.of("country"), "onboarding",
                    AuditOutcome.DELIVERED, NOW);
        }
    }
}
