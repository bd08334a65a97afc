package io.idstream.processors;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AccessRequest;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.CredentialIssued;
import io.idstream.avro.CredentialRekeyed;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.GrantState;
import io.idstream.avro.HolderNotice;
import io.idstream.avro.HolderNoticeKind;
import io.idstream.avro.InboxEvent;
import io.idstream.avro.IssuerNotice;
import io.idstream.avro.IssuerNoticeKind;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.StoredCredential;
import io.idstream.crypto.CryptoException;
import io.idstream.crypto.Credentials;
import io.idstream.mapping.CredentialRecords;
import io.idstream.mapping.RekeyRecords;
import io.idstream.processors.TopologyHarness.RejectedRecord;
import org.assertj.core.groups.Tuple;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.idstream.processors.TopologyHarness.credentialDeliveries;
import static io.idstream.processors.TopologyHarness.notices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A holder's key rotation (docs/protocol.md sections 6b and 11): each credential's key re-sealed to the new
 * encryption key, signed with the new signing key, replaces only the stored sealed key; the re-key is refused when it
 * is not signed by the key now bound, is sealed to another key than the one bound, or is sent again. Grants signed
 * with a key no longer bound, and grants whose consumer's encryption key changed, end with KEY_CHANGED: the holder's
 * eagerly when a re-key is accepted, the consumer's at their next use; the request is then parked for the holder.
 */
class RekeyTopologyTest extends RegisteredPartiesFixture {
    private Credentials.IssuedCredential credential;
    private byte[] credentialKey;

    @BeforeEach
    void issueAlicesKyc() {
        credential = harness.issue(issuer, alice, "kyc", Map.of("country", "DE"));
        credentialKey = Credentials.unwrapCredentialKey(alice.encryption, credential.header(), credential.holderKey());
        harness.stored.readValuesToList();
        harness.inbox.readValuesToList();
        harness.advance(Duration.ofSeconds(1));
    }

    @Test
    void aRekeyReplacesOnlyTheSealedKeyAndTheHolderOpensTheCredentialWithItsNewKey() {
        Party rotated = harness.rotate(alice, harness.now());
        CredentialRekeyed rekey = harness.rekey(alice, rotated, credential);

        assertThat(harness.rejections()).isEmpty();
        StoredCredential stored = harness.stored.readValuesToList().get(0);
        CredentialIssued issued = CredentialRecords.toAvro(credential);
        assertThat(stored.getRekeyedAt()).isEqualTo(rekey.getRekeyedAt());
        assertThat(stored.getCredential().getHolderKeyEnc()).isEqualTo(rekey.getHolderKeyEnc())
                .isNotEqualTo(issued.getHolderKeyEnc());
        assertThat(stored.getCredential().getHolderKeyCiphertext()).isEqualTo(rekey.getHolderKeyCiphertext());
        assertThat(stored.getCredential().getFields()).as("the field ciphertexts").isEqualTo(issued.getFields());
        assertThat(stored.getCredential().getIssuerSignature()).isEqualTo(issued.getIssuerSignature());
        CredentialRecords.verifyIssuerSignature(issuer.signing.publicKey(), stored.getCredential());
        Credentials.IssuedCredential resealed = CredentialRecords.fromAvro(stored.getCredential());
        assertThat(Credentials.open(rotated.encryption, resealed)).containsExactly(Map.entry("country", "DE"));
        assertThatThrownBy(() -> Credentials.open(alice.encryption, resealed)).as("opened with the old key")
                .isInstanceOf(CryptoException.class);
        assertThat(harness.inbox.readValuesToList()).map(InboxEvent::getEvent).singleElement()
                .isInstanceOfSatisfying(HolderNotice.class, notice ->
                        assertThat(notice.getKind()).isEqualTo(HolderNoticeKind.CREDENTIAL_REKEYED));
    }

    @Test
    void aRekeyNotSignedWithTheKeyNowBoundIsABadSignature() {
        Party rotated = harness.rotate(alice, harness.now());
        // the old key, no longer bound, and a stranger's key, sealing the credential key to the stranger
        Party stranger = new Party(alice.id, "holder");
        pipe(RekeyRecords.rekey(alice.signing, credential.header().credentialId(), alice.id,
                rotated.encryption.publicKey(), credentialKey, harness.now()));
        pipe(RekeyRecords.rekey(stranger.signing, credential.header().credentialId(), alice.id,
                stranger.encryption.publicKey(), credentialKey, harness.now()));

        assertRefusedAndTheVaultUnchanged("bad-signature", "bad-signature");
    }

    @Test
    void aRekeySealedToAnotherKeyThanTheOneBoundIsStale() {
        Party rotated = harness.rotate(alice, harness.now());
        pipe(RekeyRecords.rekey(rotated.signing, credential.header().credentialId(), alice.id,
                alice.encryption.publicKey(), credentialKey, harness.now()));

        assertRefusedAndTheVaultUnchanged("stale");
    }

