package io.idstream.mapping;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.Accreditation;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.CredentialIssued;
import io.idstream.avro.Grant;
import io.idstream.avro.Principal;
import io.idstream.crypto.CryptoException;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.DeliveryVerification;
import io.idstream.crypto.DeliveryVerifier;
import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.crypto.Grants;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.AccreditationStatement;
import io.idstream.crypto.Statements.CredentialHeader;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.crypto.Statements.RequestStatement;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordMappingTest {
    final SigningKeyPair issuer = SigningKeyPair.generate();
    final SigningKeyPair holderSigning = SigningKeyPair.generate();
    final EncryptionKeyPair holderEncryption = EncryptionKeyPair.generate();
    final SigningKeyPair consumerSigning = SigningKeyPair.generate();
    final EncryptionKeyPair consumerEncryption = EncryptionKeyPair.generate();

    final Credentials.IssuedCredential credential = Credentials.issue(issuer,
            new CredentialHeader(UUID.randomUUID().toString(), "alice", "kyc-co", "kyc", 1_000L, 0L),
            holderEncryption.publicKey(), Map.of("country", "DE", "full_name", "Alice Example"));

    @Test
    void aCredentialRecordReadsBackAsTheCredentialTheIssuerSigned() {
        CredentialIssued record = CredentialRecords.toAvro(credential);

        assertThat(CredentialRecords.header(record)).isEqualTo(credential.header());
        CredentialRecords.verifyIssuerSignature(issuer.publicKey(), record);
        assertThatThrownBy(() -> CredentialRecords.verifyIssuerSignature(holderSigning.publicKey(), record))
                .as("the same record under a key that did not sign it").isInstanceOf(CryptoException.class);
        assertThat(Credentials.open(holderEncryption, CredentialRecords.fromAvro(record)))
                .containsEntry("country", "DE").containsEntry("full_name", "Alice Example");
    }

    @Test
    void aSignedRequestVerifiesAndATamperedOneDoesNot() {
        RequestStatement statement = new RequestStatement(UUID.randomUUID().toString(), "exchange-a", "alice",
                "kyc", "", "onboarding", 2_000L, List.of("country"));
        AccessRequest request = RequestRecords.signed(consumerSigning, statement);

        assertThat(RequestRecords.statement(request)).isEqualTo(statement);
        RequestRecords.verify(consumerSigning.publicKey(), request);
        AccessRequest widened = AccessRequest.newBuilder(request).setFields(List.of("country", "full_name")).build();
        assertThatThrownBy(() -> RequestRecords.verify(consumerSigning.publicKey(), widened))
                .isInstanceOf(CryptoException.class).hasMessageContaining(statement.requestId());
    }

    @Test
    void aGrantMadeFromTheCredentialRecordVerifiesAndKeepsItsBuffers() {
        Grant grant = GrantRecords.grant(holderSigning, holderEncryption, CredentialRecords.toAvro(credential),
                new Grants.Terms(UUID.randomUUID().toString(), "exchange-a", "", "onboarding", 1_000L, 1_000L, 0L, 3,
                        List.of("country")), consumerEncryption.publicKey());
        int position = grant.getKeysEnc().position();

        GrantRecords.verify(holderSigning.publicKey(), grant);
        GrantRecords.verify(holderSigning.publicKey(), grant);

        assertThat(grant.getKeysEnc().position()).as("reading does not consume the buffer").isEqualTo(position);
        assertThat(GrantRecords.statement(grant).maxUses()).isEqualTo(3);
        assertThat(GrantRecords.statement(grant).issuedAt()).isEqualTo(1_000L);
        Grant stretched = Grant.newBuilder(grant).setMaxUses(4).build();
        assertThatThrownBy(() -> GrantRecords.verify(holderSigning.publicKey(), stretched))
                .isInstanceOf(CryptoException.class);
        Grant redated = Grant.newBuilder(grant).setIssuedAt(2_000L).build();
        assertThatThrownBy(() -> GrantRecords.verify(holderSigning.publicKey(), redated))
                .isInstanceOf(CryptoException.class);
    }

    @Test
    void anAssembledDeliveryVerifiesAsTheConsumerAndDisclosesOnlyTheNamedFields() {
        CredentialIssued issued = CredentialRecords.toAvro(credential);
        Grant grant = GrantRecords.grant(holderSigning, holderEncryption, issued,
                new Grants.Terms(UUID.randomUUID().toString(), "exchange-a", "", "onboarding", 2_000L, 0L, 0L, 0,
                        List.of("country", "full_name")), consumerEncryption.publicKey());

        CredentialDelivery delivery = DeliveryRecords.assemble(UUID.randomUUID().toString(), "exchange-a", issued,
                grant, List.of("country"), 3_000L);
        DeliveryVerification result = new DeliveryVerifier(consumerEncryption).verify(
                DeliveryRecords.toDelivery(delivery), issuer.publicKey(), holderSigning.publicKey());

        assertThat(result).isInstanceOfSatisfying(DeliveryVerification.Verified.class,
                verified -> assertThat(verified.values()).isEqualTo(Map.of("country", "DE")));
    }

    @Test
    void decisionsVerifyOnlyForTheKeyThatSignedThem() {
        var denial = DecisionRecords.denial(holderSigning, UUID.randomUUID().toString(), "alice", 5L);
        var revocation = DecisionRecords.revocation(holderSigning, UUID.randomUUID().toString(), "alice", 5L);
        var erasure = DecisionRecords.erasure(holderSigning, credential.header().credentialId(), "alice", 5L);
        var revoked = DecisionRecords.credentialRevocation(issuer, credential.header().credentialId(), "alice",
                "kyc-co", "superseded", 5L);

        DecisionRecords.verify(holderSigning.publicKey(), denial);
        DecisionRecords.verify(holderSigning.publicKey(), revocation);
        DecisionRecords.verify(holderSigning.publicKey(), erasure);
        DecisionRecords.verify(issuer.publicKey(), revoked);
        assertThatThrownBy(() -> DecisionRecords.verify(consumerSigning.publicKey(), denial))
                .isInstanceOf(CryptoException.class).hasMessageContaining("denial");
        assertThatThrownBy(() -> DecisionRecords.verify(holderSigning.publicKey(), revoked))
                .isInstanceOf(CryptoException.class).hasMessageContaining("revocation of credential");
        assertThatThrownBy(() -> DecisionRecords.verify(consumerSigning.publicKey(), revocation))
                .isInstanceOf(CryptoException.class).hasMessageContaining("revocation");
        assertThatThrownBy(() -> DecisionRecords.verify(consumerSigning.publicKey(), erasure))
                .isInstanceOf(CryptoException.class).hasMessageContaining("erasure");
    }

    @Test
    void directoryRecordsReadBackAsTheStatementsSigned() {
        PrincipalStatement registration = new PrincipalStatement("alice", "holder", holderSigning.publicKey(),
                holderEncryption.publicKey(), "Alice", 7L);
        Principal principal = PrincipalRecords.registration(holderSigning, registration);
        AccreditationStatement accreditation = new AccreditationStatement("kyc-co", "issuer", issuer.publicKey(), 8L);
        Accreditation accredited = PrincipalRecords.accreditation(consumerSigning, accreditation);

        assertThat(PrincipalRecords.statement(principal)).usingRecursiveComparison().isEqualTo(registration);
        assertThat(PrincipalRecords.statement(accredited)).usingRecursiveComparison().isEqualTo(accreditation);
        assertThat(AvroBytes.of(accredited.getOperatorKey())).isEqualTo(consumerSigning.publicKey());
        assertThat(AvroBytes.of(null)).isEmpty();
        assertThat(AvroBytes.equal(ByteBuffer.wrap(new byte[]{1, 2}), ByteBuffer.wrap(new byte[]{1, 2}))).isTrue();
    }
}
