package io.idstream.it.lifecycle;

import io.idstream.avro.CredentialRekeyed;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.StoredCredential;
import io.idstream.crypto.CryptoException;
import io.idstream.crypto.Credentials;
import io.idstream.it.lifecycle.LifecyclePlatform.Rejected;
import io.idstream.mapping.CredentialRecords;
import io.idstream.mapping.RekeyRecords;
import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.DeliveryOutcome;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.HolderClient.Scope;
import io.idstream.sdk.Identity;
import io.idstream.sdk.IssuerClient;
import io.idstream.topics.Topic;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.idstream.it.lifecycle.LifecyclePlatform.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Key rotation for every role (docs/protocol.md sections 6b and 10). A holder's new keys carry its credentials forward:
 * each credential key is re-sealed to the new encryption key, so the holder opens every earlier credential with the
 * new keys alone, and the old key files are gone; its grants, signed by the old key, end with KEY_CHANGED, and a
 * consumer's request after the rotation is approved and verifies. A consumer's new key ends the grants whose field
 * keys were sealed to its old one; an issuer's earlier credentials stay verifiable once its new key is accredited;
 * and a re-key signed by a replaced key is refused.
 */
@Timeout(240)
class KeyRotationIT {
    private static final Map<String, String> KYC = Map.of("country", "DE", "age_over_18", "true");
    private static final Map<String, String> ADDRESS = Map.of("city", "Berlin", "street", "Unter den Linden 1");

    @TempDir
    static Path dir;
    static LifecyclePlatform lifecycle;
    static IssuerClient kycCo;
    static ConsumerClient exchange;

    @BeforeAll
    static void start() {
        lifecycle = new LifecyclePlatform(dir);
        kycCo = lifecycle.issuer("kyc-co");
        exchange = lifecycle.consumer("exchange-a");
    }

    @AfterAll
    static void stop() {
        if (lifecycle != null) {
            lifecycle.close();
        }
    }

    @Test
    void aHolderRotatesOpensEveryEarlierCredentialWithItsNewKeysAloneAndIsAskedAgain() throws Exception {
        // Given alice with two credentials and a grant of one to exchange-a, which has received a delivery.
        HolderClient alice = lifecycle.holder("alice");
        lifecycle.allow(alice, kycCo, List.of("address", "kyc"));
        String kyc = lifecycle.issueStored(kycCo, "alice", "kyc", KYC);
        String address = lifecycle.issueStored(kycCo, "alice", "address", ADDRESS);
        alice.awaitCredential(address, WAIT);
        Identity oldKeys = alice.identity();
        String grantId;
        try (DeliveryWatch deliveries = new DeliveryWatch(exchange, "alice-rotation")) {
            String before = exchange.requestCredential("alice", kyc, List.of("country"), "onboarding");
            alice.awaitPending(before, WAIT);
            grantId = alice.approve(before, new Scope(null, null, 0));
            assertThat(deliveries.answerTo(before)).as("exchange-a's delivery before the rotation")
                    .isInstanceOf(DeliveryOutcome.Delivered.class);

            // When alice rotates her keys.
            var rotation = alice.rotate(lifecycle.keys);

            // Then both credentials were re-sealed, and the grant her old key signed ended.
            assertThat(rotation.credentialsRekeyed()).as("credentials re-keyed").isEqualTo(2);
            assertThat(rotation.grantsEnded()).as("grants ended").isEqualTo(1);
            Identity newKeys = Identity.load(lifecycle.keys, "alice");
            assertThat(newKeys.signing().publicKey()).as("alice's signing key after the rotation")
                    .isNotEqualTo(oldKeys.signing().publicKey());
            assertThat(newKeys.encryption().publicKey()).as("alice's encryption key after the rotation")
                    .isNotEqualTo(oldKeys.encryption().publicKey());
            assertThat(filesHolding(lifecycle.keys.resolve("alice"), oldKeys)).as("files that still hold alice's "
                    + "old private keys").isEmpty();
            assertThat(lifecycle.keys.resolve("alice").resolve("next")).as("the new keys' staging dir").doesNotExist();

            HolderClient rotated = lifecycle.holderClient(newKeys);
            assertThat(rotated.open(kyc)).as("alice's kyc credential, opened with her new keys").isEqualTo(KYC);
            assertThat(rotated.open(address)).as("alice's address credential, opened with her new keys")
                    .isEqualTo(ADDRESS);
            Map<String, StoredCredential> vault = lifecycle.vault("alice");
            for (String credentialId : List.of(kyc, address)) {
                StoredCredential stored = vault.get(credentialId);
                assertThat(stored.getRekeyedAt()).as("credential " + credentialId + " re-keyed at").isPositive();
                assertThatThrownBy(() -> Credentials.open(oldKeys.encryption(),
                        CredentialRecords.fromAvro(stored.getCredential())))
                        .as("credential " + credentialId + " opened with alice's old encryption key")
                        .isInstanceOf(CryptoException.class);
            }

            // The grant has ended; exchange-a's next request waits for alice, who approves it with her new keys.
            deliveries.await("KEY_CHANGED for grant " + grantId, o -> o instanceof DeliveryOutcome.Notice n
                    && n.kind() == NoticeKind.KEY_CHANGED && n.grantId().equals(grantId));
            String after = exchange.requestCredential("alice", kyc, List.of("country"), "onboarding");
            deliveries.await("PENDING for request " + after, o -> o instanceof DeliveryOutcome.Notice n
                    && n.kind() == NoticeKind.PENDING && n.requestId().equals(after));
            assertThat(lifecycle.deliveriesFor("exchange-a", after)).as("deliveries under the ended grant")
                    .isEmpty();
            rotated.awaitPending(after, WAIT);
            rotated.approve(after, new Scope(null, null, 0));
            assertThat(deliveries.answerTo(after)).as("exchange-a's delivery after alice's rotation")
                    .isInstanceOfSatisfying(DeliveryOutcome.Delivered.class,
                            d -> assertThat(d.values()).containsExactlyEntriesOf(Map.of("country", "DE")));
        }
    }