    @Test
    void aRekeySentAgainOrOlderThanTheLastIsAReplayAndOneOutsideTheWindowStaleOrFutureDated() {
        Party rotated = harness.rotate(alice, harness.now());
        CredentialRekeyed first = harness.rekey(alice, rotated, credential);
        harness.stored.readValuesToList();
        harness.inbox.readValuesToList();
        pipe(first);
        pipe(RekeyRecords.rekey(rotated.signing, credential.header().credentialId(), alice.id,
                rotated.encryption.publicKey(), credentialKey, first.getRekeyedAt() - 1));
        pipe(RekeyRecords.rekey(rotated.signing, credential.header().credentialId(), alice.id,
                rotated.encryption.publicKey(), credentialKey, harness.now() - harness.config.replayWindowMs() - 1));
        pipe(RekeyRecords.rekey(rotated.signing, credential.header().credentialId(), alice.id,
                rotated.encryption.publicKey(), credentialKey, harness.now() + Checks.MAX_CLOCK_SKEW_MS + 1));

        assertRefusedAndTheVaultUnchanged("replay", "replay", "stale", "future-dated");
    }

    @Test
    void aRekeyOfACredentialNotInTheHoldersVaultIsAnUnknownCredential() {
        Credentials.IssuedCredential bobs = harness.issue(issuer, bob, "kyc", Map.of("country", "FR"));
        harness.stored.readValuesToList();
        harness.inbox.readValuesToList();
        pipe(RekeyRecords.rekey(alice.signing, bobs.header().credentialId(), alice.id,
                alice.encryption.publicKey(), credentialKey, harness.now()));
        pipe(RekeyRecords.rekey(alice.signing, UUID.randomUUID().toString(), alice.id,
                alice.encryption.publicKey(), credentialKey, harness.now()));

        assertRefusedAndTheVaultUnchanged("unknown-credential", "unknown-credential");
    }

    @Test
    void anAcceptedRekeyEndsTheHoldersGrantsSignedWithTheOldKeyAndTheNextRequestWaits() {
        Grant grant = harness.grant(alice, exchange, credential, "", List.of("country"), Duration.ofDays(30), 0);
        harness.audit.readValuesToList();
        harness.inbox.readValuesToList();
        Party rotated = harness.rotate(alice, harness.now());
        harness.rekey(alice, rotated, credential);

        assertThat(notices(harness.deliveriesOf(exchange))).extracting(ConsumerNotice::getKind,
                ConsumerNotice::getGrantId, ConsumerNotice::getStatement)
                .containsExactly(tuple(NoticeKind.KEY_CHANGED, grant.getGrantId(), null));
        assertThat(harness.inbox.readValuesToList()).map(InboxEvent::getEvent).filteredOn(HolderNotice.class::isInstance)
                .extracting(e -> ((HolderNotice) e).getKind(), e -> ((HolderNotice) e).getGrantId())
                .containsExactly(tuple(HolderNoticeKind.CREDENTIAL_REKEYED, ""),
                        tuple(HolderNoticeKind.GRANT_KEY_CHANGED, grant.getGrantId()));
        assertThat(harness.audit.readValuesToList()).extracting(AccessAudit::getOutcome)
                .containsExactly(AuditOutcome.KEY_CHANGED);

        harness.request(exchange, alice, "kyc", List.of("country"));
        List<DeliveryEvent> events = harness.deliveriesOf(exchange);
        assertThat(credentialDeliveries(events)).as("deliveries after the rotation").isEmpty();
        assertThat(notices(events)).extracting(ConsumerNotice::getKind).containsExactly(NoticeKind.PENDING);
        assertThat(harness.rejections()).isEmpty();
    }

    @Test
    void aGrantEndsAtItsNextUseOnceTheConsumersEncryptionKeyChangedAndTheRequestWaits() {
        Grant grant = harness.grant(alice, exchange, credential, "", List.of("country"), Duration.ofDays(30), 0);
        harness.audit.readValuesToList();
        harness.inbox.readValuesToList();
        Party rotatedExchange = harness.rotate(exchange, harness.now());
        assertThat(harness.deliveriesOf(exchange)).as("exchange-a's topic before its next request").isEmpty();

        AccessRequest request = harness.request(rotatedExchange, alice, "kyc", List.of("country"));

        List<DeliveryEvent> events = harness.deliveriesOf(exchange);
        assertThat(credentialDeliveries(events)).as("field keys sealed to exchange-a's old key").isEmpty();
        assertThat(notices(events)).extracting(ConsumerNotice::getKind, ConsumerNotice::getGrantId,
                ConsumerNotice::getRequestId).containsExactly(
                tuple(NoticeKind.KEY_CHANGED, grant.getGrantId(), ""),
                tuple(NoticeKind.PENDING, "", request.getRequestId()));
        assertThat(harness.inbox.readValuesToList()).map(InboxEvent::getEvent).filteredOn(HolderNotice.class::isInstance)
                .extracting(e -> ((HolderNotice) e).getKind()).containsExactly(HolderNoticeKind.GRANT_KEY_CHANGED);
        assertThat(harness.audit.readValuesToList()).extracting(AccessAudit::getOutcome)
                .containsExactly(AuditOutcome.KEY_CHANGED, AuditOutcome.PENDING);
    }

