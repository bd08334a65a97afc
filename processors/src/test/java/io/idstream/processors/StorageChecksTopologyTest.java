package io.idstream.processors;

import io.idstream.avro.CredentialIssued;
import io.idstream.avro.CredentialStatus;
import io.idstream.avro.EncryptedField;
import io.idstream.avro.HolderNotice;
import io.idstream.avro.HolderNoticeKind;
import io.idstream.avro.InboxEvent;
import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.StoredCredential;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.FieldCrypto;
import io.idstream.crypto.Identifiers;
import io.idstream.crypto.Statements.CredentialHeader;
import io.idstream.mapping.CredentialRecords;
import io.idstream.mapping.DecisionRecords;
import io.idstream.processors.TopologyHarness.RejectedRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What the storage processor checks before a credential enters the vault, and before an issuer's revocation
 * changes it (docs/protocol.md section 11): the record's size, key, ids, field names, count and sizes, the shape of
 * every ciphertext and commitment, a credential stored only once and revoked only once. The limits are lowered here
 * (three fields of at most 16 bytes, records of at most 4 KiB) so that each edge is reached with small records.
 */
class StorageChecksTopologyTest extends RegisteredPartiesFixture {
    static final int MAX_FIELDS = 3;
    static final int MAX_FIELD_BYTES = 16;
    static final int MAX_CREDENTIAL_BYTES = 4096;

    @Override
    Map<String, Object> harnessSettings() {
        return Map.of(ProcessorsConfig.MAX_FIELDS, MAX_FIELDS, ProcessorsConfig.MAX_FIELD_BYTES, MAX_FIELD_BYTES,
                ProcessorsConfig.MAX_CREDENTIAL_BYTES, MAX_CREDENTIAL_BYTES);
    }

    @BeforeEach
    void nothingRejectedYet() {
        assertThat(harness.rejections()).isEmpty();
    }

    @Test
    void aRecordOfExactlyTheSizeLimitIsReadAndOneByteMoreIsOversize() {
        byte[] atTheLimit = new byte[MAX_CREDENTIAL_BYTES];
        atTheLimit[0] = 0x42;
        harness.pipeRaw(harness.catalog.credentialsIssued().name(), alice.id, atTheLimit);
        harness.pipeRaw(harness.catalog.credentialsIssued().name(), alice.id,
                Arrays.copyOf(atTheLimit, MAX_CREDENTIAL_BYTES + 1));

        assertThat(harness.rejections()).extracting(RejectedRecord::reason, r -> r.value().length)
                .as("the record at the limit is decoded (and is no Avro); the one beyond it is not even decoded")
                .containsExactly(tuple("not-avro", MAX_CREDENTIAL_BYTES), tuple("oversize", MAX_CREDENTIAL_BYTES + 1));
    }

    @Test
    void credentialsAtEveryLimitAreStored() {
        // three fields, one of exactly 16 bytes and one empty (the shortest ciphertext there is)
        Credentials.IssuedCredential atTheLimits = issued(Map.of("country", "DE",
                "document_number", "X".repeat(MAX_FIELD_BYTES), "middle_name", ""));
        pipe(alice.id, CredentialRecords.toAvro(atTheLimits));

        assertThat(harness.rejections()).as("rejections of a credential at every limit").isEmpty();
        assertThat(harness.stored.readValuesToList()).extracting(s -> s.getCredential().getCredentialId())
                .containsExactly(atTheLimits.header().credentialId());
    }

    @Test
    void credentialsBeyondALimitAreOversize() {
        pipe(alice.id, CredentialRecords.toAvro(issued(Map.of("a", "1", "b", "2", "c", "3", "d", "4"))));
        pipe(alice.id, CredentialRecords.toAvro(issued(Map.of("document_number", "X".repeat(MAX_FIELD_BYTES + 1)))));

        assertThat(harness.rejections()).extracting(RejectedRecord::reason, RejectedRecord::detail).containsExactly(
                tuple("oversize", "credential has 4 fields, more than the limit of 3"),
                tuple("oversize", "field 'document_number' holds 17 bytes, more than the limit of 16"));
        assertThat(harness.stored.readValuesToList()).as("the vault").isEmpty();
    }