    @Test
    void aConsumerRotatingEndsItsGrantsAndIsServedUnderItsNewKeyOnceItAsksAgain() {
        ConsumerClient shop = lifecycle.consumer("shop-b");
        HolderClient frank = lifecycle.holder("frank");
        lifecycle.allow(frank, kycCo, List.of("kyc"));
        String kyc = lifecycle.issueStored(kycCo, "frank", "kyc", KYC);
        frank.awaitCredential(kyc, WAIT);
        String grantId = frank.grant("shop-b", kyc, "age check", new Scope(List.of("age_over_18"), null, 0));
        try (DeliveryWatch deliveries = new DeliveryWatch(shop, "before")) {
            String before = shop.requestCredential("frank", kyc, List.of("age_over_18"), "age check");
            assertThat(deliveries.answerTo(before)).as("shop-b's delivery under frank's standing grant")
                    .isInstanceOf(DeliveryOutcome.Delivered.class);
        }

        // When shop-b rotates its keys, and the operator accredits its new key.
        shop.rotate(lifecycle.keys);
        lifecycle.accreditRotated("shop-b");
        ConsumerClient rotated = lifecycle.consumerClient(Identity.load(lifecycle.keys, "shop-b"));

        // Then its next request ends the grant, whose field keys were sealed to its old key, and waits for frank.
        try (DeliveryWatch deliveries = new DeliveryWatch(rotated, "after")) {
            String after = rotated.requestCredential("frank", kyc, List.of("age_over_18"), "age check");
            deliveries.await("KEY_CHANGED for grant " + grantId, o -> o instanceof DeliveryOutcome.Notice n
                    && n.kind() == NoticeKind.KEY_CHANGED && n.grantId().equals(grantId));
            deliveries.await("PENDING for request " + after, o -> o instanceof DeliveryOutcome.Notice n
                    && n.kind() == NoticeKind.PENDING && n.requestId().equals(after));
            assertThat(lifecycle.deliveriesFor("shop-b", after)).as("deliveries under the ended grant").isEmpty();
            // The gateway's view of frank's grants follows the audit topic, a moment behind it.
            Awaitility.await("grant " + grantId + " gone from frank's grants in force").atMost(WAIT)
                    .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(frank.grants())
                            .as("frank's grants in force").extracting(HolderClient.GrantView::grantId)
                            .doesNotContain(grantId));

            frank.awaitPending(after, WAIT);
            frank.approve(after, new Scope(null, null, 0));
            assertThat(deliveries.answerTo(after)).as("shop-b's delivery, sealed to its new key")
                    .isInstanceOfSatisfying(DeliveryOutcome.Delivered.class,
                            d -> assertThat(d.values()).containsExactlyEntriesOf(Map.of("age_over_18", "true")));
        }
    }

    @Test
    void anIssuersEarlierCredentialStaysVerifiableUnderTheKeyThatSignedItOnceItsNewKeyIsAccredited() {
        IssuerClient gov = lifecycle.issuer("gov-id");
        HolderClient grace = lifecycle.holder("grace");
        lifecycle.allow(grace, gov, List.of("id-card"));
        Map<String, String> idCard = Map.of("full_name", "Grace Example", "birth_year", "1990");
        String credential = lifecycle.issueStored(gov, "grace", "id-card", idCard);
        grace.awaitCredential(credential, WAIT);

        gov.rotate(lifecycle.keys);
        lifecycle.accreditRotated("gov-id");

        assertThat(grace.open(credential)).as("grace's id card, signed by gov-id's replaced key").isEqualTo(idCard);
        try (DeliveryWatch deliveries = new DeliveryWatch(exchange, "grace")) {
            String request = exchange.requestCredential("grace", credential, List.of("birth_year"), "age check");
            grace.awaitPending(request, WAIT);
            grace.approve(request, new Scope(null, null, 0));
            assertThat(deliveries.answerTo(request)).as("exchange-a's delivery of a credential gov-id signed before "
                    + "its rotation").isInstanceOfSatisfying(DeliveryOutcome.Delivered.class,
                            d -> assertThat(d.values()).containsExactlyEntriesOf(Map.of("birth_year", "1990")));
        }
    }

    /**
     * Someone who stole henry's keys before he rotated signs, with the replaced signing key, a re-key that seals his
     * credential's key anew (to henry's current encryption key, so no other check refuses it), and writes it to the
     * decisions topic: refused for its signature, and henry's credential keeps the sealed key he set.
     */
    @Test
    void aReKeySignedByTheReplacedKeyIsRefused() {
        HolderClient henry = lifecycle.holder("henry");
        lifecycle.allow(henry, kycCo, List.of("kyc"));
        String kyc = lifecycle.issueStored(kycCo, "henry", "kyc", KYC);
        henry.awaitCredential(kyc, WAIT);
        Identity stolen = henry.identity();
        henry.rotate(lifecycle.keys);
        Identity current = Identity.load(lifecycle.keys, "henry");
        StoredCredential rekeyed = lifecycle.vault("henry").get(kyc);

        byte[] attackersCredentialKey = new byte[32];
        new SecureRandom().nextBytes(attackersCredentialKey);
        CredentialRekeyed forged = RekeyRecords.rekey(stolen.signing(), kyc, "henry",
                current.encryption().publicKey(), attackersCredentialKey, System.currentTimeMillis());
        lifecycle.write(lifecycle.platform.catalog().accessDecisions(), "henry", new DecisionEvent(forged));

        Topic<String, DecisionEvent> decisions = lifecycle.platform.catalog().accessDecisions();
        Rejected refused = lifecycle.awaitRejected("the re-key signed by henry's replaced key", r -> r.sourceTopic()
                .equals(decisions.name()) && decisions.valueSerde().deserializer().deserialize(decisions.name(),
                        r.value()).getDecision() instanceof CredentialRekeyed c && c.getRekeyedAt()
                == forged.getRekeyedAt() && c.getCredentialId().equals(kyc));
        assertThat(refused.reason()).as("why the re-key was refused: " + refused.detail()).isEqualTo("bad-signature");
        StoredCredential after = lifecycle.vault("henry").get(kyc);
        assertThat(after.getCredential().getHolderKeyCiphertext()).as("henry's sealed credential key")
                .isEqualTo(rekeyed.getCredential().getHolderKeyCiphertext());
        assertThat(lifecycle.holderClient(current).open(kyc)).as("henry's credential").isEqualTo(KYC);
    }

    /** The files under {@code dir} that hold either of {@code keys}' private keys, as their PEM files did. */
    private static List<Path> filesHolding(Path dir, Identity keys) throws IOException {
        String signing = keys.signing().toPem();
        String encryption = keys.encryption().toPem();
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(file -> {
                try {
                    String text = Files.readString(file);
                    return text.contains(signing.strip()) || text.contains(encryption.strip());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
