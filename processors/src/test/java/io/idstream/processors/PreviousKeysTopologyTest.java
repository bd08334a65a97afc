package io.idstream.processors;

import io.idstream.avro.Accreditation;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.PreviousKey;
import io.idstream.avro.Principal;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.crypto.Statements.WithdrawalStatement;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.processors.directory.DirectoryProcessor;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signing keys a principal had before a rotation (docs/protocol.md section 10): the directory keeps each replaced
 * key with when it was bound and replaced and the accreditation it had, at most 16, oldest dropped; and the loader of
 * the verified directory refuses an entry, as a hostile writer of that topic would send it, that drops one of them or
 * carries an accreditation no trusted operator gave for that key (an issuer's entry, written to the global directory the
 * processors load issuers from).
 */
class PreviousKeysTopologyTest extends RegisteredPartiesFixture {
    private KeyValueStore<String, VerifiedPrincipal> loaded;
    private TestInputTopic<String, VerifiedPrincipal> verifiedDirectory;

    @BeforeEach
    void openTheVerifiedDirectory() {
        loaded = harness.driver.getKeyValueStore(StoreNames.DIRECTORY);
        verifiedDirectory = harness.driver.createInputTopic(harness.catalog.directoryGlobal().name(),
                new StringSerializer(), harness.catalog.directoryGlobal().valueSerde().serializer());
        harness.verified.readValuesToList();
    }

    @Test
    void aRotationKeepsTheReplacedKeyWithItsAccreditationAndTimes() {
        Accreditation accreditation = loaded.get(issuer.id).getAccreditation();
        long firstRegisteredAt = loaded.get(issuer.id).getPrincipal().getRegisteredAt();
        harness.advance(Duration.ofSeconds(1));
        Party rotated = harness.rotate(issuer, harness.now());
        harness.advance(Duration.ofSeconds(1));
        harness.rotate(rotated, harness.now());

        assertThat(harness.rejections()).isEmpty();
        assertThat(loaded.get(issuer.id).getPreviousKeys()).containsExactly(
                new PreviousKey(ByteBuffer.wrap(issuer.signing.publicKey()), firstRegisteredAt,
                        harness.now() - 1000, accreditation),
                new PreviousKey(ByteBuffer.wrap(rotated.signing.publicKey()), harness.now() - 1000, harness.now(),
                        null));
    }

    @Test
    void atMostSixteenPreviousKeysAreKeptTheOldestDropped() {
        Party current = issuer;
        List<ByteBuffer> replaced = new ArrayList<>();
        for (int rotation = 0; rotation < DirectoryProcessor.MAX_PREVIOUS_KEYS + 1; rotation++) {
            harness.advance(Duration.ofSeconds(1));
            replaced.add(ByteBuffer.wrap(current.signing.publicKey()));
            current = harness.rotate(current, harness.now());
        }

        assertThat(harness.rejections()).isEmpty();
        assertThat(loaded.get(issuer.id).getPreviousKeys()).extracting(PreviousKey::getSigningKey)
                .containsExactlyElementsOf(replaced.subList(1, replaced.size()));
    }

    @Test
    void theLoaderRefusesAnEntryThatDropsAPreviousKey() {
        harness.advance(Duration.ofSeconds(1));
        harness.rotate(issuer, harness.now());
        VerifiedPrincipal genuine = loaded.get(issuer.id);

        verifiedDirectory.pipeInput(issuer.id, VerifiedPrincipal.newBuilder(genuine).setPreviousKeys(List.of())
                .setVerifiedAt(genuine.getVerifiedAt() + 1).build());

        assertThat(loaded.get(issuer.id)).as("the entry loaded").isEqualTo(genuine);
    }

    @Test
    void theLoaderRefusesAPreviousKeyWithAnAccreditationNoTrustedOperatorGaveForIt() {
        Party other = harness.register("other-kyc", "issuer");
        harness.accredit(other);
        VerifiedPrincipal genuine = loaded.get(issuer.id);
        Party forgedKey = new Party(issuer.id, "issuer");
        SigningKeyPair rogueOperator = SigningKeyPair.generate();
        // an accreditation of the forger's own key by an operator nobody trusts, the same claiming the trusted
        // operator's key, and a genuine accreditation of another issuer
        Accreditation rogue = forgedKey.accreditationBy(rogueOperator, harness.now());
        Accreditation claimsTrusted = Accreditation.newBuilder(rogue)
                .setOperatorKey(ByteBuffer.wrap(harness.operator.publicKey())).build();
        Accreditation othersGenuine = loaded.get(other.id).getAccreditation();

        for (Accreditation forged : List.of(rogue, claimsTrusted, othersGenuine)) {
            verifiedDirectory.pipeInput(issuer.id, VerifiedPrincipal.newBuilder(genuine).setPreviousKeys(List.of(
                    new PreviousKey(forged.getSigningKey(), 0L, genuine.getPrincipal().getRegisteredAt(), forged)))
                    .build());
        }

        assertThat(loaded.get(issuer.id)).as("the entry loaded").isEqualTo(genuine);
    }

