package io.idstream.sdk;

import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.DisclosedField;
import io.idstream.avro.Grant;
import io.idstream.avro.GrantTerms;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.DeliveryVerification.Check;
import io.idstream.crypto.DeliveryVerifier;
import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.platform.Ports;
import io.idstream.schemas.serde.GeneratedClassTrust;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The consumer's side of docs/protocol.md section 8, without a broker: what the client makes of each delivery record.
 */
class ConsumerClientTest {
    /**
     * Copying a record through its builder makes Avro check that the record's classes are trusted. The serdes
     * install that trust before any record is read; this test builds records without a serde, so it installs it.
     */
    @BeforeAll
    static void trustGeneratedRecords() {
        GeneratedClassTrust.install();
    }

    final DeliveryFixture fixture = new DeliveryFixture();
    final DeliveryVerifier verifier = new DeliveryVerifier(fixture.consumer.encryption());
    final Grant grant = fixture.grant(List.of("age_over_18", "country"));

    private DeliveryOutcome verify(CredentialDelivery delivery) {
        return ConsumerTrust.verify(verifier, delivery, fixture.issuer.publicKey(),
                fixture.holder.signing().publicKey());
    }

    @Test
    void aGenuineDeliveryOpensToTheGrantedValuesTheIssuerSigned() {
        CredentialDelivery delivery = fixture.delivery(grant, List.of("country"));

        DeliveryOutcome outcome = verify(delivery);

        assertThat(outcome).isInstanceOfSatisfying(DeliveryOutcome.Delivered.class, delivered -> {
            assertThat(delivered.values()).isEqualTo(Map.of("country", "DE"));
            assertThat(delivered.requestId()).isEqualTo(delivery.getRequestId());
            assertThat(delivered.grantId()).isEqualTo(grant.getGrantId());
            assertThat(delivered.credentialId()).isEqualTo(fixture.credential.getCredentialId());
        });
        assertThat(outcome.toString()).doesNotContain("DE");
    }

    @Test
    void aWidenedGrantIsRefusedByTheHolderSignatureCheck() {
        CredentialDelivery genuine = fixture.delivery(grant, List.of("country"));
        GrantTerms widened = GrantTerms.newBuilder(genuine.getGrant()).setMaxUses(1_000).build();

        DeliveryOutcome outcome = verify(CredentialDelivery.newBuilder(genuine).setGrant(widened).build());

        assertThat(outcome).isInstanceOfSatisfying(DeliveryOutcome.Refused.class, refused -> {
            assertThat(refused.failedCheck()).isEqualTo(Check.HOLDER_SIGNATURE);
            assertThat(refused.requestId()).isEqualTo(genuine.getRequestId());
        });
    }

    @Test
    void aSwappedCiphertextIsRefusedWhole() {
        CredentialDelivery genuine = fixture.delivery(grant, List.of("age_over_18", "country"));
        List<DisclosedField> disclosed = genuine.getDisclosed();
        // Each ciphertext is bound to its field's name: moved to another field, it no longer decrypts.
        List<DisclosedField> swapped = List.of(
                new DisclosedField(disclosed.get(0).getName(), disclosed.get(1).getCiphertext()),
                new DisclosedField(disclosed.get(1).getName(), disclosed.get(0).getCiphertext()));

        DeliveryOutcome outcome = verify(CredentialDelivery.newBuilder(genuine).setDisclosed(swapped).build());

        assertThat(outcome).isInstanceOfSatisfying(DeliveryOutcome.Refused.class,
                refused -> assertThat(refused.failedCheck()).isEqualTo(Check.FIELD_DECRYPTION));
    }

    @Test
    void aDeliveryFromAnotherIssuerKeyIsRefusedByTheIssuerSignatureCheck() {
        CredentialDelivery genuine = fixture.delivery(grant, List.of("country"));

        DeliveryOutcome outcome = ConsumerTrust.verify(verifier, genuine, SigningKeyPair.generate().publicKey(),
                fixture.holder.signing().publicKey());

        assertThat(outcome).isInstanceOfSatisfying(DeliveryOutcome.Refused.class,
                refused -> assertThat(refused.failedCheck()).isEqualTo(Check.ISSUER_SIGNATURE));
    }

    @Test
    void verifyingReadsTheRecordWithoutConsumingItsBuffers() {
        CredentialDelivery delivery = fixture.delivery(grant, List.of("country"));
        ByteBuffer signature = delivery.getIssuerSignature();
        int remaining = signature.remaining();

        verify(delivery);

        assertThat(signature.remaining()).isEqualTo(remaining);
        assertThat(verify(delivery)).isInstanceOf(DeliveryOutcome.Delivered.class);
    }

    @Test
    void aNoticeIsPassedOnAsItCame() {
        ConsumerNotice notice = new ConsumerNotice(NoticeKind.PENDING, "exchange-a", "alice", "request-1", "",
                "credential-1", "waiting for the holder's decision", 3_000L, null);

        assertThat(new ConsumerTrust(List.of()).notice(id -> Optional.empty(), notice)).isEqualTo(
                new DeliveryOutcome.Notice("request-1", NoticeKind.PENDING, "alice", "", "credential-1",
                        "waiting for the holder's decision"));
    }