    @Test
    void aGrantKeptBeforeTheKeysWereIsTakenAsUnchanged() {
        Grant grant = harness.grant(alice, exchange, credential, "", List.of("country"), Duration.ofDays(30), 0);
        KeyValueStore<String, GrantState> grants = harness.driver.getKeyValueStore(StoreNames.GRANTS);
        String grantKey = alice.id + "/" + grant.getGrantId();
        // as a grant accepted before the processors kept the keys it was given under is stored
        grants.put(grantKey, GrantState.newBuilder(grants.get(grantKey)).setHolderSigningKey(ByteBuffer.allocate(0))
                .setConsumerEncryptionKey(ByteBuffer.allocate(0)).build());
        Party rotatedExchange = harness.rotate(exchange, harness.now());

        harness.request(rotatedExchange, alice, "kyc", List.of("country"));

        List<DeliveryEvent> events = harness.deliveriesOf(exchange);
        assertThat(notices(events)).as("notices to exchange-a").isEmpty();
        assertThat(credentialDeliveries(events)).extracting(d -> d.getGrant().getGrantId())
                .containsExactly(grant.getGrantId());
    }

    @Test
    void anAcceptedRekeyEndsAGrantKeptBeforeTheKeysWereThatTheOldKeySigned() {
        Grant grant = harness.grant(alice, exchange, credential, "", List.of("country"), Duration.ofDays(30), 0);
        keepAsBeforeTheKeysWere(grant);
        harness.inbox.readValuesToList();
        Party rotated = harness.rotate(alice, harness.now());

        harness.rekey(alice, rotated, credential);

        assertThat(notices(harness.deliveriesOf(exchange))).extracting(ConsumerNotice::getKind,
                ConsumerNotice::getGrantId).containsExactly(tuple(NoticeKind.KEY_CHANGED, grant.getGrantId()));
        harness.request(exchange, alice, "kyc", List.of("country"));
        assertThat(credentialDeliveries(harness.deliveriesOf(exchange))).as("deliveries after the rotation")
                .isEmpty();
    }

    @Test
    void aGrantKeptBeforeTheKeysWereEndsAtItsNextUseOnceTheHoldersKeyNoLongerVerifiesIt() {
        Grant grant = harness.grant(alice, exchange, credential, "", List.of("country"), Duration.ofDays(30), 0);
        keepAsBeforeTheKeysWere(grant);
        harness.rotate(alice, harness.now());

        AccessRequest request = harness.request(exchange, alice, "kyc", List.of("country"));

        List<DeliveryEvent> events = harness.deliveriesOf(exchange);
        assertThat(credentialDeliveries(events)).as("deliveries from a grant alice's bound key did not sign")
                .isEmpty();
        assertThat(notices(events)).extracting(ConsumerNotice::getKind, ConsumerNotice::getGrantId,
                ConsumerNotice::getRequestId).containsExactly(
                tuple(NoticeKind.KEY_CHANGED, grant.getGrantId(), ""),
                tuple(NoticeKind.PENDING, "", request.getRequestId()));
    }

    @Test
    void anAcceptedRekeyEndsTheWriteGrantsTheOldKeySignedAndTheIssuerIsTold() {
        harness.issuerNoticesOf(issuer);
        Party rotated = harness.rotate(alice, harness.now());
        harness.rekey(alice, rotated, credential);

        assertThat(harness.issuerNoticesOf(issuer)).extracting(IssuerNotice::getKind, IssuerNotice::getHolderId,
                IssuerNotice::getDetail).containsExactly(tuple(IssuerNoticeKind.WRITE_GRANT_ENDED, alice.id,
                "the holder's key changed"));
        harness.stored.readValuesToList();
        harness.issue(issuer, rotated, "address", Map.of("street", "Main"));
        assertThat(harness.rejections()).extracting(RejectedRecord::reason).containsExactly("no-write-grant");
        assertThat(harness.stored.readValuesToList()).as("the vault").isEmpty();
    }

    /** Stores the grant as one accepted before the processors kept the keys it was given under. */
    private void keepAsBeforeTheKeysWere(Grant grant) {
        KeyValueStore<String, GrantState> grants = harness.driver.getKeyValueStore(StoreNames.GRANTS);
        String grantKey = alice.id + "/" + grant.getGrantId();
        grants.put(grantKey, GrantState.newBuilder(grants.get(grantKey)).setHolderSigningKey(ByteBuffer.allocate(0))
                .setConsumerEncryptionKey(ByteBuffer.allocate(0)).build());
    }

    private void pipe(CredentialRekeyed rekey) {
        harness.decisions.pipeInput(alice.id, new DecisionEvent(rekey));
    }

    private void assertRefusedAndTheVaultUnchanged(String... reasons) {
        assertThat(harness.rejections()).extracting(RejectedRecord::reason, RejectedRecord::sourceTopic)
                .containsExactly(Arrays.stream(reasons)
                        .map(reason -> tuple(reason, harness.catalog.accessDecisions().name()))
                        .toArray(Tuple[]::new));
        assertThat(harness.stored.readValuesToList()).as("the vault").isEmpty();
        assertThat(harness.inbox.readValuesToList()).as("alice's inbox").isEmpty();
    }
}