    @Test
    void credentialsOfTheWrongShapeAreMalformedBeforeTheirSignatureIsChecked() {
        CredentialIssued genuine = CredentialRecords.toAvro(issued(Map.of("country", "DE")));
        pipe(alice.id, CredentialIssued.newBuilder(genuine).setCredentialId("not-a-uuid").build());
        pipe(alice.id, withField(genuine, f -> EncryptedField.newBuilder(f).setName("Country").build()));
        pipe(alice.id, CredentialIssued.newBuilder(genuine).setFields(List.of()).build());
        pipe(alice.id, withField(genuine, f -> EncryptedField.newBuilder(f).setCiphertext(ByteBuffer.wrap(
                new byte[FieldCrypto.MIN_CIPHERTEXT_LENGTH - 1])).build()));
        pipe(alice.id, withField(genuine, f -> EncryptedField.newBuilder(f).setCommitment(ByteBuffer.wrap(
                new byte[FieldCrypto.COMMITMENT_LENGTH - 1])).build()));
        pipe(alice.id, CredentialIssued.newBuilder(genuine).setHolderKeyEnc(ByteBuffer.wrap(new byte[31])).build());

        assertThat(harness.rejections()).extracting(RejectedRecord::reason, RejectedRecord::detail).containsExactly(
                tuple("malformed", "credential id 'not-a-uuid' does not match " + Identifiers.UUID.pattern()),
                tuple("malformed", "field name 'Country' does not match " + Identifiers.FIELD_NAME.pattern()),
                tuple("malformed", "credential has no fields"),
                tuple("malformed", "field 'country' has a malformed commitment or ciphertext"),
                tuple("malformed", "field 'country' has a malformed commitment or ciphertext"),
                tuple("malformed", "the holder's wrapped key has a malformed enc"));
        assertThat(harness.stored.readValuesToList()).as("the vault").isEmpty();
    }

    @Test
    void credentialFiledUnderAnotherHolderIsAKeyMismatch() {
        pipe(bob.id, CredentialRecords.toAvro(issued(Map.of("country", "DE"))));

        assertThat(harness.rejections()).extracting(RejectedRecord::reason, RejectedRecord::detail)
                .containsExactly(tuple("key-mismatch", "record key 'bob' is not the holder id 'alice'"));
        assertThat(harness.stored.readValuesToList()).as("the vault").isEmpty();
    }

    @Test
    void theSameCredentialTwiceIsAReplayAndTheHolderIsToldOnce() {
        CredentialIssued credential = CredentialRecords.toAvro(issued(Map.of("country", "DE")));
        pipe(alice.id, credential);
        pipe(alice.id, credential);

        assertThat(harness.rejections()).extracting(RejectedRecord::reason).containsExactly("replay");
        assertThat(harness.stored.readValuesToList()).extracting(s -> s.getCredential().getCredentialId())
                .containsExactly(credential.getCredentialId());
        assertThat(harness.inbox.readValuesToList()).map(InboxEvent::getEvent).as("Alice's inbox")
                .singleElement().isInstanceOfSatisfying(HolderNotice.class, n -> {
                    assertThat(n.getKind()).isEqualTo(HolderNoticeKind.CREDENTIAL_STORED);
                    assertThat(n.getCredentialId()).isEqualTo(credential.getCredentialId());
                });
    }

    @Test
    void issuerRevocationFiledUnderAnotherHolderIsAKeyMismatchAndASecondOneIsAReplay() {
        Credentials.IssuedCredential credential = harness.issue(issuer, alice, "kyc", Map.of("country", "DE"));
        harness.stored.readValuesToList();
        IssuanceEvent revocation = new IssuanceEvent(DecisionRecords.credentialRevocation(issuer.signing,
                credential.header().credentialId(), alice.id, issuer.id, "document reported stolen", harness.now()));

        harness.issued.pipeInput(bob.id, revocation);
        assertThat(harness.rejections()).extracting(RejectedRecord::reason, RejectedRecord::detail)
                .containsExactly(tuple("key-mismatch", "record key 'bob' is not the holder id 'alice'"));
        assertThat(harness.stored.readValuesToList()).as("the vault after the misfiled revocation").isEmpty();

        harness.issued.pipeInput(alice.id, revocation);
        harness.issued.pipeInput(alice.id, revocation);
        assertThat(harness.rejections()).extracting(RejectedRecord::reason).containsExactly("replay");
        assertThat(harness.stored.readValuesToList()).extracting(StoredCredential::getStatus)
                .containsExactly(CredentialStatus.REVOKED);
    }

    private Credentials.IssuedCredential issued(Map<String, String> fields) {
        return Credentials.issue(issuer.signing, new CredentialHeader(UUID.randomUUID().toString(), alice.id,
                issuer.id, "kyc", harness.now(), 0L), alice.encryption.publicKey(), fields);
    }

    private void pipe(String key, CredentialIssued credential) {
        harness.issued.pipeInput(key, new IssuanceEvent(credential));
    }

    /** The credential with its first field changed. */
    private static CredentialIssued withField(CredentialIssued credential, UnaryOperator<EncryptedField> change) {
        List<EncryptedField> fields = new ArrayList<>(credential.getFields());
        fields.set(0, change.apply(fields.get(0)));
        return CredentialIssued.newBuilder(credential).setFields(fields).build();
    }
}