    @Test
    void theLoaderRefusesAnEntryOfTheSameKeyThatAddsPreviousKeysOfItsOwn() {
        Accreditation accreditation = loaded.get(issuer.id).getAccreditation();
        harness.advance(Duration.ofSeconds(1));
        harness.rotate(issuer, harness.now());
        VerifiedPrincipal genuine = loaded.get(issuer.id);
        List<PreviousKey> padded = new ArrayList<>(genuine.getPreviousKeys());
        while (padded.size() < DirectoryProcessor.MAX_PREVIOUS_KEYS) {
            padded.add(new PreviousKey(ByteBuffer.wrap(new Party(issuer.id, "issuer").signing.publicKey()), 0L,
                    genuine.getPrincipal().getRegisteredAt(), null));
        }

        // the replaced key again, with its accreditation, as if it had been replaced only at the end of time; and
        // keys nobody had, enough to push the genuine one out at the next entry
        for (List<PreviousKey> forged : List.of(padded, List.of(genuine.getPreviousKeys().get(0), new PreviousKey(
                ByteBuffer.wrap(issuer.signing.publicKey()), 0L, Long.MAX_VALUE, accreditation)))) {
            verifiedDirectory.pipeInput(issuer.id, VerifiedPrincipal.newBuilder(genuine).setPreviousKeys(forged)
                    .setVerifiedAt(genuine.getVerifiedAt() + 1).build());
        }

        assertThat(loaded.get(issuer.id)).as("the entry loaded").isEqualTo(genuine);
    }

    @Test
    void theLoaderRefusesARotationThatKeepsAWithdrawnAccreditationWithTheReplacedKey() {
        Accreditation withdrawn = loaded.get(issuer.id).getAccreditation();
        harness.advance(Duration.ofSeconds(1));
        harness.directory.pipeInput(issuer.id, new DirectoryEvent(PrincipalRecords.withdrawal(harness.operator,
                new WithdrawalStatement(issuer.id, "issuer", issuer.signing.publicKey(), harness.now()))));
        VerifiedPrincipal before = loaded.get(issuer.id);
        assertThat(before.getAccreditation()).as("the accreditation in force once withdrawn").isNull();
        harness.advance(Duration.ofSeconds(1));
        Party rotated = new Party(issuer.id, "issuer");
        Principal rotation = PrincipalRecords.registration(issuer.signing, new PrincipalStatement(issuer.id,
                "issuer", rotated.signing.publicKey(), rotated.encryption.publicKey(), "Display " + issuer.id,
                harness.now()));

        // the rotation's genuine registration, published before the processors by a writer of the verified topic,
        // with the withdrawn accreditation kept for the replaced key
        verifiedDirectory.pipeInput(issuer.id, VerifiedPrincipal.newBuilder(before).setPrincipal(rotation)
                .setVerifiedAt(harness.now()).setPreviousKeys(List.of(new PreviousKey(
                        ByteBuffer.wrap(issuer.signing.publicKey()), before.getPrincipal().getRegisteredAt(),
                        rotation.getRegisteredAt(), withdrawn))).build());

        assertThat(loaded.get(issuer.id)).as("the entry loaded").isEqualTo(before);
    }

    @Test
    void theLoaderRefusesAFirstEntryOfAnIdWhosePreviousKeyIsReplacedAfterItsRegistration() {
        Party bankBefore = new Party("bank-co", "issuer");
        Party bank = new Party("bank-co", "issuer");
        Accreditation ofTheKeyBefore = bankBefore.accreditationBy(harness.operator, harness.now() - 1000);

        // an id the processors have not loaded yet, as after the topic was compacted and the processors restarted,
        // its replaced key kept with its genuine accreditation as if it were replaced only at the end of time
        verifiedDirectory.pipeInput(bank.id, new VerifiedPrincipal(bank.registration(harness.now()), null,
                harness.now(), null, 0L, List.of(new PreviousKey(ByteBuffer.wrap(bankBefore.signing.publicKey()),
                harness.now() - 1000, Long.MAX_VALUE, ofTheKeyBefore))));

        assertThat(loaded.get(bank.id)).as("the entry loaded for bank-co").isNull();
    }
}