    /**
     * A delivery event as the client's {@code verify(DeliveryEvent)} takes it: the issuer's and the holder's keys
     * come from the directory, here a map of verified entries.
     */
    @Nested
    class VerifiedWithTheDirectorysKeys {
        final SigningKeyPair operator = SigningKeyPair.generate();
        final Map<String, VerifiedPrincipal> directory = new HashMap<>(Map.of(
                "kyc-co", TrustedDirectory.accredited(TrustedDirectory.entry("kyc-co", "issuer", fixture.issuer),
                        operator),
                "alice", entry("alice", "holder", fixture.holder.signing())));
        final CredentialDelivery delivery = fixture.delivery(grant, List.of("country"));

        private DeliveryOutcome verifyEvent(DeliveryEvent event) {
            return new ConsumerTrust(List.of(operator.publicKey())).verify(verifier,
                    id -> Optional.ofNullable(directory.get(id)), event, 3_000L);
        }

        @Test
        void aGenuineDeliveryOpensWithTheKeysTheDirectoryHolds() {
            assertThat(verifyEvent(new DeliveryEvent(delivery))).isInstanceOfSatisfying(
                    DeliveryOutcome.Delivered.class,
                    delivered -> assertThat(delivered.values()).isEqualTo(Map.of("country", "DE")));
        }

        @Test
        void aDeliveryFromAnIssuerTheDirectoryDoesNotHoldIsRefused() {
            directory.remove("kyc-co");

            assertThat(verifyEvent(new DeliveryEvent(delivery))).isEqualTo(new DeliveryOutcome.Refused(
                    delivery.getRequestId(), Check.STRUCTURE, "issuer 'kyc-co' is not in the directory"));
        }

        @Test
        void aDeliveryForAHolderTheDirectoryDoesNotHoldIsRefused() {
            directory.remove("alice");

            assertThat(verifyEvent(new DeliveryEvent(delivery))).isEqualTo(new DeliveryOutcome.Refused(
                    delivery.getRequestId(), Check.STRUCTURE, "holder 'alice' is not in the directory"));
        }

        @Test
        void aDeliveryIsRefusedWhenTheDirectoryBindsTheIssuerToAnotherKey() {
            directory.put("kyc-co", TrustedDirectory.accredited(entry("kyc-co", "issuer", SigningKeyPair.generate()),
                    operator));

            assertThat(verifyEvent(new DeliveryEvent(delivery))).isInstanceOfSatisfying(DeliveryOutcome.Refused.class,
                    refused -> assertThat(refused.failedCheck()).isEqualTo(Check.ISSUER_SIGNATURE));
        }

        @Test
        void aDeliveryIsRefusedWhenTheDirectoryBindsTheHolderToAnotherKey() {
            directory.put("alice", entry("alice", "holder", SigningKeyPair.generate()));

            assertThat(verifyEvent(new DeliveryEvent(delivery))).isInstanceOfSatisfying(DeliveryOutcome.Refused.class,
                    refused -> assertThat(refused.failedCheck()).isEqualTo(Check.HOLDER_SIGNATURE));
        }

        @Test
        void aNoticePassesThroughWithoutALookUp() {
            ConsumerNotice notice = new ConsumerNotice(NoticeKind.PENDING, "exchange-a", "alice", "request-2", "",
                    "credential-1", "waiting for the holder", 3_000L, null);

            DeliveryOutcome outcome = new ConsumerTrust(List.of(operator.publicKey())).verify(verifier, id -> {
                throw new AssertionError("a notice looked up '" + id + "'");
            }, new DeliveryEvent(notice), 3_000L);

            assertThat(outcome).isEqualTo(new DeliveryOutcome.Notice("request-2", NoticeKind.PENDING, "alice", "",
                    "credential-1", "waiting for the holder"));
        }

        private VerifiedPrincipal entry(String id, String role, SigningKeyPair key) {
            return TrustedDirectory.entry(id, role, key);
        }
    }

    @Test
    void theClientPassesANoticeOnWithoutReadingTheDirectory() {
        Properties properties = new Properties();
        // Nothing listens there, and a read gives up after a second: a look-up would fail the call.
        properties.put("bootstrap.servers", "127.0.0.1:" + Ports.freePort());
        properties.put("schema.registry.url", "mock://consumer-client-test");
        properties.put(KafkaGateway.TIMEOUT_CONFIG, "1000");
        ConsumerNotice notice = new ConsumerNotice(NoticeKind.EXPIRED, "exchange-a", "alice", "request-3", "",
                "credential-1", "the holder did not answer in time", 3_000L, null);

        try (ConsumerClient client = new ConsumerClient(fixture.consumer, properties)) {
            assertThat(client.verify(new DeliveryEvent(notice))).isEqualTo(new DeliveryOutcome.Notice("request-3",
                    NoticeKind.EXPIRED, "alice", "", "credential-1", "the holder did not answer in time"));
        }
    }

    @Test
    void aClientWithoutABootstrapServerIsRefusedAtOnce() {
        Properties properties = new Properties();
        properties.put("schema.registry.url", "mock://consumer-client-test");

        assertThatThrownBy(() -> new ConsumerClient(fixture.consumer, properties))
                .isInstanceOf(IdstreamException.class).hasMessageContaining("bootstrap.servers");
    }
}
